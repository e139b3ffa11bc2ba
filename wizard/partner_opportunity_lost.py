from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class PartnerOpportunityLost(models.TransientModel):
    _name = "partner.opportunity.lost"
    _inherit = ["partner.opportunity.values"]
    _description = "Mark Opportunities as Lost"

    opportunity_ids = fields.Many2many(
        "partner.opportunity",
        "partner_opportunity_lost_rel",
        "wizard_id",
        "opportunity_id",
        string="Opportunities",
        required=True,
    )
    status_id = fields.Many2one(
        "partner.opportunity.status",
        string="Lost Status",
        domain="[('status_type', '=', 'lost')]",
        help="The lost status the opportunities move to. Empty: the first lost status "
        "of the pipeline of each opportunity.",
    )
    lost_reason_id = fields.Many2one("partner.opportunity.lost.reason")
    reason_required = fields.Boolean(compute="_compute_reason_required")

    @api.depends("opportunity_ids")
    def _compute_reason_required(self):
        for wizard in self:
            wizard.reason_required = any(
                wizard.opportunity_ids.company_id.mapped("partner_opportunity_lost_reason_required")
            )

    @api.constrains("status_id")
    def _check_status_lost(self):
        for wizard in self:
            if wizard.status_id and wizard.status_id.status_type != "lost":
                raise ValidationError(
                    _(
                        "Lost Status: “%(status)s” is not a lost status. Choose a status "
                        "of type Lost.",
                        status=wizard.status_id.name,
                    )
                )

    def action_apply(self):
        """One write per target status: the rules of write() apply (R4, the
        required fields of the status, the required lost reason)."""
        self.ensure_one()
        targets = {}
        for opportunity in self.opportunity_ids:
            status = self.status_id
            if not status or status.pipeline_id != opportunity.pipeline_id:
                status = opportunity.pipeline_id.status_ids.filtered(
                    lambda s: s.status_type == "lost"
                )[:1]
            if not status:
                raise UserError(
                    _(
                        "The pipeline “%(pipeline)s” has no lost status.",
                        pipeline=opportunity.pipeline_id.name,
                    )
                )
            targets.setdefault(status, self.env["partner.opportunity"])
            targets[status] |= opportunity
        for status, opportunities in targets.items():
            opportunities.write({"status_id": status.id, "lost_reason_id": self.lost_reason_id.id})
        return {"type": "ir.actions.act_window_close", "infos": {"lost": True}}
