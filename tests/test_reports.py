"""Reports: P1, P2 and the grouped reads of R5."""

import ast
from collections import defaultdict
from datetime import date

from odoo.tests import tagged

from .common import PartnerOpportunityCase

REPORT_ACTIONS = (
    "partner_opportunity.partner_opportunity_action_report_forecast",
    "partner_opportunity.partner_opportunity_action_report_funnel",
    "partner_opportunity.partner_opportunity_action_report_won",
)
REPORT_MENUS = (
    "partner_opportunity.partner_opportunity_menu_report_forecast",
    "partner_opportunity.partner_opportunity_menu_report_funnel",
    "partner_opportunity.partner_opportunity_menu_report_won",
)


@tagged("post_install", "-at_install")
class TestReports(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # (salesperson, status, revenue, probability, close date): the test's
        # own account of the opportunities, to sum without the ORM.
        cls.rows = [
            (cls.agent1, cls.status_new, 1000.0, 50, date(2026, 1, 10)),
            (cls.agent1, cls.status_new, 2500.0, 20, date(2026, 2, 3)),
            (cls.agent1, cls.status_proposal, 4000.0, 70, date(2026, 1, 20)),
            (cls.agent1, cls.status_won, 3000.0, 100, date(2026, 1, 5)),
            (cls.agent1, cls.status_lost, 7000.0, 0, date(2026, 2, 15)),
            (cls.agent2, cls.status_new, 50000.0, 90, date(2026, 1, 10)),
            (cls.agent2, cls.status_won, 60000.0, 100, date(2026, 2, 10)),
            (cls.agent3, cls.status_proposal, 80000.0, 40, date(2026, 1, 10)),
            (cls.supervisor, cls.status_demo, 9000.0, 30, date(2026, 3, 1)),
        ]
        cls.opportunities = cls.Opportunity.browse()
        for user, status, revenue, probability, deadline in cls.rows:
            cls.opportunities |= cls._opportunity(
                user=user,
                status_id=status.id,
                expected_revenue=revenue,
                probability=probability,
                date_deadline=deadline,
            )

    def _action(self, xmlid):
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def _expected_totals(self, users, key):
        """Count, revenue and expected value per ``key`` of the rows of ``users``."""
        totals = defaultdict(lambda: [0, 0.0, 0.0])
        for row in self.rows:
            user, status, revenue, probability, deadline = row
            if user not in users:
                continue
            total = totals[key(row)]
            total[0] += 1
            total[1] += revenue
            total[2] += revenue * probability / 100.0
        return {group: tuple(total) for group, total in totals.items()}

    def test_report_views_load_for_every_role(self):
        Opportunity = self.env["partner.opportunity"]
        for user in (self.agent1, self.supervisor, self.admin):
            visible_menus = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for xmlid in REPORT_MENUS:
                self.assertIn(self.env.ref(xmlid).id, visible_menus, f"{xmlid} for {user.login}")
            for xmlid in REPORT_ACTIONS:
                action = self._action(xmlid)
                views = [(view_id or False, mode) for view_id, mode in action["views"]]
                views.append((action["search_view_id"][0], "search"))
                result = Opportunity.with_user(user).get_views(views)
                for _view_id, mode in views:
                    self.assertIn(mode, result["views"], f"{xmlid} {mode} for {user.login}")
                    self.assertTrue(result["views"][mode]["arch"])

    def test_report_views_content(self):
        def arch(xmlid):
            view = self.env.ref(xmlid)
            return self.env["partner.opportunity"].get_views([(view.id, view.type)])["views"][
                view.type
            ]["arch"]

        forecast_pivot = arch("partner_opportunity.partner_opportunity_view_pivot_forecast")
        for measure in ("expected_revenue", "weighted_revenue", "annual_revenue"):
            self.assertIn(f'name="{measure}" type="measure"', forecast_pivot)
        self.assertIn('display_quantity="1"', forecast_pivot, "count is a measure too")
        self.assertIn('name="status_id" type="row"', forecast_pivot)
        self.assertIn('name="date_deadline" interval="month" type="col"', forecast_pivot)
        funnel = arch("partner_opportunity.partner_opportunity_view_graph_funnel")
        self.assertNotIn('type="measure"', funnel, "the funnel counts opportunities")
        self.assertLess(funnel.index('name="status_id"'), funnel.index('name="pipeline_id"'))
        won = arch("partner_opportunity.partner_opportunity_view_graph_won")
        self.assertIn('type="line"', won)
        self.assertIn('name="status_type"', won)

    def test_lost_excluded_from_forecast(self):
        domain = ast.literal_eval(self._action(REPORT_ACTIONS[0])["domain"])
        found = self.Opportunity.search(domain + [("id", "in", self.opportunities.ids)])
        self.assertEqual(found, self.opportunities.filtered(lambda o: o.status_type != "lost"))
        groups = self.Opportunity._read_group(
            domain + [("id", "in", self.opportunities.ids)], ["status_type"], ["__count"]
        )
        self.assertEqual({status_type for status_type, _count in groups}, {"active", "won"})
        funnel_domain = ast.literal_eval(self._action(REPORT_ACTIONS[1])["domain"])
        self.assertFalse(
            self.Opportunity.search_count(
                funnel_domain
                + [("status_type", "!=", "active"), ("id", "in", self.opportunities.ids)]
            )
        )

    def test_agent_totals_per_status_are_their_own(self):
        expected = self._expected_totals(self.agent1, key=lambda row: row[1])
        groups = self.Opportunity.with_user(self.agent1)._read_group(
            [], ["status_id"], ["__count", "expected_revenue:sum", "weighted_revenue:sum"]
        )
        got = {status: (count, revenue, weighted) for status, count, revenue, weighted in groups}
        self.assertEqual(got, expected)

    def test_agent_totals_per_salesperson_and_month_public_read_group(self):
        Opportunity = self.Opportunity.with_user(self.agent1)
        groups = Opportunity.read_group(
            [], ["expected_revenue:sum", "weighted_revenue:sum"], ["user_id"], lazy=False
        )
        self.assertEqual([group["user_id"][0] for group in groups], self.agent1.ids)
        (own,) = self._expected_totals(self.agent1, key=lambda row: row[0]).values()
        self.assertEqual(
            (groups[0]["__count"], groups[0]["expected_revenue"], groups[0]["weighted_revenue"]),
            own,
        )
        months = Opportunity.read_group(
            [], ["expected_revenue:sum"], ["date_deadline:month"], lazy=False
        )
        expected = self._expected_totals(self.agent1, key=lambda row: (row[4].year, row[4].month))
        self.assertEqual(
            sorted(group["expected_revenue"] for group in months),
            sorted(total[1] for total in expected.values()),
        )
        self.assertEqual(
            sum(group["expected_revenue"] for group in months),
            sum(row[2] for row in self.rows if row[0] == self.agent1),
            "nothing of agent 2, agent 3 or the supervisor",
        )

    def test_supervisor_totals_per_salesperson_cover_their_team(self):
        team = self.supervisor | self.agent1 | self.agent2
        expected = self._expected_totals(team, key=lambda row: row[0])
        groups = self.Opportunity.with_user(self.supervisor)._read_group(
            [], ["user_id"], ["__count", "expected_revenue:sum", "weighted_revenue:sum"]
        )
        got = {user: (count, revenue, weighted) for user, count, revenue, weighted in groups}
        self.assertEqual(got, expected)
        self.assertNotIn(self.agent3, got)

    def test_forecast_totals_per_status_for_admin(self):
        domain = ast.literal_eval(self._action(REPORT_ACTIONS[0])["domain"])
        everyone = self.agent1 | self.agent2 | self.agent3 | self.supervisor
        expected = {
            status: total
            for status, total in self._expected_totals(everyone, key=lambda row: row[1]).items()
            if status.status_type != "lost"
        }
        groups = self.Opportunity.with_user(self.admin)._read_group(
            domain + [("id", "in", self.opportunities.ids)],
            ["status_id"],
            ["__count", "expected_revenue:sum", "weighted_revenue:sum"],
        )
        got = {status: (count, revenue, weighted) for status, count, revenue, weighted in groups}
        self.assertEqual(got, expected)

    def test_annual_revenue_of_monthly_opportunity(self):
        monthly = self._opportunity(expected_revenue=800.0, revenue_period="monthly")
        yearly = self._opportunity(expected_revenue=800.0, revenue_period="annual")
        once = self._opportunity(expected_revenue=800.0, revenue_period="one_time")
        self.assertEqual(monthly.annual_revenue, 9600.0)
        self.assertEqual(yearly.annual_revenue, 800.0)
        self.assertEqual(once.annual_revenue, 800.0)
        [[total]] = self.Opportunity._read_group(
            [("id", "in", (monthly | yearly | once).ids)], [], ["annual_revenue:sum"]
        )
        self.assertEqual(total, 11200.0)
