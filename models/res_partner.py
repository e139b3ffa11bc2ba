from datetime import timedelta

from odoo import _, api, fields, models

AUTO_PROBABILITY = 50
AUTO_CLOSE_DAYS = 7


class ResPartner(models.Model):
    _inherit = "res.partner"

    opportunity_ids = fields.One2many("partner.opportunity", "partner_id", string="Opportunities")
    opportunity_count = fields.Integer(compute="_compute_opportunity_stats")
    opportunity_open_value = fields.Monetary(
        string="Open Opportunity Value",
        compute="_compute_opportunity_stats",
        currency_field="opportunity_currency_id",
    )
    opportunity_currency_id = fields.Many2one("res.currency", compute="_compute_opportunity_stats")
    opportunity_interaction_count = fields.Integer(
        string="Interactions", compute="_compute_opportunity_interactions"
    )
    opportunity_last_interaction = fields.Datetime(
        string="Last Interaction", compute="_compute_opportunity_interactions"
    )

    @api.depends_context("uid")
    def _compute_opportunity_stats(self):
        # Counted with the user's rights: nobody learns of opportunities they
        # may not see, and users without the app see nothing.
        Opportunity = self.env["partner.opportunity"]
        groups = Opportunity.has_access("read") and Opportunity._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id", "status_type"],
            ["__count", "expected_revenue:sum"],
        )
        stats = {}
        for partner, status_type, count, value in groups or []:
            total_count, open_value = stats.get(partner, (0, 0.0))
            stats[partner] = (
                total_count + count,
                open_value + (value if status_type == "active" else 0.0),
            )
        for partner in self:
            partner.opportunity_count, partner.opportunity_open_value = stats.get(partner, (0, 0.0))
            partner.opportunity_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends_context("uid")
    def _compute_opportunity_interactions(self):
        Interaction = self.env["partner.opportunity.interaction"]
        groups = Interaction.has_access("read") and Interaction._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count", "date:max"]
        )
        stats = {partner: (count, last) for partner, count, last in groups or []}
        for partner in self:
            partner.opportunity_interaction_count, partner.opportunity_last_interaction = stats.get(
                partner, (0, False)
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("partner_opportunity_no_auto"):
            partners.filtered(lambda p: not p.parent_id)._create_opportunities(automatic=True)
        return partners

    def _create_opportunities(self, pipeline=None, automatic=False, skip_open=False):
        """Create an opportunity for each customer in ``self`` (D2).

        This is the entry point of call campaigns and other modules: each
        opportunity gets the customer's name as description, the first status of
        ``pipeline`` (default: the company's default pipeline), a close date in 7
        days, 50 % probability, no revenue, and the customer's salesperson (else
        the current user) unless that user may not create opportunities for them.

        :param pipeline: ``partner.opportunity.pipeline`` record, or None
        :param automatic: only for companies that create opportunities for new
            customers (Settings)
        :param skip_open: skip customers that have an open opportunity in the
            target pipeline already
        :return: the opportunities created (as superuser)
        """
        Opportunity = self.env["partner.opportunity"].sudo()
        today = fields.Date.context_today(self)
        pipelines = {}
        vals_list = []
        for partner in self:
            company = partner.company_id or self.env.company
            if automatic and not company.opportunity_auto_create:
                continue
            if company not in pipelines:
                pipelines[company] = pipeline or Opportunity._default_pipeline(company)
            target = pipelines[company]
            if not target:
                continue
            vals_list.append(
                {
                    "name": partner.name,
                    "partner_id": partner.id,
                    "pipeline_id": target.id,
                    "status_id": target._first_status().id,
                    "date_deadline": today + timedelta(days=AUTO_CLOSE_DAYS),
                    "probability": AUTO_PROBABILITY,
                    "expected_revenue": 0.0,
                    "user_id": (partner.user_id or self.env.user).id,
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
        opportunities = Opportunity.with_context(
            mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True
        ).create(vals_list)
        # An agent creating a customer of somebody else keeps the opportunity.
        user = self.env.user
        if not self.env.su and user.has_group("partner_opportunity.group_agent"):
            others = opportunities.filtered(lambda o: o.user_id != user)
            refused = others - others.with_user(user)._filtered_access("create")
            if refused:
                refused.write({"user_id": user.id})
        return opportunities

    def action_create_opportunities(self):
        """Mass action / call campaign: one open opportunity per customer."""
        customers = self.filtered(lambda p: not p.parent_id)
        created = customers._create_opportunities(skip_open=True)
        skipped = len(self) - len(created)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "warning",
                "title": _("Opportunities"),
                "message": _(
                    "%(created)s opportunities created, %(skipped)s customers skipped "
                    "(contacts of a company, or an open opportunity already).",
                    created=len(created),
                    skipped=skipped,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_opportunities(self):
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

    def action_new_opportunity(self):
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
