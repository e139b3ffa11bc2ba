"""B1, P2: the figures of the board's column headers and summary line, and the
header's switch between them, remembered per user."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityCase, PartnerOpportunityTourCase

BOARD = "/odoo/action-partner_opportunity.partner_opportunity_action_board"


@tagged("post_install", "-at_install")
class TestBoardFigure(PartnerOpportunityCase):
    def test_period_sums_are_apart(self):
        opportunities = self.env["partner.opportunity"]
        for revenue, period in ((5000, "one_time"), (1000, "monthly"), (2000, "annual")):
            opportunities |= self._opportunity(expected_revenue=revenue, revenue_period=period)
        opportunities.probability = 50
        self.assertEqual(
            [
                (
                    o.annual_revenue,
                    o.weighted_annual_revenue,
                    o.one_time_revenue,
                    o.monthly_revenue,
                    o.yearly_revenue,
                )
                for o in opportunities
            ],
            [
                (5000, 2500, 5000, 0, 0),
                (12000, 6000, 0, 1000, 0),
                (2000, 1000, 0, 0, 2000),
            ],
        )
        opportunities[1].revenue_period = "annual"
        self.assertEqual(
            (opportunities[1].monthly_revenue, opportunities[1].yearly_revenue), (0, 1000)
        )
        summary = self.Opportunity.get_summary([("id", "in", opportunities.ids)])
        self.assertEqual(
            summary["totals"],
            {
                "annual_revenue": 8000,
                "weighted_annual_revenue": 4000,
                "one_time_revenue": 5000,
                "monthly_revenue": 0,
                "yearly_revenue": 3000,
            },
        )

    def test_client_cannot_set_the_sums(self):
        """R6: values the server computes follow their inputs."""
        opportunity = self._opportunity(expected_revenue=1000, revenue_period="monthly")
        opportunity.with_user(self.agent1).write(
            {"monthly_revenue": 5, "one_time_revenue": 7, "weighted_annual_revenue": 9}
        )
        self.assertEqual(
            (
                opportunity.monthly_revenue,
                opportunity.one_time_revenue,
                opportunity.weighted_annual_revenue,
            ),
            (1000, 0, 12000 * opportunity.probability / 100),
        )

    def test_users_set_their_own_figure(self):
        Users = self.env["res.users"]
        self.assertEqual(self.agent1.partner_opportunity_board_figure, "annual")
        Users.with_user(self.agent1).partner_opportunity_set_board_figure("period")
        self.assertEqual(self.agent1.partner_opportunity_board_figure, "period")
        self.assertEqual(self.agent2.partner_opportunity_board_figure, "annual", "theirs only")
        # Through the ORM too, on their own record only (SELF_WRITEABLE_FIELDS).
        self.agent1.with_user(self.agent1).write({"partner_opportunity_board_figure": "weighted"})
        self.assertEqual(
            self.agent1.with_user(self.agent1).read(["partner_opportunity_board_figure"])[0][
                "partner_opportunity_board_figure"
            ],
            "weighted",
        )
        with self.assertRaises(UserError) as caught:
            Users.with_user(self.agent1).partner_opportunity_set_board_figure("everything")
        self.assertIn("Opportunity Figures", str(caught.exception))
        self.assertEqual(self.agent1.partner_opportunity_board_figure, "weighted")


@tagged("post_install", "-at_install")
class TestBoardFigureUi(PartnerOpportunityTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._tour_user("header_agent", "partner_opportunity.group_agent")
        other = cls._tour_user("header_other", "partner_opportunity.group_agent")
        customer = (
            cls.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Header Customer", "is_company": True})
        )
        ref = cls.env.ref
        new, won = ref("partner_opportunity.status_new"), ref("partner_opportunity.status_won")
        for name, user, status, revenue, period, probability in (
            ("Header One-time", cls.agent, new, 5000, "one_time", 20),
            ("Header Monthly", cls.agent, new, 1000, "monthly", 50),
            ("Header Annual", cls.agent, won, 2000, "annual", 100),
            ("Header Other", other, new, 3000, "monthly", 50),
        ):
            opportunity = cls.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "status_id": status.id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": revenue,
                    "revenue_period": period,
                }
            )
            opportunity.probability = probability

    def test_agent_switches_and_finds_it_again(self):
        self.start_tour(BOARD, "partner_opportunity_header_agent", login="header_agent")
        self.assertEqual(self.agent.partner_opportunity_board_figure, "period")
        # A new visit (a reload) shows the figure chosen.
        self.start_tour(BOARD, "partner_opportunity_header_remembered", login="header_agent")

    def test_admin_sees_every_agent(self):
        self.start_tour(BOARD, "partner_opportunity_header_admin", login="admin")
