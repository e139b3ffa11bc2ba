import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { useService } from "@web/core/utils/hooks";

/**
 * The pipelines of the board, when the user's companies have several (B1).
 * Another pipeline opens through the board's server action with the pipeline
 * as active_id: the URL keeps it, so a reload or a copied link shows the same
 * board (C1).
 */
export class PipelineSwitcher extends Component {
    static template = "partner_opportunity.PipelineSwitcher";
    static components = { Dropdown, DropdownItem };
    static props = { pipelineId: Number };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ pipelines: [] });
        onWillStart(async () => {
            this.state.pipelines = await this.orm.searchRead(
                "partner.opportunity.pipeline",
                [],
                ["display_name"]
            );
        });
    }

    get current() {
        return this.state.pipelines.find((pipeline) => pipeline.id === this.props.pipelineId);
    }

    switchTo(pipeline) {
        return this.action.doAction("partner_opportunity.partner_opportunity_action_board", {
            additionalContext: { active_id: pipeline.id, active_ids: [pipeline.id] },
            stackPosition: "replaceCurrentAction",
        });
    }
}
