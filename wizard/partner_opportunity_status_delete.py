from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PartnerOpportunityStatusDelete(models.TransientModel):
    _name = "partner.opportunity.status.delete"
    _description = "Delete Opportunity Statuses"

    status_ids = fields.Many2many(
        "partner.opportunity.status",
        "partner_opportunity_status_delete_rel",
        "wizard_id",
        "status_id",
        string="Statuses to Delete",
        required=True,
    )
    pipeline_id = fields.Many2one("partner.opportunity.pipeline", compute="_compute_pipeline_id")
    target_status_id = fields.Many2one(
        "partner.opportunity.status",
        string="Move Opportunities To",
        domain="[('pipeline_id', '=', pipeline_id), ('id', 'not in', status_ids)]",
        help="The status of the same pipeline that receives the opportunities of the "
        "deleted statuses.",
    )
    opportunity_count = fields.Integer(compute="_compute_opportunity_count")

    @api.depends("status_ids")
    def _compute_pipeline_id(self):
        for wizard in self:
            wizard.pipeline_id = wizard.status_ids.pipeline_id[:1]

    @api.depends("status_ids")
    def _compute_opportunity_count(self):
        for wizard in self:
            wizard.opportunity_count = self.env["partner.opportunity"].search_count(
                [("status_id", "in", wizard.status_ids.ids)]
            )

    def action_delete(self):
        self.ensure_one()
        if not self.status_ids:
            # Statuses the user may not see (another company's) are not read.
            raise UserError(_("Choose the statuses to delete."))
        if len(self.status_ids.pipeline_id) > 1:
            raise UserError(_("Delete the statuses of one pipeline at a time."))
        opportunities = self.env["partner.opportunity"].search(
            [("status_id", "in", self.status_ids.ids)]
        )
        if opportunities:
            target = self.target_status_id
            if not target:
                raise UserError(
                    _("Choose the status that receives the opportunities of the deleted statuses.")
                )
            if target.pipeline_id != self.pipeline_id or target in self.status_ids:
                raise UserError(_("Move the opportunities to another status of the same pipeline."))
            self._move_opportunities(opportunities, target)
        self.status_ids.unlink()
        return {"type": "ir.actions.act_window_close"}

    def _move_opportunities(self, opportunities, target):
        """Move many opportunities at once: per-record field tracking would
        write one message and its tracking values per opportunity in separate
        queries, so the chatter trace is logged in one batch instead. Each
        move still counts as an interaction (M5)."""
        origins = {opportunity.id: opportunity.status_id.name for opportunity in opportunities}
        opportunities.with_context(tracking_disable=True).write({"status_id": target.id})
        bodies = {}
        for name in set(origins.values()):
            bodies[name] = Markup("<p>%s</p>") % _(
                "Status: %(old)s → %(new)s (the status “%(old)s” was deleted).",
                old=name,
                new=target.name,
            )
        opportunities._message_log_batch(
            {opportunity_id: bodies[name] for opportunity_id, name in origins.items()}
        )
