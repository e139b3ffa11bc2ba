import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

/** D2: an import through the dialog tells how many opportunities its customers got. */
registry.category("web_tour.tours").add("partner_opportunity_import", {
    steps: () => [
        {
            content: "open the actions menu of the contacts",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            trigger: ".o_import_menu",
            run: "click",
        },
        {
            content: "choose a file of two companies and a person",
            trigger: "button.o_import_file",
            async run() {
                const file = new File(
                    ["name,is_company\nTour Rice Co,1\nTour Fruit Co,1\nTour Person,0\n"],
                    "customers.csv",
                    { type: "text/csv" }
                );
                await inputFiles(".o_file_input .o_input_file", [file]);
            },
        },
        {
            content: "the preview maps the columns",
            trigger: ".o_import_data_content tr:contains('is_company')",
        },
        {
            trigger: ".o_control_panel button.btn-primary:contains('Import')",
            run: "click",
        },
        {
            content: "Odoo's notice and ours, once the import succeeded",
            trigger: ".o_notification:contains('3 records successfully imported')",
        },
        {
            trigger:
                ".o_notification:contains('3 opportunities were created for the new customers: they are on the board.')",
        },
    ],
});
