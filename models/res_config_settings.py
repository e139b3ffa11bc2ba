from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    opportunity_auto_create = fields.Boolean(
        related="company_id.opportunity_auto_create", readonly=False
    )
    opportunity_pipeline_id = fields.Many2one(
        related="company_id.opportunity_pipeline_id", readonly=False
    )
    opportunity_near_days = fields.Integer(
        related="company_id.opportunity_near_days", readonly=False
    )
    opportunity_idle_days = fields.Integer(
        related="company_id.opportunity_idle_days", readonly=False
    )
    opportunity_lost_reason_required = fields.Boolean(
        related="company_id.opportunity_lost_reason_required", readonly=False
    )
