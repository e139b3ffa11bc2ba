from odoo import api, fields, models


class PartnerOpportunityLostReason(models.Model):
    _name = "partner.opportunity.lost.reason"
    _inherit = ["partner.opportunity.values"]
    _description = "Opportunity Lost Reason"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    opportunity_count = fields.Integer(compute="_compute_opportunity_count")

    @api.depends_context("uid")
    def _compute_opportunity_count(self):
        counts = dict(
            self.env["partner.opportunity"]._read_group(
                [("lost_reason_id", "in", self.ids)], ["lost_reason_id"], ["__count"]
            )
        )
        for reason in self:
            reason.opportunity_count = counts.get(reason, 0)

    def action_open_opportunities(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_opportunity.partner_opportunity_action"
        )
        action["domain"] = [("lost_reason_id", "=", self.id)]
        action["context"] = {}
        action["view_mode"] = "list,form"
        action["views"] = [(False, "list"), (False, "form")]
        return action
