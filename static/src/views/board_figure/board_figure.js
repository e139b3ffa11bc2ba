import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { session } from "@web/session";

/**
 * What the column headers and the summary line show (B1), remembered per user
 * (res.users.partner_opportunity_board_figure, delivered with the session):
 * - annual: the annualised value (monthly × 12);
 * - period: the value of each period type, each summed on its own;
 * - weighted: the expected (probability-weighted) annualised value.
 * No figure adds amounts of different periods.
 */
export const BOARD_FIGURES = [
    { value: "annual", label: _t("Annual value") },
    { value: "period", label: _t("Value by period") },
    { value: "weighted", label: _t("Expected value") },
];

/** The period types in the order they are shown, each with its amount's text. */
export const PERIODS = [
    { field: "one_time_revenue", text: (amount) => _t("%s one-time", amount) },
    { field: "monthly_revenue", text: (amount) => _t("%s/mo", amount) },
    { field: "yearly_revenue", text: (amount) => _t("%s/yr", amount) },
];

/** Shared by every board and list of the web client: a switch shows on all. */
export const boardFigure = reactive({
    value: session.partner_opportunity_board_figure || "annual",
});

export async function setBoardFigure(orm, value) {
    boardFigure.value = value;
    await orm.call("res.users", "partner_opportunity_set_board_figure", [value]);
}

/**
 * The non-zero amounts of ``sums`` (by field name) of each period type, each
 * formatted by ``format`` with its unit: "5,000 one-time", "1,000/mo". Nothing
 * sold: one zero.
 */
export function periodParts(sums, format) {
    const parts = PERIODS.filter((period) => sums[period.field]).map((period) => ({
        field: period.field,
        text: period.text(format(sums[period.field])),
    }));
    return parts.length ? parts : [{ field: "none", text: format(0) }];
}

/** "5,000 one-time · 1,000/mo" */
export function periodText(sums, format) {
    return periodParts(sums, format)
        .map((part) => part.text)
        .join(" · ");
}
