import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .partner_opportunity_status import DEFAULT_PROBABILITY
from .partner_opportunity_values import SERVER, uninstalling

_logger = logging.getLogger(__name__)

AUTO_CLOSE_DAYS = 7


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Prefixed: Odoo CRM has res.partner.opportunity_ids and opportunity_count (X2).
    partner_opportunity_ids = fields.One2many(
        "partner.opportunity", "partner_id", string="Customer Opportunities"
    )
    # The customer form's tab lists these beside its own: read with the
    # user's rights, and changed in place (the lines' commands write on the
    # opportunities themselves, under their rules).
    partner_opportunity_contact_opportunity_ids = fields.Many2many(
        "partner.opportunity",
        string="Opportunities of Its Contacts",
        compute="_compute_partner_opportunity_contact_opportunity_ids",
        inverse="_inverse_partner_opportunity_contact_opportunity_ids",
    )
    partner_opportunity_count = fields.Integer(
        string="Customer Opportunity Count", compute="_compute_partner_opportunity_stats"
    )
    partner_opportunity_open_value = fields.Monetary(
        string="Open Annual Value",
        help="The annual value of the customer's open opportunities (monthly × 12).",
        compute="_compute_partner_opportunity_stats",
        currency_field="partner_opportunity_currency_id",
    )
    partner_opportunity_currency_id = fields.Many2one(
        "res.currency", string="Opportunity Currency", compute="_compute_partner_opportunity_stats"
    )
    partner_opportunity_interaction_count = fields.Integer(
        string="Interactions", compute="_compute_partner_opportunity_interactions"
    )
    partner_opportunity_last_interaction = fields.Datetime(
        string="Last Interaction", compute="_compute_partner_opportunity_interactions"
    )

    @api.depends_context("uid")
    def _compute_partner_opportunity_stats(self):
        # Counted with the user's rights: nobody learns of opportunities they
        # may not see, and users without the app see nothing.
        Opportunity = self.env["partner.opportunity"]
        groups = Opportunity.has_access("read") and Opportunity._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id", "status_type"],
            ["__count", "annual_revenue:sum"],
        )
        stats = {}
        for partner, status_type, count, value in groups or []:
            total_count, open_value = stats.get(partner, (0, 0.0))
            stats[partner] = (
                total_count + count,
                open_value + (value if status_type == "active" else 0.0),
            )
        for partner in self:
            partner.partner_opportunity_count, partner.partner_opportunity_open_value = stats.get(
                partner, (0, 0.0)
            )
            partner.partner_opportunity_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends_context("uid")
    def _compute_partner_opportunity_interactions(self):
        Interaction = self.env["partner.opportunity.interaction"]
        groups = Interaction.has_access("read") and Interaction._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count", "date:max"]
        )
        stats = {partner: (count, last) for partner, count, last in groups or []}
        for partner in self:
            (
                partner.partner_opportunity_interaction_count,
                partner.partner_opportunity_last_interaction,
            ) = stats.get(partner, (0, False))

    @api.depends_context("uid")
    def _compute_partner_opportunity_contact_opportunity_ids(self):
        Opportunity = self.env["partner.opportunity"]
        opportunities = (
            Opportunity.has_access("read")
            and Opportunity.search([("partner_id.parent_id", "in", self.ids)])
        ) or Opportunity
        for partner in self:
            partner.partner_opportunity_contact_opportunity_ids = opportunities.filtered(
                lambda o, p=partner: o.partner_id.parent_id == p
            )

    def _inverse_partner_opportunity_contact_opportunity_ids(self):
        """Nothing to link: the lines are the contacts' by their customer."""

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if self.env.context.get("partner_opportunity_no_auto") is SERVER:
            return partners
        if self.env.context.get("import_file"):
            # An import is a batch already: its customers' opportunities are
            # created with them, in one batch, whoever imports. The import's
            # options ("Track history") are about the customers: the
            # opportunities get their followers and creation message as
            # anywhere else.
            partners.with_context(
                import_file=False, tracking_disable=False
            )._partner_opportunity_customers()._partner_opportunity_create(automatic=True)
        elif self.env.su or self.env.user.has_group("partner_opportunity.group_agent"):
            partners._partner_opportunity_customers()._partner_opportunity_create(automatic=True)
        else:
            partners._partner_opportunity_create_at_commit()
        return partners

    def _partner_opportunity_create_at_commit(self):
        """D2 for users without the app, who do not see the opportunities:
        created in one batch when the transaction is about to commit, so that
        an app creating customers one by one, as CRM's mass conversion does,
        pays for them once (test_coexistence: test_mass_conversion_pays_once)."""
        pending = self.env.cr.precommit.data.setdefault(
            f"partner_opportunity.auto.{self.env.uid}.{self.env.company.id}", []
        )
        if not pending:
            env = self.env

            @env.cr.precommit.add
            def create_opportunities():
                # The user may no longer read a partner by then (its company
                # changed, or theirs): the work is done as superuser anyway.
                partners = env["res.partner"].sudo().browse(pending).exists()
                pending.clear()
                partners._partner_opportunity_customers()._partner_opportunity_create(
                    automatic=True
                )

        pending.extend(self.ids)

    @api.model
    def _find_or_create_from_emails(self, emails, additional_values=None):
        # Partners made from incoming or outgoing e-mail are not customers (X3).
        return super(
            ResPartner, self.with_context(partner_opportunity_no_auto=SERVER)
        )._find_or_create_from_emails(emails, additional_values=additional_values)

    @api.model
    def find_or_create(self, email, assert_valid_email=False):
        return super(
            ResPartner, self.with_context(partner_opportunity_no_auto=SERVER)
        ).find_or_create(email, assert_valid_email=assert_valid_email)

    def _partner_opportunity_customers(self):
        """The partners of ``self`` that are customers for D2 (X3): not the
        contacts of a company, not the partners of users, not vendors (a
        partner created as a supplier and never as a customer by Purchase or
        Accounting). The partners of new companies and users, and partners
        created from e-mail, are created with automatic opportunities off
        (``partner_opportunity_no_auto``): Odoo creates the partner of a user
        or a company before the user or company, so at that moment nothing
        here could tell it from a customer."""
        vendor_mode = self.env.context.get("res_partner_search_mode") == "supplier"
        ranked = "supplier_rank" in self._fields and "customer_rank" in self._fields
        return self.filtered(
            lambda p: (
                not p.parent_id
                and not p.user_ids
                and not (vendor_mode and not (ranked and p.customer_rank))
                and not (ranked and p.supplier_rank and not p.customer_rank)
            )
        )

    def _partner_opportunity_create(self, pipeline=None, automatic=False, skip_open=False):
        """Create an opportunity for each customer in ``self`` (D2).

        This is the entry point of call campaigns and other modules: each
        opportunity gets the customer's name as description, the first status of
        ``pipeline`` (default: the company's default pipeline), a close date in 7
        days, 50 % probability, no revenue, and the customer's salesperson (else
        the user who creates the customer, else the salesperson chosen in Settings:
        the first who may hold opportunities, see _partner_opportunity_salespersons).

        It runs with the rights it needs, whoever creates the customer, and
        never makes the customer's creation fail: a customer whose opportunity
        cannot be placed (no pipeline, no salesperson allowed in its company) is
        created without one, and the reason is logged.

        :param pipeline: ``partner.opportunity.pipeline`` record, or None
        :param automatic: only for companies that create opportunities for new
            customers (Settings)
        :param skip_open: skip customers that have an open opportunity in the
            target pipeline already
        :return: the opportunities created (as superuser)
        """
        Opportunity = self.env["partner.opportunity"].sudo()
        date_deadline = fields.Date.context_today(self) + timedelta(days=AUTO_CLOSE_DAYS)
        places = {}  # company: (pipeline, first status)
        salespersons = self._partner_opportunity_salespersons(self.env.user)
        vals_list = []
        for partner in self.sudo():
            company = partner.company_id or self.env.company.sudo()
            if automatic and not company.partner_opportunity_auto_create:
                continue
            if company not in places:
                target = pipeline or Opportunity._default_pipeline(company)
                places[company] = (target, target and target._first_status())
            target, status = places[company]
            if not target:
                _logger.info("No opportunity for %s: %s has no pipeline.", partner, company)
                continue
            salesperson = salespersons[partner]
            if not salesperson:
                _logger.info("No opportunity for %s: nobody may hold it in %s.", partner, company)
                continue
            team = salesperson.sale_team_id
            vals_list.append(
                {
                    "name": partner.name,
                    "partner_id": partner.id,
                    "pipeline_id": target.id,
                    "status_id": status.id,
                    "date_deadline": date_deadline,
                    "probability": DEFAULT_PROBABILITY,
                    "expected_revenue": 0.0,
                    "user_id": salesperson.id,
                    # A team of another company would refuse the opportunity.
                    "team_id": team.id
                    if not team.company_id or team.company_id == company
                    else False,
                    "is_automatic": automatic,
                }
            )
        if skip_open and vals_list:
            existing = {
                (partner.id, pipeline_.id)
                for partner, pipeline_ in Opportunity._read_group(
                    [
                        ("partner_id", "in", [v["partner_id"] for v in vals_list]),
                        ("pipeline_id", "in", [v["pipeline_id"] for v in vals_list]),
                        ("status_type", "=", "active"),
                    ],
                    ["partner_id", "pipeline_id"],
                )
            }
            vals_list = [
                v for v in vals_list if (v["partner_id"], v["pipeline_id"]) not in existing
            ]
        if not vals_list:
            return Opportunity
        Opportunity = Opportunity.with_context(mail_auto_subscribe_no_notify=True)
        if not automatic:
            return Opportunity.create(vals_list)
        # The salesperson follows an automatic opportunity, not whoever
        # created or imported the customer, who may not even see it.
        Opportunity = Opportunity.with_context(mail_create_nosubscribe=True)
        try:
            with self.env.cr.savepoint():
                return Opportunity.create(vals_list)
        except (UserError, psycopg2.IntegrityError):
            # One customer's opportunity must not cost the others theirs.
            opportunities = Opportunity
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        opportunities |= Opportunity.create(vals)
                except (UserError, psycopg2.IntegrityError) as error:
                    _logger.warning(
                        "No automatic opportunity for the customer %s: %s",
                        vals["partner_id"],
                        error,
                    )
            return opportunities

    def _partner_opportunity_salespersons(self, creator):
        """D2: the salesperson of each customer's automatic opportunity,
        ``{partner: user or None}``: the first who may hold opportunities in
        the customer's company (R6) of the customer's salesperson, ``creator``
        (the user who creates the customer) and the salesperson chosen in
        Settings. Each user is checked once per company, however many
        customers they are candidates for."""
        may_hold = {}

        def holds(user, company):
            if (user, company) not in may_hold:
                may_hold[user, company] = bool(user) and user._partner_opportunity_may_hold(company)
            return may_hold[user, company]

        result = {}
        default_company = self.env.company.sudo()
        for partner in self.sudo():
            company = partner.company_id or default_company
            candidates = (partner.user_id, creator, company.partner_opportunity_user_id)
            result[partner] = next((u for u in candidates if holds(u, company)), None)
        return result

    @api.ondelete(at_uninstall=True)
    def _unlink_partner_opportunity(self):
        """X3: a customer goes with the opportunities created for it
        automatically and never worked on; any other opportunity keeps it."""
        if uninstalling(self.env):
            return
        opportunities = (
            self.env["partner.opportunity"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        worked = opportunities - opportunities._filtered_untouched()
        if worked:
            raise UserError(
                _(
                    "%(customers)s cannot be deleted: %(count)s opportunities are "
                    "recorded for it. Archive the customer instead, or ask an "
                    "opportunity administrator to delete or move its opportunities.",
                    customers=", ".join(worked.partner_id.mapped("display_name")[:5]),
                    count=len(worked),
                )
            )
        opportunities.unlink()

    def action_partner_opportunity_create(self):
        """Mass action / call campaign: one open opportunity per customer.
        A company's own partner is not a customer (X3); new ones never reach
        D2 (res.company.create), existing ones may be selected here."""
        companies = self.env["res.company"].sudo().search([("partner_id", "in", self.ids)])
        customers = self._partner_opportunity_customers() - companies.partner_id
        created = customers._partner_opportunity_create(skip_open=True)
        skipped = len(self) - len(created)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "warning",
                "title": _("Opportunities"),
                "message": _(
                    "%(created)s opportunities created, %(skipped)s customers skipped "
                    "(not customers — contacts of a company, partners of users, companies or "
                    "vendors — or "
                    "with an open opportunity already).",
                    created=len(created),
                    skipped=skipped,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_partner_opportunity_view(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_opportunity.partner_opportunity_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_group_status": 0,
        }
        action["view_mode"] = "list,kanban,form,pivot,graph,activity"
        action["views"] = [(False, mode) for mode in action["view_mode"].split(",")]
        return action

    def action_partner_opportunity_new(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Opportunity"),
            "res_model": "partner.opportunity",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_partner_id": self.id},
        }
