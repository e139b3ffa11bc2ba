import { Component, onWillStart, useState } from "@odoo/owl";
import { formatMonetary } from "@web/views/fields/formatters";
import { useBus, useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { OpportunityModel } from "./opportunity_model";

/**
 * Count, expected revenue, expected value and won revenue of the opportunities
 * the current filters select (P2), above the board and the list.
 */
export class OpportunitySummary extends Component {
    static template = "partner_opportunity.OpportunitySummary";
    static props = { list: Object };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ summary: null });
        const model = this.props.list.model;
        const reload = useDebounced(() => this.load(), 100);
        // A search reloads the model ("update"); a saved record changes the figures.
        useBus(model.bus, "update", reload);
        useBus(model.bus, OpportunityModel.CHANGED, reload);
        onWillStart(() => this.load());
    }

    get hidden() {
        return this.props.list.model.useSampleModel || !this.state.summary;
    }

    async load() {
        const model = this.props.list.model;
        if (model.useSampleModel) {
            return;
        }
        this.state.summary = await this.orm.call(model.config.resModel, "get_summary", [
            model.root.domain,
        ]);
    }

    format(value) {
        return formatMonetary(value, { currencyId: this.state.summary.currency_id });
    }
}
