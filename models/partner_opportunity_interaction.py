from odoo import fields, models


class PartnerOpportunityInteraction(models.Model):
    """A status change of an opportunity, counted as an interaction with its
    customer (M5)."""

    _name = "partner.opportunity.interaction"
    _description = "Opportunity Interaction"
    _order = "date desc, id desc"
    _log_access = False

    opportunity_id = fields.Many2one(
        "partner.opportunity", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        related="opportunity_id.partner_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="opportunity_id.company_id", store=True, index=True, precompute=True
    )
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
