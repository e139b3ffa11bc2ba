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
            content: "Demo done: count and annual value before the move",
            trigger: `${column("Demo done")} .o_kanban_counter:contains('210')`,
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
            trigger: `${column("Demo done")} .o_kanban_counter:contains('530')`,
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

/**
 * A computed colour as numbers: Chromium gives "rgb(r, g, b)" or
 * "rgba(r, g, b, a)"; a declaration it dropped gives "rgba(0, 0, 0, 0)".
 */
function colour(element, property) {
    const value = getComputedStyle(element)[property];
    const match = value.match(/^rgba?\(([^)]*)\)$/);
    if (!match) {
        throw new Error(`${property} is "${value}", not an rgb() colour`);
    }
    const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).map(Number);
    return { r, g, b, a, value };
}

const hues = {
    green: ({ r, g, b }) => g > r && g > b,
    red: ({ r, g, b }) => r > g && r > b,
};

/** Its hue, or null when neither green nor red dominates. */
function hueOf(rgb) {
    return Object.keys(hues).find((hue) => hues[hue](rgb)) || null;
}

/**
 * What a person sees of a column: an opaque background and header of the
 * expected hue (none for a normal column), and for won and lost a top border
 * and a title of that hue.
 */
function checkColumn(column, hue) {
    const title = column.querySelector(".o_column_title");
    const name = title.firstElementChild.textContent.trim();
    const parts = {
        "background": [column, "backgroundColor"],
        "header background": [column.querySelector(".o_kanban_header"), "backgroundColor"],
        "title": [title, "color"],
    };
    if (hue) {
        parts["top border"] = [column, "borderTopColor"];
    }
    for (const [part, [element, property]] of Object.entries(parts)) {
        const rgb = colour(element, property);
        if (rgb.a !== 1) {
            throw new Error(`column ${name}: ${part} ${rgb.value} is not opaque`);
        }
        if (hueOf(rgb) !== hue) {
            throw new Error(`column ${name}: ${part} ${rgb.value} is not ${hue || "neutral"}`);
        }
    }
    const width = parseFloat(getComputedStyle(column).borderTopWidth);
    if (hue && !(width >= 2)) {
        throw new Error(`column ${name}: top border ${width}px, expected a visible one`);
    }
}

/** B1: the won column is green and the lost one red, as computed styles. */
registry.category("web_tour.tours").add("partner_opportunity_board_colours", {
    steps: () => [
        {
            content: "the won column is green",
            trigger: `${column("Won")}:has(.o_kanban_record)`,
            run() {
                checkColumn(this.anchor, "green");
            },
        },
        {
            content: "the lost column is red",
            trigger: `${column("Lost")}:has(.o_kanban_record)`,
            run() {
                checkColumn(this.anchor, "red");
            },
        },
        {
            content: "a normal column is neither",
            trigger: `${column("New")}:has(.o_kanban_record)`,
            run() {
                checkColumn(this.anchor, null);
            },
        },
        {
            content: "the titles of all columns line up, coloured top border or not",
            trigger: `${column("Won")} .o_column_title`,
            run() {
                const tops = [...document.querySelectorAll(".o_kanban_group .o_column_title")].map(
                    (title) => Math.round(title.getBoundingClientRect().top)
                );
                if (new Set(tops).size !== 1) {
                    throw new Error(`column titles at different heights: ${tops.join(", ")}px`);
                }
            },
        },
        {
            content: "scrolled, the won header covers the cards under it",
            trigger: `${column("Won")} .o_kanban_record:last`,
            async run() {
                this.anchor.scrollIntoView({ block: "end" });
                await new Promise((resolve) => requestAnimationFrame(resolve));
                const won = this.anchor.closest(".o_kanban_group");
                const header = won.querySelector(".o_kanban_header");
                const top = header.getBoundingClientRect();
                const under = [...won.querySelectorAll(".o_kanban_record")].filter((card) => {
                    const rect = card.getBoundingClientRect();
                    return rect.top < top.bottom && rect.bottom > top.top;
                });
                if (!under.length) {
                    throw new Error("no card scrolled under the won header: too few cards to test");
                }
                const x = top.left + top.width / 2;
                const y = top.top + top.height / 2;
                if (!header.contains(document.elementFromPoint(x, y))) {
                    throw new Error("a card is drawn over the won header");
                }
                checkColumn(won, "green");
            },
        },
        {
            content: "scrolled to the last column, the summary stays in view (P2)",
            trigger: ".o_kanban_view .o_content .o_partner_opportunity_summary_count",
            async run() {
                const board = this.anchor.closest(".o_content");
                board.scrollLeft = board.scrollWidth;
                await new Promise((resolve) => requestAnimationFrame(resolve));
                if (!board.scrollLeft) {
                    throw new Error("the board is too narrow to scroll: nothing tested");
                }
                const rect = this.anchor.getBoundingClientRect();
                const view = board.getBoundingClientRect();
                if (rect.left < view.left || rect.right > view.right) {
                    throw new Error(`the summary scrolled out of view (left ${rect.left}px)`);
                }
            },
        },
    ],
});
