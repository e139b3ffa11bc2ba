import { registry } from "@web/core/registry";

const tab = ".o_notebook a.nav-link[name='partner_opportunity']";
const field = ".o_field_widget[name='partner_opportunity_ids']";
const contacts = ".o_field_widget[name='partner_opportunity_contact_opportunity_ids']";
const line = (name) => `.o_data_row:contains('${name}')`;
const row = (name) => `${field} ${line(name)}`;
const card = (name) => `${field} .o_kanban_record:contains('${name}')`;
const saved = ".o_form_view .o_form_saved";

/** The colour of an element as [red, green, blue]. */
function rgb(element) {
    return getComputedStyle(element).color.match(/\d+/g).slice(0, 3).map(Number);
}

/** Chooses ``status`` in the status cell of the row of ``name``. */
function changeStatus(name, search, status) {
    return [
        {
            content: `change the status of ${name}`,
            trigger: `${row(name)} .o_data_cell[name='status_id']`,
            run: "click",
        },
        {
            trigger: `${field} .o_selected_row .o_field_widget[name='status_id'] input`,
            run: `edit ${search}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:contains('${status}')`,
            run: "click",
        },
        {
            trigger: `${field} .o_selected_row .o_field_widget[name='status_id'] input:value('${status}')`,
        },
    ];
}

/** Saves the customer; the server refuses with ``message``; the changes stay. */
function refused(message) {
    return [
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "the server says why",
            trigger: `.modal:contains('${message}')`,
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ];
}

/** Saves the customer, refused with ``message``, and discards the changes. */
function refusedSave(message) {
    return [
        ...refused(message),
        {
            content: "nothing is kept",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: saved,
        },
    ];
}

