"""What a rep and a manager see: each test asserts it in a browser."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestViewsUi(PartnerOpportunityTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pipeline = cls.env.ref("partner_opportunity.pipeline_default")

    def test_pipeline_custom_fields(self):
        """F5: the pipeline form lists its custom fields and adds one."""
        self.pipeline.opportunity_properties_definition = [
            {"name": "licences", "string": "Licences", "type": "integer"}
        ]
        self.start_tour(
            f"/odoo/action-partner_opportunity.partner_opportunity_pipeline_action/{self.pipeline.id}",
            "partner_opportunity_pipeline_properties",
            login="admin",
        )
        definitions = self.pipeline.opportunity_properties_definition
        self.assertEqual(
            [(d["string"], d["type"]) for d in definitions],
            [("Licences", "integer"), ("Region", "boolean")],
        )
        self.assertEqual(definitions[0]["name"], "licences", "the existing field kept its values")

    def _report_data(self):
        """Two pipelines; in the default one, a won deal closing before an open one."""
        renewals = self.env["partner.opportunity.pipeline"].create(
            {
                "name": "Renewals",
                "status_ids": [
                    Command.create({"name": "To renew", "sequence": 1}),
                    Command.create({"name": "Renewed", "sequence": 2, "status_type": "won"}),
                    Command.create({"name": "Churned", "sequence": 3, "status_type": "lost"}),
                ],
            }
        )
        customer = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Report Customer", "is_company": True})
        )
        ref = self.env.ref
        for name, status, deadline in (
            ("Won early", ref("partner_opportunity.status_won"), date(2030, 1, 15)),
            ("Open later", ref("partner_opportunity.status_new"), date(2030, 3, 15)),
            ("Renewal", renewals.status_ids[0], date(2030, 2, 15)),
        ):
            self.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": customer.id,
                    "pipeline_id": status.pipeline_id.id,
                    "status_id": status.id,
                    "date_deadline": deadline,
                    "expected_revenue": 1000,
                }
            )

    def test_report_funnel_default_pipeline(self):
        """P2: the funnel opens on the default pipeline, and can leave it."""
        self._report_data()
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_report_funnel_default",
            "partner_opportunity_report_funnel",
            login="admin",
        )

    def test_report_won_colours(self):
        """P2: won revenue green, open forecast blue, on the default pipeline."""
        self._report_data()
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_report_won_default",
            "partner_opportunity_report_won",
            login="admin",
        )

    def _agent(self, login):
        return self._tour_user(login, "partner_opportunity.group_agent")

    def test_list_rows(self):
        """B3: pencil and bin per row, close dates, readable headers and footer."""
        agent = self._agent("list_agent")
        customer = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "List Customer", "is_company": True})
        )
        ref = self.env.ref
        opportunities = self.env["partner.opportunity"].create(
            [
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": agent.id,
                    "status_id": ref(f"partner_opportunity.status_{status}").id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": 123456,
                    "lost_reason_id": status == "lost"
                    and ref("partner_opportunity.lost_reason_too_expensive").id,
                }
                for name, status in (
                    ("List Open Deal", "new"),
                    ("List Won Deal", "won"),
                    ("List Lost Deal", "lost"),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action?view_type=list",
            "partner_opportunity_list",
            login="list_agent",
        )
        self.assertFalse(opportunities[0].exists(), "the bin deleted the open one")
        self.assertEqual(len(opportunities.exists()), 2)

    def _sums_deal(self):
        agent = self._agent("sums_agent")
        customer = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Sums Customer", "is_company": True})
        )
        opportunity = self.env["partner.opportunity"].create(
            {
                "name": "Sums Deal",
                "partner_id": customer.id,
                "user_id": agent.id,
                "status_id": self.env.ref("partner_opportunity.status_proposal_sent").id,
                "date_deadline": date(2030, 1, 31),
                "expected_revenue": 111000,
            }
        )
        opportunity.probability = 19
        self.assertEqual(opportunity.weighted_revenue, 21090)
        # An activity: its clock must stay apart from the close date's icon.
        opportunity.activity_schedule(user_id=agent.id, summary="Call back")
        return opportunity

    def test_card_close_date_icon(self):
        """B2: a calendar for the close date, the clock for activities only."""
        self._sums_deal()
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_board",
            "partner_opportunity_card_close_date",
            login="sums_agent",
        )

    def test_summary_follows_progress_bar(self):
        """P2: a column's progress-bar filter filters the summary above the board."""
        agent = self._agent("bar_agent")
        customer = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Bar Customer", "is_company": True})
        )
        ref = self.env.ref
        self.env["partner.opportunity"].create(
            [
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": agent.id,
                    "status_id": ref(f"partner_opportunity.status_{status}").id,
                    "date_deadline": deadline,
                    "expected_revenue": revenue,
                }
                for name, status, deadline, revenue in (
                    ("Bar Late Deal", "new", date(2020, 1, 31), 1000),
                    ("Bar Far Deal", "new", date(2030, 1, 31), 2000),
                    ("Bar Other Deal", "proposal_sent", date(2030, 1, 31), 4000),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_board",
            "partner_opportunity_summary_progress_bar",
            login="bar_agent",
        )

    def test_probability_slider(self):
        """D1: the number follows the handle, steps of 1, typed values."""
        opportunity = self._sums_deal()
        self.start_tour(
            f"/odoo/action-partner_opportunity.partner_opportunity_action/{opportunity.id}",
            "partner_opportunity_probability_slider",
            login="sums_agent",
        )
        self.assertEqual(opportunity.probability, 33)

    def test_customer_buttons_and_settings_label(self):
        """Customer smart buttons read right; the settings are labelled and say calendar."""
        opportunity = self._sums_deal()
        opportunity.write({"expected_revenue": 1000})
        opportunity.with_user(opportunity.user_id).status_id = self.env.ref(
            "partner_opportunity.status_demo_done"
        )
        self.start_tour(
            f"/odoo/res.partner/{opportunity.partner_id.id}",
            "partner_opportunity_customer_buttons",
            login="sums_agent",
        )
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_config_settings_action",
            "partner_opportunity_settings_label",
            login="admin",
        )

    def test_import_dialog_tells_of_the_opportunities(self):
        """D2: the import dialog imports the customers and says how many
        opportunities they got, beside Odoo's own notice."""
        self.start_tour(
            "/odoo/action-base.action_partner_form", "partner_opportunity_import", login="admin"
        )
        partners = self.env["res.partner"].search([("name", "like", "Tour %")])
        self.assertEqual(len(partners), 4)
        opportunities = self.env["partner.opportunity"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(opportunities.partner_id, partners)
