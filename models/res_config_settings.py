from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    partner_opportunity_auto_create = fields.Boolean(
        related="company_id.partner_opportunity_auto_create", readonly=False
    )
    partner_opportunity_pipeline_id = fields.Many2one(
        related="company_id.partner_opportunity_pipeline_id", readonly=False
    )
    partner_opportunity_near_days = fields.Integer(
        related="company_id.partner_opportunity_near_days", readonly=False
    )
    partner_opportunity_idle_days = fields.Integer(
        related="company_id.partner_opportunity_idle_days", readonly=False
    )
    partner_opportunity_lost_reason_required = fields.Boolean(
        related="company_id.partner_opportunity_lost_reason_required", readonly=False
    )
