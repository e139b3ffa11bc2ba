import { registry } from "@web/core/registry";

/**
 * M5: the Interactions button of a customer lists that customer's
 * interactions only, as many as the button counts.
 */
registry.category("web_tour.tours").add("partner_opportunity_customer_interactions", {
    steps: () => [
        {
            content: "the button counts the customer's two interactions; open them",
            trigger: ".o_form_view .oe_stat_button .o_stat_value:contains('2 Interactions')",
            run: "click",
        },
        {
            content: "its rows are the customer's, as many as the button said",
            trigger: ".o_list_view .o_data_row",
            run() {
                const rows = [...document.querySelectorAll(".o_list_view .o_data_row")];
                const others = rows.filter((row) => !row.textContent.includes("Tour Customer"));
                if (others.length) {
                    throw new Error(
                        `${others.length} of ${rows.length} rows are another customer's: ` +
                            others.map((row) => row.textContent).join(" | ")
                    );
                }
                if (rows.length !== 2) {
                    throw new Error(`${rows.length} rows, the button counted 2`);
                }
            },
        },
        {
            content: "the search says so: a Customer facet",
            trigger: ".o_searchview_facet:contains('Customer'):contains('Tour Customer')",
        },
    ],
});
