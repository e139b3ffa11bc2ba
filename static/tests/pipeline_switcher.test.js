import { expect, test } from "@odoo/hoot";
import { contains, mockService } from "@web/../tests/web_test_helpers";
import { definePartnerOpportunityModels, mountOpportunityView } from "./partner_opportunity_test_helpers";

definePartnerOpportunityModels();

test.tags("desktop");
test("the switcher lists the pipelines and opens the board of another", async () => {
    mockService("action", {
        doAction(action, options) {
            expect.step([action, options.additionalContext.active_id, options.stackPosition]);
        },
    });
    await mountOpportunityView("kanban", {
        context: { default_pipeline_id: 1 },
    });
    expect(".o_partner_opportunity_pipeline_switcher button").toHaveText("Sales");
    await contains(".o_partner_opportunity_pipeline_switcher button").click();
    expect(".o-dropdown-item").toHaveCount(2);
    expect(".o-dropdown-item.active").toHaveText("Sales");
    await contains(".o-dropdown-item:contains('Renewals')").click();
    expect.verifySteps([
        [
            "partner_opportunity.partner_opportunity_action_board",
            2,
            "replaceCurrentAction",
        ],
    ]);
});

test.tags("desktop");
test("no switcher without a pipeline in the context", async () => {
    await mountOpportunityView("kanban");
    expect(".o_partner_opportunity_pipeline_switcher").toHaveCount(0);
});
