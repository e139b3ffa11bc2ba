import { rpcBus } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** F5: the pipeline form lists the custom fields of its opportunities and adds one. */
registry.category("web_tour.tours").add("partner_opportunity_pipeline_properties", {
    steps: () => [
        {
            content: "open the Custom Fields tab of the pipeline",
            trigger: ".o_notebook .nav-link:contains('Custom Fields')",
            run: "click",
        },
        {
            content: "the field defined earlier is listed with its type",
            trigger: ".o_partner_opportunity_property:has(.o_partner_opportunity_property_label:contains('Licences')) .o_partner_opportunity_property_type:contains('Integer')",
        },
        {
            content: "add a custom field",
            trigger: ".o_partner_opportunity_property_add",
            run: "click",
        },
        {
            content: "Odoo's property editor opens on the new field: name it",
            trigger: ".o_property_field_popover .o_field_property_definition_header",
            run: "edit Region",
        },
        {
            content: "make it a checkbox",
            trigger: ".o_property_field_popover .o_field_property_definition_type button",
            run: "click",
        },
        {
            trigger: ".o_field_property_definition_type_menu .dropdown-item:contains('Checkbox')",
            run: "click",
        },
        {
            content: "close the editor",
            trigger: ".o_form_view .oe_title h1",
            run: "click",
        },
        {
            content: "the new field is in the list, after the first one",
            trigger: ".o_partner_opportunity_property:eq(1):has(.o_partner_opportunity_property_label:contains('Region')) .o_partner_opportunity_property_type:contains('Checkbox')",
        },
        ...stepUtils.saveForm(),
    ],
});

/** The Chart.js chart of the graph view: what it draws. */
function chart() {
    const canvas = document.querySelector(".o_graph_renderer canvas");
    const instance = canvas && window.Chart?.getChart(canvas);
    if (!instance) {
        throw new Error("no chart drawn");
    }
    return instance;
}

/** "#28A745" or "rgb(40, 167, 69)" as its dominant hue. */
function hue(color) {
    const hex = color.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
    const [r, g, b] = hex
        ? hex.slice(1).map((h) => parseInt(h, 16))
        : color.match(/\d+/g).map(Number);
    if (g > r && g > b) {
        return "green";
    }
    if (b > r && b > g) {
        return "blue";
    }
    return r > g && r > b ? "red" : "grey";
}

const pipelineFacet = ".o_searchview_facet:has(.o_searchview_facet_label:contains('Pipeline')):contains('Sales')";

