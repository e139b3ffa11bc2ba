import { extractAttributes } from "@web/core/utils/xml";
import { KanbanArchParser } from "@web/views/kanban/kanban_arch_parser";

/** `<progressbar weighted_sum_field="…">`: a second sum in the column headers. */
export class OpportunityKanbanArchParser extends KanbanArchParser {
    parseProgressBar(progressBar, fields) {
        const result = super.parseProgressBar(...arguments);
        const attrs = extractAttributes(progressBar, ["weighted_sum_field"]);
        result.weightedSumField = fields[attrs.weighted_sum_field] || false;
        return result;
    }
}
