from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestFormUi(PartnerOpportunityTourCase):
    """What an agent sees of the board's pipeline and of the form (B1, C1,
    R1, R4, R6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._tour_user("form_agent", "partner_opportunity.group_agent")
        cls.supervisor = cls._tour_user("form_supervisor", "partner_opportunity.group_supervisor")
        cls.env["crm.team"].create(
            {
                "name": "Form Team",
                "user_id": cls.supervisor.id,
                "member_ids": [Command.set(cls.agent.ids)],
            }
        )
        ref = cls.env.ref
        cls.status_demo = ref("partner_opportunity.status_demo_done")
        cls.status_won = ref("partner_opportunity.status_won")
        cls.status_lost = ref("partner_opportunity.status_lost")
        cls.renewals = cls.env["partner.opportunity.pipeline"].create(
            {
                "name": "Renewals",
                "status_ids": [
                    Command.create({"name": "Renewal due", "sequence": 1}),
                    Command.create({"name": "Renewed", "sequence": 2, "status_type": "won"}),
                    Command.create({"name": "Churned", "sequence": 3, "status_type": "lost"}),
                ],
            }
        )
        cls.customer = (
            cls.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Form Customer", "is_company": True})
        )

        def opportunity(name, **vals):
            return cls.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": cls.customer.id,
                    "user_id": cls.agent.id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": 500,
                    **vals,
                }
            )

        cls.deal = opportunity("Form Deal", status_id=cls.status_demo.id)
        cls.other_deal = opportunity("Form Other Deal", status_id=cls.status_demo.id)
        cls.renewal = opportunity("Form Renewal", pipeline_id=cls.renewals.id)

    def test_board_keeps_its_pipeline(self):
        """B1, C1: the switcher changes the board's pipeline, and a reload
        (or the copied link) shows the same pipeline, its columns and title."""
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_board",
            "partner_opportunity_board_pipeline",
            login="form_agent",
        )

    def test_form_lost_asks_the_reason(self):
        """R4: Lost from the form asks for the reason, then the closed
        opportunity is read-only to the agent; won and lost are not one click
        away on the status bar, and the salesperson offered is only the agent."""
        self.start_tour(
            f"/odoo/partner.opportunity/{self.deal.id}",
            "partner_opportunity_form_lost",
            login="form_agent",
        )
        self.assertRecordValues(
            self.deal,
            [
                {
                    "status_id": self.status_lost.id,
                    "lost_reason_id": self.env.ref(
                        "partner_opportunity.lost_reason_too_expensive"
                    ).id,
                    "user_id": self.agent.id,
                }
            ],
        )
        self.assertEqual(self.deal.interaction_ids.status_to_id, self.status_lost)

    def test_form_won_asks_first(self):
        self.start_tour(
            f"/odoo/partner.opportunity/{self.other_deal.id}",
            "partner_opportunity_form_won",
            login="form_agent",
        )
        self.assertRecordValues(
            self.other_deal, [{"status_id": self.status_won.id, "probability": 100}]
        )
