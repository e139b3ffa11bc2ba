from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestBoardUi(PartnerOpportunityTourCase):
    """The board in a browser (B1, R4, M5, F3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._tour_user("tour_agent", "partner_opportunity.group_agent")
        cls.supervisor = cls._tour_user("tour_supervisor", "partner_opportunity.group_supervisor")
        cls.env["crm.team"].create(
            {
                "name": "Tour Team",
                "user_id": cls.supervisor.id,
                "member_ids": [Command.set(cls.agent.ids)],
            }
        )
        ref = cls.env.ref
        cls.status_new = ref("partner_opportunity.status_new")
        cls.status_demo = ref("partner_opportunity.status_demo_done")
        cls.status_negotiation = ref("partner_opportunity.status_negotiation")
        cls.status_won = ref("partner_opportunity.status_won")
        cls.status_lost = ref("partner_opportunity.status_lost")
        customer = (
            cls.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Tour Customer", "is_company": True})
        )

        def opportunity(name, status, revenue):
            return cls.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": cls.agent.id,
                    "status_id": status.id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": revenue,
                }
            )

        cls.alpha = opportunity("Tour Deal Alpha", cls.status_new, 320)
        cls.beta = opportunity("Tour Deal Beta", cls.status_demo, 210)
        cls.gamma = opportunity("Tour Deal Gamma", cls.status_negotiation, 470)
        cls.board_url = "/odoo/action-partner_opportunity.partner_opportunity_action_board"

    def test_board_drag_and_drop(self):
        """Moves log an interaction; a won card cannot go back, and says why."""
        self.start_tour(self.board_url, "partner_opportunity_board_drag", login="tour_agent")

        self.assertEqual(self.alpha.status_id, self.status_demo)
        self.assertRecordValues(
            self.alpha.interaction_ids,
            [
                {
                    "user_id": self.agent.id,
                    "status_from_id": self.status_new.id,
                    "status_to_id": self.status_demo.id,
                }
            ],
        )
        self.assertEqual(self.beta.status_id, self.status_won)
        self.assertEqual(self.beta.probability, 100)
        # The refused reopening logged nothing: only the move to Won is there.
        self.assertRecordValues(
            self.beta.interaction_ids,
            [
                {
                    "user_id": self.agent.id,
                    "status_from_id": self.status_demo.id,
                    "status_to_id": self.status_won.id,
                }
            ],
        )
        self.assertFalse(self.gamma.interaction_ids)

    def test_salesperson_search_supervisor(self):
        self.start_tour(
            self.board_url, "partner_opportunity_search_salesperson", login="tour_supervisor"
        )

    def test_salesperson_search_agent(self):
        self.start_tour(
            self.board_url, "partner_opportunity_search_no_salesperson", login="tour_agent"
        )

    def test_board_colours(self):
        """B1: the won column is green, the lost one red, each with an opaque
        header that hides the cards scrolling under it; other columns neither."""
        # As many cards as the demo's columns: enough to scroll under the header.
        reason = self.env.ref("partner_opportunity.lost_reason_too_expensive")
        self.env["partner.opportunity"].create(
            [
                {
                    "name": f"Tour {status.name} {n}",
                    "partner_id": self.alpha.partner_id.id,
                    "user_id": self.agent.id,
                    "status_id": status.id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": 100 * n,
                    "lost_reason_id": reason.id if status == self.status_lost else False,
                }
                for status, count in ((self.status_won, 10), (self.status_lost, 7))
                for n in range(1, count + 1)
            ]
        )
        self.start_tour(self.board_url, "partner_opportunity_board_colours", login="tour_agent")

    def test_customer_interactions(self):
        """M5: a customer's Interactions button lists only that customer's."""
        other = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Other Buyer", "is_company": True})
        )
        delta = self.alpha.copy({"name": "Other Deal Delta", "partner_id": other.id})
        self.alpha.with_user(self.agent).status_id = self.status_demo
        self.gamma.with_user(self.agent).status_id = self.status_won
        delta.with_user(self.agent).status_id = self.status_demo
        delta.with_user(self.agent).status_id = self.status_negotiation
        customer = self.alpha.partner_id
        self.assertEqual(customer.partner_opportunity_interaction_count, 2)
        self.assertEqual(other.partner_opportunity_interaction_count, 2)
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "partner_opportunity_customer_interactions",
            login="tour_agent",
        )
