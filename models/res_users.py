from odoo import api, fields, models

from .partner_opportunity_values import SERVER


class ResUsers(models.Model):
    _inherit = "res.users"

    partner_opportunity_led_team_ids = fields.One2many(
        "crm.team", "user_id", string="Led Sales Teams"
    )

    def _partner_opportunity_teams(self):
        """The active sales teams the user belongs to or leads."""
        self.ensure_one()
        return (self.crm_team_ids | self.partner_opportunity_led_team_ids).filtered("active")

    def _partner_opportunity_supervised_users(self):
        """R2, R6: the salespersons whose opportunities the user sees and
        assigns as a supervisor: themselves, and the members and leaders of the
        active sales teams they lead or belong to. The supervisors' record
        rules call it (their domain is cached until a team changes)."""
        self.ensure_one()
        teams = self._partner_opportunity_teams()
        return self | teams.member_ids | teams.user_id

    def _partner_opportunity_may_hold(self, company=None):
        """R6: whether the user may be the salesperson of opportunities (of
        ``company``): an active internal user with an opportunity role."""
        self.ensure_one()
        user = self.sudo()
        return bool(
            user.active
            and not user.share
            and user.has_group("partner_opportunity.group_agent")
            and (not company or company in user.company_ids)
        )

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a user is not a customer (D2, X3). Odoo creates it
        # (_inherits) before the user, when _partner_opportunity_customers
        # cannot tell it from a customer yet: its creation skips D2.
        return super(ResUsers, self.with_context(partner_opportunity_no_auto=SERVER)).create(
            vals_list
        )
