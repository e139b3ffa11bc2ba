"""Roles and rules: R1-R5, F2, F3."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PartnerOpportunityCase

REOPEN_MESSAGE = "can only be reopened by an administrator"


class BoardCostMixin:
    """The board as a supervisor opens it costs the same whatever the number
    of opportunities: the rules add no query per opportunity."""

    BOARD_QUERIES = 9

    def _create_many(self, count):
        users = (self.agent1 | self.agent2 | self.supervisor).ids
        statuses = (self.status_new | self.status_demo | self.status_proposal).ids
        self.Opportunity.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "name": f"Bulk {n}",
                    "partner_id": self.customer.id,
                    "user_id": users[n % len(users)],
                    "status_id": statuses[n // len(users) % len(statuses)],
                    "date_deadline": date(2026, 12, 31),
                    "expected_revenue": n,
                }
                for n in range(count)
            ]
        )

    def _load_board(self):
        """The board as the supervisor opens it: the columns' totals and the
        first page, at a cost of BOARD_QUERIES with warm caches."""
        with self.with_user("po_supervisor"):
            Opportunity = self.env["partner.opportunity"].with_context(
                default_pipeline_id=self.pipeline.id
            )
            domain = [("pipeline_id", "=", self.pipeline.id)]
            specification = {
                "name": {},
                "expected_revenue": {},
                "probability": {},
                "date_deadline": {},
                "status_type": {},
                "partner_id": {"fields": {"display_name": {}}},
                "user_id": {"fields": {"display_name": {}}},
            }

            def board():
                groups = Opportunity.web_read_group(
                    domain,
                    ["expected_revenue:sum", "weighted_revenue:sum"],
                    ["status_id"],
                    lazy=True,
                )["groups"]
                return groups, Opportunity.web_search_read(domain, specification, limit=40)

            board()  # warm the caches of the registry (rules, views, fields)
            self.env.invalidate_all()
            with self.assertQueryCount(self.BOARD_QUERIES):
                return board()

    def _assert_board_cost(self, first, total):
        """The board costs BOARD_QUERIES with ``first`` opportunities, and
        with ``total``."""
        self._create_many(first)
        __, page = self._load_board()
        self.assertEqual(len(page["records"]), 40)
        self._create_many(total - first)
        self.assertGreaterEqual(self.Opportunity.search_count([]), total)
        groups, page = self._load_board()
        self.assertEqual(len(page["records"]), 40)
        self.assertGreater(page["length"], 40)
        new_group = next(g for g in groups if g["status_id"][0] == self.status_new.id)
        self.assertGreater(new_group["status_id_count"], total * 3 // 10)


@tagged("post_install", "-at_install")
class TestSecurity(BoardCostMixin, PartnerOpportunityCase):
    """Revenues are powers of two so that any leaked amount shows in a total."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opp_agent1 = cls._opportunity(cls.agent1, name="Agent 1", expected_revenue=1)
        cls.opp_agent1_won = cls._opportunity(
            cls.agent1, name="Agent 1 won", expected_revenue=2, status_id=cls.status_won.id
        )
        cls.opp_agent2 = cls._opportunity(cls.agent2, name="Agent 2", expected_revenue=4)
        cls.opp_agent3 = cls._opportunity(cls.agent3, name="Agent 3", expected_revenue=8)
        cls.opp_supervisor = cls._opportunity(
            cls.supervisor, name="Supervisor", expected_revenue=16
        )
        cls.opp_admin = cls._opportunity(cls.admin, name="Admin", expected_revenue=32)
        cls.all_opportunities = (
            cls.opp_agent1
            | cls.opp_agent1_won
            | cls.opp_agent2
            | cls.opp_agent3
            | cls.opp_supervisor
            | cls.opp_admin
        )

    def _visible(self, user, domain=None):
        return self.Opportunity.with_user(user).search(
            [("id", "in", self.all_opportunities.ids), *(domain or [])]
        )

    # ------------------------------------------------------------
    # R1 Agent
    # ------------------------------------------------------------

    def test_agent_search_and_read_own_only(self):
        Opportunity = self.Opportunity.with_user(self.agent1)
        mine = self.opp_agent1 | self.opp_agent1_won
        self.assertEqual(self._visible(self.agent1), mine)
        self.assertEqual(Opportunity.search([]), mine)
        self.assertEqual(Opportunity.search_count([]), 2)
        self.assertEqual(
            Opportunity.search_count([("user_id", "=", self.agent2.id)]),
            0,
            "searching for a colleague's opportunities finds nothing",
        )
        [record] = self.opp_agent1.with_user(self.agent1).read(["name"])
        self.assertEqual(record["name"], "Agent 1")
        for other in self.opp_agent2 | self.opp_supervisor | self.opp_admin:
            with self.subTest(other=other.name), self.assertRaises(AccessError):
                other.with_user(self.agent1).read(["name", "expected_revenue"])

    def test_agent_grouped_totals_do_not_leak(self):
        Opportunity = self.Opportunity.with_user(self.agent1)
        own_total = 1 + 2

        groups = Opportunity._read_group([], ["status_id"], ["expected_revenue:sum", "__count"])
        self.assertEqual(sum(total for _status, total, _count in groups), own_total)
        self.assertEqual(sum(count for _status, _total, count in groups), 2)
        [(total,)] = Opportunity._read_group([], [], ["expected_revenue:sum"])
        self.assertEqual(total, own_total)

        groups = Opportunity.read_group([], ["expected_revenue:sum"], ["user_id"])
        self.assertEqual([g["user_id"][0] for g in groups], [self.agent1.id])
        self.assertEqual(groups[0]["expected_revenue"], own_total)

        # As the board asks for its columns: empty ones show, with nothing in them.
        result = Opportunity.with_context(default_pipeline_id=self.pipeline.id).web_read_group(
            [("pipeline_id", "=", self.pipeline.id)],
            ["expected_revenue:sum"],
            ["status_id"],
            lazy=True,
        )
        self.assertEqual(len(result["groups"]), len(self.pipeline.status_ids))
        self.assertEqual(sum(g["expected_revenue"] for g in result["groups"]), own_total)
        self.assertEqual(sum(g["status_id_count"] for g in result["groups"]), 2)
        by_status = {g["status_id"][0]: g["expected_revenue"] for g in result["groups"]}
        self.assertEqual(by_status[self.status_new.id], 1)
        self.assertEqual(by_status[self.status_won.id], 2)

    def test_agent_customer_counters_and_interactions_own_only(self):
        self.opp_agent1.status_id = self.status_demo
        self.opp_agent2.status_id = self.status_demo
        customer = self.customer.with_user(self.agent1)
        self.assertEqual(customer.partner_opportunity_count, 2)
        self.assertEqual(customer.partner_opportunity_open_value, 1)
        self.assertEqual(customer.partner_opportunity_interaction_count, 1)
        Interaction = self.env["partner.opportunity.interaction"].with_user(self.agent1)
        self.assertEqual(Interaction.search([]).opportunity_id, self.opp_agent1)
        supervisor_customer = self.customer.with_user(self.supervisor)
        self.assertEqual(supervisor_customer.partner_opportunity_count, 4)
        self.assertEqual(supervisor_customer.partner_opportunity_interaction_count, 2)

    def test_agent_rpc_web_read(self):
        Opportunity = self.Opportunity.with_user(self.agent1)
        spec = {"name": {}, "expected_revenue": {}}
        [record] = Opportunity.browse(self.opp_agent1.id).web_read(spec)
        self.assertEqual(record["name"], "Agent 1")
        with self.assertRaises(AccessError):
            Opportunity.browse(self.opp_agent2.id).web_read(spec)
        with self.assertRaises(AccessError):
            Opportunity.browse(self.opp_agent2.id).web_save({"name": "Saved over"}, spec)
        names = [name for _id, name in Opportunity.name_search("Agent")]
        self.assertCountEqual(names, ["Agent 1", "Agent 1 won"])

    def test_agent_export_own_only(self):
        self.agent1.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        Opportunity = self.Opportunity.with_user(self.agent1)
        rows = Opportunity.search([]).export_data(["name", "expected_revenue", "user_id"])["datas"]
        self.assertCountEqual([row[0] for row in rows], ["Agent 1", "Agent 1 won"])
        with self.assertRaises(AccessError):
            (self.opp_agent1 | self.opp_agent2).with_user(self.agent1).export_data(["name"])

    def test_agent_write_unlink_create_own_only(self):
        opportunity = self.opp_agent1.with_user(self.agent1)
        opportunity.write({"name": "Agent 1 renamed", "probability": 70})
        self.assertEqual(self.opp_agent1.name, "Agent 1 renamed")

        other = self.opp_agent2.with_user(self.agent1)
        with self.assertRaises(AccessError):
            other.write({"name": "Stolen"})
        with self.assertRaises(AccessError):
            other.write({"user_id": self.agent1.id})
        with self.assertRaises(AccessError):
            other.unlink()
        self.assertEqual(self.opp_agent2.name, "Agent 2")

        Opportunity = self.Opportunity.with_user(self.agent1)
        vals = {
            "name": "New deal",
            "partner_id": self.customer.id,
            "date_deadline": date(2026, 12, 31),
            "expected_revenue": 64,
        }
        with self.assertRaises(ValidationError) as caught:
            Opportunity.create(dict(vals, user_id=self.agent2.id))
        self.assertIn("Salesperson: you may not assign Po_Agent2", str(caught.exception))
        self.assertFalse(self.Opportunity.search([("name", "=", "New deal")]))
        created = Opportunity.create(vals)
        self.assertEqual(created.user_id, self.agent1)

        # Giving away an opportunity is refused too: the rule is checked
        # before the write, but the agent could not see it afterwards.
        with self.assertRaises(AccessError):
            created.with_user(self.agent2).write({"user_id": self.agent2.id})

        created.unlink()
        self.assertFalse(created.exists())

    def test_agent_import_cannot_reopen(self):
        Opportunity = self.Opportunity.with_user(self.agent1)
        result = Opportunity.load(
            [".id", "status_id/.id"],
            [[str(self.opp_agent1_won.id), str(self.status_new.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual([m["type"] for m in result["messages"]], ["error"])
        self.assertIn(REOPEN_MESSAGE, result["messages"][0]["message"])
        self.opp_agent1_won.invalidate_recordset()
        self.assertEqual(self.opp_agent1_won.status_id, self.status_won)
        self.assertEqual(self.opp_agent1_won.probability, 100)

        # An import that touches a colleague's opportunity fails the same way.
        result = Opportunity.load([".id", "name"], [[str(self.opp_agent2.id), "Imported over"]])
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.opp_agent2.invalidate_recordset()
        self.assertEqual(self.opp_agent2.name, "Agent 2")

        # A plain import of the agent's own open opportunity still works.
        result = Opportunity.load([".id", "name"], [[str(self.opp_agent1.id), "Imported name"]])
        self.assertEqual(result["ids"], self.opp_agent1.ids, result["messages"])
        self.assertEqual(self.opp_agent1.name, "Imported name")

    # ------------------------------------------------------------
    # R4 No reopening
    # ------------------------------------------------------------

    def test_close_allowed_for_agent_and_supervisor(self):
        self.opp_agent1.with_user(self.agent1).status_id = self.status_won
        self.assertEqual(self.opp_agent1.status_type, "won")
        lost = self._opportunity(self.agent1, name="To lose")
        lost.with_user(self.agent1).write({"status_id": self.status_lost.id})
        self.assertEqual((lost.status_type, lost.probability), ("lost", 0))
        # Active to active is the everyday move.
        self.opp_agent2.with_user(self.agent2).status_id = self.status_demo
        self.opp_agent2.with_user(self.supervisor).status_id = self.status_won
        self.assertEqual(self.opp_agent2.status_type, "won")

    def test_no_reopening_by_agent_or_supervisor(self):
        lost = self._opportunity(self.agent1, name="Lost one", status_id=self.status_lost.id)
        for user in (self.agent1, self.supervisor):
            for closed, target in (
                (self.opp_agent1_won, self.status_new),
                (self.opp_agent1_won, self.status_proposal),
                (self.opp_agent1_won, self.status_lost),
                (lost, self.status_demo),
                (lost, self.status_won),
            ):
                with self.subTest(user=user.login, closed=closed.name, target=target.name):
                    with self.assertRaises(UserError) as caught:
                        closed.with_user(user).write({"status_id": target.id})
                    self.assertNotIsInstance(caught.exception, AccessError)
                    self.assertIn(REOPEN_MESSAGE, str(caught.exception))
        self.assertEqual(self.opp_agent1_won.status_id, self.status_won)
        self.assertEqual(lost.status_id, self.status_lost)
        self.assertFalse(
            self.opp_agent1_won.interaction_ids.filtered(
                lambda i: i.status_from_id == self.status_won
            )
        )

    def test_closed_is_read_only_for_agent_and_supervisor(self):
        for user in (self.agent1, self.supervisor):
            closed = self.opp_agent1_won.with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(closed.name, "Agent 1 won", "still readable")
                with self.assertRaises(UserError) as caught:
                    closed.write({"name": "Changed", "expected_revenue": 999})
                self.assertIn("administrator", str(caught.exception))
                with self.assertRaises(UserError) as caught:
                    closed.unlink()
                self.assertNotIsInstance(caught.exception, AccessError)
                self.assertIn("administrator", str(caught.exception))
        self.assertEqual(
            (self.opp_agent1_won.name, self.opp_agent1_won.expected_revenue), ("Agent 1 won", 2)
        )
        self.assertTrue(self.opp_agent1_won.exists())

    def test_mass_write_with_a_closed_one_writes_nothing(self):
        other_open = self._opportunity(self.agent1, name="Agent 1 bis")
        batch = (self.opp_agent1 | other_open | self.opp_agent1_won).with_user(self.agent1)
        with self.assertRaises(UserError):
            batch.write({"name": "Mass renamed"})
        with self.assertRaises(UserError) as caught:
            batch.write({"status_id": self.status_proposal.id})
        self.assertIn(REOPEN_MESSAGE, str(caught.exception))
        with self.assertRaises(UserError):
            batch.unlink()
        batch.invalidate_recordset()
        self.assertEqual(batch.mapped("name"), ["Agent 1", "Agent 1 bis", "Agent 1 won"])
        self.assertEqual(batch.mapped("status_id"), self.status_new | self.status_won)
        self.assertEqual(len(batch.exists()), 3)
        # Supervisors alike.
        team_batch = (self.opp_agent2 | self.opp_agent1_won).with_user(self.supervisor)
        with self.assertRaises(UserError):
            team_batch.write({"probability": 10})
        self.assertEqual(self.opp_agent2.probability, 50)

    def test_admin_reopens(self):
        won = self.opp_agent1_won.with_user(self.admin)
        won.write({"status_id": self.status_proposal.id})
        self.assertEqual((won.status_type, won.probability), ("active", 50))
        self.assertFalse(won.date_closed)
        won.status_id = self.status_lost
        won.write({"name": "Edited by the administrator", "status_id": self.status_won.id})
        self.assertEqual(won.status_type, "won")
        won.unlink()
        self.assertFalse(self.opp_agent1_won.exists())

    def test_chatter_on_closed_opportunity(self):
        closed = self.opp_agent1_won.with_user(self.agent1)
        message = closed.message_post(body="Customer called back after signing.")
        self.assertEqual(message.author_id, self.agent1.partner_id)
        self.assertIn(message, self.opp_agent1_won.message_ids)
        closed.activity_schedule(
            "mail.mail_activity_data_todo", summary="Send the invoice", user_id=self.agent1.id
        )
        self.assertTrue(self.opp_agent1_won.activity_ids)
        with self.assertRaises(AccessError):
            self.opp_agent2.with_user(self.agent1).message_post(body="Not mine")

    # ------------------------------------------------------------
    # R2 Supervisor
    # ------------------------------------------------------------

    def _supervisor(self, login, team=None):
        user = self._user(login, "partner_opportunity.group_supervisor")
        if team:
            team.member_ids = [Command.link(user.id)]
        return user

    def test_supervisor_leading_a_team_without_being_member(self):
        self.assertNotIn(self.supervisor, self.team_direct.member_ids)
        self.assertEqual(
            self._visible(self.supervisor),
            self.opp_agent1 | self.opp_agent1_won | self.opp_agent2 | self.opp_supervisor,
        )
        Opportunity = self.Opportunity.with_user(self.supervisor)
        self.assertEqual(
            Opportunity.read_group(
                [("id", "in", self.all_opportunities.ids)], ["expected_revenue:sum"], []
            )[0]["expected_revenue"],
            1 + 2 + 4 + 16,
        )
        self.opp_agent2.with_user(self.supervisor).write({"probability": 80})
        self.assertEqual(self.opp_agent2.probability, 80)
        with self.assertRaises(AccessError):
            self.opp_agent3.with_user(self.supervisor).read(["name"])
        with self.assertRaises(AccessError):
            self.opp_agent3.with_user(self.supervisor).write({"probability": 80})
        created = Opportunity.create(
            {
                "name": "For agent 2",
                "partner_id": self.customer.id,
                "user_id": self.agent2.id,
                "date_deadline": date(2026, 12, 31),
            }
        )
        self.assertEqual(created.team_id, self.team_direct)
        with self.assertRaises(ValidationError, msg="Salesperson: you may not assign"):
            Opportunity.create(
                {
                    "name": "For agent 3",
                    "partner_id": self.customer.id,
                    "user_id": self.agent3.id,
                    "date_deadline": date(2026, 12, 31),
                }
            )

    def test_supervisor_member_of_a_team(self):
        member = self._supervisor("po_supervisor_key", self.team_key)
        self.assertFalse(self.team_key.user_id)
        own = self._opportunity(member, name="Key supervisor", expected_revenue=64)
        ids = (self.all_opportunities | own).ids
        Opportunity = self.Opportunity.with_user(member)
        self.assertEqual(Opportunity.search([("id", "in", ids)]), self.opp_agent3 | own)
        # A team leader who is an agent: the supervisor member sees the
        # leader's opportunities.
        self.team_key.user_id = self.agent2
        self.assertEqual(
            Opportunity.search([("id", "in", ids)]), self.opp_agent2 | self.opp_agent3 | own
        )
        # An archived team shares nothing any more.
        self.team_key.action_archive()
        self.assertEqual(Opportunity.search([("id", "in", ids)]), own)

    def test_supervisor_user_in_two_teams(self):
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        key_supervisor = self._supervisor("po_supervisor_key", self.team_key)
        self.team_direct.member_ids = [Command.link(self.agent3.id)]
        self.assertEqual(self.agent3.crm_team_ids, self.team_direct | self.team_key)
        self.assertIn(self.opp_agent3, self._visible(self.supervisor))
        self.assertEqual(self._visible(key_supervisor), self.opp_agent3)
        self.opp_agent3.with_user(self.supervisor).probability = 90
        self.opp_agent3.with_user(key_supervisor).probability = 95
        self.assertEqual(self.opp_agent3.probability, 95)
        # The supervisor of "Key Accounts" joins "Direct" too, with its
        # members and its leader.
        self.team_direct.member_ids = [Command.link(key_supervisor.id)]
        self.assertEqual(key_supervisor.crm_team_ids, self.team_direct | self.team_key)
        self.assertEqual(
            self._visible(key_supervisor),
            self.opp_agent1
            | self.opp_agent1_won
            | self.opp_agent2
            | self.opp_agent3
            | self.opp_supervisor,
        )

    def test_salesperson_changes_team(self):
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", False)
        key_supervisor = self._supervisor("po_supervisor_key", self.team_key)
        Opportunity = self.Opportunity.with_user(self.supervisor)
        KeyOpportunity = self.Opportunity.with_user(key_supervisor)
        self.assertNotIn(self.opp_agent3, Opportunity.search([]))
        self.assertIn(self.opp_agent3, KeyOpportunity.search([]))
        self.assertEqual(self.opp_agent3.with_user(key_supervisor).name, "Agent 3")

        # Mono-membership: joining "Direct" leaves "Key Accounts".
        self.team_direct.member_ids = [Command.link(self.agent3.id)]
        self.assertEqual(self.agent3.crm_team_ids, self.team_direct)
        self.assertIn(self.opp_agent3, Opportunity.search([]))
        self.assertNotIn(self.opp_agent3, KeyOpportunity.search([]))
        self.assertEqual(self.opp_agent3.with_user(self.supervisor).name, "Agent 3")
        with self.assertRaises(AccessError):
            self.opp_agent3.with_user(key_supervisor).write({"name": "Stale"})

        # Leaving every team: only the salesperson and the administrators see it.
        self.team_direct.member_ids = [Command.unlink(self.agent1.id)]
        self.assertNotIn(self.opp_agent1, Opportunity.search([]))
        with self.assertRaises(AccessError):
            self.opp_agent1.with_user(self.supervisor).read(["name"])
        self.assertIn(self.opp_agent1, self.Opportunity.with_user(self.agent1).search([]))

    # ------------------------------------------------------------
    # R3 Administrator
    # ------------------------------------------------------------

    def test_admin_sees_and_works_all(self):
        self.assertEqual(self._visible(self.admin), self.all_opportunities)
        Opportunity = self.Opportunity.with_user(self.admin)
        [(total,)] = Opportunity._read_group(
            [("id", "in", self.all_opportunities.ids)], [], ["expected_revenue:sum"]
        )
        self.assertEqual(total, 63)
        self.opp_agent3.with_user(self.admin).write({"user_id": self.agent1.id})
        self.assertEqual(self.opp_agent3.user_id, self.agent1)
        created = Opportunity.create(
            {
                "name": "For agent 3",
                "partner_id": self.customer.id,
                "user_id": self.agent3.id,
                "date_deadline": date(2026, 12, 31),
            }
        )
        created.unlink()
        self.opp_agent2.with_user(self.admin).unlink()
        self.assertFalse(self.opp_agent2.exists())

    def test_only_admin_configures_pipelines_and_statuses(self):
        Pipeline = self.env["partner.opportunity.pipeline"]
        Status = self.env["partner.opportunity.status"]
        for user in (self.agent1, self.supervisor):
            with self.subTest(user=user.login):
                self.assertIn(self.pipeline, Pipeline.with_user(user).search([]))
                self.assertEqual(self.pipeline.with_user(user).name, self.pipeline.name)
                self.assertEqual(self.status_new.with_user(user).status_type, "active")
                with self.assertRaises(AccessError):
                    self.pipeline.with_user(user).write({"name": "Mine now"})
                with self.assertRaises(AccessError):
                    Pipeline.with_user(user).create({"name": "Side deals"})
                with self.assertRaises(AccessError):
                    self.status_new.with_user(user).write({"name": "Fresh"})
                with self.assertRaises(AccessError):
                    Status.with_user(user).create(
                        {"name": "Extra", "pipeline_id": self.pipeline.id, "status_type": "active"}
                    )
                with self.assertRaises(AccessError):
                    self.status_demo.with_user(user).unlink()
        pipeline = Pipeline.with_user(self.admin).create({"name": "Renewals"})
        self.assertTrue(pipeline.status_ids)
        pipeline.write({"name": "Renewals 2026"})
        status = Status.with_user(self.admin).create(
            {"name": "Quote", "pipeline_id": pipeline.id, "status_type": "active"}
        )
        status.write({"name": "Quotation", "sequence": 1})
        self.assertEqual(status.name, "Quotation")

    # ------------------------------------------------------------
    # R5 Multi-company
    # ------------------------------------------------------------

    def test_multi_company(self):
        company2 = self.env["res.company"].create({"name": "Hanoi Branch"})
        pipeline2 = company2.partner_opportunity_pipeline_id
        # The web client always says which companies are selected.
        company1_only = {"allowed_company_ids": self.company.ids}
        self.assertEqual(pipeline2.company_id, company2, "a new company gets its pipeline")
        agent_c2 = self._user(
            "po_agent_hanoi",
            name="Hanoi Agent",
            company_id=company2.id,
            company_ids=[Command.set(company2.ids)],
        )
        opp_c2 = self.Opportunity.create(
            {
                "name": "Hanoi deal",
                "partner_id": self.customer.id,
                "user_id": agent_c2.id,
                "pipeline_id": pipeline2.id,
                "date_deadline": date(2026, 12, 31),
                "expected_revenue": 128,
            }
        )
        self.assertEqual(opp_c2.company_id, company2)
        everything = self.all_opportunities | opp_c2

        # Administrator of company 1 only.
        Opportunity = self.Opportunity.with_user(self.admin).with_context(**company1_only)
        domain = [("id", "in", everything.ids)]
        self.assertEqual(Opportunity.search(domain), self.all_opportunities)
        [(total,)] = Opportunity._read_group(domain, [], ["expected_revenue:sum"])
        self.assertEqual(total, 63)
        with self.assertRaises(AccessError):
            opp_c2.with_user(self.admin).read(["name"])
        admin_env = self.env(user=self.admin, context=company1_only)
        self.assertNotIn(pipeline2, admin_env["partner.opportunity.pipeline"].search([]))
        self.assertTrue(pipeline2.status_ids)
        self.assertFalse(pipeline2.status_ids & admin_env["partner.opportunity.status"].search([]))

        with self.assertRaises(AccessError):
            self.Opportunity.with_user(self.admin).with_context(
                allowed_company_ids=company2.ids
            ).search([])

        # Member of both companies: sees the other one only once selected.
        self.admin.company_ids = [Command.link(company2.id)]
        self.assertNotIn(opp_c2, Opportunity.search([]))
        with self.assertRaises(AccessError):
            opp_c2.with_user(self.admin).with_context(**company1_only).read(["name"])
        allowed = Opportunity.with_context(allowed_company_ids=[self.company.id, company2.id])
        self.assertEqual(allowed.search([("id", "in", everything.ids)]), everything)
        only2 = Opportunity.with_context(allowed_company_ids=company2.ids)
        self.assertEqual(only2.search([("id", "in", everything.ids)]), opp_c2)

        # The agent of company 2 sees theirs, and none of company 1.
        Agent2 = self.Opportunity.with_user(agent_c2)
        self.assertEqual(Agent2.search([("id", "in", everything.ids)]), opp_c2)

    # ------------------------------------------------------------
    # F2, F3 Filters by role
    # ------------------------------------------------------------

    def _search_view_fields(self, user):
        """Fields and group-by filters of the search view the user gets."""
        return {node.get("name") for node in self._search_view(user).iter("field", "filter")}

    def test_search_view_filters_by_role(self):
        agent = self._search_view_fields(self.agent1)
        self.assertIn("name", agent)
        self.assertIn("partner_id", agent)
        self.assertNotIn("user_id", agent)
        self.assertNotIn("team_id", agent)
        self.assertNotIn("group_user", agent)
        self.assertNotIn("group_team", agent)
        supervisor = self._search_view_fields(self.supervisor)
        self.assertIn("user_id", supervisor)
        self.assertIn("group_user", supervisor)
        self.assertNotIn("team_id", supervisor)
        self.assertNotIn("group_team", supervisor)
        admin = self._search_view_fields(self.admin)
        self.assertIn("user_id", admin)
        self.assertIn("team_id", admin)
        self.assertIn("group_user", admin)
        self.assertIn("group_team", admin)

    # ------------------------------------------------------------
    # Query cost of the board for a supervisor
    # ------------------------------------------------------------

    def test_board_query_count_does_not_grow(self):
        self._assert_board_cost(100, 1000)  # 10,000 in test_volume.py

    def test_only_team_changes_that_matter_clear_the_caches(self):
        """R2: rule domains are cleared when who belongs to or leads a team
        changes, not on every write to a team (CRM writes them often)."""
        registry = self.env.registry
        registry.cache_invalidated.clear()
        self.team_key.write({"name": "Key Accounts North", "color": 3})
        self.assertFalse(registry.cache_invalidated)
        self.team_key.user_id = self.supervisor
        self.assertIn("default", registry.cache_invalidated)
