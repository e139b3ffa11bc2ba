import { mailModels } from "@mail/../tests/mail_test_helpers";
import { defineModels, fields, models, mountView } from "@web/../tests/web_test_helpers";

/**
 * The models of the addon as the web client sees them, on the mock server:
 * a board of one pipeline (New, Won, Lost) with an opportunity of each period
 * type, and a lost one.
 */
export class PartnerOpportunityPipeline extends models.Model {
    _name = "partner.opportunity.pipeline";

    name = fields.Char();
    opportunity_properties_definition = fields.PropertiesDefinition();

    _records = [
        { id: 1, name: "Sales", opportunity_properties_definition: [] },
        { id: 2, name: "Renewals", opportunity_properties_definition: [] },
    ];
}

export class PartnerOpportunityStatus extends models.Model {
    _name = "partner.opportunity.status";

    name = fields.Char();
    sequence = fields.Integer();
    status_type = fields.Selection({
        selection: [
            ["active", "Active"],
            ["won", "Won"],
            ["lost", "Lost"],
        ],
    });
    _order = "sequence";

    _records = [
        { id: 1, name: "New", sequence: 1, status_type: "active" },
        { id: 2, name: "Won", sequence: 2, status_type: "won" },
        { id: 3, name: "Lost", sequence: 3, status_type: "lost" },
    ];
}

const money = (string) => fields.Monetary({ string, currency_field: "currency_id" });
// The mock server sums integers and floats only: the board's sums are floats
// here, without a currency (the tours check the currency in a real browser).
const sum = (string) => fields.Float({ string, aggregator: "sum" });

export class PartnerOpportunity extends models.Model {
    _name = "partner.opportunity";

    name = fields.Char({ string: "Description" });
    pipeline_id = fields.Many2one({ relation: "partner.opportunity.pipeline" });
    status_id = fields.Many2one({ relation: "partner.opportunity.status" });
    currency_id = fields.Many2one({ relation: "res.currency" });
    probability = fields.Integer({ string: "Probability (%)" });
    deadline_state = fields.Selection({
        selection: [
            ["far", "On time"],
            ["near", "Close date near"],
            ["overdue", "Overdue"],
            ["closed", "Closed"],
        ],
    });
    expected_revenue = money("Expected Revenue");
    revenue_period = fields.Selection({
        selection: [
            ["one_time", "One-time"],
            ["monthly", "Monthly"],
            ["annual", "Annual"],
        ],
    });
    annual_revenue = sum("Annual Revenue");
    weighted_annual_revenue = sum("Expected Annual Value");
    one_time_revenue = sum("One-time Revenue");
    monthly_revenue = sum("Monthly Revenue");
    yearly_revenue = sum("Yearly Revenue");

    _records = [
        opportunity(1, "Licences", 1, 5000, "one_time", 20),
        opportunity(2, "Support", 1, 1000, "monthly", 50),
        opportunity(3, "Hosting", 2, 2000, "annual", 100),
        opportunity(4, "Training", 3, 3000, "one_time", 0),
    ];
}

const PERIOD_FIELDS = {
    one_time: "one_time_revenue",
    monthly: "monthly_revenue",
    annual: "yearly_revenue",
};
const FACTORS = { one_time: 1, monthly: 12, annual: 1 };

/** A record as the server stores it, its computed sums included. */
function opportunity(id, name, statusId, revenue, period, probability) {
    const annual = revenue * FACTORS[period];
    return {
        id,
        name,
        pipeline_id: 1,
        status_id: statusId,
        currency_id: 1,
        probability,
        deadline_state: "far",
        expected_revenue: revenue,
        revenue_period: period,
        annual_revenue: annual,
        weighted_annual_revenue: (annual * probability) / 100,
        one_time_revenue: 0,
        monthly_revenue: 0,
        yearly_revenue: 0,
        [PERIOD_FIELDS[period]]: revenue,
    };
}

export function definePartnerOpportunityModels() {
    defineModels({
        ...mailModels,
        PartnerOpportunity,
        PartnerOpportunityPipeline,
        PartnerOpportunityStatus,
    });
}

/** The views of the addon, reduced to what the components under test need. */
export const ARCHS = {
    kanban: /* xml */ `
        <kanban js_class="partner_opportunity_kanban" default_group_by="status_id">
            <field name="currency_id"/>
            <progressbar field="deadline_state"
                         colors='{"far": "success", "near": "warning", "overdue": "danger", "closed": "200"}'
                         sum_field="annual_revenue" weighted_sum_field="weighted_annual_revenue"
                         period_sum_fields="one_time_revenue,monthly_revenue,yearly_revenue"/>
            <templates>
                <t t-name="card"><field name="name"/></t>
            </templates>
        </kanban>`,
    list: /* xml */ `
        <list js_class="partner_opportunity_list">
            <field name="name"/>
            <field name="annual_revenue" sum="Annual value"/>
            <field name="currency_id" column_invisible="1"/>
        </list>`,
    form: /* xml */ `
        <form>
            <field name="name"/>
            <field name="probability" widget="partner_opportunity_slider"/>
        </form>`,
};

/**
 * An opportunity view with a search view, whose fields are those of the
 * model as the server sends them with the search view (the group-by field and
 * the sums of the board are in no card).
 */
export function mountOpportunityView(type, params = {}) {
    return mountView({
        type,
        resModel: "partner.opportunity",
        arch: ARCHS[type],
        searchViewArch: "<search/>",
        ...params,
    });
}
