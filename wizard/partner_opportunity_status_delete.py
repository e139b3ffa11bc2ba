from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PartnerOpportunityStatusDelete(models.TransientModel):
    _name = "partner.opportunity.status.delete"
    _inherit = ["partner.opportunity.values"]
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
        """Move the opportunities through write() like a drop on the board
        (D3 on entry, one interaction each, M5), and track the moves like mail
        tracks a drop: the same tracking values of the status (which the time
        spent in each status is computed from) and of what changes with it,
        under a message saying why. Mail would log each opportunity's
        tracking in queries of its own, at commit, when the deleted status
        it names is gone; here the messages and their tracking values are
        created at once, in one batch each, whatever the number moved
        (test_configuration: test_delete_status_wizard_moves_feed_time_in_status,
        test_delete_status_wizard_query_count_is_bounded)."""
        fnames = opportunities._track_get_fields()
        initial_values = {
            opportunity.id: {fname: opportunity[fname] for fname in fnames}
            for opportunity in opportunities
        }
        opportunities.with_context(mail_notrack=True).write({"status_id": target.id})
        bodies = {}
        for status in self.status_ids:  # not a comprehension: _() needs this frame
            bodies[status] = Markup("<p>%s</p>") % _(
                "Status: %(old)s → %(new)s (the status “%(old)s” was deleted).",
                old=status.name,
                new=target.name,
            )
        messages = opportunities._message_log_batch(
            {
                opportunity_id: bodies[values["status_id"]]
                for opportunity_id, values in initial_values.items()
            }
        )
        tracked_fields = opportunities.fields_get(
            fnames, attributes=("string", "type", "selection", "currency_field")
        )
        tracking_values = []
        # The messages come in the order of the opportunities they are logged on.
        for opportunity, message in zip(opportunities, messages, strict=True):
            __, commands = opportunity._mail_track(tracked_fields, initial_values[opportunity.id])
            tracking_values += [
                dict(values, mail_message_id=message.id) for *__, values in commands
            ]
        self.env["mail.tracking.value"].sudo().create(tracking_values)
