import { beforeEach, expect, test } from "@odoo/hoot";
import { queryAllTexts } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import { contains, onRpc } from "@web/../tests/web_test_helpers";
import { boardFigure } from "@partner_opportunity/views/board_figure/board_figure";
import { definePartnerOpportunityModels, mountOpportunityView } from "./partner_opportunity_test_helpers";

definePartnerOpportunityModels();

beforeEach(() => {
    boardFigure.value = "annual";
    onRpc("res.users", "partner_opportunity_set_board_figure", ({ args }) => {
        expect.step(`set ${args[0]}`);
        return true;
    });
});

const bare = (text) => text.replace(/\s+/g, "");
const counters = () =>
    queryAllTexts(".o_kanban_counter .o_animated_number, .o_partner_opportunity_column_periods").map(bare);

test.tags("desktop");
test("column headers show the annual value by default, from the board's grouped read", async () => {
    for (const method of ["web_read_group", "read_progress_bar", "get_summary"]) {
        onRpc("partner.opportunity", method, () => {
            expect.step(method);
        });
    }
    await mountOpportunityView("kanban");
    expect(counters()).toEqual(["17,000", "2,000", "3,000"]);
    expect(".o_kanban_group:first .o_animated_number").toHaveAttribute(
        "title",
        "Annual Revenue: 17,000"
    );
    expect(queryAllTexts(".o_partner_opportunity_column_count")).toEqual(["(2)", "(1)", "(1)"]);
    // One grouped read for every column and every sum; the summary asks nothing.
    expect.verifySteps(["read_progress_bar", "web_read_group"]);
});

test.tags("desktop");
test("the switch shows each period type on its own, then the expected value", async () => {
    await mountOpportunityView("kanban");
    await contains(".o_partner_opportunity_figure select").select("period");
    expect.verifySteps(["set period"]);
    expect(counters()).toEqual(["5,000one-time·1,000/mo", "2,000/yr", "3,000one-time"]);
    expect(".o_kanban_group:first .o_partner_opportunity_column_periods").toHaveAttribute(
        "title",
        "One-time Revenue: 5,000\nMonthly Revenue: 1,000\nYearly Revenue: 0"
    );
    expect(".o_partner_opportunity_summary_periods").toHaveText(
        "Value 8,000 one-time · 1,000/mo · 2,000/yr"
    );
    expect(".o_partner_opportunity_summary_won").toHaveText("Won 2,000/yr");

    await contains(".o_partner_opportunity_figure select").select("weighted");
    expect.verifySteps(["set weighted"]);
    expect(counters()).toEqual(["7,000", "2,000", "0"]);
    expect(".o_partner_opportunity_summary_weighted").toHaveText("Expected value 9,000");
    expect(".o_partner_opportunity_summary_annual").toHaveCount(0);
});

test.tags("desktop");
test("the summary adds up the columns: count, annual, expected and won values", async () => {
    await mountOpportunityView("kanban");
    expect(".o_partner_opportunity_summary").toHaveAttribute("data-figure", "annual");
    expect(".o_partner_opportunity_summary_count").toHaveText("Opportunities 4");
    expect(".o_partner_opportunity_summary_annual").toHaveText("Annual value 22,000");
    expect(".o_partner_opportunity_summary_weighted").toHaveText("Expected value 9,000");
    expect(".o_partner_opportunity_summary_won").toHaveText("Won 2,000");
});

test.tags("desktop");
test("won and lost columns are marked", async () => {
    await mountOpportunityView("kanban");
    await animationFrame();
    expect(".o_kanban_group:eq(0)").not.toHaveClass([
        "o_partner_opportunity_column_won",
        "o_partner_opportunity_column_lost",
    ]);
    expect(".o_kanban_group:eq(1)").toHaveClass("o_partner_opportunity_column_won");
    expect(".o_kanban_group:eq(2)").toHaveClass("o_partner_opportunity_column_lost");
});
