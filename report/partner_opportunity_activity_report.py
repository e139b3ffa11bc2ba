from odoo import fields, models, tools

# The messages that count: the activities done and what users wrote on an
# opportunity (not the tracking of a change), with the alias of the table.
MESSAGES = (
    "{0}model = 'partner.opportunity' AND ({0}mail_activity_type_id IS NOT NULL"
    " OR {0}message_type IN ('comment', 'email'))"
)

ACTIVITY_KINDS = [
    ("created", "Opportunity Created"),
    ("status_change", "Status Change"),
    ("activity", "Activity Done"),
    ("message", "Message"),
]


class PartnerOpportunityActivityReport(models.Model):
    """What each rep did on the opportunities (P4): one row per opportunity
    created, status change made, activity done and message or note logged,
    dated and attributed to the user who did it. Its counters are summed by
    the pivot and the graph.

    The record rules mirror the opportunity's (security): a row counts for
    whoever may open its opportunity, through its current salesperson
    (``salesperson_id``) and company."""

    _name = "partner.opportunity.activity.report"
    _inherit = ["partner.opportunity.report.mixin"]
    _description = "Opportunity Activity Analysis"
    _auto = False
    _rec_name = "kind"
    _order = "date desc, id desc"

    date = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", string="Rep", readonly=True)
    kind = fields.Selection(ACTIVITY_KINDS, string="Activity", readonly=True)
    mail_activity_type_id = fields.Many2one("mail.activity.type", "Activity Type", readonly=True)
    subtype_id = fields.Many2one("mail.message.subtype", "Message Subtype", readonly=True)
    opportunity_id = fields.Many2one("partner.opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    pipeline_id = fields.Many2one("partner.opportunity.pipeline", readonly=True)
    status_id = fields.Many2one("partner.opportunity.status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    created_count = fields.Integer("Opportunities Created", readonly=True)
    status_change_count = fields.Integer("Status Changes", readonly=True)
    won_count = fields.Integer("Won", readonly=True)
    won_value = fields.Monetary("Won Annual Revenue", readonly=True)
    lost_count = fields.Integer("Lost", readonly=True)
    lost_value = fields.Monetary("Lost Annual Revenue", readonly=True)
    activity_count = fields.Integer("Activities Done", readonly=True)
    message_count = fields.Integer("Messages Logged", readonly=True)

    def _query(self):
        # Ids of the four sources apart: 4 n + 0..3. Each source joins its
        # opportunity for the rules' columns, so that a period's filter is
        # applied to each source's own date before any join.
        opportunity = "o.partner_id, o.user_id, o.team_id, o.pipeline_id, o.status_id, o.company_id"
        return f"""
            SELECT o.id * 4 AS id, o.create_date AS date, o.create_uid AS user_id,
                   'created' AS kind, NULL::integer AS mail_activity_type_id,
                   NULL::integer AS subtype_id, o.id AS opportunity_id,
                   1 AS created_count, 0 AS status_change_count,
                   0 AS won_count, 0.0 AS won_value, 0 AS lost_count, 0.0 AS lost_value,
                   0 AS activity_count, 0 AS message_count,
                   o.partner_id, o.user_id AS salesperson_id, o.team_id, o.pipeline_id,
                   o.status_id, o.company_id
              FROM partner_opportunity o
             UNION ALL
            SELECT i.id * 4 + 1, i.date, i.user_id, 'status_change', NULL, NULL,
                   i.opportunity_id, 0, 1,
                   (i.status_to_type = 'won')::integer,
                   CASE WHEN i.status_to_type = 'won' THEN i.annual_revenue ELSE 0.0 END,
                   (i.status_to_type = 'lost')::integer,
                   CASE WHEN i.status_to_type = 'lost' THEN i.annual_revenue ELSE 0.0 END,
                   0, 0, {opportunity}
              FROM partner_opportunity_interaction i
              JOIN partner_opportunity o ON o.id = i.opportunity_id
             UNION ALL
            SELECT m.id * 4 + 2 + (m.mail_activity_type_id IS NULL)::integer, m.date,
                   m.create_uid,
                   CASE WHEN m.mail_activity_type_id IS NOT NULL THEN 'activity'
                        ELSE 'message' END,
                   m.mail_activity_type_id, m.subtype_id, m.res_id, 0, 0, 0, 0.0, 0, 0.0,
                   (m.mail_activity_type_id IS NOT NULL)::integer,
                   (m.mail_activity_type_id IS NULL)::integer, {opportunity}
              FROM mail_message m
              -- Written by a user (not the tracking of a change, nor an
              -- incoming e-mail): the user's own partner is its author.
              JOIN res_users u ON u.id = m.create_uid AND u.partner_id = m.author_id
              JOIN partner_opportunity o ON o.id = m.res_id
             WHERE {MESSAGES.format("m.")}
        """

    def init(self):
        cr = self.env.cr
        # A period's rows of each source found by their date.
        tools.create_index(
            cr, "partner_opportunity_create_date_index", "partner_opportunity", ["create_date"]
        )
        tools.create_index(
            cr, "partner_opportunity_mail_message_date_index", "mail_message", ["date"],
            where=MESSAGES.format(""),
        )  # fmt: skip
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")
