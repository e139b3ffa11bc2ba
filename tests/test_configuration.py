"""Configuration: C1-C3, D4 (status names), F5 (custom fields)."""

from contextlib import nullcontext
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import PartnerOpportunityCase, batches


class StatusCostMixin:
    """What moving the opportunities of a status costs: deleting the status
    through the wizard, changing its type. No query per opportunity, only
    the ORM's batches (UPDATEs and INSERTs of 100 rows, reads of 1,000)."""

    def _status_with_opportunities(self, name, count):
        status = self.env["partner.opportunity.status"].create(
            {"name": name, "pipeline_id": self.pipeline.id}
        )
        opportunities = self.Opportunity.with_context(tracking_disable=True).create(
            [
                {
                    "name": name,
                    "partner_id": self.customer.id,
                    "user_id": self.agent1.id,
                    "status_id": status.id,
                    "date_deadline": date(2026, 12, 31),
                }
            ]
            * count
        )
        return status, opportunities

    @staticmethod
    def _delete_status_queries(count):
        # Tracking each move on its own would cost queries per opportunity; the
        # UPDATE, the INSERTs of interactions, messages and their tracking
        # values, and reading back what the history keeps cost at most 5 per
        # batch of 100 rows.
        return 26 + 5 * (batches(count, 100) - 1) + (batches(count, 1000) - 1)

    def _delete_status(self, count, queries=None):
        """Deletes a status of ``count`` opportunities (C2) in ``queries``
        (None: not counted, to warm the caches)."""
        status, opportunities = self._status_with_opportunities(f"Doomed {count}", count)
        wizard = self.env["partner.opportunity.status.delete"].create(
            {
                "status_ids": [Command.set(status.ids)],
                "target_status_id": self.status_proposal.id,
            }
        )
        self.env.invalidate_all()
        # Counted: the moves, flushed, and their tracking, written before the
        # commit (the pre-commit hooks).
        with self.assertQueryCount(queries, flush=False) if queries else nullcontext():
            wizard.action_delete()
            self.env.flush_all()
            self.env.cr.precommit.run()
        self.assertEqual(opportunities.status_id, self.status_proposal)
        self.assertEqual(len(opportunities.interaction_ids), count)
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", self.Opportunity._name), ("res_id", "in", opportunities.ids)]
            ),
            count,
            "one chatter trace per opportunity",
        )

    @staticmethod
    def _change_status_type_queries(count):
        return 7 + (batches(count, 100) - 1) + (batches(count, 1000) - 1)

    def _change_status_type(self, count, queries=None):
        """Makes a status of ``count`` opportunities a won one in ``queries``
        (None: not counted, to warm the caches)."""
        status, opportunities = self._status_with_opportunities(f"Trial {count}", count)
        self.env.invalidate_all()
        with self.assertQueryCount(queries) if queries else nullcontext():
            status.status_type = "won"
        self.assertEqual(set(opportunities.mapped("status_type")), {"won"})
        self.assertEqual(
            self.Opportunity.search_count(
                [("id", "in", opportunities.ids), ("status_type", "=", "won")]
            ),
            count,
            "the stored type follows its status",
        )


