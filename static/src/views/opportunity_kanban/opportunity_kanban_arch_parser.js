import { extractAttributes } from "@web/core/utils/xml";
import { KanbanArchParser } from "@web/views/kanban/kanban_arch_parser";

/**
 * `<progressbar weighted_sum_field="…" period_sum_fields="…,…">`: the other
 * sums a column header shows instead of `sum_field`, as the user's board
 * figure says (B1), read with it in the board's grouped read.
 */
export class OpportunityKanbanArchParser extends KanbanArchParser {
    parseProgressBar(progressBar, fields) {
        const result = super.parseProgressBar(...arguments);
        const attrs = extractAttributes(progressBar, ["weighted_sum_field", "period_sum_fields"]);
        result.weightedSumField = fields[attrs.weighted_sum_field] || false;
        result.periodSumFields = (attrs.period_sum_fields || "")
            .split(",")
            .map((name) => fields[name.trim()])
            .filter(Boolean);
        return result;
    }
}
