import { expect, test } from "@odoo/hoot";
import { contains, onRpc } from "@web/../tests/web_test_helpers";
import { definePartnerOpportunityModels, mountOpportunityView } from "./partner_opportunity_test_helpers";

definePartnerOpportunityModels();

const number = ".o_partner_opportunity_slider_value";
const range = ".o_partner_opportunity_slider input[type=range]";

test("the slider and the number show the probability", async () => {
    await mountOpportunityView("form", { resId: 2 });
    expect(range).toHaveValue(50);
    expect(number).toHaveValue(50);
});

test("a typed number outside 0..100 is brought back into range", async () => {
    await mountOpportunityView("form", { resId: 2 });
    await contains(number).edit("150");
    expect(number).toHaveValue(100);
    expect(range).toHaveValue(100);
    await contains(number).edit("42");
    expect(number).toHaveValue(42);
    expect(range).toHaveValue(42);
});

test("dragging the slider moves the number, the record takes it on release", async () => {
    await mountOpportunityView("form", { resId: 2 });
    onRpc("partner.opportunity", "web_save", ({ args }) => {
        expect.step(args[1]);
    });
    await contains(range).edit("73", { confirm: false });
    expect(number).toHaveValue(73);
    await contains(range).edit("73");
    await contains(".o_form_button_save").click();
    expect.verifySteps([{ probability: 73 }]);
});

test("read only, the probability is a text", async () => {
    await mountOpportunityView("form", {
        resId: 2,
        arch: `<form><field name="probability" widget="partner_opportunity_slider" readonly="1"/></form>`,
    });
    expect(range).toHaveCount(0);
    expect(".o_partner_opportunity_slider").toHaveText("50 %");
});