/** P2: the funnel opens on the default pipeline, whose statuses only it shows; the facet can go. */
registry.category("web_tour.tours").add("partner_opportunity_report_funnel", {
    steps: () => [
        {
            content: "the funnel is filtered on the default pipeline",
            trigger: pipelineFacet,
        },
        {
            content: "its bars are the statuses of that pipeline only",
            trigger: ".o_graph_renderer canvas",
            run() {
                const labels = chart().data.labels.join(" | ");
                if (!labels.includes("New") || labels.includes("To renew")) {
                    throw new Error(`funnel bars: ${labels}`);
                }
            },
        },
        {
            content: "the pipeline facet can be removed",
            trigger: `${pipelineFacet} .o_facet_remove`,
            run: "click",
        },
        {
            content: "then every pipeline shows",
            trigger: `body:not(:has(${pipelineFacet})) .o_graph_renderer canvas`,
            async run() {
                // The chart is drawn again once the search is done.
                let labels;
                for (let tries = 0; tries < 50; tries++) {
                    labels = chart().data.labels.join(" | ");
                    if (labels.includes("To renew")) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                throw new Error(`funnel bars without the facet: ${labels}`);
            },
        },
    ],
});

/** P2: won revenue is drawn green, the open forecast blue, on the default pipeline. */
registry.category("web_tour.tours").add("partner_opportunity_report_won", {
    steps: () => [
        {
            content: "the report is filtered on the default pipeline",
            trigger: pipelineFacet,
        },
        {
            content: "won is green and open is blue, in the lines and the legend",
            trigger: ".o_graph_renderer canvas",
            run() {
                const instance = chart();
                const colours = Object.fromEntries(
                    instance.data.datasets.map((d) => [d.label, hue(d.borderColor)])
                );
                const legend = Object.fromEntries(
                    instance.legend.legendItems.map((item) => [item.text, hue(item.strokeStyle)])
                );
                const labels = Object.keys(legend).sort().join(", ");
                if (labels !== "Active, Won") {
                    throw new Error(`legend: ${labels}`);
                }
                for (const seen of [colours, legend]) {
                    if (seen.Won !== "green" || seen.Active !== "blue") {
                        throw new Error(`colours: ${JSON.stringify(seen)}`);
                    }
                }
            },
        },
    ],
});

const row = (name) => `.o_list_view .o_data_row:contains('${name}')`;

/** B3: edit and delete per row, close dates of closed rows, readable headers and footer. */
registry.category("web_tour.tours").add("partner_opportunity_list", {
    steps: () => [
        {
            content: "a won row shows the day it closed",
            trigger: `${row("List Won Deal")} td[name=date_closed]`,
            run() {
                if (!/\d/.test(this.anchor.textContent)) {
                    throw new Error(`won row, close date: "${this.anchor.textContent}"`);
                }
            },
        },
        {
            trigger: `${row("List Lost Deal")} td[name=date_closed]:contains(/)`,
            run() {
                const cell = this.anchor;
                const parts = [cell, ...cell.querySelectorAll("*")].filter((e) => e.clientWidth);
                if (parts.some((e) => e.scrollWidth > e.clientWidth + 1)) {
                    throw new Error(`the close date "${cell.textContent}" is cut`);
                }
            },
        },
        {
            content: "every row has its pencil",
            trigger: `${row("List Won Deal")} button[name=action_open_opportunity] .fa-pencil`,
        },
        {
            content: "an open row has its bin; a closed one none, for an agent",
            trigger: `${row("List Open Deal")} button[name=unlink] .fa-trash-o`,
        },
        {
            trigger: `${row("List Won Deal")}:not(:has(button[name=unlink]))`,
        },
        {
            content: "no header is cut, and the description leaves room for the others",
            trigger: ".o_list_view thead th[data-name=weighted_revenue]",
            run() {
                const table = this.anchor.closest("table");
                for (const th of table.querySelectorAll("thead th[data-name]")) {
                    const label = th.querySelector(".text-truncate");
                    if (label && label.scrollWidth > label.clientWidth + 1) {
                        throw new Error(`header "${label.textContent}" is cut`);
                    }
                }
                const name = table.querySelector("thead th[data-name=name]");
                const share = name.offsetWidth / table.offsetWidth;
                if (share > 0.3) {
                    throw new Error(`the description takes ${Math.round(share * 100)} % of the width`);
                }
            },
        },
        {
            content: "the footer sums revenue with its currency, and shows no bare probability",
            trigger: ".o_list_view tfoot",
            run() {
                const table = this.anchor.closest("table");
                const headers = [...table.querySelectorAll("thead tr th")];
                const cells = [...table.querySelectorAll("tfoot tr td")];
                const footer = (field) =>
                    cells[headers.findIndex((th) => th.dataset.name === field)].textContent.trim();
                if (footer("probability")) {
                    throw new Error(`probability footer: "${footer("probability")}"`);
                }
                for (const field of ["expected_revenue", "weighted_revenue"]) {
                    if (!footer(field).includes("$")) {
                        throw new Error(`${field} footer without currency: "${footer(field)}"`);
                    }
                }
            },
        },
        {
            content: "delete the open row with its bin",
            trigger: `${row("List Open Deal")} button[name=unlink]`,
            run: "click",
        },
        {
            trigger: ".modal:contains('Delete this opportunity?') .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: `body:not(:has(${row("List Open Deal")})) ${row("List Won Deal")}`,
        },
        {
            content: "the pencil opens the form",
            trigger: `${row("List Won Deal")} button[name=action_open_opportunity]`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains('List Won Deal')",
        },
    ],
});

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;

/** B1: a column's sums in one format, with the currency; the expected value says what it is. */
registry.category("web_tour.tours").add("partner_opportunity_board_sums", {
    steps: () => [
        {
            content: "both sums in thousands, each with the currency",
            trigger: `${column("Proposal sent")} .o_kanban_counter`,
            run() {
                const numbers = [...this.anchor.querySelectorAll(".o_animated_number")];
                const texts = numbers.map((n) => n.textContent.replace(/\s+/g, " ").trim());
                if (
                    numbers.length !== 2 ||
                    !texts[0].includes("$") ||
                    !texts[0].includes("111k") ||
                    !texts[1].includes("$") ||
                    !texts[1].includes("21k")
                ) {
                    throw new Error(`column sums: ${JSON.stringify(texts)}`);
                }
                const [total, weighted] = numbers.map((n) => n.getAttribute("title") || "");
                if (!/111,000/.test(total) || !/Expected Value.*21,090/.test(weighted)) {
                    throw new Error(`exact sums on hover: "${total}", "${weighted}"`);
                }
            },
        },
        {
            content: "the ≈ says it is the expected value",
            trigger: `${column("Proposal sent")} .o_partner_opportunity_weighted[title*='Expected value']`,
        },
    ],
});

/** B2: the close date has a calendar, still coloured; the activity keeps its clock. */
registry.category("web_tour.tours").add("partner_opportunity_card_close_date", {
    steps: () => [
        {
            content: "the close date of the card has a calendar, in green (far)",
            trigger: ".o_kanban_record:contains('Sums Deal') .o_partner_opportunity_deadline:has(i.fa-calendar)",
            run() {
                const rgb = getComputedStyle(this.anchor.querySelector("i")).color.match(/\d+/g).map(Number);
                if (!(rgb[1] > rgb[0] && rgb[1] > rgb[2])) {
                    throw new Error(`close date colour: ${rgb}`);
                }
            },
        },
        {
            content: "no clock by the close date; Odoo's activity button is still there",
            trigger: ".o_kanban_record:contains('Sums Deal'):not(:has(.o_partner_opportunity_deadline .fa-clock-o)) .o_field_kanban_activity",
        },
    ],
});

async function until(check, what) {
    for (let tries = 0; tries < 50; tries++) {
        if (check()) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(what());
}

/** D1: the number follows the slider while dragging, moves by 1 and can be typed. */
registry.category("web_tour.tours").add("partner_opportunity_probability_slider", {
    steps: () => [
        {
            content: "drag the handle to 81 %, not yet released",
            trigger: ".o_field_partner_opportunity_slider input[type=range]",
            async run() {
                const slider = this.anchor;
                slider.value = "81";
                slider.dispatchEvent(new Event("input", { bubbles: true }));
                if (slider.value !== "81") {
                    throw new Error(`the slider stopped at ${slider.value}`);
                }
                const number = document.querySelector(".o_partner_opportunity_slider_value");
                await until(
                    () => number.value === "81",
                    () => `while dragging, the number shows ${number.value}`
                );
                if (slider.value !== "81") {
                    throw new Error(`the handle jumped back to ${slider.value} while dragging`);
                }
                slider.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "released, the expected value follows",
            trigger: ".o_field_widget[name=weighted_revenue]",
            async run() {
                await until(
                    () => this.anchor.textContent.includes("89,910"),
                    () => `expected value: ${this.anchor.textContent}, probability: ${document.querySelector(".o_partner_opportunity_slider_value").value}`
                );
            },
        },
        {
            content: "type 33",
            trigger: ".o_partner_opportunity_slider_value",
            run() {
                this.anchor.value = "33";
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            trigger: ".o_field_widget[name=weighted_revenue]:contains('36,630')",
        },
        {
            content: "the slider went to 33 too",
            trigger: ".o_field_partner_opportunity_slider input[type=range]",
            run() {
                if (this.anchor.value !== "33") {
                    throw new Error(`slider at ${this.anchor.value}`);
                }
            },
        },
        ...stepUtils.saveForm(),
    ],
});

/** Customer form: amounts with their currency, "1 Opportunity", a date without time. */
registry.category("web_tour.tours").add("partner_opportunity_customer_buttons", {
    steps: () => [
        {
            content: "the open value has its currency, the count its noun in the singular",
            trigger: ".oe_stat_button:has(.o_stat_text:contains('1 Opportunity')) .o_stat_value:contains('$'):contains('1,000')",
        },
        {
            trigger: ".oe_stat_button:has(.o_stat_text:contains('Opportunit'))",
            run() {
                if (/Opportunities/.test(this.anchor.innerText)) {
                    throw new Error(`one opportunity reads: ${this.anchor.innerText}`);
                }
            },
        },
        {
            content: "the last interaction is a date, without its time",
            trigger: ".oe_stat_button .o_stat_text:contains('last')",
            run() {
                if (/\d:\d\d/.test(this.anchor.innerText)) {
                    throw new Error(`last interaction: ${this.anchor.innerText}`);
                }
            },
        },
    ],
});

/** Settings: the default pipeline says what it is. */
registry.category("web_tour.tours").add("partner_opportunity_settings_label", {
    steps: () => [
        {
            trigger: "#partner_opportunity_pipelines label:contains('Default pipeline') + .o_field_widget[name=partner_opportunity_pipeline_id]",
        },
        {
            content: "the near threshold speaks of the card's calendar, not of a clock",
            trigger: "#partner_opportunity_near_days:contains('calendar'):not(:contains('clock'))",
        },
    ],
});

const summary = (count, revenue) =>
    `.o_partner_opportunity_summary:has(.o_partner_opportunity_summary_count b:contains('/^\\s*${count}\\s*$/')):has(.o_partner_opportunity_summary_revenue:contains('${revenue}'))`;

/** Methods called from now on, by name. */
const calls = [];
const recordCalls = ({ detail }) => calls.push(detail.data.params?.method);

/**
 * P2: the summary counts the cards the board shows, a column's progress-bar
 * filter included; on the board it sums the columns and asks the server for
 * nothing of its own.
 */
registry.category("web_tour.tours").add("partner_opportunity_summary_progress_bar", {
    steps: () => [
        {
            content: "unfiltered, the summary counts every card of the board",
            trigger: summary(3, "7,000"),
            run() {
                calls.length = 0;
                rpcBus.addEventListener("RPC:REQUEST", recordCalls);
            },
        },
        {
            content: "show only the overdue cards of the New column",
            trigger: `${column("New")} .o_column_progress .progress-bar.bg-danger`,
            run: "click",
        },
        {
            content: "the New column shows its overdue card only",
            trigger: `${column("New")}:has(.o_kanban_record:contains('Bar Late Deal')):not(:has(.o_kanban_record:contains('Bar Far Deal')))`,
        },
        {
            content: "the summary counts it and the other column's card, not the hidden one",
            trigger: summary(2, "5,000"),
        },
        {
            content: "click the colour again: the filter goes",
            trigger: `${column("New")} .o_column_progress .progress-bar.bg-danger`,
            run: "click",
        },
        {
            trigger: `${column("New")} .o_kanban_record:contains('Bar Far Deal')`,
        },
        {
            content: "and the summary counts every card again",
            trigger: summary(3, "7,000"),
        },
        {
            content: "the expected value is the sum of the columns' too",
            trigger: ".o_partner_opportunity_summary_weighted:contains('3,500')",
            run() {
                rpcBus.removeEventListener("RPC:REQUEST", recordCalls);
                if (!calls.includes("web_search_read")) {
                    throw new Error(`the board's requests were not seen: ${calls}`);
                }
                if (calls.includes("get_summary")) {
                    throw new Error(`the board asked for the summary: ${calls}`);
                }
            },
        },
        {
            content: "grouped by customer, the summary asks the server",
            trigger: ".o_searchview_dropdown_toggler",
            run(actions) {
                calls.length = 0;
                rpcBus.addEventListener("RPC:REQUEST", recordCalls);
                return actions.click();
            },
        },
        {
            trigger: ".o_group_by_menu .o-dropdown-item:contains('Customer')",
            run: "click",
        },
        {
            trigger: ".o_kanban_group .o_column_title:contains('Bar Customer')",
        },
        {
            content: "the same figures, read by the server",
            trigger: summary(3, "7,000"),
            run() {
                rpcBus.removeEventListener("RPC:REQUEST", recordCalls);
                if (!calls.includes("get_summary")) {
                    throw new Error(`the summary was not read: ${calls}`);
                }
            },
        },
    ],
});
