import { onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { getCurrency } from "@web/core/currency";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";
import { ColumnProgress } from "@web/views/view_components/column_progress";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { boardFigure, periodParts } from "../board_figure/board_figure";
import { OpportunityModel } from "../opportunity_summary/opportunity_model";
import { OpportunitySummary } from "../opportunity_summary/opportunity_summary";

/** An amount as a column header shows it: 1,500 then 15k, 1M… */
function formatShort(value) {
    return formatInteger(value, { humanReadable: true, decimals: 0, minDigits: 3 });
}

/**
 * A column sum with its currency, and its exact amount on hover. The session
 * of Odoo 18 has no company currency: it comes from the cards (the columns of
 * a board share their pipeline's company, hence its currency).
 */
function currencyIdOf(field, list) {
    const record = list.groups?.flatMap((group) => group.list.records || []).find(Boolean);
    return (field?.currency_field && record?.data[field.currency_field]?.[0]) || false;
}

function withCurrency(aggregate, field, list) {
    const currencyId = currencyIdOf(field, list);
    const currency = (currencyId && getCurrency(currencyId)) || false;
    const amount = currencyId
        ? formatMonetary(aggregate.value, { currencyId })
        : formatFloat(aggregate.value, { digits: [false, 0] });
    return { ...aggregate, currency, title: `${aggregate.title}: ${amount}` };
}

export class OpportunityColumnProgress extends ColumnProgress {
    static template = "partner_opportunity.ColumnProgress";
    static props = {
        ...ColumnProgress.props,
        periodAggregates: { type: [Array, Boolean] },
    };
}

/**
 * The count of a column and, as the user's board figure says (B1), its
 * annual value, its expected annual value, or its value of each period type.
 */
export class OpportunityKanbanHeader extends KanbanHeader {
    static template = "partner_opportunity.KanbanHeader";
    static components = {
        ...KanbanHeader.components,
        ColumnProgress: OpportunityColumnProgress,
    };

    setup() {
        super.setup();
        this.figure = useState(boardFigure);
    }

    get groupAggregate() {
        const { group, progressBarState } = this.props;
        const { sumField, weightedSumField } = progressBarState.progressAttributes;
        const field = (this.figure.value === "weighted" && weightedSumField) || sumField;
        return withCurrency(
            progressBarState.getAggregateValue(group, field),
            field,
            this.props.list
        );
    }

    /** The value of each period type, shortened as Odoo shortens a column's sum. */
    get periodAggregates() {
        const { group, progressBarState } = this.props;
        const { periodSumFields } = progressBarState.progressAttributes;
        if (this.figure.value !== "period" || !periodSumFields?.length) {
            return false;
        }
        const sums = {};
        const titles = [];
        for (const field of periodSumFields) {
            const aggregate = withCurrency(
                progressBarState.getAggregateValue(group, field),
                field,
                this.props.list
            );
            sums[field.name] = aggregate.value;
            titles.push(aggregate.title);
        }
        const title = titles.join("\n");
        return periodParts(sums, formatShort).map((part) => ({ ...part, title }));
    }

    /** Selecting a colour reloads only the column: the summary must follow it too. */
    async onBarClicked() {
        await super.onBarClicked(...arguments);
        this.props.list.model.bus.trigger(OpportunityModel.CHANGED);
    }
}

/**
 * Columns of won and lost statuses are marked green and red (B1), empty ones
 * too: the types of the statuses shown are read once, not from the cards.
 */
export class OpportunityKanbanRenderer extends KanbanRenderer {
    static template = "partner_opportunity.KanbanRenderer";
    static components = {
        ...KanbanRenderer.components,
        KanbanHeader: OpportunityKanbanHeader,
        OpportunitySummary,
    };

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.action = useService("action");
        // Reactive: the summary's won revenue reads it.
        this.statusTypes = useState({});
        onWillStart(() => this.loadStatusTypes(this.props.list));
        onWillUpdateProps((nextProps) => this.loadStatusTypes(nextProps.list));
    }

    get summaryCurrencyId() {
        const { sumField } = this.props.progressBarState?.progressAttributes || {};
        return currencyIdOf(sumField, this.props.list);
    }

    async loadStatusTypes(list) {
        if (!list.isGrouped || list.groupByField.name !== "status_id" || list.model.useSampleModel) {
            return;
        }
        const ids = list.groups.map((g) => g.value).filter((id) => id && !(id in this.statusTypes));
        if (!ids.length) {
            return;
        }
        const statuses = await this.orm.read("partner.opportunity.status", ids, ["status_type"]);
        for (const status of statuses) {
            this.statusTypes[status.id] = status.status_type;
        }
    }

    /**
     * A card dropped on a lost column asks for the lost reason first: the
     * wizard moves it when confirmed; cancelled, the card stays where it was.
     */
    async sortRecordDrop(dataRecordId, dataGroupId, params) {
        const { parent } = params;
        const list = this.props.list;
        const target = list.isGrouped && list.groups.find((g) => g.id === parent?.dataset.id);
        if (
            !target ||
            target.id === dataGroupId ||
            target.groupByField.name !== "status_id" ||
            this.statusTypes[target.value] !== "lost" ||
            !parent.classList.contains("o_kanban_hover")
        ) {
            return super.sortRecordDrop(...arguments);
        }
        parent.classList.remove("o_kanban_hover");
        const source = list.groups.find((g) => g.id === dataGroupId);
        const record = source?.list.records.find((r) => r.id === dataRecordId);
        if (!record) {
            return;
        }
        await this.action.doAction("partner_opportunity.partner_opportunity_lost_action", {
            additionalContext: {
                active_model: "partner.opportunity",
                active_id: record.resId,
                active_ids: [record.resId],
                default_status_id: target.value,
            },
            onClose: async (infos) => {
                if (infos?.lost) {
                    await list.model.load();
                    list.model.bus.trigger(OpportunityModel.CHANGED);
                }
            },
        });
    }

    getGroupClasses(group, isGroupProcessing) {
        const classes = super.getGroupClasses(group, isGroupProcessing);
        const statusType =
            group.groupByField.name === "status_id" && this.statusTypes[group.value];
        if (statusType === "won" || statusType === "lost") {
            return `${classes} o_partner_opportunity_column_${statusType}`;
        }
        return classes;
    }
}
