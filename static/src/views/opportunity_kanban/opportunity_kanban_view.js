import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { OpportunityModel } from "../opportunity_summary/opportunity_model";
import { PipelineSwitcher } from "../pipeline_switcher/pipeline_switcher";
import { OpportunityKanbanArchParser } from "./opportunity_kanban_arch_parser";
import { OpportunityKanbanRenderer } from "./opportunity_kanban_renderer";

export class OpportunityKanbanController extends kanbanView.Controller {
    static template = "partner_opportunity.KanbanView";
    static components = { ...kanbanView.Controller.components, PipelineSwitcher };

    get progressBarAggregateFields() {
        const fields = super.progressBarAggregateFields;
        const { weightedSumField, periodSumFields } = this.props.archInfo.progressAttributes || {};
        return [...fields, weightedSumField, ...(periodSumFields || [])].filter(Boolean);
    }
}

export const opportunityKanbanView = {
    ...kanbanView,
    ArchParser: OpportunityKanbanArchParser,
    Controller: OpportunityKanbanController,
    Model: OpportunityModel,
    Renderer: OpportunityKanbanRenderer,
};

registry.category("views").add("partner_opportunity_kanban", opportunityKanbanView);
