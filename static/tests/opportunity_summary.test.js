import { beforeEach, expect, test } from "@odoo/hoot";
import { runAllTimers } from "@odoo/hoot-mock";
import { contains, onRpc } from "@web/../tests/web_test_helpers";
import { boardFigure } from "@partner_opportunity/views/board_figure/board_figure";
import { definePartnerOpportunityModels, mountOpportunityView } from "./partner_opportunity_test_helpers";

definePartnerOpportunityModels();

const SUMS = {
    annual_revenue: 19000,
    weighted_annual_revenue: 9000,
    one_time_revenue: 5000,
    monthly_revenue: 1000,
    yearly_revenue: 2000,
};

beforeEach(() => {
    boardFigure.value = "annual";
    onRpc("partner.opportunity", "get_summary", ({ args }) => {
        expect.step(`get_summary ${JSON.stringify(args[0])}`);
        return {
            count: 3,
            currency_id: 1,
            totals: SUMS,
            won: { ...SUMS, annual_revenue: 2000, one_time_revenue: 0, monthly_revenue: 0 },
        };
    });
    onRpc("res.users", "partner_opportunity_set_board_figure", ({ args }) => {
        expect.step(`set ${args[0]}`);
        return true;
    });
});

test("the list's summary is read from the server, in the figure chosen", async () => {
    await mountOpportunityView("list");
    expect.verifySteps(["get_summary []"]);
    expect(".o_partner_opportunity_summary_count").toHaveText("Opportunities 3");
    expect(".o_partner_opportunity_summary_annual").toHaveText("Annual value $ 19,000.00");
    expect(".o_partner_opportunity_summary_won").toHaveText("Won $ 2,000.00");
    expect(".o_partner_opportunity_sort").toHaveCount(0, { message: "the list sorts by its headers" });

    await contains(".o_partner_opportunity_figure select").select("period");
    expect.verifySteps(["set period"]);
    expect(".o_partner_opportunity_summary_periods").toHaveText(
        "Value $ 5,000.00 one-time · $ 1,000.00/mo · $ 2,000.00/yr"
    );
    expect(".o_partner_opportunity_summary_won").toHaveText("Won $ 2,000.00/yr");
});

test("nothing sold: one zero, not an empty line", async () => {
    onRpc("partner.opportunity", "get_summary", () => {
        const zero = Object.fromEntries(Object.keys(SUMS).map((name) => [name, 0]));
        return { count: 0, currency_id: 1, totals: zero, won: zero };
    });
    boardFigure.value = "period";
    await mountOpportunityView("list");
    expect(".o_partner_opportunity_summary_periods").toHaveText("Value $ 0.00");
});

test("a search reads the summary again with its domain", async () => {
    await mountOpportunityView("list", {
        searchViewArch: `<search><filter name="won" string="Won" domain="[('status_id', '=', 2)]"/></search>`,
    });
    expect.verifySteps(["get_summary []"]);
    await contains(".o_searchview_dropdown_toggler").click();
    await contains(".o_filter_menu .o-dropdown-item").click();
    await runAllTimers();
    expect.verifySteps(['get_summary [["status_id","=",2]]']);
});
