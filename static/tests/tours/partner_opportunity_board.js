import { registry } from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const card = (columnName, cardName) =>
    `${column(columnName)} .o_kanban_record:contains('${cardName}')`;

/** An agent works the board: moves, wins, and is refused a reopening (B1, R4, M5). */
registry.category("web_tour.tours").add("partner_opportunity_board_drag", {
    steps: () => [
        {
            content: "the board shows the summary of the agent's opportunities",
            trigger: ".o_partner_opportunity_summary .o_partner_opportunity_summary_count:contains('3')",
        },
        {
            content: "won and lost columns are marked, even the empty lost one",
            trigger: `${column("Won")}.o_partner_opportunity_column_won`,
        },
        {
            trigger: `${column("Lost")}.o_partner_opportunity_column_lost`,
        },
        {
            content: "Demo done: count, total and expected value before the move",
            trigger: `${column("Demo done")} .o_kanban_counter:contains('210'):contains('105')`,
        },
        {
            content: "move the first deal to the next status",
            trigger: card("New", "Tour Deal Alpha"),
            run: `drag_and_drop(${column("Demo done")})`,
        },
        {
            trigger: card("Demo done", "Tour Deal Alpha"),
        },
        {
            content: "the column totals follow the move",
            trigger: `${column("Demo done")} .o_kanban_counter:contains('530'):contains('265')`,
        },
        {
            trigger: `${column("Demo done")} .o_partner_opportunity_column_count:contains('2')`,
        },
        {
            content: "win the second deal",
            trigger: card("Demo done", "Tour Deal Beta"),
            run: `drag_and_drop(${column("Won")})`,
        },
        {
            trigger: card("Won", "Tour Deal Beta"),
        },
        {
            content: "the summary counts the won revenue",
            trigger: ".o_partner_opportunity_summary_won:contains('210')",
        },
        {
            content: "try to reopen the won deal",
            trigger: card("Won", "Tour Deal Beta"),
            run: `drag_and_drop(${column("Negotiation")})`,
        },
        {
            content: "the server refuses, in words",
            trigger: ".modal:contains('can only be reopened by an administrator')",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the card is back in the won column",
            trigger: `body:not(:has(.modal)) ${card("Won", "Tour Deal Beta")}`,
        },
        {
            trigger: `${column("Negotiation")}:not(:has(.o_kanban_record:contains('Tour Deal Beta')))`,
        },
        {
            content: "the list shows the same summary",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_partner_opportunity_summary_won:contains('210')",
        },
        {
            trigger: ".o_list_view .o_partner_opportunity_summary_count:contains('3')",
        },
    ],
});

/** F3: the salesperson search is offered to supervisors, not to agents. */
registry.category("web_tour.tours").add("partner_opportunity_search_salesperson", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Tour",
        },
        {
            content: "a supervisor may search by salesperson",
            trigger: ".o_searchview_autocomplete li:has(b:contains('Salesperson'))",
        },
    ],
});

registry.category("web_tour.tours").add("partner_opportunity_search_no_salesperson", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Tour",
        },
        {
            content: "an agent may search by customer…",
            trigger: ".o_searchview_autocomplete li:has(b:contains('Customer'))",
        },
        {
            content: "…but not by salesperson",
            trigger: ".o_searchview_autocomplete:not(:has(li b:contains('Salesperson')))",
        },
    ],
});
