import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

/** The import dialog, from the contacts, of the CSV ``content``, until Odoo's notice ``imported``. */
function importSteps(content, imported) {
    return [
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
            content: `choose a file: ${content}`,
            trigger: "button.o_import_file",
            async run() {
                const file = new File([content], "customers.csv", { type: "text/csv" });
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
            content: "Odoo's notice, once the import succeeded",
            trigger: `.o_notification:contains('${imported}')`,
        },
    ];
}

/** D2: an import through the dialog tells how many opportunities its customers got. */
registry.category("web_tour.tours").add("partner_opportunity_import", {
    steps: () => [
        ...importSteps(
            "name,is_company\nTour Rice Co,1\nTour Fruit Co,1\nTour Person,0\n",
            "3 records successfully imported"
        ),
        {
            content: "ours, beside it",
            trigger:
                ".o_notification:contains('3 opportunities were created for the new customers: they are on the board.')",
        },
        ...importSteps("name,is_company\nTour Tea Co,1\n", "1 records successfully imported"),
        {
            content: "one opportunity: said in the singular",
            trigger:
                ".o_notification:contains('1 opportunity was created for the new customer: it is on the board.')",
        },
    ],
});
