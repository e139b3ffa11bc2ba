"""Every rule on every path: what a client sends over RPC (issue 15).

Each call goes through ``odoo.api.call_kw``, the dispatcher of
``/web/dataset/call_kw`` and of XML-RPC's ``execute_kw``: every field of
``create``/``write`` and every context key is an input. Each refusal is a
clear message naming the field, and nothing is written.
"""

import math
from datetime import date

import psycopg2

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestRpcRules(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.internal = new_test_user(cls.env, "po_internal", groups="base.group_user")
        cls.portal = new_test_user(cls.env, "po_portal_user", groups="base.group_portal")
        cls.opportunity = cls._opportunity(cls.agent1, name="Own deal")

    def rpc(self, user, model, method, *args, **kwargs):
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def _table_state(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT md5(string_agg(row_to_json(o)::text, ',' ORDER BY id))"
            " FROM partner_opportunity o"
        )
        return self.env.cr.fetchone()[0]

    def assertRefused(self, exception, field, call):
        """The call raises ``exception`` naming ``field`` and writes nothing."""
        before = self._table_state()
        with self.assertRaises(exception) as caught:
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
        with self.assertRaises(UserError) as caught:
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
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
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
        with self.assertRaises(ValidationError):
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
        check: the unique index refuses the second."""
        self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            self.env.cr.execute(
                """INSERT INTO partner_opportunity_pipeline (name, company_id, sequence, active)
                   VALUES ('{"en_US": "  renewals"}', %s, 10, true)""",
                [self.company.id],
            )

    def test_pipeline_names_unique_per_company(self):
        self.rpc(self.admin, "partner.opportunity.pipeline", "create", {"name": "Key Deals"})
        with self.assertRaises(ValidationError) as caught:
            self.rpc(self.admin, "partner.opportunity.pipeline", "create", {"name": "key  deals"})
        self.assertIn("Pipeline name", str(caught.exception))

    # ------------------------------------------------------------
    # 5. History survives (M5)
    # ------------------------------------------------------------

    def test_interactions_survive_their_status_and_opportunity(self):
        Status = self.env["partner.opportunity.status"]
        doomed = Status.create({"name": "Qualified", "pipeline_id": self.pipeline.id})
        self.opportunity.with_user(self.agent1).write({"status_id": doomed.id})
        self.opportunity.with_user(self.agent1).write({"status_id": self.status_demo.id})
        wizard = (
            self.env["partner.opportunity.status.delete"]
            .with_user(self.admin)
            .create({"status_ids": [Command.set(doomed.ids)]})
        )
        wizard.action_delete()
        interactions = self.env["partner.opportunity.interaction"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )
        self.assertEqual(
            [(i.status_from_name, i.status_to_name) for i in interactions],
            [("New", "Qualified"), ("Qualified", "Demo done")],
        )
        self.opportunity.with_user(self.admin).unlink()
        interactions.invalidate_recordset()
        self.assertEqual(len(interactions.exists()), 2)
        self.assertEqual(interactions.mapped("name"), ["Own deal", "Own deal"])
        self.assertEqual(
            self.customer.with_user(self.admin).partner_opportunity_interaction_count, 2
        )

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
            ("probability", None, "Probability"),
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
        with self.assertRaises(UserError):
            self.rpc(
                self.agent1, "partner.opportunity", "get_summary", [("deadline_state", "in", 5)]
            )

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
        self.assertEqual(errors, {(1, "Expected close date"), (3, "Expected revenue")})
        self.assertFalse(self.Opportunity.search([("name", "in", ["Good one", "Good two"])]))

    # ------------------------------------------------------------
    # 9. Smaller leaks, decided
    # ------------------------------------------------------------

    def test_status_deletion_wizard_with_another_companys_status(self):
        company_b = self.env["res.company"].create({"name": "B"})
        foreign = self.env["partner.opportunity.status"].search(
            [("company_id", "=", company_b.id)], limit=1
        )
        with self.assertRaises(UserError):
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
