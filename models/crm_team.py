from odoo import api, models


class PartnerOpportunityTeamRules(models.AbstractModel):
    """The supervisors' record rules list the salespersons of their teams
    (res.users._partner_opportunity_supervised_users), and Odoo caches rule
    domains per user: a change of teams or memberships clears that cache, in
    this worker and, through Odoo's cache signalling, in the others (R2)."""

    _name = "partner.opportunity.team.rules"
    _description = "Opportunity Rules Following Sales Teams"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "partner.opportunity.team.rules"]


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "partner.opportunity.team.rules"]
