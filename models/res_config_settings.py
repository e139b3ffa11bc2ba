from odoo import api, fields, models

from .partner_opportunity_values import check_values


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    partner_opportunity_auto_create = fields.Boolean(
        related="company_id.partner_opportunity_auto_create", readonly=False
    )
    partner_opportunity_pipeline_id = fields.Many2one(
        related="company_id.partner_opportunity_pipeline_id", readonly=False
    )
    partner_opportunity_user_id = fields.Many2one(
        related="company_id.partner_opportunity_user_id", readonly=False
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

    @api.model_create_multi
    def create(self, vals_list):
        # D4: the settings' numbers are stored in their own table first.
        check_values(
            self,
            [
                {k: v for k, v in vals.items() if k.startswith("partner_opportunity_")}
                for vals in vals_list
            ],
        )
        return super().create(vals_list)
