from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # The teams a user leads, so that record rules can follow leadership by a
    # relational path, which stays right when teams change.
    partner_opportunity_led_team_ids = fields.One2many(
        "crm.team", "user_id", string="Led Sales Teams"
    )

    def _partner_opportunity_teams(self):
        """The active sales teams the user belongs to or leads."""
        self.ensure_one()
        return (self.crm_team_ids | self.partner_opportunity_led_team_ids).filtered("active")

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a user is not a customer (D2).
        return super(ResUsers, self.with_context(partner_opportunity_no_auto=True)).create(
            vals_list
        )
