import { Component, onWillStart, useState } from "@odoo/owl";
import { Domain } from "@web/core/domain";
import { _t } from "@web/core/l10n/translation";
import { KeepLast } from "@web/core/utils/concurrency";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { useBus, useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { OpportunityModel } from "./opportunity_model";

/** The orders of F7 offered on the board (the list sorts by its column headers). */
const BOARD_ORDERS = [
    { name: "date_deadline", asc: true, label: _t("Expected close date") },
    { name: "expected_revenue", asc: false, label: _t("Expected revenue") },
    { name: "probability", asc: false, label: _t("Probability") },
    { name: "name", asc: true, label: _t("Description") },
    { name: "partner_id", asc: true, label: _t("Customer") },
    { name: "create_date", asc: false, label: _t("Creation date") },
];

/**
 * Count, expected revenue, expected value and won revenue of the opportunities
 * the current filters select (P2), above the board and the list; on the board,
 * the order of the cards in each column too (F7).
 *
 * On the board grouped by status, the figures are the sums of its columns,
 * which the board has already read (with a column's progress-bar filter, the
 * filtered figures of that column): no request of its own. Elsewhere
 * (the list, other groupings) one grouped read, ``get_summary``.
 */
export class OpportunitySummary extends Component {
    static template = "partner_opportunity.OpportunitySummary";
    static props = {
        list: Object,
        progressBarState: { type: Object, optional: true },
        statusTypes: { type: Object, optional: true },
        currencyId: { type: [Number, Boolean], optional: true },
    };
    static orders = BOARD_ORDERS;

    setup() {
        this.orm = useService("orm");
        this.state = useState({ summary: null });
        // A search and a progress-bar click can both ask: the last one answers.
        this.keepLast = new KeepLast();
        const model = this.props.list.model;
        const reload = useDebounced(() => this.load(), 100);
        // A search reloads the model ("update"); a saved record changes the figures.
        useBus(model.bus, "update", reload);
        useBus(model.bus, OpportunityModel.CHANGED, reload);
        onWillStart(() => this.load());
    }

    get hidden() {
        return this.props.list.model.useSampleModel || !this.summary;
    }

    /** The columns are the statuses, and their sums are known. */
    get fromColumns() {
        const { list, progressBarState } = this.props;
        return Boolean(
            progressBarState?.progressAttributes?.sumField &&
                list.isGrouped &&
                list.groupByField.name === "status_id"
        );
    }

    get summary() {
        return this.fromColumns ? this.columnsSummary() : this.state.summary;
    }

    columnsSummary() {
        const { list, progressBarState, statusTypes } = this.props;
        const { sumField, weightedSumField } = progressBarState.progressAttributes;
        const summary = {
            count: 0,
            expected_revenue: 0,
            weighted_revenue: 0,
            won_revenue: 0,
            currency_id: this.props.currencyId,
        };
        for (const group of list.groups) {
            // What the column's header shows, its progress-bar filter included.
            progressBarState.getGroupInfo(group);
            const revenue = progressBarState.getAggregateValue(group, sumField).value;
            summary.count += progressBarState.getAggregateValue(group).value;
            summary.expected_revenue += revenue;
            if (weightedSumField) {
                summary.weighted_revenue += progressBarState.getAggregateValue(
                    group,
                    weightedSumField
                ).value;
            }
            if (statusTypes?.[group.value] === "won") {
                summary.won_revenue += revenue;
            }
        }
        return summary;
    }

    async load() {
        const model = this.props.list.model;
        if (model.useSampleModel || this.fromColumns) {
            return;
        }
        this.state.summary = await this.keepLast.add(
            this.orm.call(model.config.resModel, "get_summary", [this.domain])
        );
    }

    /**
     * What the board shows: the search, and in a column whose progress bar
     * has a colour selected, only the cards of that colour (its group's
     * extra domain).
     */
    get domain() {
        const root = this.props.list.model.root;
        const filtered = (root.isGrouped ? root.groups : []).filter((g) => g.config.extraDomain);
        return Domain.and([
            root.domain,
            ...filtered.map((g) =>
                Domain.or([Domain.not(g.groupDomain), g.config.extraDomain])
            ),
        ]).toList();
    }

    get sortable() {
        return this.env.config?.viewType === "kanban";
    }

    get currentOrder() {
        return this.props.list.orderBy?.[0]?.name || BOARD_ORDERS[0].name;
    }

    async onOrderChange(ev) {
        const order = BOARD_ORDERS.find((o) => o.name === ev.target.value);
        await this.props.list.model.load({
            orderBy: [
                { name: order.name, asc: order.asc },
                { name: "id", asc: false },
            ],
        });
    }

    format(value) {
        const { currency_id: currencyId } = this.summary;
        return currencyId
            ? formatMonetary(value, { currencyId })
            : formatFloat(value, { digits: [false, 0] });
    }
}
