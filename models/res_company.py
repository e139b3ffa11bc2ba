from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .partner_opportunity_values import SERVER, check_values


class ResCompany(models.Model):
    _inherit = "res.company"

    partner_opportunity_auto_create = fields.Boolean(
        string="Opportunity for New Customers",
        default=True,
        help="Create an opportunity in the default pipeline for every new customer.",
    )
    partner_opportunity_pipeline_id = fields.Many2one(
        "partner.opportunity.pipeline",
        string="Default Pipeline",
        check_company=True,
        help="Pipeline of the opportunities created automatically and of the board "
        "opened from the menu. Empty: the first pipeline of the company.",
    )
    partner_opportunity_user_id = fields.Many2one(
        "res.users",
        string="Salesperson of Automatic Opportunities",
        default=lambda self: self.env.company.partner_opportunity_user_id,
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="Holds the automatic opportunity of a new customer when neither the "
        "customer's salesperson nor the user who creates the customer may hold "
        "opportunities.",
    )
    partner_opportunity_near_days = fields.Integer(
        string="Close Date Is Near (Days)",
        default=3,
        help="The calendar icon by the close date of a card turns yellow this many days before "
        "that date.",
    )
    partner_opportunity_idle_days = fields.Integer(
        string="Idle After (Days)",
        default=14,
        help="An open opportunity without status change and without planned "
        "activity for this many days is marked idle.",
    )
    partner_opportunity_lost_reason_required = fields.Boolean(
        string="Lost Reason Required",
        help="An opportunity may only enter a lost status with a lost reason.",
    )

    _sql_constraints = [
        (
            "partner_opportunity_near_days_positive",
            "CHECK(partner_opportunity_near_days >= 0)",
            "The 'close date is near' threshold cannot be negative.",
        ),
        (
            "partner_opportunity_idle_days_positive",
            "CHECK(partner_opportunity_idle_days >= 1)",
            "The idle threshold must be at least one day.",
        ),
    ]

    @api.constrains("partner_opportunity_pipeline_id")
    def _check_opportunity_pipeline_company(self):
        for company in self:
            pipeline = company.partner_opportunity_pipeline_id
            if pipeline and pipeline.company_id != company:
                raise ValidationError(
                    _(
                        "Default pipeline: “%(pipeline)s” belongs to %(other)s, not to "
                        "%(company)s.",
                        pipeline=pipeline.name,
                        other=pipeline.company_id.name,
                        company=company.name,
                    )
                )

    @api.constrains("partner_opportunity_user_id")
    def _check_opportunity_user(self):
        for company in self:
            user = company.partner_opportunity_user_id
            # Whether they work for the company is checked for each customer:
            # a new company has no users yet.
            if user and not user._partner_opportunity_may_hold():
                raise ValidationError(
                    _(
                        "Salesperson of Automatic Opportunities: %(user)s has no opportunity role.",
                        user=user.name,
                    )
                )

    def write(self, vals):
        check_values(
            self, [{k: v for k, v in vals.items() if k.startswith("partner_opportunity_")}]
        )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a company is not a customer (D2, X3). Odoo creates it
        # before the company, when _partner_opportunity_customers cannot tell
        # it from a customer yet: its creation skips D2.
        companies = super(ResCompany, self.with_context(partner_opportunity_no_auto=SERVER)).create(
            vals_list
        )
        self.env["partner.opportunity.pipeline"].sudo()._create_company_pipelines(companies)
        return companies
