"""Movement through the funnel (P3), rep activity (P4) and the history they
read (M5), for each role (R1-R5), against figures computed by hand."""

import importlib.util
import xmlrpc.client
from pathlib import Path

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged, warmup
from odoo.tools import mute_logger

from .common import PartnerOpportunityCase

PERIOD = ("2026-03-01", "2026-03-31")
# get_movement with warm caches: the opportunities' figures, the moves' and
# entries' figures, the statuses (searched, then read), their pipelines, the
# company (its currency), the salespeople, their partners (names), the teams.
MOVEMENT_QUERIES = 9


@tagged("post_install", "-at_install")
class TestMovement(PartnerOpportunityCase):
    """Five opportunities over a fortnight of March 2026 (10:00 UTC each day):

    A  agent1, 1,000 one-time: created 2nd in New; Demo done 4th, Proposal
       sent 5th, back to Demo done 7th, Won 8th (agent1).
    B  agent2, 500 monthly (6,000 a year): created 2nd in New; Proposal sent
       3rd, Lost 6th (agent2); reopened into Proposal sent 9th and Won 10th
       by the administrator.
    C  agent3, 2,000: created 2nd in New; Demo done 4th (agent3). Open.
    D  agent1, 4,000: created 3rd in New. Open.
    E  agent3, 3,000: created 3rd in New; Lost 5th (agent3).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status_contract = cls.env.ref("partner_opportunity.status_contract_sent")
        cls.opp_a = cls._created("2026-03-02", cls.agent1, "A", 1000.0)
        cls.opp_b = cls._created("2026-03-02", cls.agent2, "B", 500.0, revenue_period="monthly")
        cls.opp_c = cls._created("2026-03-02", cls.agent3, "C", 2000.0)
        cls.opp_d = cls._created("2026-03-03", cls.agent1, "D", 4000.0)
        cls.opp_e = cls._created("2026-03-03", cls.agent3, "E", 3000.0)
        for day, user, opportunity, status in [
            ("2026-03-03", cls.agent2, cls.opp_b, cls.status_proposal),
            ("2026-03-04", cls.agent1, cls.opp_a, cls.status_demo),
            ("2026-03-04", cls.agent3, cls.opp_c, cls.status_demo),
            ("2026-03-05", cls.agent1, cls.opp_a, cls.status_proposal),
            ("2026-03-05", cls.agent3, cls.opp_e, cls.status_lost),
            ("2026-03-06", cls.agent2, cls.opp_b, cls.status_lost),
            ("2026-03-07", cls.agent1, cls.opp_a, cls.status_demo),
            ("2026-03-08", cls.agent1, cls.opp_a, cls.status_won),
            ("2026-03-09", cls.admin, cls.opp_b, cls.status_proposal),
            ("2026-03-10", cls.admin, cls.opp_b, cls.status_won),
        ]:
            with freeze_time(f"{day} 10:00:00"):
                opportunity.with_user(user).write({"status_id": status.id})
        cls.Interaction = cls.env["partner.opportunity.interaction"]

    @classmethod
    def _created(cls, day, user, name, revenue, **vals):
        """An opportunity created by its salesperson on ``day`` at 10:00, as
        a client would: the creation date is the transaction's, so it is
        dated afterwards."""
        with freeze_time(f"{day} 10:00:00"):
            opportunity = cls.Opportunity.with_user(user).create(
                {
                    "name": name,
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "date_deadline": "2026-12-31",
                    "expected_revenue": revenue,
                    **vals,
                }
            )
        cls.env.cr.execute(
            "UPDATE partner_opportunity SET create_date = %s WHERE id = %s",
            (f"{day} 10:00:00", opportunity.id),
        )
        opportunity.invalidate_recordset(["create_date"])
        return opportunity.with_env(cls.env)

    def _movement(self, user):
        return self.Interaction.with_user(user).get_movement(
            [("pipeline_id", "=", self.pipeline.id)], *PERIOD
        )

    def _status(self, figures, status):
        return next(row for row in figures["statuses"] if row["id"] == status.id)

    def assertFigures(self, figures, expected):
        for key, value in expected.items():
            if isinstance(value, float):
                self.assertAlmostEqual(figures[key], value, places=6, msg=key)
            else:
                self.assertEqual(figures[key], value, key)

    # ------------------------------------------------------------
    # M5: what each status change keeps
    # ------------------------------------------------------------

    def test_status_change_keeps_its_context(self):
        moves = self.opp_b.interaction_ids.sorted("date")
        self.assertRecordValues(
            moves,
            [
                {
                    "user_id": self.agent2.id,
                    "salesperson_id": self.agent2.id,
                    "team_id": self.team_direct.id,
                    "pipeline_id": self.pipeline.id,
                    "status_from_type": "active",
                    "status_to_type": "active",
                    "annual_revenue": 6000.0,
                    "days_in_status": 1.0,
                    "days_since_creation": 1.0,
                    "direction": "forward",
                    "move_type": "forward",
                },
                {
                    "user_id": self.agent2.id,
                    "salesperson_id": self.agent2.id,
                    "team_id": self.team_direct.id,
                    "pipeline_id": self.pipeline.id,
                    "status_from_type": "active",
                    "status_to_type": "lost",
                    "annual_revenue": 6000.0,
                    "days_in_status": 3.0,
                    "days_since_creation": 4.0,
                    "direction": "forward",
                    "move_type": "lost",
                },
                {
                    # The administrator reopens: the move is theirs, the
                    # opportunity still agent2's.
                    "user_id": self.admin.id,
                    "salesperson_id": self.agent2.id,
                    "team_id": self.team_direct.id,
                    "pipeline_id": self.pipeline.id,
                    "status_from_type": "lost",
                    "status_to_type": "active",
                    "annual_revenue": 6000.0,
                    "days_in_status": 3.0,
                    "days_since_creation": 7.0,
                    "direction": "back",
                    "move_type": "back",
                },
                {
                    "user_id": self.admin.id,
                    "salesperson_id": self.agent2.id,
                    "team_id": self.team_direct.id,
                    "pipeline_id": self.pipeline.id,
                    "status_from_type": "active",
                    "status_to_type": "won",
                    "annual_revenue": 6000.0,
                    "days_in_status": 1.0,
                    "days_since_creation": 8.0,
                    "direction": "forward",
                    "move_type": "won",
                },
            ],
        )
        self.assertEqual(
            self.opp_a.interaction_ids.sorted("date").mapped("move_type"),
            ["forward", "forward", "back", "won"],
        )

    def test_history_outlives_opportunity_customer_and_status(self):
        """M5: deleting the opportunity, then its customer, a status it went
        through and the salesperson who moved it leaves every row with its
        names."""
        customer = self.env["res.partner"].create({"name": "Hoa Sen Garments"})
        agent = self._user("po_agent_leaving")
        opportunity = self._opportunity(user=agent, partner_id=customer.id, name="Uniforms 2026")
        status = self.status_contract
        opportunity.with_user(agent).write({"status_id": status.id})
        opportunity.with_user(agent).write({"status_id": self.status_won.id})
        moves = opportunity.interaction_ids
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.user_id | moves.salesperson_id, agent)

        opportunity.with_user(self.admin).unlink()
        customer.unlink()
        status.unlink()
        agent.unlink()

        self.assertTrue(moves.exists())
        self.assertRecordValues(
            moves.sorted("id"),
            [
                {
                    "opportunity_id": False,
                    "partner_id": False,
                    "user_id": False,
                    "salesperson_id": False,
                    "name": "Uniforms 2026",
                    "partner_name": "Hoa Sen Garments",
                    "status_from_id": self.status_new.id,
                    "status_from_name": "New",
                    "status_to_id": False,
                    "status_to_name": "Contract sent",
                },
                {
                    "opportunity_id": False,
                    "partner_id": False,
                    "user_id": False,
                    "salesperson_id": False,
                    "name": "Uniforms 2026",
                    "partner_name": "Hoa Sen Garments",
                    "status_from_id": False,
                    "status_from_name": "Contract sent",
                    "status_to_id": self.status_won.id,
                    "status_to_name": "Won",
                },
            ],
        )
        # Nobody may open the opportunity now: its history is the
        # administrators' alone.
        self.assertFalse(moves.with_user(self.agent1).search([("id", "in", moves.ids)]))
        self.assertEqual(moves.with_user(self.admin).search([("id", "in", moves.ids)]), moves)

    def test_migration_fills_recorded_rows(self):
        """The upgrade's script fills what the rows recorded before it lack,
        from the statuses and opportunities as stored."""
        moves = (self.opp_a | self.opp_b).interaction_ids
        fields = [
            "pipeline_id",
            "salesperson_id",
            "team_id",
            "status_from_type",
            "status_to_type",
            "annual_revenue",
            "days_in_status",
            "days_since_creation",
            "direction",
            "move_type",
        ]
        recorded = moves.read(fields)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE partner_opportunity_interaction SET pipeline_id = NULL, "
            "salesperson_id = NULL, team_id = NULL, status_from_type = NULL, "
            "status_to_type = NULL, annual_revenue = NULL, days_in_status = NULL, "
            "days_since_creation = NULL, direction = NULL, move_type = NULL"
        )
        path = Path(__file__).parents[1] / "migrations" / "18.0.1.3.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("post_migrate", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.2.0")
        moves.invalidate_recordset()
        self.assertEqual(moves.read(fields), recorded)

    # ------------------------------------------------------------
    # P3: movement, per role
    # ------------------------------------------------------------

    def test_movement_administrator(self):
        figures = self._movement(self.admin)
        # Won A (1,000) and B (6,000); lost B (6,000) and E (3,000). Days
        # from creation to close: A 6, B 4 (lost) and 8 (won), E 2. Open: C, D.
        self.assertFigures(
            figures,
            {
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
                "created": 5,
                "moves": 10,
                "won": 2,
                "won_value": 7000.0,
                "lost": 2,
                "lost_value": 9000.0,
                "win_rate": 0.5,
                "won_value_avg": 3500.0,
                "days_to_close_avg": 5.0,
                "days_to_close_median": 5.0,
                "open": 2,
                "velocity": 2 * 0.5 * 3500.0 / 5.0,
            },
        )
        # New: entered by the five creations; left forward by A, B, C (after
        # 2, 1, 2 days), to lost by E (after 2 days); A and B went on to be won.
        self.assertFigures(
            self._status(figures, self.status_new),
            {
                "entered": 5,
                "left_forward": 3,
                "left_back": 0,
                "left_won": 0,
                "left_lost": 1,
                "conversion_next": 3 / 5,
                "conversion_won": 2 / 5,
                "days_avg": 7 / 4,
                "days_median": 2.0,
            },
        )
        # Demo done: entered by A twice and C; A left it forward (1 day)
        # then to won (1 day).
        self.assertFigures(
            self._status(figures, self.status_demo),
            {
                "entered": 3,
                "left_forward": 1,
                "left_won": 1,
                "left_back": 0,
                "conversion_next": 2 / 3,
                "conversion_won": 2 / 3,
                "days_avg": 1.0,
                "days_median": 1.0,
            },
        )
        # Proposal sent: entered by A, B, B again; left back by A (2 days),
        # to lost by B (3 days), to won by B (1 day); all three were won later.
        self.assertFigures(
            self._status(figures, self.status_proposal),
            {
                "entered": 3,
                "left_forward": 0,
                "left_back": 1,
                "left_lost": 1,
                "left_won": 1,
                "conversion_next": 1 / 3,
                "conversion_won": 1.0,
                "days_avg": 2.0,
                "days_median": 2.0,
            },
        )
        lost = self._status(figures, self.status_lost)
        self.assertFigures(lost, {"entered": 2, "left_back": 1, "days_avg": 3.0})
        self.assertIs(lost["conversion_next"], False)
        contract = self._status(figures, self.status_contract)
        self.assertEqual(contract["entered"], 0)
        self.assertIs(contract["days_avg"], False)
        self.assertIs(contract["conversion_next"], False)

        by_team = {row["id"]: row for row in figures["by_team"]}
        self.assertEqual(set(by_team), {self.team_direct.id, self.team_key.id})
        by_salesperson = {row["id"]: row for row in figures["by_salesperson"]}
        self.assertEqual(set(by_salesperson), {self.agent1.id, self.agent2.id, self.agent3.id})
        self.assertFigures(
            by_salesperson[self.agent2.id],
            {"created": 1, "moves": 4, "won": 1, "lost": 1, "win_rate": 0.5, "open": 0},
        )
        self.assertEqual(by_salesperson[self.agent2.id]["velocity"], 0.0)

    def test_movement_agent(self):
        """R1: A and D only: A won after 6 days, D open."""
        figures = self._movement(self.agent1)
        self.assertFigures(
            figures,
            {
                "created": 2,
                "moves": 4,
                "won": 1,
                "won_value": 1000.0,
                "lost": 0,
                "win_rate": 1.0,
                "days_to_close_avg": 6.0,
                "open": 1,
                "velocity": 1000.0 / 6.0,
            },
        )
        self.assertEqual([row["id"] for row in figures["by_salesperson"]], self.agent1.ids)
        self.assertEqual(self._status(figures, self.status_new)["entered"], 2)

        # Agent3: C open, E lost; nothing won, so no velocity.
        figures = self._movement(self.agent3)
        self.assertFigures(figures, {"created": 2, "moves": 2, "won": 0, "lost": 1})
        self.assertEqual(figures["win_rate"], 0.0)
        self.assertIs(figures["velocity"], False)

    def test_movement_supervisor_is_their_team(self):
        """R2: A, B and D; the same figures as the administrator's for the
        team Direct."""
        figures = self._movement(self.supervisor)
        self.assertFigures(
            figures,
            {
                "created": 3,
                "moves": 8,
                "won": 2,
                "won_value": 7000.0,
                "lost": 1,
                "win_rate": 2 / 3,
                "days_to_close_avg": 6.0,
                "days_to_close_median": 6.0,
                "open": 1,
                "velocity": 1 * (2 / 3) * 3500.0 / 6.0,
            },
        )
        direct = next(
            row for row in self._movement(self.admin)["by_team"] if row["id"] == self.team_direct.id
        )
        for key in ("created", "moves", "won", "lost", "win_rate", "open", "velocity", "statuses"):
            self.assertEqual(direct[key], figures[key], key)

    def test_movement_period(self):
        """Only the moves of the period: from the 6th, B's loss, reopening
        and win, A's move back and win; nothing was created."""
        figures = self.Interaction.with_user(self.admin).get_movement(
            [("pipeline_id", "=", self.pipeline.id)], "2026-03-06", "2026-03-10"
        )
        self.assertFigures(figures, {"created": 0, "moves": 5, "won": 2, "lost": 1})
        proposal = self._status(figures, self.status_proposal)
        # Entered by B on the 9th, which it left to won.
        self.assertFigures(proposal, {"entered": 1, "conversion_next": 1.0, "left_lost": 1})

    def test_movement_views_follow_the_rules(self):
        """The pivot's grouped reads count the agent's rows only (R5)."""
        Interaction = self.Interaction.with_user(self.agent1)
        groups = Interaction.read_group([], ["days_in_status:avg"], ["move_type"], lazy=False)
        counts = {group["move_type"]: group["__count"] for group in groups}
        self.assertEqual(counts, {"forward": 2, "back": 1, "won": 1})
        for xmlid in (
            "partner_opportunity.partner_opportunity_interaction_action_movement",
            "partner_opportunity.partner_opportunity_interaction_action_won_weekly",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            for user in (self.agent1, self.supervisor, self.admin):
                views = Interaction.with_user(user).get_views(action["views"])
                self.assertIn("graph", views["views"])
                self.assertIn("pivot", views["views"])
        won = (
            self.env["partner.opportunity.interaction"]
            .with_user(self.supervisor)
            .read_group([("move_type", "=", "won")], ["annual_revenue:sum"], ["date:week"])
        )
        self.assertEqual(sum(group["annual_revenue"] for group in won), 7000.0)

    def test_other_company_not_counted(self):
        """R5: a status change in another company counts for nobody of this
        one, whatever the domain asks."""
        company2 = self.env["res.company"].create({"name": "Hanoi Branch"})
        pipeline2 = company2.partner_opportunity_pipeline_id
        agent_c2 = self._user(
            "po_agent_hanoi",
            company_id=company2.id,
            company_ids=[Command.set(company2.ids)],
        )
        opportunity = self.Opportunity.create(
            {
                "name": "Hanoi deal",
                "partner_id": self.customer.id,
                "user_id": agent_c2.id,
                "pipeline_id": pipeline2.id,
                "date_deadline": "2026-12-31",
                "expected_revenue": 128,
            }
        )
        with freeze_time("2026-03-12 10:00:00"):
            opportunity.write({"status_id": pipeline2.status_ids[-2].id})
        self.assertEqual(opportunity.interaction_ids.company_id, company2)
        admin = self.Interaction.with_user(self.admin).with_context(
            allowed_company_ids=self.company.ids
        )
        self.assertEqual(admin.get_movement([], *PERIOD)["moves"], 10)
        self.assertNotIn(opportunity, admin.search([]).opportunity_id)
        report = self.env["partner.opportunity.activity.report"].with_user(self.admin)
        self.assertFalse(
            report.with_context(allowed_company_ids=self.company.ids).search(
                [("opportunity_id", "=", opportunity.id)]
            )
        )
        # Its agent sees it, and nothing of company 1.
        figures = self.Interaction.with_user(agent_c2).get_movement([], *PERIOD)
        self.assertEqual((figures["moves"], figures["open"] + figures["won"]), (1, 1))

    def test_movement_refuses_bad_dates(self):
        """A date that is not one, or a period that ends before it starts,
        is refused in words that name the argument."""
        Interaction = self.Interaction.with_user(self.agent1)
        domain = [("pipeline_id", "=", self.pipeline.id)]
        for value in ("2026-13-01", "yesterday", "", 42, None, False, ["2026-03-01"]):
            for argument, period in (
                ("date_from", (value, PERIOD[1])),
                ("date_to", (PERIOD[0], value)),
            ):
                with self.subTest(argument=argument, value=value):
                    with self.assertRaises(UserError) as caught:
                        Interaction.get_movement(domain, *period)
                    self.assertEqual(
                        caught.exception.args[0],
                        f"{argument}: {value!r} is not a date (YYYY-MM-DD).",
                    )
        with self.assertRaises(UserError) as caught:
            Interaction.get_movement(domain, "2026-03-31", "2026-03-01")
        self.assertEqual(
            caught.exception.args[0], "date_to: 2026-03-01 is before date_from: 2026-03-31."
        )
        # One day is a period.
        self.assertEqual(Interaction.get_movement(domain, "2026-03-08", "2026-03-08")["won"], 1)

    def test_movement_refuses_a_malformed_filter(self):
        for domain in (
            [("no_such_field", "=", 1)],
            [1, 2],
            "name",
            42,
            [("name", "like")],
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError) as caught:
                self.Interaction.with_user(self.agent1).get_movement(domain, *PERIOD)
            self.assertEqual(caught.exception.args[0], f"Filter: {domain!r} is not a valid filter.")

    @warmup
    def test_movement_query_count(self):
        """PostgreSQL counts: as many queries with 30 more opportunities and
        60 more moves as with the fixture's 5 and 10."""

        def count(expected):
            self.env.invalidate_all()
            with self.assertQueryCount(expected):
                figures = self._movement(self.admin)
            return figures

        before = count(MOVEMENT_QUERIES)
        with freeze_time("2026-03-12 10:00:00"):
            more = self.Opportunity.create(
                [
                    {
                        "name": f"More {index}",
                        "partner_id": self.customer.id,
                        "user_id": (self.agent1, self.agent2, self.agent3)[index % 3].id,
                        "date_deadline": "2026-12-31",
                        "expected_revenue": 100.0 * index,
                    }
                    for index in range(30)
                ]
            )
        self.env.cr.execute(
            "UPDATE partner_opportunity SET create_date = '2026-03-12 10:00:00' WHERE id IN %s",
            [tuple(more.ids)],
        )
        more.invalidate_recordset(["create_date"])
        with freeze_time("2026-03-13 10:00:00"):
            more.write({"status_id": self.status_demo.id})
        with freeze_time("2026-03-14 10:00:00"):
            more[:10].write({"status_id": self.status_won.id})
            more[10:20].write({"status_id": self.status_lost.id})
            more[20:].write({"status_id": self.status_proposal.id})
        after = count(MOVEMENT_QUERIES)
        self.assertEqual(
            (after["created"], after["moves"], after["won"], after["lost"], after["open"]),
            (
                before["created"] + 30,
                before["moves"] + 60,
                before["won"] + 10,
                before["lost"] + 10,
                before["open"] + 10,
            ),
        )
        self.assertEqual(
            len(after["by_salesperson"]) + len(after["by_team"]),
            len(before["by_salesperson"]) + len(before["by_team"]),
        )

    # ------------------------------------------------------------
    # P4: rep activity
    # ------------------------------------------------------------

    def _log_activity(self):
        with freeze_time("2026-03-11 10:00:00"):
            self.opp_a.with_user(self.agent1).message_post(
                body="Called the buyer", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            activity = self.opp_d.with_user(self.agent1).activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.agent1.id
            )
            activity.with_user(self.agent1).action_feedback(feedback="Demo booked")
            self.opp_b.with_user(self.agent2).message_post(
                body="Sent the price list", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.opp_c.with_user(self.agent3).message_post(
                body="Left a voicemail", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.env.flush_all()

    def _activity(self, user):
        """The pivot's totals per rep, as ``user`` reads them."""
        measures = [
            "created_count",
            "status_change_count",
            "won_count",
            "won_value",
            "lost_count",
            "lost_value",
            "activity_count",
            "message_count",
        ]
        groups = (
            self.env["partner.opportunity.activity.report"]
            .with_user(user)
            .read_group(
                [("date", ">=", "2026-03-01"), ("date", "<", "2026-04-01")],
                [f"{m}:sum" for m in measures],
                ["user_id"],
            )
        )
        return {g["user_id"][0]: tuple(g[m] for m in measures) for g in groups}

    def test_rep_activity_per_role(self):
        self._log_activity()
        # (created, status changes, won, won value, lost, lost value,
        # activities done, messages)
        agent1 = (2, 4, 1, 1000.0, 0, 0.0, 1, 1)
        agent2 = (1, 2, 0, 0.0, 1, 6000.0, 0, 1)
        agent3 = (2, 2, 0, 0.0, 1, 3000.0, 0, 1)
        admin_on_b = (0, 2, 1, 6000.0, 0, 0.0, 0, 0)
        self.assertEqual(self._activity(self.agent1), {self.agent1.id: agent1})
        self.assertEqual(
            self._activity(self.supervisor),
            {self.agent1.id: agent1, self.agent2.id: agent2, self.admin.id: admin_on_b},
        )
        self.assertEqual(
            self._activity(self.admin),
            {
                self.agent1.id: agent1,
                self.agent2.id: agent2,
                self.agent3.id: agent3,
                self.admin.id: admin_on_b,
            },
        )
        # The agent does not see the administrator's moves on agent2's B,
        # nor agent2's message: only what happened on their own.
        self.assertNotIn(self.admin.id, self._activity(self.agent1))

    def test_rep_activity_views(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_opportunity.partner_opportunity_activity_report_action"
        )
        Report = self.env["partner.opportunity.activity.report"]
        for user in (self.agent1, self.supervisor, self.admin):
            views = Report.with_user(user).get_views(action["views"])
            self.assertEqual(set(views["views"]) - {"search"}, {"pivot", "graph", "list"})
        menu = self.env.ref("partner_opportunity.partner_opportunity_menu_report_activity")
        self.assertEqual(
            menu.parent_id, self.env.ref("partner_opportunity.partner_opportunity_menu_reporting")
        )

    def test_groups_of_users_in_their_order(self):
        """The reports group their rows by the id of a status or a user and
        order the groups as Odoo orders those (partner.opportunity.report.mixin):
        the same groups in the same order as Odoo's own ordering, which an
        explicit order takes."""
        # agent1 was made first: by name, last; the first status, last.
        self.agent1.name = "Zoe Agent"
        self.status_new.sequence = 99
        for model, groupbys in (
            (
                "partner.opportunity.interaction",
                [
                    ["salesperson_id"],
                    ["status_from_id"],
                    ["status_from_id", "salesperson_id"],
                    ["status_from_id", "move_type"],
                    ["salesperson_id", "move_type"],
                    ["user_id", "date:week"],
                ],
            ),
            ("partner.opportunity.activity.report", [["user_id"], ["user_id", "kind"]]),
        ):
            Model = self.env[model].with_user(self.admin)
            for groupby in groupbys:
                with self.subTest(model=model, groupby=groupby):
                    ours = Model.read_group([], ["__count"], groupby, lazy=False)
                    odoo = Model.read_group(
                        [], ["__count"], groupby, orderby=",".join(groupby), lazy=False
                    )
                    self.assertGreater(len(ours), 2)
                    self.assertEqual(ours, odoo)


@tagged("post_install", "-at_install")
class TestMovementRpc(HttpCase, PartnerOpportunityCase):
    """get_movement over XML-RPC, as an integrator calls it: every figure
    travels, undefined ones as False."""

    def test_get_movement_over_xmlrpc(self):
        with freeze_time("2026-03-02 10:00:00"):
            opportunity = self._opportunity(user=self.agent1)
        self.env.cr.execute(
            "UPDATE partner_opportunity SET create_date = '2026-03-02 10:00:00' WHERE id = %s",
            opportunity.ids,
        )
        opportunity.invalidate_recordset(["create_date"])
        with freeze_time("2026-03-04 10:00:00"):
            opportunity.with_user(self.agent1).write({"status_id": self.status_won.id})
        self._opportunity(user=self.agent2)
        figures = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent1.id,
            "po_agent1",
            "partner.opportunity.interaction",
            "get_movement",
            [[("pipeline_id", "=", self.pipeline.id)], "2026-03-01", "2026-03-31"],
        )
        self.assertEqual((figures["moves"], figures["won"], figures["lost"]), (1, 1, 0))
        self.assertEqual(figures["win_rate"], 1.0)
        self.assertEqual(figures["open"], 0, "agent2's open opportunity is not theirs")
        self.assertEqual(figures["velocity"], 0.0)
        self.assertEqual((figures["created"], figures["days_to_close_avg"]), (1, 2.0))
        self.assertEqual([row["id"] for row in figures["by_salesperson"]], self.agent1.ids)
        new = next(row for row in figures["statuses"] if row["id"] == self.status_new.id)
        self.assertEqual(new["left_won"], 1)
        self.assertEqual(new["days_avg"], 2.0)
        self.assertIs(
            next(row for row in figures["statuses"] if row["id"] == self.status_demo.id)[
                "days_avg"
            ],
            False,
        )

    def test_get_movement_refuses_bad_input_over_xmlrpc(self):
        """Bad input arrives as the UserError's message (fault 2, a warning),
        not as a traceback."""
        pipeline = [["pipeline_id", "=", self.pipeline.id]]
        for args, message in (
            (
                [pipeline, "2026-13-01", "2026-03-31"],
                "date_from: '2026-13-01' is not a date (YYYY-MM-DD).",
            ),
            (
                [pipeline, "2026-03-31", "2026-03-01"],
                "date_to: 2026-03-01 is before date_from: 2026-03-31.",
            ),
            (
                [[["no_such_field", "=", 1]], "2026-03-01", "2026-03-31"],
                "Filter: [['no_such_field', '=', 1]] is not a valid filter.",
            ),
        ):
            with self.subTest(args=args), mute_logger("odoo.http"):
                with self.assertRaises(xmlrpc.client.Fault) as caught:
                    self.xmlrpc_object.execute_kw(
                        self.env.cr.dbname,
                        self.agent1.id,
                        "po_agent1",
                        "partner.opportunity.interaction",
                        "get_movement",
                        args,
                    )
                self.assertEqual(
                    (caught.exception.faultCode, caught.exception.faultString), (2, message)
                )
