import { getCustomColor, lightenColor, darkenColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";
import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

/**
 * Won is green, lost red and open blue, whatever the order of the groups: the
 * graph view colours its datasets by their position, which follows the data
 * (the open forecast came out red whenever the first month held a won deal).
 */
const STATUS_TYPE_COLORS = { active: "#4EA7F2", won: "#28A745", lost: "#DC3545" };
// The movement report: forward blue, back amber, to won green, to lost red.
const MOVE_TYPE_COLORS = { forward: "#4EA7F2", back: "#F0AD4E", won: "#28A745", lost: "#DC3545" };

function typeOf(dataset, field) {
    const types = new Set();
    for (const identifier of dataset.identifiers || []) {
        const group = JSON.parse(identifier).find((value) => field in value);
        types.add(group?.[field]);
    }
    return types.size === 1 ? [...types][0] : undefined;
}

export class OpportunityStatusTypeGraphRenderer extends GraphRenderer {
    static typeField = "status_type";
    static typeColors = STATUS_TYPE_COLORS;

    colorByStatusType(data, mode) {
        const { typeField, typeColors } = this.constructor;
        const statusTypeOf = (dataset) => typeOf(dataset, typeField);
        const colorScheme = cookie.get("color_scheme");
        // The months the graph fills in have no status type: without this, a
        // line of zeros labelled "None".
        data.datasets = data.datasets.filter(
            (dataset) => statusTypeOf(dataset) !== false || dataset.data.some(Boolean)
        );
        for (const dataset of data.datasets) {
            const color = typeColors[statusTypeOf(dataset)];
            if (!color) {
                continue;
            }
            if (mode === "bar") {
                dataset.backgroundColor = color;
            } else {
                dataset.borderColor = color;
                dataset.hoverBackgroundColor = color;
                dataset.pointBackgroundColor = color;
                dataset.backgroundColor = getCustomColor(
                    colorScheme,
                    lightenColor(color, 0.5),
                    darkenColor(color, 0.5)
                );
            }
        }
        return data;
    }

    getBarChartData() {
        return this.colorByStatusType(super.getBarChartData(), "bar");
    }

    getLineChartData() {
        return this.colorByStatusType(super.getLineChartData(), "line");
    }
}

registry.category("views").add("partner_opportunity_status_type_graph", {
    ...graphView,
    Renderer: OpportunityStatusTypeGraphRenderer,
});

export class OpportunityMoveTypeGraphRenderer extends OpportunityStatusTypeGraphRenderer {
    static typeField = "move_type";
    static typeColors = MOVE_TYPE_COLORS;
}

registry.category("views").add("partner_opportunity_move_type_graph", {
    ...graphView,
    Renderer: OpportunityMoveTypeGraphRenderer,
});
