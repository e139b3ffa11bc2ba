import { registry } from "@web/core/registry";

/** C1: an administrator reorders statuses with the handle; the board follows. */
registry.category("web_tour.tours").add("partner_opportunity_reorder_statuses", {
    steps: () => [
        {
            content: "drag Contract sent above Demo done",
            trigger: 'div[name="status_ids"] tr.o_data_row:nth-child(4) .o_row_handle',
            run: 'drag_and_drop div[name="status_ids"] tr.o_data_row:nth-child(2)',
        },
        {
            trigger: `div[name="status_ids"] tr.o_data_row:nth-child(2):contains('Contract sent')`,
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "open the pipeline's board",
            trigger: "button[name='action_open_board']",
            run: "click",
        },
        {
            content: "the columns follow the new order",
            trigger: `.o_kanban_group:nth-child(2) .o_column_title:contains('Contract sent')`,
        },
        {
            trigger: `.o_kanban_group:nth-child(3) .o_column_title:contains('Demo done')`,
        },
    ],
});