@tagged("post_install", "-at_install")
class TestConfiguration(StatusCostMixin, PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Pipeline = cls.env["partner.opportunity.pipeline"]
        cls.Status = cls.env["partner.opportunity.status"]
        cls.Wizard = cls.env["partner.opportunity.status.delete"]
        cls.renewals = cls.Pipeline.create({"name": "Renewals"})
        cls.company2 = cls.env["res.company"].create({"name": "Hanoi Branch"})

    # ------------------------------------------------------------
    # Settings (C1, D2)
    # ------------------------------------------------------------

    def test_settings_saved_per_company(self):
        with Form(self.env["res.config.settings"]) as settings:
            self.assertTrue(settings.partner_opportunity_auto_create)
            self.assertEqual(settings.partner_opportunity_pipeline_id, self.pipeline)
            self.assertEqual(settings.partner_opportunity_near_days, 3)
            self.assertEqual(settings.partner_opportunity_idle_days, 14)
            settings.partner_opportunity_auto_create = False
            settings.partner_opportunity_pipeline_id = self.renewals
            settings.partner_opportunity_near_days = 5
            settings.partner_opportunity_idle_days = 30
        settings.record.execute()
        self.assertFalse(self.company.partner_opportunity_auto_create)
        self.assertEqual(self.company.partner_opportunity_pipeline_id, self.renewals)
        self.assertEqual(self.company.partner_opportunity_near_days, 5)
        self.assertEqual(self.company.partner_opportunity_idle_days, 30)
        self.assertEqual(
            self.Opportunity._default_pipeline(), self.renewals, "the default pipeline is used"
        )

        other = self.company2
        self.assertTrue(other.partner_opportunity_auto_create, "the other company is untouched")
        self.assertEqual(other.partner_opportunity_near_days, 3)
        self.assertEqual(other.partner_opportunity_pipeline_id.company_id, other)
        env2 = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        with Form(env2["res.config.settings"]) as settings:
            self.assertEqual(
                settings.partner_opportunity_pipeline_id, other.partner_opportunity_pipeline_id
            )
            self.assertEqual(settings.partner_opportunity_near_days, 3)
            settings.partner_opportunity_near_days = 1
        settings.record.execute()
        self.assertEqual(
            (other.partner_opportunity_near_days, self.company.partner_opportunity_near_days),
            (1, 5),
        )

    def test_settings_thresholds_validated(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.company.partner_opportunity_near_days = -1
            self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.company.partner_opportunity_idle_days = 0
            self.env.flush_all()

    def test_default_pipeline_of_another_company_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.company.partner_opportunity_pipeline_id = (
                self.company2.partner_opportunity_pipeline_id
            )
        self.assertIn("Default pipeline", str(caught.exception))

    # ------------------------------------------------------------
    # Names and types (M1, M2, D4)
    # ------------------------------------------------------------

    def test_status_name_unique_per_pipeline(self):
        # The same name in another pipeline is fine.
        self.assertIn("New", self.renewals.status_ids.mapped("name"))
        with self.assertRaises(ValidationError) as caught:
            self.Status.create({"name": " new ", "pipeline_id": self.renewals.id})
        self.assertIn("Status name", str(caught.exception))
        with self.assertRaises(ValidationError):
            self.renewals.status_ids[1].name = "NEW"
        with self.assertRaises(ValidationError):
            self.status_demo.pipeline_id = self.renewals

    def test_used_status_stays_in_its_pipeline(self):
        self._opportunity(status_id=self.status_demo.id)
        self.status_demo.name = "Demo given"
        with self.assertRaises(UserError) as caught:
            self.status_demo.pipeline_id = self.renewals
        self.assertIn("stays in its pipeline", str(caught.exception))
        unused = self.Status.create({"name": "Spare", "pipeline_id": self.pipeline.id})
        unused.pipeline_id = self.renewals
        self.assertIn(unused, self.renewals.status_ids)

    def test_status_type_required(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Status.create(
                {"name": "Waiting", "pipeline_id": self.renewals.id, "status_type": False}
            )
        status = self.Status.create({"name": "Waiting", "pipeline_id": self.renewals.id})
        self.assertEqual(status.status_type, "active", "active by default")

    def test_pipeline_name_unique_per_company(self):
        with self.assertRaises(ValidationError) as caught:
            self.Pipeline.create({"name": "renewals"})
        self.assertIn("Pipeline name", str(caught.exception))
        self.renewals.active = False
        with self.assertRaises(ValidationError):
            self.Pipeline.create({"name": "Renewals"})
        other = self.Pipeline.create({"name": "Renewals", "company_id": self.company2.id})
        self.assertEqual(other.company_id, self.company2)

    # ------------------------------------------------------------
    # Safe deletion of statuses (C2)
    # ------------------------------------------------------------

    def test_delete_status_through_wizard_form(self):
        opportunities = self._opportunity() | self._opportunity(user=self.agent2)
        opportunities.status_id = self.status_demo
        self.Opportunity.invalidate_model()
        interactions = opportunities.interaction_ids
        wizard_env = self.Wizard.with_user(self.admin).with_context(
            default_status_ids=self.status_demo.ids
        )
        with Form(wizard_env) as wizard:
            self.assertEqual(wizard.opportunity_count, 2)
            wizard.target_status_id = self.status_proposal
        wizard.record.action_delete()
        self.assertFalse(self.status_demo.exists())
        self.assertEqual(opportunities.status_id, self.status_proposal)
        moves = opportunities.interaction_ids - interactions
        self.assertEqual(len(moves), 2, "each move is an interaction (M5)")
        self.assertEqual(moves.status_to_id, self.status_proposal)
        self.assertEqual(moves.user_id, self.admin)
        for opportunity in opportunities:
            self.assertIn("Demo done", opportunity.message_ids[0].body)
            self.assertIn("Proposal sent", opportunity.message_ids[0].body)

    def test_delete_status_through_wizard_api(self):
        opportunity = self._opportunity(status_id=self.status_demo.id)
        empty = self.Status.create({"name": "Empty", "pipeline_id": self.pipeline.id})
        self.Wizard.create(
            {
                "status_ids": [Command.set((self.status_demo | empty).ids)],
                "target_status_id": self.status_new.id,
            }
        ).action_delete()
        self.assertFalse((self.status_demo | empty).exists())
        self.assertEqual(opportunity.status_id, self.status_new)
        # A status nobody uses needs no target.
        unused = self.Status.create({"name": "Unused", "pipeline_id": self.pipeline.id})
        self.Wizard.create({"status_ids": [Command.set(unused.ids)]}).action_delete()
        self.assertFalse(unused.exists())

    def test_delete_status_wizard_refuses_bad_targets(self):
        opportunity = self._opportunity(status_id=self.status_demo.id)
        cases = [
            (False, "Choose"),
            (self.renewals.status_ids[0], "same pipeline"),
            (self.status_demo, "same pipeline"),
        ]
        for target, message in cases:
            with self.subTest(target=target), self.assertRaises(UserError) as caught:
                self.Wizard.create(
                    {
                        "status_ids": [Command.set(self.status_demo.ids)],
                        "target_status_id": target and target.id,
                    }
                ).action_delete()
            self.assertIn(message, str(caught.exception))
        self.assertTrue(self.status_demo.exists())
        self.assertEqual(opportunity.status_id, self.status_demo)

    def test_delete_status_wizard_moves_feed_time_in_status(self):
        """C2: the moves are tracked like a drop on the board, so the time
        spent in the deleted status stays in the history of each opportunity."""

        def end_transaction():
            self.env.flush_all()
            self.cr.precommit.run()  # tracking values are written at commit

        opportunities = self._opportunity() | self._opportunity(user=self.agent2)
        end_transaction()
        opportunities.status_id = self.status_demo
        end_transaction()
        deleted = self.status_demo.id
        self.Wizard.with_user(self.admin).create(
            {
                "status_ids": [Command.set(self.status_demo.ids)],
                "target_status_id": self.status_won.id,
            }
        ).action_delete()
        end_transaction()
        self.Opportunity.invalidate_model()
        for opportunity in opportunities:
            self.assertEqual(opportunity.probability, 100, "D3 on entry")
            self.assertEqual(
                set(opportunity.duration_tracking),
                {str(self.status_new.id), str(deleted), str(self.status_won.id)},
            )
            move = opportunity.message_ids[0]
            self.assertIn("was deleted", move.body)
            self.assertEqual(move.author_id, self.admin.partner_id)
            values = {v.field_id.name: v for v in move.sudo().tracking_value_ids}
            self.assertEqual(
                (values["status_id"].old_value_integer, values["status_id"].new_value_integer),
                (deleted, self.status_won.id),
            )
            self.assertEqual(
                (values["probability"].old_value_integer, values["probability"].new_value_integer),
                (50, 100),
            )

    def test_plain_unlink_of_used_status_refused(self):
        self._opportunity(status_id=self.status_demo.id)
        with self.assertRaises(UserError) as caught:
            self.status_demo.unlink()
        self.assertIn("Delete Status", str(caught.exception))
        # The Delete Status action opens the wizard on that status and its opportunity.
        action = self.status_demo.with_user(self.admin).action_open_delete_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.admin).with_context(**action["context"])
        )
        self.assertEqual(wizard.status_ids[:], self.status_demo)
        self.assertEqual(wizard.opportunity_count, 1)

    def test_delete_status_wizard_query_count_is_bounded(self):
        self._delete_status(50)  # warm the caches
        for count in (50, 100, 250):  # 5,000 in test_volume.py
            with self.subTest(count=count):
                self._delete_status(count, self._delete_status_queries(count))

    # ------------------------------------------------------------
    # Something to put new opportunities in (C3)
    # ------------------------------------------------------------

    def test_last_active_status_kept(self):
        active = self.renewals.status_ids.filtered(lambda s: s.status_type == "active")
        self.assertEqual(len(active), 5)
        with self.assertRaises(UserError) as caught:
            active.unlink()
        self.assertIn("at least one status", str(caught.exception))
        active[1:].unlink()
        with self.assertRaises(UserError):
            active[0].unlink()
        with self.assertRaises(ValidationError) as caught:
            active[0].status_type = "won"
        self.assertIn("at least one status", str(caught.exception))
        active[0].name = "Only"
        with self.assertRaises(ValidationError):
            active[0].pipeline_id = self.pipeline
        self.assertEqual(active[0].status_type, "active")
        # Another active status frees the first one.
        self.Status.create({"name": "Qualified", "pipeline_id": self.renewals.id})
        active[0].status_type = "lost"
        self.assertEqual(self.renewals._first_status().name, "Qualified")

    def test_wizard_cannot_delete_last_active_status(self):
        active = self.renewals.status_ids.filtered(lambda s: s.status_type == "active")
        active[1:].unlink()
        with self.assertRaises(UserError):
            self.Wizard.create({"status_ids": [Command.set(active[:1].ids)]}).action_delete()
        self.assertTrue(active[:1].exists())

    def test_company_keeps_a_pipeline(self):
        company = self.company2
        only = company.partner_opportunity_pipeline_id
        self.assertEqual(self.Pipeline.search([("company_id", "=", company.id)]), only)
        with self.assertRaises(UserError) as caught:
            only.active = False
        self.assertIn("at least one active pipeline", str(caught.exception))
        with self.assertRaises(UserError):
            only.unlink()
        second = self.Pipeline.create({"name": "Second", "company_id": company.id})
        only.active = False
        self.assertEqual(
            self.Opportunity._default_pipeline(company),
            second,
            "an archived default pipeline gives way to an active one",
        )
        with self.assertRaises(UserError):
            second.unlink()
        only.active = True
        second.unlink()
        self.assertTrue(only.exists())

    def test_pipeline_with_opportunities_not_deleted(self):
        self._opportunity(pipeline_id=self.renewals.id)
        with self.assertRaises(UserError) as caught:
            self.renewals.unlink()
        self.assertIn("still has opportunities", str(caught.exception))
        self.renewals.active = False
        self.assertFalse(self.renewals.active, "archiving is the way out")

    def test_new_pipeline_gets_default_statuses(self):
        self.assertEqual(
            self.renewals.status_ids.mapped("name"),
            ["New", "Demo done", "Proposal sent", "Contract sent", "Negotiation", "Won", "Lost"],
        )
        self.assertEqual(
            self.renewals.status_ids.mapped("status_type"), ["active"] * 5 + ["won", "lost"]
        )
        own = self.Pipeline.create(
            {"name": "Own", "status_ids": [Command.create({"name": "Open"})]}
        )
        self.assertEqual(own.status_ids.mapped("name"), ["Open"], "given statuses are kept")

    def test_install_statuses_are_the_default_list(self):
        """C4 has one list: the install's statuses are made from it and keep
        the XML ids that demo data and translations use."""
        defaults = self.Pipeline._default_statuses()
        self.assertEqual(
            self.pipeline.status_ids,
            self.pipeline.status_ids.browse(
                self.env.ref(f"partner_opportunity.{xmlid}").id for xmlid in defaults
            ),
        )
        for xmlid, vals in defaults.items():
            status = self.env.ref(f"partner_opportunity.{xmlid}")
            self.assertEqual({key: status[key] for key in vals}, vals, xmlid)

    def test_new_company_gets_a_pipeline(self):
        company = self.env["res.company"].create({"name": "Danang Branch"})
        pipeline = company.partner_opportunity_pipeline_id
        self.assertEqual(pipeline.company_id, company)
        self.assertEqual(len(pipeline.status_ids), 7)
        self.assertFalse(
            self.Opportunity.search([("partner_id", "=", company.partner_id.id)]),
            "a company's own partner is no customer",
        )

    # ------------------------------------------------------------
    # Status type changes
    # ------------------------------------------------------------

    def test_status_type_change_updates_opportunities(self):
        self._change_status_type(5)  # warm the caches
        for count in (10, 100, 250):  # 2,000 in test_volume.py
            with self.subTest(count=count):
                self._change_status_type(count, self._change_status_type_queries(count))

    def test_status_type_change_warns(self):
        self._opportunity(status_id=self.status_demo.id)
        with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs:
            with Form(self.status_demo.with_user(self.admin)) as status:
                status.status_type = "won"
        self.assertIn("1 opportunit", logs.output[0])
        self.assertEqual(self.status_demo.status_type, "won")
        with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
            with Form(self.status_proposal) as status:
                status.status_type = "lost"

    # ------------------------------------------------------------
    # Custom fields (F5)
    # ------------------------------------------------------------

    def test_custom_fields(self):
        self.pipeline.opportunity_properties_definition = [
            {"name": "licences", "string": "Licences", "type": "integer"},
            {
                "name": "source",
                "string": "Source",
                "type": "selection",
                "selection": [["fair", "Trade fair"], ["call", "Cold call"]],
            },
        ]
        fair = self._opportunity(properties={"licences": 20, "source": "fair"})
        call = self._opportunity(properties={"licences": 5, "source": "call"})
        self.assertEqual(fair.properties["licences"], 20)
        Opportunity = self.Opportunity
        self.assertEqual(Opportunity.search([("properties.source", "=", "fair")]), fair)
        self.assertEqual(Opportunity.search([("properties.licences", ">", 10)]), fair)
        self.assertEqual(
            Opportunity.search([("properties.licences", "<", 10), ("id", "in", (fair | call).ids)]),
            call,
        )
        # Another pipeline has its own custom fields.
        other = self._opportunity(pipeline_id=self.renewals.id)
        self.assertFalse(other.properties)
        # Everyone's search offers the properties (the web client adds one filter each).
        for user in (self.agent1, self.supervisor, self.admin):
            self.assertTrue(self._search_view(user).xpath("//field[@name='properties']"))

    # ------------------------------------------------------------
    # Only administrators configure (C1, R3)
    # ------------------------------------------------------------

    def test_only_admins_configure(self):
        for user in (self.agent1, self.supervisor):
            Pipeline, Status = self.Pipeline.with_user(user), self.Status.with_user(user)
            with self.subTest(user=user.login):
                self.assertTrue(Pipeline.search([]), "everybody reads the pipelines")
                with self.assertRaises(AccessError):
                    Pipeline.create({"name": "Mine"})
                with self.assertRaises(AccessError):
                    self.renewals.with_user(user).name = "Mine"
                with self.assertRaises(AccessError):
                    Status.create({"name": "Mine", "pipeline_id": self.renewals.id})
                with self.assertRaises(AccessError):
                    self.status_demo.with_user(user).sequence = 99
                with self.assertRaises(AccessError):
                    self.Wizard.with_user(user).create(
                        {"status_ids": [Command.set(self.status_demo.ids)]}
                    )
        pipeline = self.Pipeline.with_user(self.admin).create({"name": "Admin's"})
        self.assertEqual(len(pipeline.status_ids), 7)
        pipeline.status_ids[0].with_user(self.admin).write({"name": "Lead", "sequence": 20})
        pipeline.invalidate_recordset(["status_ids"])
        self.assertEqual(pipeline._first_status().name, "Demo done")
