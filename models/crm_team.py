from odoo import api, models


class PartnerOpportunityTeamRules(models.AbstractModel):
    """The supervisors' record rules list the salespersons of their teams
    (res.users._partner_opportunity_supervised_users), and Odoo caches rule
    domains per user: a change of teams or memberships clears that cache, in
    this worker and, through Odoo's cache signalling, in the others (R2)."""

    _name = "partner.opportunity.team.rules"
    _description = "Opportunity Rules Following Sales Teams"
    # The fields that decide who sees whose opportunities: other writes (CRM
    # writes its teams and memberships often) keep every worker's caches.
    _partner_opportunity_rule_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if not self._partner_opportunity_rule_fields or any(
            name in vals for name in self._partner_opportunity_rule_fields
        ):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "partner.opportunity.team.rules"]
    _partner_opportunity_rule_fields = (
        "active",
        "user_id",
        "member_ids",
        "crm_team_member_ids",
        "crm_team_member_all_ids",
    )


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "partner.opportunity.team.rules"]
    _partner_opportunity_rule_fields = ("active", "user_id", "crm_team_id")
