from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .partner_opportunity_values import uninstalling

# The probability of a new opportunity, and of one reopened into a status
# without a default of its own (D1).
DEFAULT_PROBABILITY = 50
STATUS_TYPES = [("active", "Active"), ("won", "Won"), ("lost", "Lost")]
# Fields an administrator may require before an opportunity enters a status:
# what a salesperson fills in, not what the addon or the framework sets.
REQUIRABLE_FIELD_TYPES = [
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "html",
    "integer",
    "many2many",
    "many2one",
    "monetary",
    "selection",
    "text",
]
UNREQUIRABLE_FIELDS = [
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "company_id",
    "currency_id",
    "pipeline_id",
    "status_id",
    "status_type",
    "probability",
    "date_closed",
    "date_status_changed",
    "annual_revenue",
    "weighted_revenue",
    "message_main_attachment_id",
]
REQUIRABLE_FIELDS_DOMAIN = [
    ("model", "=", "partner.opportunity"),
    ("store", "=", True),
    ("ttype", "in", REQUIRABLE_FIELD_TYPES),
    ("name", "not in", UNREQUIRABLE_FIELDS),
]


class PartnerOpportunityStatus(models.Model):
    _name = "partner.opportunity.status"
    _description = "Opportunity Status"
    _order = "sequence, id"
    _inherit = ["partner.opportunity.values"]
    _unique_name_scope = "pipeline_id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    pipeline_id = fields.Many2one(
        "partner.opportunity.pipeline",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="pipeline_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10, help="Order of the columns on the board.")
    status_type = fields.Selection(
        STATUS_TYPES,
        string="Type",
        required=True,
        default="active",
        help="Active: still being worked. Won and lost close the opportunity: only "
        "administrators can move it out again.",
    )
    fold = fields.Boolean(
        string="Folded on the Board", help="The column is folded when it is empty."
    )
    color = fields.Integer()
    probability = fields.Integer(
        string="Default Probability (%)",
        help="Opportunities entering this status take this probability, unless the "
        "same change sets one. 0: they keep their own. Won and lost statuses always "
        "set 100 % and 0 %.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        "partner_opportunity_status_required_field_rel",
        "status_id",
        "field_id",
        string="Required Fields",
        domain=REQUIRABLE_FIELDS_DOMAIN,
        # Field metadata is readable by administrators only; the rule itself
        # is checked for everyone (see _has_entry_requirements).
        groups="partner_opportunity.group_admin",
        help="An opportunity may only enter this status when these fields are filled "
        "(numbers: not zero).",
    )
    idle_days = fields.Integer(
        string="Idle After (Days)",
        help="Opportunities in this status without status change and without planned "
        "activity for this many days are idle. 0: the company's threshold.",
    )
    opportunity_count = fields.Integer(compute="_compute_opportunity_count")

    _sql_constraints = [
        (
            "name_uniq",
            "UNIQUE(pipeline_id, name)",
            "Status name: it is already a status of this pipeline. Status names must be "
            "unique within a pipeline.",
        ),
        (
            "probability_range",
            "CHECK(probability >= 0 AND probability <= 100)",
            "Default probability: it must be between 0 and 100 %.",
        ),
        (
            "idle_days_positive",
            "CHECK(idle_days >= 0)",
            "Idle threshold: it cannot be negative.",
        ),
    ]

    @api.depends_context("uid")
    def _compute_opportunity_count(self):
        counts = dict(
            self.env["partner.opportunity"]._read_group(
                [("status_id", "in", self.ids)], ["status_id"], ["__count"]
            )
        )
        for status in self:
            status.opportunity_count = counts.get(status, 0)

    @api.onchange("status_type")
    def _onchange_status_type(self):
        origin = self._origin
        if not origin or origin.status_type == self.status_type or not origin.opportunity_count:
            return None
        return {
            "warning": {
                "title": _("Type change"),
                "message": _(
                    "The %(count)s opportunities in “%(status)s” change type with it: "
                    "they count as %(type)s in the board, the filters and the reports, "
                    "and who may change them follows. Their probability and close "
                    "date stay as they are.",
                    count=origin.opportunity_count,
                    status=origin.name,
                    type=dict(self._fields["status_type"]._description_selection(self.env))[
                        self.status_type
                    ],
                ),
            }
        }

    def _unique_name_error(self, name, scope):
        return _(
            "Status name: “%(name)s” is already a status of the pipeline “%(pipeline)s”. "
            "Status names must be unique within a pipeline.",
            name=name,
            pipeline=scope.name,
        )

    @api.constrains("required_field_ids")
    def _check_required_fields(self):
        allowed = self.env["ir.model.fields"].sudo().search(REQUIRABLE_FIELDS_DOMAIN)
        for status in self:
            wrong = status.required_field_ids - allowed
            if wrong:
                raise ValidationError(
                    _(
                        "Required fields: %(fields)s cannot be required to enter a "
                        "status. Choose fields that salespeople fill in.",
                        fields=", ".join(wrong.mapped("field_description")),
                    )
                )

    @api.constrains("status_type", "pipeline_id")
    def _check_pipeline_keeps_active_status(self):
        """C3: every pipeline keeps a status for new opportunities."""
        self.pipeline_id._check_keeps_active_status()

    def _opportunity_probability(self):
        """The probability an opportunity takes on entering this status (D3 and
        the default of the status), or None when it keeps its own."""
        self.ensure_one()
        if self.status_type == "won":
            return 100
        if self.status_type == "lost":
            return 0
        if self.probability and self.pipeline_id.use_status_probability:
            return self.probability
        return None

    def _entering(self, vals, reopening=False):
        """D3 in one place: ``vals`` as written by an opportunity entering this
        status. Won and lost close it at 100 % and 0 %, whatever else is sent;
        an open status keeps it open (no close date, no lost reason) at the
        probability sent, else the status's default, else 50 % for one
        reopened from won or lost (else it keeps its own)."""
        self.ensure_one()
        now = fields.Datetime.now()
        entry = {
            "date_status_changed": now,
            "date_closed": now if self.status_type != "active" else False,
        }
        if self.status_type != "lost":
            entry["lost_reason_id"] = False
        probability = self._opportunity_probability()
        if probability is None and reopening:
            probability = DEFAULT_PROBABILITY
        if probability is not None:
            entry["probability"] = probability
        values = {**entry, **vals}
        if self.status_type != "active":
            values["probability"] = probability
        return values

    def _has_entry_requirements(self):
        self.ensure_one()
        return bool(self.sudo().required_field_ids) or (
            self.status_type == "lost" and self.company_id.partner_opportunity_lost_reason_required
        )

    def write(self, vals):
        if "pipeline_id" not in vals:
            return super().write(vals)
        moved = self.filtered(lambda s: s.pipeline_id.id != vals["pipeline_id"])
        if moved and self.env["partner.opportunity"].with_context(active_test=False).search_count(
            [("status_id", "in", moved.ids)], limit=1
        ):
            raise UserError(
                _(
                    "Opportunities are in this status: it stays in its pipeline. "
                    "Create the status in the other pipeline instead."
                )
            )
        left = moved.pipeline_id
        result = super().write(vals)
        # C3 for the pipelines the statuses left, too.
        left._check_keeps_active_status()
        return result

    @api.ondelete(at_uninstall=True)
    def _unlink_except_used_or_last(self):
        if uninstalling(self.env):
            return
        if self.env["partner.opportunity"].search_count([("status_id", "in", self.ids)], limit=1):
            raise UserError(
                _(
                    "Opportunities are still in this status. Delete it with the "
                    "“Delete Status” action, which asks where to move them."
                )
            )
        self.pipeline_id._check_keeps_active_status(without=self)

    def action_open_delete_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Delete Status"),
            "res_model": "partner.opportunity.status.delete",
            "view_mode": "form",
            "target": "new",
            "context": {"default_status_ids": self.ids},
        }
