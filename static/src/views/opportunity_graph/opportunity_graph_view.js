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

function statusTypeOf(dataset) {
    const types = new Set();
    for (const identifier of dataset.identifiers || []) {
        const group = JSON.parse(identifier).find((value) => "status_type" in value);
        types.add(group?.status_type);
    }
    return types.size === 1 ? [...types][0] : undefined;
}

export class OpportunityStatusTypeGraphRenderer extends GraphRenderer {
    colorByStatusType(data, mode) {
        const colorScheme = cookie.get("color_scheme");
        // The months the graph fills in have no status type: without this, a
        // line of zeros labelled "None".
        data.datasets = data.datasets.filter(
            (dataset) => statusTypeOf(dataset) !== false || dataset.data.some(Boolean)
        );
        for (const dataset of data.datasets) {
            const color = STATUS_TYPE_COLORS[statusTypeOf(dataset)];
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
