import { registry } from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const title = (name) => `.o_control_panel .o_last_breadcrumb_item:contains('${name}')`;

/** What a person sees of one pipeline's board: its title, its columns only. */
function boardOf(pipeline, column_, otherColumn, count) {
    return [
        {
            content: `the title is the pipeline's: ${pipeline}`,
            trigger: title(pipeline),
        },
        {
            content: `its column ${column_} is there`,
            trigger: `${column(column_)}`,
        },
        {
            content: `no column of another pipeline (${otherColumn})`,
            trigger: `.o_kanban_renderer:not(:has(${column(otherColumn)}))`,
        },
        {
            content: "the search shows the pipeline",
            trigger: `.o_searchview_facet:contains('${pipeline}')`,
        },
        {
            content: `the summary counts this pipeline only: ${count}`,
            trigger: `.o_partner_opportunity_summary_count b:contains('/^\\s*${count}\\s*$/')`,
        },
    ];
}

/** B1, C1: switch the board's pipeline, reload, and it is still that pipeline. */
registry.category("web_tour.tours").add("partner_opportunity_board_pipeline", {
    steps: () => [
        ...boardOf("Sales", "Demo done", "Renewal due", 2),
        {
            content: "reload the default pipeline's board",
            trigger: `${column("Demo done")} .o_kanban_record:contains('Form Deal')`,
            run() {
                window.location.reload();
            },
        },
        ...boardOf("Sales", "Demo done", "Renewal due", 2),
        {
            content: "switch to the other pipeline",
            trigger: ".o_partner_opportunity_pipeline_switcher button.dropdown-toggle:contains('Sales')",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:contains('Renewals')",
            run: "click",
        },
        ...boardOf("Renewals", "Renewal due", "Demo done", 1),
        {
            trigger: `${column("Renewal due")} .o_kanban_record:contains('Form Renewal')`,
        },
        {
            content: "reload the page, as with a copied link",
            trigger: ".o_partner_opportunity_pipeline_switcher button.dropdown-toggle:contains('Renewals')",
            run() {
                window.location.reload();
            },
        },
        ...boardOf("Renewals", "Renewal due", "Demo done", 1),
        {
            content: "the switcher says where we are after the reload",
            trigger: ".o_partner_opportunity_pipeline_switcher button.dropdown-toggle:contains('Renewals')",
        },
        {
            content: "won and lost columns of this pipeline are marked",
            trigger: `${column("Churned")}.o_partner_opportunity_column_lost`,
        },
    ],
});

const statusbar = ".o_form_view .o_statusbar_status";

/**
 * The salesperson field offers the agent themselves only (R1, R6); won and
 * lost are not one click away on the status bar (R4).
 */
const openDealSteps = () => [
    {
        content: "the status bar shows the open statuses",
        trigger: `${statusbar} button.o_arrow_button_current:contains('Demo done')`,
    },
    {
        content: "but no won or lost status to click",
        trigger: `${statusbar}:not(:has(button:contains('Won'))):not(:has(button:contains('Lost')))`,
    },
    {
        content: "type in the salesperson field",
        trigger: ".o_field_widget[name=user_id] input",
        run: "edit Form",
    },
    {
        content: "the agent is offered themselves, not their supervisor",
        trigger:
            ".o-autocomplete--dropdown-menu:has(.o-autocomplete--dropdown-item:contains('Form Agent'))" +
            ":not(:has(.o-autocomplete--dropdown-item:contains('Form Supervisor')))",
    },
    {
        trigger: ".o-autocomplete--dropdown-item:contains('Form Agent')",
        run: "click",
    },
];

/** What an agent sees of a closed opportunity: read-only, nothing to close. */
const closedDealSteps = (ribbon) => [
    {
        content: `the ${ribbon} ribbon shows`,
        trigger: `.o_form_view .ribbon:contains('${ribbon}')`,
    },
    {
        content: "the status bar cannot be clicked",
        trigger: `${statusbar}:not(:has(button:not([disabled])))`,
    },
    {
        content: "the revenue, slider and date are read-only",
        trigger:
            ".o_form_view .o_field_widget[name=expected_revenue]:not(:has(input))",
    },
    {
        trigger: ".o_form_view .o_partner_opportunity_slider:not(:has(input))",
    },
    {
        trigger: ".o_form_view .o_field_widget[name=date_deadline]:not(:has(input))",
    },
    {
        trigger: ".o_form_view .o_field_widget[name=user_id]:not(:has(input))",
    },
    {
        content: "no Won or Lost button any more",
        trigger: ".o_form_view .o_statusbar_buttons:not(:has(button:visible))",
    },
];

/** R4: Lost from the form asks for the reason, like a drop on the board. */
registry.category("web_tour.tours").add("partner_opportunity_form_lost", {
    steps: () => [
        ...openDealSteps(),
        {
            content: "mark as lost",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Lost')",
            run: "click",
        },
        {
            content: "the reason is asked",
            trigger: ".modal .o_field_widget[name=lost_reason_id] input",
            run: "edit Too expensive",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Too expensive')",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button:contains('Mark as Lost')",
            run: "click",
        },
        {
            content: "the form shows the lost status and its reason",
            trigger: `body:not(:has(.modal)) ${statusbar} button.o_arrow_button_current:contains('Lost')`,
        },
        {
            trigger: ".o_form_view .o_field_widget[name=lost_reason_id]:contains('Too expensive')",
        },
        ...closedDealSteps("Lost"),
    ],
});

/** R4: Won from the form asks first; cancelled, nothing changes. */
registry.category("web_tour.tours").add("partner_opportunity_form_won", {
    steps: () => [
        {
            content: "the status bar shows the open statuses",
            trigger: `${statusbar} button.o_arrow_button_current:contains('Demo done')`,
        },
        {
            content: "mark as won",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Won')",
            run: "click",
        },
        {
            content: "a confirmation is asked: cancel it",
            trigger: ".modal:contains('only an administrator can reopen') .modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            content: "nothing changed",
            trigger: `body:not(:has(.modal)) ${statusbar} button.o_arrow_button_current:contains('Demo done')`,
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Won')",
            run: "click",
        },
        {
            trigger: ".modal:contains('only an administrator can reopen') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the form shows the won status, at 100 %",
            trigger: `body:not(:has(.modal)) ${statusbar} button.o_arrow_button_current:contains('Won')`,
        },
        {
            trigger: ".o_form_view .o_partner_opportunity_slider:contains('100')",
        },
        ...closedDealSteps("Won"),
    ],
});
