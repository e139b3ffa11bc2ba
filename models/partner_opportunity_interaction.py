from odoo import fields, models


class PartnerOpportunityInteraction(models.Model):
    """A status change of an opportunity, counted as an interaction with its
    customer (M5). It is history: it outlives the opportunity and the
    statuses it names, whose names it keeps as they were."""

    _name = "partner.opportunity.interaction"
    _description = "Opportunity Interaction"
    _order = "date desc, id desc"
    _log_access = False

    opportunity_id = fields.Many2one(
        "partner.opportunity", index=True, ondelete="set null", readonly=True
    )
    name = fields.Char(string="Opportunity Description", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    status_from_id = fields.Many2one(
        "partner.opportunity.status", string="From Status", readonly=True, ondelete="set null"
    )
    status_to_id = fields.Many2one(
        "partner.opportunity.status", string="To Status", readonly=True, ondelete="set null"
    )
    status_from_name = fields.Char(string="From", readonly=True)
    status_to_name = fields.Char(string="To", readonly=True)
