from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .partner_opportunity_values import uninstalling


class PartnerOpportunityPipeline(models.Model):
    _name = "partner.opportunity.pipeline"
    _description = "Opportunity Pipeline"
    _order = "sequence, name, id"
    _inherit = ["partner.opportunity.values"]
    _unique_name_scope = "company_id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    status_ids = fields.One2many(
        "partner.opportunity.status", "pipeline_id", string="Statuses", copy=True
    )
    opportunity_ids = fields.One2many("partner.opportunity", "pipeline_id", string="Opportunities")
    opportunity_count = fields.Integer(compute="_compute_opportunity_stats")
    opportunity_value = fields.Monetary(
        string="Open Annual Value",
        compute="_compute_opportunity_stats",
        currency_field="currency_id",
        help="The annual value of the open opportunities (monthly × 12).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    use_status_probability = fields.Boolean(
        string="Probability from Statuses",
        default=True,
        help="Opportunities entering a status take the default probability of the "
        "status, when it has one.",
    )
    opportunity_properties_definition = fields.PropertiesDefinition(
        string="Opportunity Properties",
        help="Custom fields of the opportunities of this pipeline.",
    )

    @api.depends("opportunity_ids")
    @api.depends_context("uid")
    def _compute_opportunity_stats(self):
        groups = self.env["partner.opportunity"]._read_group(
            [("pipeline_id", "in", self.ids), ("status_type", "=", "active")],
            ["pipeline_id"],
            ["__count", "annual_revenue:sum"],
        )
        stats = {pipeline: (count, value) for pipeline, count, value in groups}
        for pipeline in self:
            pipeline.opportunity_count, pipeline.opportunity_value = stats.get(pipeline, (0, 0.0))

    _sql_constraints = [
        (
            "name_uniq",
            "UNIQUE(company_id, name)",
            "Pipeline name: a pipeline of this name already exists in the company. "
            "Pipeline names must be unique per company.",
        ),
    ]

    def _unique_name_error(self, name, scope):
        return _(
            "Pipeline name: a pipeline named “%(name)s” already exists in %(company)s. "
            "Pipeline names must be unique per company.",
            name=name,
            company=scope.name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        pipelines = super().create(vals_list)
        if self.env.su and self.env.context.get("partner_opportunity_pipeline_no_status"):
            # Data files add their own statuses right after; a client sending
            # the key gets the default statuses all the same (C3).
            return pipelines
        # C3: a pipeline always has somewhere to put a new opportunity.
        empty = pipelines.filtered(lambda p: not p.status_ids)
        self.env["partner.opportunity.status"].create(
            [
                vals | {"pipeline_id": pipeline.id}
                for pipeline in empty
                for vals in self._default_statuses().values()
            ]
        )
        return pipelines

    @api.model
    def _default_statuses(self):
        """C4, the one list of default statuses: those of a fresh install and
        of every new pipeline and company, by the XML id (in this module) the
        install's default pipeline gives them (see _name_default_statuses)."""
        return {
            "status_new": {"name": _("New"), "sequence": 1},
            "status_demo_done": {"name": _("Demo done"), "sequence": 2},
            "status_proposal_sent": {"name": _("Proposal sent"), "sequence": 3},
            "status_contract_sent": {"name": _("Contract sent"), "sequence": 4},
            "status_negotiation": {"name": _("Negotiation"), "sequence": 5},
            "status_won": {"name": _("Won"), "sequence": 6, "status_type": "won", "color": 10},
            "status_lost": {"name": _("Lost"), "sequence": 7, "status_type": "lost", "color": 1},
        }

    def _name_default_statuses(self):
        """C4 at install (data/partner_opportunity_data.xml): the statuses
        create() gave the default pipeline take their XML ids, which demo data,
        tests and translations use. As Odoo's stock names the locations of its
        first warehouse: noupdate, so an upgrade keeps them as they are."""
        self.ensure_one()
        statuses = self.status_ids.sorted(lambda s: (s.sequence, s.id))
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"partner_opportunity.{xmlid}", "record": status, "noupdate": True}
                for xmlid, status in zip(self._default_statuses(), statuses, strict=True)
            ]
        )

    @api.model
    def _create_company_pipelines(self, companies):
        """C3: every company starts with a pipeline of its own."""
        # Translated out of the comprehension, whose frame has no env for _().
        name = _("Sales")
        pipelines = self.create([{"name": name, "company_id": company.id} for company in companies])
        for company, pipeline in zip(companies, pipelines, strict=True):
            company.partner_opportunity_pipeline_id = pipeline
        return pipelines

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._check_company_keeps_pipeline()
        if "company_id" in vals and any(p.company_id.id != vals["company_id"] for p in self):
            # Its statuses, opportunities and history would leave the company
            # with it, and the company's default pipeline would point abroad.
            raise UserError(
                _(
                    "Company: a pipeline stays in the company it was created in. "
                    "Create a pipeline in the other company instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_used(self):
        if uninstalling(self.env):
            return
        self._check_company_keeps_pipeline()
        if (
            self.env["partner.opportunity"]
            .with_context(active_test=False)
            .search_count([("pipeline_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                _(
                    "This pipeline still has opportunities: move them to another "
                    "pipeline or archive the pipeline instead of deleting it."
                )
            )

    def _check_company_keeps_pipeline(self):
        """C3: each company keeps at least one active pipeline."""
        remaining = self.search(
            [("company_id", "in", self.company_id.ids), ("id", "not in", self.ids)]
        )
        for company in self.company_id - remaining.company_id:
            raise UserError(
                _(
                    "%(company)s must keep at least one active pipeline, so that new "
                    "opportunities always have a place.",
                    company=company.name,
                )
            )

    def _check_keeps_active_status(self, without=None):
        """C3: every pipeline keeps a status for new opportunities, also once
        the statuses ``without`` are gone."""
        for pipeline in self:
            statuses = pipeline.status_ids - without if without else pipeline.status_ids
            if "active" not in statuses.mapped("status_type"):
                raise ValidationError(
                    _(
                        "The pipeline “%(pipeline)s” must keep at least one status of type Active.",
                        pipeline=pipeline.name,
                    )
                )

    def _first_status(self):
        """The status new opportunities of this pipeline start in (D1, D2)."""
        self.ensure_one()
        statuses = self.status_ids.filtered(lambda s: s.status_type == "active")
        return (statuses or self.status_ids)[:1]

    def action_open_board(self):
        self.ensure_one()
        return self.env["partner.opportunity"]._action_board(self)