/** An agent on a customer's Opportunities tab (M4, B2, R1, R4, D1, D3, M5). */
registry.category("web_tour.tours").add("partner_opportunity_partner_tab", {
    steps: () => [
        {
            trigger: tab,
            run: "click",
        },
        {
            content: "the agent's own opportunities, not the colleague's",
            trigger: `${row("Tab Deal Own")}`,
        },
        {
            trigger: `${field}:has(${line("Tab Deal Won")}):has(${line("Tab Deal Late")}):has(${line("Tab Deal Soon")})`,
        },
        {
            trigger: `${field}:not(:has(${line("Tab Deal Colleague")}))`,
        },
        {
            content: "the close date is green far, yellow near, red overdue, plain closed",
            trigger: `${row("Tab Deal Late")} .o_data_cell[name='date_deadline']`,
            run() {
                const cell = (name) =>
                    [...document.querySelectorAll(`${field} .o_data_row`)]
                        .find((r) => r.querySelector("[name='name']").textContent.trim() === name)
                        .querySelector(".o_data_cell[name='date_deadline']");
                const [far, near, overdue, closed] = [
                    "Tab Deal Own",
                    "Tab Deal Soon",
                    "Tab Deal Late",
                    "Tab Deal Won",
                ].map(cell);
                const [fr, fg, fb] = rgb(far);
                const [nr, ng, nb] = rgb(near);
                const [or, og, ob] = rgb(overdue);
                if (!(fg > fr && fg > fb)) {
                    throw new Error(`far is not green: ${getComputedStyle(far).color}`);
                }
                if (!(nr > nb && ng > nb && nr > 150)) {
                    throw new Error(`near is not yellow: ${getComputedStyle(near).color}`);
                }
                if (!(or > og && or > ob)) {
                    throw new Error(`overdue is not red: ${getComputedStyle(overdue).color}`);
                }
                const plain = closed.closest(".o_data_row").querySelector(".o_data_cell[name='name']");
                if (getComputedStyle(closed).color !== getComputedStyle(plain).color) {
                    throw new Error(`a closed date has a colour: ${getComputedStyle(closed).color}`);
                }
            },
        },
        ...changeStatus("Tab Deal Own", "Proposal", "Proposal sent"),
        ...refusedSave("Contact"),
        ...changeStatus("Tab Deal Won", "New", "New"),
        ...refusedSave("can only be reopened by an administrator"),
        ...changeStatus("Tab Deal Own", "Demo", "Demo done"),
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved in its new status",
            trigger: `${saved}`,
        },
        {
            trigger: `${row("Tab Deal Own")} .o_data_cell[name='status_id']:contains('Demo done')`,
        },
        ...changeStatus("Tab Deal Soon", "Lost", "Lost"),
        ...refused("Lost Reason"),
        {
            content: "the lost reason is asked in the row",
            trigger: `${field} .o_selected_row .o_field_widget[name='lost_reason_id'] input`,
            run: "edit Too",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Too expensive')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: `${saved}`,
        },
        {
            trigger: `${row("Tab Deal Soon")} .o_data_cell[name='status_id']:contains('Lost')`,
        },
        {
            content: "add an opportunity for this customer",
            trigger: `${field} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            trigger: `${field} .o_data_row.o_selected_row .o_field_widget[name='name'] input`,
            run: "edit Tab Deal Added",
        },
        {
            content: "the first status of the default pipeline",
            trigger: `${field} .o_selected_row .o_field_widget[name='status_id'] input:value('New')`,
        },
        {
            trigger: `${field} .o_selected_row .o_field_widget[name='user_id'] input:value('Tab Agent')`,
        },
        {
            trigger: `${field} .o_selected_row .o_field_widget[name='expected_revenue'] input`,
            run: "edit 250",
        },
        {
            trigger: `${field} .o_selected_row .o_field_widget[name='date_deadline'] input`,
            run: "edit 12/31/2030",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: `${saved}`,
        },
        {
            content: "the opportunities of its contact persons, the agent's only",
            trigger: `${contacts} .o_data_row:contains('Tab Deal Contact') .o_data_cell[name='status_id']`,
            run: "click",
        },
        {
            content: "nothing to add, link or remove there",
            trigger: `${contacts}:not(:has(.o_data_row:contains('Tab Deal Colleague'))):not(:has(.o_field_x2many_list_row_add, .o_list_record_remove))`,
        },
        {
            trigger: `${contacts} .o_selected_row .o_field_widget[name='status_id'] input`,
            run: "edit Demo",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Demo done')",
            run: "click",
        },
        {
            trigger: `${contacts} .o_selected_row .o_field_widget[name='status_id'] input:value('Demo done')`,
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: `${saved}`,
        },
        {
            trigger: `${contacts} .o_data_row:contains('Tab Deal Contact') .o_data_cell[name='status_id']:contains('Demo done')`,
        },
        {
            content: "a row opens the opportunity",
            trigger: `${row("Tab Deal Own")} .o_list_record_open_form_view button`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Tab Deal Own'), .o_form_view .o_field_widget[name='name'] input:value('Tab Deal Own')",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Tab Deal Own')",
        },
    ],
});

/** An administrator reopens a won opportunity from the tab (R3, R4). */
registry.category("web_tour.tours").add("partner_opportunity_partner_tab_admin", {
    steps: () => [
        {
            trigger: tab,
            run: "click",
        },
        {
            content: "every salesperson's opportunities",
            trigger: `${field}:has(${line("Tab Deal Colleague")}):has(${line("Tab Deal Own")})`,
        },
        {
            trigger: `${row("Tab Deal Won")} .o_data_cell[name='status_id']`,
            run: "click",
        },
        {
            content: "the won opportunity reopened: “demo” finds “Demo done”, “Đã demo”",
            trigger: `${field} .o_selected_row .o_field_widget[name='status_id'] input`,
            run: "edit demo",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('emo')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${saved}`,
        },
        {
            trigger: `${row("Tab Deal Won")} .o_data_cell[name='status_id']:contains('emo')`,
        },
    ],
});

/** On a phone: cards, no horizontal scrolling, the status changed in the card's form. */
registry.category("web_tour.tours").add("partner_opportunity_partner_tab_mobile", {
    steps: () => [
        {
            trigger: tab,
            run: "click",
        },
        {
            trigger: card("Tab Deal Own"),
        },
        {
            content: "nothing wider than the screen",
            trigger: `${field}:not(:has(.o_data_row))`,
            run() {
                const width = document.documentElement.clientWidth;
                if (width > 390) {
                    throw new Error(`the screen is ${width} pixels wide, not a phone's 390`);
                }
                for (const element of document.querySelectorAll(
                    `.o_form_view, ${field}, ${field} .o_kanban_record`
                )) {
                    const box = element.getBoundingClientRect();
                    if (box.right > width + 1 || box.left < -1) {
                        throw new Error(
                            `${element.className} goes from ${box.left} to ${box.right}, the screen is ${width} wide`
                        );
                    }
                }
                for (const element of document.querySelectorAll(".o_content, .o_form_sheet_bg")) {
                    if (element.scrollWidth > element.clientWidth + 1) {
                        throw new Error(`${element.className} scrolls horizontally`);
                    }
                }
            },
        },
        {
            trigger: card("Tab Deal Own"),
            run: "click",
        },
        {
            content: "a phone chooses the status in a list of its own",
            trigger: ".modal .o_field_widget[name='status_id'] input",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('emo') .o_data_cell, .modal .o_kanban_record:contains('emo')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='status_id'] input:value('emo')",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${card("Tab Deal Own")}:contains('emo')`,
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: `${saved}`,
        },
    ],
});
