"""Every rule on every path: what a client sends over RPC.

Each call goes over HTTP to ``/jsonrpc`` (``execute_kw``), as integrations
call: every field of ``create``/``write`` and every context key is an input.
Each refusal is a clear message naming the field, and nothing is written.
"""

import math
from datetime import date

import psycopg2

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityCase, RpcCase


@tagged("post_install", "-at_install")
class TestRpcRules(PartnerOpportunityCase, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal = new_test_user(cls.env, "po_internal", groups="base.group_user")
        cls.portal = new_test_user(cls.env, "po_portal_user", groups="base.group_portal")
        cls.opportunity = cls._opportunity(cls.agent1, name="Own deal")

    def _table_state(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT md5(string_agg(row_to_json(o)::text, ',' ORDER BY id)) "
            "FROM partner_opportunity o"
        )
        return self.env.cr.fetchone()[0]

    def assertRefused(self, exception, field, call):
        """The call raises ``exception`` naming ``field`` and writes nothing."""
        before = self._table_state()
        with mute_logger("odoo.http"), self.assertRaises(exception) as caught:
            call()
        self.assertIn(field, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(self._table_state(), before)
        return caught.exception

    # ------------------------------------------------------------
    # 1. A pipeline stays in its company
    # ------------------------------------------------------------

    def test_pipeline_does_not_move_to_another_company(self):
        company_b = self.env["res.company"].create({"name": "B"})
        self.admin.write({"company_ids": [Command.link(company_b.id)]})
        with mute_logger("odoo.http"), self.assertRaises(UserError) as caught:
            self.rpc(
                self.admin,
                "partner.opportunity.pipeline",
                "write",
                self.pipeline.ids,
                {"company_id": company_b.id},
            )
        self.assertIn("Company", str(caught.exception))
        self.assertEqual(self.pipeline.company_id, self.company)
        self.assertEqual(self.opportunity.company_id, self.company)
        # Not through the opportunity's related company either.
        self.rpc(
            self.admin,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {"company_id": company_b.id},
        )
        self.assertEqual(self.pipeline.company_id, self.company)

    # ------------------------------------------------------------
    # 2. Assignment (R6)
    # ------------------------------------------------------------

    def test_agent_assigns_nobody_else(self):
        for user in (self.agent2, self.internal, self.portal):
            with self.subTest(user=user.login):
                self.assertRefused(
                    ValidationError,
                    "Salesperson",
                    lambda u=user: self.rpc(
                        self.agent1,
                        "partner.opportunity",
                        "write",
                        self.opportunity.ids,
                        {"user_id": u.id},
                    ),
                )
                self.assertEqual(self.opportunity.user_id, self.agent1)

    def test_supervisor_assigns_their_teams_members_only(self):
        self.assertRefused(
            ValidationError,
            "Salesperson: you may not assign Po_Agent3",
            lambda: self.rpc(
                self.supervisor,
                "partner.opportunity",
                "write",
                self.opportunity.ids,
                {"user_id": self.agent3.id},
            ),
        )
        self.rpc(
            self.supervisor,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {"user_id": self.agent2.id},
        )
        self.assertEqual(self.opportunity.user_id, self.agent2)

    def test_administrator_assigns_only_users_of_the_app(self):
        for user in (self.internal, self.portal):
            with self.subTest(user=user.login):
                self.assertRefused(
                    ValidationError,
                    "has no opportunity role",
                    lambda u=user: self.rpc(
                        self.admin,
                        "partner.opportunity",
                        "write",
                        self.opportunity.ids,
                        {"user_id": u.id},
                    ),
                )
        self.rpc(
            self.admin,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {"user_id": self.agent3.id},
        )
        self.assertRecordValues(
            self.opportunity, [{"user_id": self.agent3.id, "team_id": self.team_key.id}]
        )

    def test_team_is_one_of_the_salespersons(self):
        self.assertRefused(
            ValidationError,
            "Sales Team",
            lambda: self.rpc(
                self.agent1,
                "partner.opportunity",
                "write",
                self.opportunity.ids,
                {"team_id": self.team_key.id},
            ),
        )
        self.assertEqual(self.opportunity.team_id, self.team_direct)

    # ------------------------------------------------------------
    # 3. Derived values follow their inputs
    # ------------------------------------------------------------

    def test_derived_values_ignore_what_a_client_sends(self):
        before = self.opportunity.read(
            [
                "weighted_revenue",
                "annual_revenue",
                "status_type",
                "date_closed",
                "date_status_changed",
                "company_id",
                "is_automatic",
            ]
        )[0]
        self.rpc(
            self.agent1,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {
                "weighted_revenue": 999999,
                "annual_revenue": 999999,
                "status_type": "won",
                "date_closed": "2020-01-01 00:00:00",
                "date_status_changed": "2020-01-01 00:00:00",
                "is_automatic": True,
                "expected_revenue": 2000,
            },
        )
        self.env.invalidate_all()
        after = self.opportunity.read(list(before))[0]
        self.assertEqual(after["weighted_revenue"], 1000.0)  # 2000 × 50 %
        self.assertEqual(after["annual_revenue"], 2000.0)
        for name in ("status_type", "date_closed", "date_status_changed", "is_automatic"):
            self.assertEqual(after[name], before[name], name)
        created = self.rpc(
            self.agent1,
            "partner.opportunity",
            "create",
            {
                "name": "Forged",
                "partner_id": self.customer.id,
                "date_deadline": "2026-12-31",
                "expected_revenue": 10,
                "weighted_revenue": 999999,
                "status_type": "won",
            },
        )
        self.assertRecordValues(
            self.Opportunity.browse(created),
            [{"weighted_revenue": 5.0, "status_type": "active"}],
        )

    def test_lost_reason_only_on_a_lost_opportunity(self):
        reason = self.env.ref("partner_opportunity.lost_reason_too_expensive")
        self.assertRefused(
            ValidationError,
            "Lost reason",
            lambda: self.rpc(
                self.agent1,
                "partner.opportunity",
                "write",
                self.opportunity.ids,
                {"lost_reason_id": reason.id},
            ),
        )
        self.rpc(
            self.agent1,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {"status_id": self.status_lost.id, "lost_reason_id": reason.id},
        )
        self.assertEqual(self.opportunity.lost_reason_id, reason)

    # ------------------------------------------------------------
    # 4. Names unique by what a reader sees, guaranteed by the database
    # ------------------------------------------------------------

    def test_status_names_that_read_the_same_are_refused(self):
        self.rpc(
            self.admin,
            "partner.opportunity.status",
            "create",
            {"name": "Follow up", "pipeline_id": self.pipeline.id},
        )
        variants = [
            "follow up",
            "  FOLLOW   UP ",
            "Follow\tup",
            "Follow\u200b up",
            "\uff26\uff4f\uff4c\uff4c\uff4f\uff57 up",  # full-width letters
        ]
        for name in variants:
            with (
                self.subTest(name=name),
                mute_logger("odoo.http"),
                self.assertRaises(ValidationError) as caught,
            ):
                self.rpc(
                    self.admin,
                    "partner.opportunity.status",
                    "create",
                    {"name": name, "pipeline_id": self.pipeline.id},
                )
            self.assertIn("Status name", str(caught.exception))
        self.rpc(
            self.admin,
            "partner.opportunity.status",
            "create",
            {"name": "De\u0301mo planned", "pipeline_id": self.pipeline.id},
        )
        with mute_logger("odoo.http"), self.assertRaises(ValidationError):
            self.rpc(
                self.admin,
                "partner.opportunity.status",
                "create",
                {"name": "D\u00e9mo planned", "pipeline_id": self.pipeline.id},
            )
        # Another status of the pipeline is renamed freely.
        self.rpc(
            self.admin,
            "partner.opportunity.status",
            "write",
            self.status_demo.ids,
            {"name": "Demo given"},
        )
        self.assertEqual(self.status_demo.name, "Demo given")

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_duplicate_the_python_check_missed(self):
        """Two workers creating the same name at once both pass the Python
        check: the table's unique constraint refuses the second, and Odoo's
        RPC layer answers with the constraint's message."""
        self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        with self.assertRaises(psycopg2.errors.UniqueViolation) as caught, self.env.cr.savepoint():
            self.env.cr.execute(
                """INSERT INTO partner_opportunity_pipeline (name, company_id, sequence, active)
                   VALUES ('{"en_US": "Renewals"}', %s, 10, true)""",
                [self.company.id],
            )
        message = str(_as_validation_error(self.env, caught.exception))
        self.assertIn("Pipeline name", message)

    def test_pipeline_names_unique_per_company(self):
        self.rpc(self.admin, "partner.opportunity.pipeline", "create", {"name": "Key Deals"})
        with mute_logger("odoo.http"), self.assertRaises(ValidationError) as caught:
            self.rpc(self.admin, "partner.opportunity.pipeline", "create", {"name": "key  deals"})
        self.assertIn("Pipeline name", str(caught.exception))

    # ------------------------------------------------------------
    # 5. History survives (M5)
    # ------------------------------------------------------------

    def test_interactions_survive_their_status_and_opportunity(self):
        Status = self.env["partner.opportunity.status"]
        doomed = Status.create({"name": "Qualified", "pipeline_id": self.pipeline.id})
        for status in (doomed, self.status_demo):
            self.rpc(
                self.agent1,
                "partner.opportunity",
                "write",
                self.opportunity.ids,
                {"status_id": status.id},
            )
        wizard = self.rpc(
            self.admin,
            "partner.opportunity.status.delete",
            "create",
            {"status_ids": [Command.set(doomed.ids)]},
        )
        self.rpc(self.admin, "partner.opportunity.status.delete", "action_delete", [wizard])
        interactions = self.env["partner.opportunity.interaction"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )
        self.assertEqual(
            [(i.status_from_name, i.status_to_name) for i in interactions],
            [("New", "Qualified"), ("Qualified", "Demo done")],
        )
        self.rpc(self.admin, "partner.opportunity", "unlink", self.opportunity.ids)
        self.assertEqual(len(interactions.exists()), 2)
        self.assertEqual(interactions.mapped("name"), ["Own deal", "Own deal"])
        [customer] = self.rpc(
            self.admin,
            "res.partner",
            "read",
            self.customer.ids,
            ["partner_opportunity_interaction_count"],
        )
        self.assertEqual(customer["partner_opportunity_interaction_count"], 2)

    # ------------------------------------------------------------
    # 6. The lost wizard only closes as lost
    # ------------------------------------------------------------

    def test_lost_wizard_refuses_a_status_that_is_not_lost(self):
        for status in (self.status_won, self.status_demo):
            with self.subTest(status=status.name):
                self.assertRefused(
                    ValidationError,
                    "Lost Status",
                    lambda s=status: self.rpc(
                        self.agent1,
                        "partner.opportunity.lost",
                        "create",
                        {"opportunity_ids": [Command.set(self.opportunity.ids)], "status_id": s.id},
                    ),
                )
        self.assertEqual(self.opportunity.status_type, "active")

    # ------------------------------------------------------------
    # 7. Context keys from a client are harmless
    # ------------------------------------------------------------

    def test_no_status_context_key_from_a_client(self):
        pipeline_id = self.rpc(
            self.admin,
            "partner.opportunity.pipeline",
            "create",
            {"name": "Bare"},
            context={"partner_opportunity_pipeline_no_status": True},
        )
        pipeline = self.env["partner.opportunity.pipeline"].browse(pipeline_id)
        self.assertIn("active", pipeline.status_ids.mapped("status_type"))

    # ------------------------------------------------------------
    # 8. Bad input: a clear message naming the field, nothing written
    # ------------------------------------------------------------

    def test_bad_input_refused_with_the_field_named(self):
        good = {
            "name": "Input",
            "partner_id": self.customer.id,
            "date_deadline": "2026-12-31",
            "expected_revenue": 10,
        }
        cases = [
            ("probability", 10**12, "Probability"),
            ("probability", 50.7, "Probability"),
            ("probability", "abc", "Probability"),
            ("expected_revenue", math.nan, "Expected Revenue"),
            ("expected_revenue", math.inf, "Expected Revenue"),
            ("expected_revenue", 1e300, "Expected Revenue"),
            ("expected_revenue", "abc", "Expected Revenue"),
            ("partner_id", "abc", "Customer"),
            ("status_id", [1, 2], "Status"),
            ("date_deadline", "2024-02-30", "Expected Close Date"),
            ("date_deadline", "tomorrow", "Expected Close Date"),
        ]
        for name, value, label in cases:
            with self.subTest(field=name, value=value):
                self.assertRefused(
                    ValidationError,
                    label,
                    lambda n=name, v=value: self.rpc(
                        self.agent1, "partner.opportunity", "create", dict(good, **{n: v})
                    ),
                )
                self.assertRefused(
                    ValidationError,
                    label,
                    lambda n=name, v=value: self.rpc(
                        self.agent1, "partner.opportunity", "write", self.opportunity.ids, {n: v}
                    ),
                )

    def test_summary_with_a_malformed_filter(self):
        for domain in (
            [("deadline_state", "in", 5)],
            [("no_such_field", "=", 1)],
            [1, 2],
            "name",
            [("name", "like")],
        ):
            with self.subTest(domain=domain), mute_logger("odoo.http"):
                with self.assertRaises(UserError) as caught:
                    self.rpc(self.agent1, "partner.opportunity", "get_summary", domain)
                self.assertNotIn("Traceback", str(caught.exception))

    def test_import_errors_on_their_own_rows(self):
        result = self.rpc(
            self.admin,
            "partner.opportunity",
            "load",
            ["name", "partner_id/.id", "user_id/.id", "date_deadline", "expected_revenue"],
            [
                ["Good one", str(self.customer.id), str(self.agent1.id), "2026-12-31", "10"],
                ["No date", str(self.customer.id), str(self.agent1.id), "", "10"],
                ["Good two", str(self.customer.id), str(self.agent1.id), "2026-12-30", "20"],
                ["Bad revenue", str(self.customer.id), str(self.agent1.id), "2026-12-30", "-5"],
            ],
            context={"import_file": True},
        )
        errors = {(m["record"], m["message"].split(":")[0]) for m in result["messages"]}
        self.assertEqual(errors, {(1, "Expected Close Date"), (3, "Expected revenue")})
        self.assertFalse(self.Opportunity.search([("name", "in", ["Good one", "Good two"])]))

    # ------------------------------------------------------------
    # 9. Smaller leaks, decided
    # ------------------------------------------------------------

    def test_status_deletion_wizard_with_another_companys_status(self):
        company_b = self.env["res.company"].create({"name": "B"})
        foreign = self.env["partner.opportunity.status"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        with mute_logger("odoo.http"), self.assertRaises(UserError):
            wizard = self.rpc(
                self.admin,
                "partner.opportunity.status.delete",
                "create",
                {"status_ids": [Command.set(foreign.ids)]},
            )
            self.rpc(self.admin, "partner.opportunity.status.delete", "action_delete", [wizard])
        self.assertTrue(foreign.exists())

    def test_mass_action_skips_a_customer_worked_by_a_colleague(self):
        """Decided: the count says a customer is already being worked, not by
        whom nor for how much, so that two agents do not call the same
        customer; the agent cannot read the colleague's opportunity."""
        self._opportunity(self.agent2, partner_id=self.other_customer.id)
        result = self.rpc(
            self.agent1, "res.partner", "action_partner_opportunity_create", self.other_customer.ids
        )
        self.assertIn("0 opportunities created, 1 customers skipped", result["params"]["message"])
        self.assertFalse(
            self.Opportunity.with_user(self.agent1).search(
                [("partner_id", "=", self.other_customer.id)]
            )
        )

    # ------------------------------------------------------------
    # 10. Decided: copies, and agents of two companies
    # ------------------------------------------------------------

    def test_copy_of_a_won_opportunity_starts_over(self):
        won = self._opportunity(status_id=self.status_won.id)
        copy_id = self.rpc(self.admin, "partner.opportunity", "copy", won.ids)[0]
        self.assertRecordValues(
            self.Opportunity.browse(copy_id),
            [
                {
                    "status_id": self.status_new.id,
                    "status_type": "active",
                    "probability": 50,
                    "date_closed": False,
                }
            ],
        )

    def test_agent_of_two_companies_moves_their_opportunity(self):
        company_b = self.env["res.company"].create({"name": "B"})
        self.agent1.write({"company_ids": [Command.link(company_b.id)]})
        pipeline_b = company_b.partner_opportunity_pipeline_id
        self.rpc(
            self.agent1,
            "partner.opportunity",
            "write",
            self.opportunity.ids,
            {"pipeline_id": pipeline_b.id},
            context={"allowed_company_ids": [self.company.id, company_b.id]},
        )
        self.assertRecordValues(
            self.opportunity,
            [{"company_id": company_b.id, "status_id": pipeline_b._first_status().id}],
        )
        self.assertEqual(self.opportunity.date_deadline, date(2026, 12, 31))

    def test_followers_of_opportunities_one_may_not_read(self):
        """R5: the followers of an opportunity are read like the opportunity
        (models/mail_followers.py: mail grants every internal user the
        followers of every document)."""
        other = self._opportunity(self.agent2, name="Colleague's deal")
        domain = [
            ("res_model", "=", "partner.opportunity"),
            ("res_id", "in", (self.opportunity | other).ids),
        ]
        self.assertEqual(
            set(self.env["mail.followers"].search(domain).mapped("res_id")),
            {self.opportunity.id, other.id},
        )
        for user, expected in [
            (self.agent1, {self.opportunity.id}),
            (self.supervisor, {self.opportunity.id, other.id}),
            (self.internal, set()),
        ]:
            with self.subTest(user=user.login):
                found = self.rpc(user, "mail.followers", "search_read", domain, ["res_id"])
                self.assertEqual({f["res_id"] for f in found}, expected)
        self.assertEqual(
            self.opportunity.with_user(self.agent1).message_follower_ids.partner_id,
            self.agent1.partner_id,
        )
        # Other documents' followers are untouched.
        self.customer.message_subscribe(self.agent3.partner_id.ids)
        self.assertTrue(
            self.rpc(
                self.internal,
                "mail.followers",
                "search",
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)],
            )
        )


@tagged("post_install", "-at_install")
class TestClientInputs(PartnerOpportunityCase, RpcCase):
    """What a client may send and what it switches: nothing. Every call goes
    over RPC with the context a client would send."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bookkeeper = new_test_user(
            cls.env, "po_bookkeeper", groups="base.group_user,base.group_partner_manager"
        )

    def test_force_unlink_key_switches_no_rule(self):
        """R4, C3: Odoo's uninstall key from a client deletes nothing it
        would not delete without it."""
        uninstall = {"_force_unlink": True}
        won = self._opportunity(self.agent1, name="Won deal", status_id=self.status_won.id)
        lost = self._opportunity(self.agent2, name="Lost deal", status_id=self.status_lost.id)
        for user, opportunity in ((self.agent1, won), (self.supervisor, lost)):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.http"),
                self.assertRaises(UserError),
            ):
                self.rpc(user, "partner.opportunity", "unlink", opportunity.ids, context=uninstall)
        self.assertTrue((won | lost).exists())
        actives = self.pipeline.status_ids.filtered(lambda s: s.status_type == "active")
        (won | lost).unlink()
        self.Opportunity.search([("pipeline_id", "=", self.pipeline.id)]).unlink()
        with mute_logger("odoo.http"), self.assertRaises(ValidationError):
            self.rpc(
                self.admin, "partner.opportunity.status", "unlink", actives.ids, context=uninstall
            )
        with mute_logger("odoo.http"), self.assertRaises(UserError):
            self.rpc(
                self.admin,
                "partner.opportunity.pipeline",
                "unlink",
                self.pipeline.ids,
                context=uninstall,
            )
        self.assertTrue(self.pipeline.exists() and actives.exists())

    def test_context_defaults_forge_no_server_value(self):
        """R6: the context's defaults of server values are no input."""
        created = self.rpc(
            self.agent1,
            "partner.opportunity",
            "create",
            {
                "name": "Forged",
                "partner_id": self.customer.id,
                "date_deadline": "2026-12-31",
                "expected_revenue": 10,
            },
            context={
                "default_is_automatic": True,
                "default_date_closed": "2001-01-01 00:00:00",
                "default_date_status_changed": "2001-01-01 00:00:00",
                "default_status_type": "won",
                "default_currency_id": self.env.ref("base.AED").id,
            },
        )
        opportunity = self.Opportunity.browse(created)
        self.assertRecordValues(
            opportunity,
            [
                {
                    "is_automatic": False,
                    "date_closed": False,
                    "status_type": "active",
                    "currency_id": self.company.currency_id.id,
                }
            ],
        )
        self.assertGreater(opportunity.date_status_changed.year, 2001)

    def test_currency_follows_the_company(self):
        """M3: the amounts are in the company's currency, whatever is sent."""
        opportunity = self._opportunity(self.agent1)
        aed = self.env.ref("base.AED")
        self.rpc(
            self.agent1, "partner.opportunity", "write", opportunity.ids, {"currency_id": aed.id}
        )
        created = self.rpc(
            self.agent1,
            "partner.opportunity",
            "create",
            {
                "name": "In dirhams",
                "partner_id": self.customer.id,
                "date_deadline": "2026-12-31",
                "currency_id": aed.id,
            },
        )
        self.assertEqual(
            (opportunity | self.Opportunity.browse(created)).currency_id, self.company.currency_id
        )

    def test_context_switches_are_not_client_inputs(self):
        """Following (mail's auto-subscription) and automatic opportunities
        (D2) stay on whatever context a client sends."""
        opportunity = self._opportunity(self.agent1)
        for key in ("partner_opportunity_subscribe", "partner_opportunity_batch_subscribe"):
            self.rpc(
                self.supervisor,
                "partner.opportunity",
                "write",
                opportunity.ids,
                {"user_id": self.agent2.id},
                context={key: True},
            )
            self.assertIn(self.agent2.partner_id, opportunity.message_partner_ids)
            opportunity.message_unsubscribe(self.agent2.partner_id.ids)
            opportunity.sudo().user_id = self.agent1
        partner_id = self.rpc(
            self.agent1,
            "res.partner",
            "create",
            {"name": "No switch Ltd", "is_company": True},
            context={"partner_opportunity_no_auto": True},
        )
        self.assertEqual(
            self.Opportunity.search([("partner_id", "=", partner_id)]).user_id, self.agent1
        )

    def test_automatic_opportunity_of_a_user_without_the_app(self):
        """D2, R6: a user without the app never becomes a salesperson: the
        customer's salesperson holds the opportunity if they may, else the
        salesperson chosen in Settings."""
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            settings.partner_opportunity_user_id, self.env.ref("base.user_admin"), "installer"
        )
        settings.partner_opportunity_user_id = self.agent2
        settings.execute()
        Partner = self.env["res.partner"]
        created = self.rpc(
            self.bookkeeper, "res.partner", "create", {"name": "Books Ltd", "is_company": True}
        )
        of_agent3 = self.rpc(
            self.bookkeeper,
            "res.partner",
            "create",
            {"name": "Agent's Ltd", "is_company": True, "user_id": self.agent3.id},
        )
        of_bookkeeper = self.rpc(
            self.admin,
            "res.partner",
            "create",
            {"name": "Bookkeeper's Ltd", "is_company": True, "user_id": self.bookkeeper.id},
        )
        loaded = self.rpc(
            self.bookkeeper,
            "res.partner",
            "load",
            ["name", "is_company"],
            [["Imported Ltd", "1"]],
            context={"import_file": True},
        )
        mass = Partner.with_context(partner_opportunity_no_auto=SERVER).create(
            {"name": "Campaign Ltd", "is_company": True, "user_id": self.bookkeeper.id}
        )
        self.rpc(self.supervisor, "res.partner", "action_partner_opportunity_create", mass.ids)
        expected = {
            created: self.agent2,
            of_agent3: self.agent3,
            of_bookkeeper: self.admin,
            loaded["ids"][0]: self.agent2,
            mass.id: self.supervisor,
        }
        for partner_id, user in expected.items():
            with self.subTest(partner=Partner.browse(partner_id).name):
                self.assertEqual(
                    self.Opportunity.search([("partner_id", "=", partner_id)]).user_id, user
                )
        with self.assertRaises(ValidationError):
            settings.partner_opportunity_user_id = self.bookkeeper
            settings.execute()

    def test_won_or_lost_on_creation(self):
        """D3 on creation: a card quick-created in a won or lost column (the
        status as a context default) and a create over RPC in a won or lost
        status are closed, with their probability."""
        won = self.rpc(
            self.agent1,
            "partner.opportunity",
            "name_create",
            "Quick won",
            context={
                "default_status_id": self.status_won.id,
                "default_partner_id": self.customer.id,
                "default_date_deadline": "2026-12-31",
            },
        )[0]
        lost = self.rpc(
            self.agent1,
            "partner.opportunity",
            "create",
            {
                "name": "Lost at once",
                "partner_id": self.customer.id,
                "date_deadline": "2026-12-31",
                "status_id": self.status_lost.id,
                "probability": 80,
            },
        )
        for opportunity_id, probability in ((won, 100), (lost, 0)):
            opportunity = self.Opportunity.browse(opportunity_id)
            self.assertEqual(opportunity.probability, probability)
            self.assertTrue(opportunity.date_closed)
            self.assertEqual(opportunity.pipeline_id, self.pipeline)

    def test_required_values_from_context_defaults(self):
        """D1: required values given as the context's defaults, as Odoo
        actions give them, are values."""
        created = self.rpc(
            self.agent1,
            "partner.opportunity",
            "create",
            {"name": "From an action"},
            context={
                "default_partner_id": self.customer.id,
                "default_date_deadline": "2026-12-31",
            },
        )
        self.assertEqual(self.Opportunity.browse(created).date_deadline, date(2026, 12, 31))
        with mute_logger("odoo.http"), self.assertRaises(ValidationError) as caught:
            self.rpc(
                self.agent1,
                "partner.opportunity",
                "create",
                {"name": "No date", "partner_id": self.customer.id},
            )
        self.assertIn("Expected Close Date", str(caught.exception))

    def test_import_empty_probability_takes_default(self):
        """An empty optional cell is no value: the default applies; an
        update import reports a bad row on that row only."""
        fields = ["name", "partner_id/.id", "date_deadline", "probability"]
        rows = [
            ["Empty cell", str(self.customer.id), "2026-12-31", ""],
            ["Set", str(self.customer.id), "2026-12-31", "20"],
        ]
        result = self.rpc(
            self.agent1, "partner.opportunity", "load", fields, rows, context={"import_file": True}
        )
        self.assertFalse(result["messages"])
        opportunities = self.Opportunity.browse(result["ids"])
        self.assertEqual(opportunities.mapped("probability"), [50, 20])
        result = self.rpc(
            self.agent1,
            "partner.opportunity",
            "load",
            [".id", "expected_revenue"],
            [[str(opportunities[0].id), "10"], [str(opportunities[1].id), "-5"]],
            context={"import_file": True},
        )
        self.assertEqual([m["record"] for m in result["messages"]], [1])
        self.assertEqual(opportunities.mapped("expected_revenue"), [0.0, 0.0])

    def test_bad_values_name_their_field(self):
        """D4: whatever the type or size, a message naming the field and
        nothing written, on every model of the addon."""
        opportunity = self._opportunity(self.agent1)
        status = self.status_demo
        huge = 2**40
        cases = [
            (self.agent1, "partner.opportunity", {"revenue_period": "weekly"}, "Revenue Period"),
            (self.agent1, "partner.opportunity", {"properties": [1, 2]}, "Properties"),
            (self.agent1, "partner.opportunity", {"contact_id": huge}, "Contact"),
            (self.agent1, "partner.opportunity", {"contact_id": 999999}, "Contact"),
            (self.agent1, "partner.opportunity", {"team_id": 999999}, "Sales Team"),
            (self.agent1, "partner.opportunity", {"lost_reason_id": 999999}, "Lost Reason"),
            (self.admin, "partner.opportunity.status", {"status_type": "maybe"}, "Type"),
            (self.admin, "partner.opportunity.status", {"sequence": huge}, "Sequence"),
            (self.admin, "partner.opportunity.status", {"probability": huge}, "Probability"),
            (self.admin, "partner.opportunity.status", {"idle_days": huge}, "Idle"),
            (self.admin, "partner.opportunity.status", {"color": huge}, "Color"),
            (self.admin, "partner.opportunity.pipeline", {"company_id": huge}, "Company"),
        ]
        records = {
            "partner.opportunity": opportunity,
            "partner.opportunity.status": status,
            "partner.opportunity.pipeline": self.pipeline,
        }
        for user, model, vals, label in cases:
            with (
                self.subTest(model=model, vals=vals),
                mute_logger("odoo.http"),
                self.assertRaises(UserError) as caught,
            ):
                self.rpc(user, model, "write", records[model].ids, vals)
            self.assertIn(label, str(caught.exception))
        for model, vals, label in [
            ("res.config.settings", {"partner_opportunity_near_days": huge}, "Near"),
            (
                "partner.opportunity.lost",
                {"opportunity_ids": [Command.set([huge])]},
                "Opportunities",
            ),
        ]:
            with (
                self.subTest(model=model),
                mute_logger("odoo.http"),
                self.assertRaises(ValidationError) as caught,
            ):
                self.rpc(self.env.ref("base.user_admin"), model, "create", vals)
            self.assertIn(label, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(opportunity.revenue_period, "one_time")
        self.assertEqual(status.status_type, "active")

    def test_duplicate_name_with_the_error_parsers_characters(self):
        """D4: the name is the client's, not a part of an error text."""
        self.rpc(
            self.admin,
            "partner.opportunity.status",
            "create",
            {"name": "Call back =(later", "pipeline_id": self.pipeline.id},
        )
        with mute_logger("odoo.http"), self.assertRaises(ValidationError) as caught:
            self.rpc(
                self.admin,
                "partner.opportunity.status",
                "create",
                {"name": "call back =(later", "pipeline_id": self.pipeline.id},
            )
        self.assertIn("“call back =(later”", str(caught.exception))
