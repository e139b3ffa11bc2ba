from odoo import api, models
from odoo.osv import expression


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        """R5: who follows an opportunity tells that it exists and whose it is.
        Users read the followers of the opportunities they may read, and no
        others; mail's own work runs as superuser and sees them all."""
        if not self.env.su:
            Opportunity = self.env["partner.opportunity"]
            visible = (
                [("res_id", "in", Opportunity._search([]))]
                if Opportunity.has_access("read")
                else expression.FALSE_DOMAIN
            )
            domain = expression.AND(
                [domain, expression.OR([[("res_model", "!=", Opportunity._name)], visible])]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)
