import { registry } from "@web/core/registry";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const card = (columnName, cardName) =>
    `${column(columnName)} .o_kanban_record:contains('${cardName}')`;

/** Status rules on the board: a required field refused, a lost reason asked. */
registry.category("web_tour.tours").add("partner_opportunity_status_rules", {
    steps: () => [
        {
            content: "move a deal without contact to a status that requires one",
            trigger: card("New", "Rules Deal Bare"),
            run: `drag_and_drop(${column("Proposal sent")})`,
        },
        {
            content: "the server names the missing fields",
            trigger: ".modal:contains('Rules Deal Bare'):contains('Contact')",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the card is back in its column",
            trigger: `body:not(:has(.modal)) ${card("New", "Rules Deal Bare")}`,
        },
        {
            trigger: `${column("Proposal sent")}:not(:has(.o_kanban_record:contains('Rules Deal Bare')))`,
        },
        {
            content: "drop a deal on the lost column: the reason is asked first",
            trigger: card("New", "Rules Deal Lost"),
            run: `drag_and_drop(${column("Lost")})`,
        },
        {
            trigger: ".modal .o_field_widget[name='lost_reason_id']",
        },
        {
            content: "cancel: the card stays",
            trigger: ".modal .modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${card("New", "Rules Deal Lost")}`,
        },
        {
            content: "drop it again and give a reason",
            trigger: card("New", "Rules Deal Lost"),
            run: `drag_and_drop(${column("Lost")})`,
        },
        {
            trigger: ".modal .o_field_widget[name='lost_reason_id'] input",
            run: "edit Too",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Too expensive')",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button[name='action_apply']",
            run: "click",
        },
        {
            content: "the card is lost",
            trigger: `body:not(:has(.modal)) ${card("Lost", "Rules Deal Lost")}`,
        },
        {
            trigger: `${column("New")}:not(:has(.o_kanban_record:contains('Rules Deal Lost')))`,
        },
    ],
});
