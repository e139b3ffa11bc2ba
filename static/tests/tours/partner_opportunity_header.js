import { registry } from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const card = (name) => `.o_kanban_record:has(.o_partner_opportunity_name:contains('${name}'))`;
const counter = (name) => `${column(name)} .o_kanban_counter`;
const figure = (value) => `.o_partner_opportunity_summary[data-figure=${value}]`;

/** The header's switch, and what it shows once chosen. */
function choose(value) {
    return [
        {
            content: `show the ${value} figures`,
            trigger: ".o_partner_opportunity_figure select",
            run: `select ${value}`,
        },
        { trigger: figure(value) },
    ];
}

const bare = (value) => value.replace(/\s+/g, "");

/** A column's counter shows exactly ``text`` (spaces aside), its exact amount on hover. */
function columnShows(name, text, title) {
    return {
        content: `${name}: ${text}`,
        trigger: `${counter(name)}:contains('${text.split(" ").at(-1)}')`,
        run() {
            const shown = this.anchor.querySelector(
                ".o_animated_number, .o_partner_opportunity_column_periods"
            );
            if (bare(shown.textContent) !== bare(text)) {
                throw new Error(`${name} shows "${shown.textContent}", expected "${text}"`);
            }
            if (title && !bare(shown.getAttribute("title")).includes(bare(title))) {
                throw new Error(`${name}'s exact amount: "${shown.getAttribute("title")}"`);
            }
        },
    };
}

function summaryShows(selector, text) {
    return {
        content: `summary ${selector}: ${text}`,
        trigger: `.o_partner_opportunity_summary ${selector}`,
        run() {
            const actual = this.anchor.textContent;
            if (!bare(actual).includes(bare(text))) {
                throw new Error(`summary ${selector} shows "${actual}", expected "${text}"`);
            }
        },
    };
}

/**
 * B1: an agent's board. By default the annual value (monthly × 12) of each
 * column; then each period type on its own; then the expected annual value.
 * Leaves the switch on "period" for the next visit.
 */
registry.category("web_tour.tours").add("partner_opportunity_header_agent", {
    steps: () => [
        { trigger: figure("annual") },
        {
            content: "a card's amount shows its period (B2)",
            trigger: `${card("Header Monthly")} .o_partner_opportunity_period:contains('Monthly')`,
        },
        {
            content: "a one-time amount shows none",
            trigger: `${card("Header One-time")}:not(:has(.o_partner_opportunity_period))`,
        },
        {
            content: "the switch says what is shown",
            trigger: ".o_partner_opportunity_figure select:has(option[value=annual]:selected)",
        },
        columnShows("New", "$ 17,000", "17,000.00"),
        { trigger: `${column("New")} .o_partner_opportunity_column_count:contains('2')` },
        columnShows("Won", "$ 2,000"),
        summaryShows(".o_partner_opportunity_summary_count", "3"),
        summaryShows(".o_partner_opportunity_summary_annual", "19,000"),
        summaryShows(".o_partner_opportunity_summary_weighted", "9,000"),
        summaryShows(".o_partner_opportunity_summary_won", "2,000"),
        ...choose("period"),
        columnShows("New", "5,000 one-time · 1,000/mo", "Monthly Revenue: $ 1,000.00"),
        columnShows("Won", "2,000/yr"),
        columnShows("Demo done", "0"),
        summaryShows(".o_partner_opportunity_summary_periods", "5,000.00 one-time · $ 1,000.00/mo · $ 2,000.00/yr"),
        summaryShows(".o_partner_opportunity_summary_won", "2,000.00/yr"),
        ...choose("weighted"),
        columnShows("New", "$ 7,000", "Expected Annual Value: $ 7,000.00"),
        summaryShows(".o_partner_opportunity_summary_weighted", "9,000"),
        {
            content: "the expected value alone: no annual value beside it",
            trigger: ".o_partner_opportunity_summary:not(:has(.o_partner_opportunity_summary_annual))",
        },
        ...choose("period"),
        columnShows("New", "5,000 one-time · 1,000/mo"),
    ],
});

/** B1: the agent's choice is there again on a new visit. */
registry.category("web_tour.tours").add("partner_opportunity_header_remembered", {
    steps: () => [
        { trigger: figure("period") },
        { trigger: ".o_partner_opportunity_figure select:has(option[value=period]:selected)" },
        columnShows("New", "5,000 one-time · 1,000/mo"),
    ],
});

/**
 * B1, R5: the administrator's board adds the other agent's monthly deal; the
 * list's summary (read by the server) and its totals agree with the board.
 */
registry.category("web_tour.tours").add("partner_opportunity_header_admin", {
    steps: () => [
        { trigger: figure("annual") },
        columnShows("New", "$ 53,000", "53,000.00"),
        summaryShows(".o_partner_opportunity_summary_count", "4"),
        summaryShows(".o_partner_opportunity_summary_annual", "55,000"),
        ...choose("period"),
        columnShows("New", "5,000 one-time · 4,000/mo"),
        ...choose("weighted"),
        columnShows("New", "$ 25,000"),
        summaryShows(".o_partner_opportunity_summary_weighted", "27,000"),
        ...choose("annual"),
        {
            content: "the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        { trigger: `.o_list_view ${figure("annual")}` },
        summaryShows(".o_partner_opportunity_summary_annual", "55,000"),
        {
            content: "the list's totals: the annual and expected values, never expected revenue",
            trigger: ".o_list_view tfoot",
            run() {
                const table = this.anchor.closest("table");
                const headers = [...table.querySelectorAll("thead tr th")];
                const cells = [...table.querySelectorAll("tfoot tr td")];
                const footer = (field) =>
                    cells[headers.findIndex((th) => th.dataset.name === field)]?.textContent.trim();
                const expected = { annual_revenue: "55,000", weighted_annual_revenue: "27,000", expected_revenue: "" };
                for (const [field, text] of Object.entries(expected)) {
                    if (text ? !footer(field)?.includes(text) : footer(field)) {
                        throw new Error(`${field} total: "${footer(field)}"`);
                    }
                }
            },
        },
        ...choose("period"),
        summaryShows(".o_partner_opportunity_summary_periods", "5,000.00 one-time · $ 4,000.00/mo · $ 2,000.00/yr"),
    ],
});
