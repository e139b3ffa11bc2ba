import { registry } from "@web/core/registry";

const firstCard = ".o_kanban_group:has(.o_column_title:contains('New')) .o_kanban_record:first";

/** The board sorts its cards by the orders of F7. */
registry.category("web_tour.tours").add("partner_opportunity_board_sort", {
    steps: () => [
        {
            content: "by expected close date, the earliest first",
            trigger: `${firstCard}:contains('Sort Soon Small')`,
        },
        {
            content: "sort by expected revenue",
            trigger: ".o_partner_opportunity_sort select",
            run: "select expected_revenue",
        },
        {
            content: "the largest deal comes first",
            trigger: `${firstCard}:contains('Sort Late Large')`,
        },
        {
            content: "sort by description",
            trigger: ".o_partner_opportunity_sort select",
            run: "select name",
        },
        {
            trigger: `${firstCard}:contains('Sort Late Large')`,
        },
        {
            content: "sort by creation date, the newest first",
            trigger: ".o_partner_opportunity_sort select",
            run: "select create_date",
        },
        {
            trigger: `${firstCard}:contains('Sort Soon Small')`,
        },
    ],
});
