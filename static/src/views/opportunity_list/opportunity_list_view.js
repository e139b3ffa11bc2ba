import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { OpportunityModel } from "../opportunity_summary/opportunity_model";
import { OpportunitySummary } from "../opportunity_summary/opportunity_summary";

export class OpportunityListRenderer extends ListRenderer {
    static template = "partner_opportunity.ListRenderer";
    static components = { ...ListRenderer.components, OpportunitySummary };
}

export const opportunityListView = {
    ...listView,
    Model: OpportunityModel,
    Renderer: OpportunityListRenderer,
};

registry.category("views").add("partner_opportunity_list", opportunityListView);
