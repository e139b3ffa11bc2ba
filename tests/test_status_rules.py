"""Status rules configured by administrators: default probability,
required fields, lost reasons and idle thresholds per status. Each rule holds
on every path: form, drag and drop (web_save), import (load), batch write, the
"Mark as Lost" mass action, for every role."""

from datetime import date, datetime

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, warmup
from odoo.tools import mute_logger

from .common import KANBAN_SPEC, PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestStatusRules(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.status_contract = ref("partner_opportunity.status_contract_sent")
        cls.status_negotiation = ref("partner_opportunity.status_negotiation")
        Fields = cls.env["ir.model.fields"]
        cls.field_contact = Fields._get("partner.opportunity", "contact_id")
        cls.field_revenue = Fields._get("partner.opportunity", "expected_revenue")
        cls.reason_price = ref("partner_opportunity.lost_reason_too_expensive")
        cls.reason_budget = ref("partner_opportunity.lost_reason_no_budget")
        cls.users = (cls.agent1, cls.supervisor, cls.admin)

    # ------------------------------------------------------------
    # Paths: the ways an opportunity enters a status
    # ------------------------------------------------------------

    def _form_move(self, opportunity, status, **vals):
        with Form(opportunity) as form:
            form.status_id = status
            for name, value in vals.items():
                setattr(form, name, value)

    def _drag(self, opportunity, status):
        opportunity.web_save({"status_id": status.id}, specification=KANBAN_SPEC)

    def _import(self, opportunity, status):
        result = opportunity.with_context(import_file=True).load(
            [".id", "status_id/.id"], [[str(opportunity.id), str(status.id)]]
        )
        errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
        if errors:
            raise UserError("\n".join(errors))

    def _write(self, opportunity, status):
        opportunity.write({"status_id": status.id})

    def _paths(self):
        return {
            "form": lambda o, s: self._form_move(o, s),
            "drag": self._drag,
            "import": self._import,
            "write": self._write,
        }

    # ------------------------------------------------------------
    # 1. Default probability per status
    # ------------------------------------------------------------

    def test_default_probability_on_every_path(self):
        self.status_demo.probability = 20
        for user in self.users:
            for path, move in self._paths().items():
                with self.subTest(user=user.login, path=path):
                    opportunity = self._opportunity(name=f"{path} {user.login}")
                    self.assertEqual(opportunity.probability, 50)
                    move(opportunity.with_user(user), self.status_demo)
                    self.assertEqual(opportunity.status_id, self.status_demo)
                    self.assertEqual(opportunity.probability, 20)
                    self.assertEqual(opportunity.weighted_revenue, 200)

    def test_default_probability_batch_and_given_probability(self):
        self.status_demo.probability = 20
        opportunities = self._opportunity() | self._opportunity(probability=80)
        opportunities.with_user(self.agent1).write({"status_id": self.status_demo.id})
        self.assertEqual(opportunities.mapped("probability"), [20, 20])

        # A probability set in the same change wins, on every path.
        opportunity = self._opportunity()
        opportunity.with_user(self.supervisor).write(
            {"status_id": self.status_proposal.id, "probability": 35}
        )
        opportunity.with_user(self.supervisor).write(
            {"status_id": self.status_demo.id, "probability": 35}
        )
        self.assertEqual(opportunity.probability, 35)
        opportunity = self._opportunity()
        self._form_move(opportunity.with_user(self.agent1), self.status_demo)
        self.assertEqual(opportunity.probability, 20)
        with Form(opportunity.with_user(self.agent1)) as form:
            form.status_id = self.status_proposal
            form.status_id = self.status_demo
            form.probability = 65
        self.assertEqual(opportunity.probability, 65)

        # Staying in the status is no entry.
        opportunity.write({"status_id": self.status_demo.id, "name": "Renamed"})
        self.assertEqual(opportunity.probability, 65)
        # A status without default keeps the opportunity's probability.
        opportunity.write({"status_id": self.status_proposal.id})
        self.assertEqual(opportunity.probability, 65)

    def test_default_probability_on_create(self):
        self.status_demo.probability = 20
        self.assertEqual(self._opportunity(status_id=self.status_demo.id).probability, 20)
        self.assertEqual(
            self._opportunity(status_id=self.status_demo.id, probability=70).probability, 70
        )
        self.assertEqual(self._opportunity().probability, 50, "New has no default")
        with Form(self.Opportunity.with_user(self.agent1)) as form:
            form.partner_id = self.customer
            form.name = "From the form"
            form.date_deadline = date(2026, 12, 1)
            self.assertEqual(form.probability, 50)
            form.status_id = self.status_demo
            self.assertEqual(form.probability, 20, "the form shows it at once")
        self.assertEqual(form.record.probability, 20)

    def test_default_probability_won_lost_and_switch(self):
        self.status_demo.probability = 20
        self.status_won.probability = 40  # not offered for won and lost statuses
        opportunity = self._opportunity()
        opportunity.write({"status_id": self.status_won.id})
        self.assertEqual(opportunity.probability, 100, "D3 holds")
        opportunity.with_user(self.admin).write({"status_id": self.status_demo.id})
        self.assertEqual(opportunity.probability, 20, "reopened into a status with a default")
        opportunity.write({"status_id": self.status_lost.id})
        self.assertEqual(opportunity.probability, 0)
        opportunity.with_user(self.admin).write({"status_id": self.status_proposal.id})
        self.assertEqual(opportunity.probability, 50, "reopened without a default")

        self.pipeline.use_status_probability = False
        opportunity.write({"status_id": self.status_demo.id})
        self.assertEqual(opportunity.probability, 50, "switched off for the pipeline")
        self.assertEqual(self._opportunity(status_id=self.status_demo.id).probability, 50)

    @mute_logger("odoo.sql_db")
    def test_default_probability_range(self):
        with self.assertRaises(CheckViolation):
            self.status_demo.probability = 120
            self.env.flush_all()

    # ------------------------------------------------------------
    # 2. Required fields per status
    # ------------------------------------------------------------

    def _require_contact_and_revenue(self):
        self.status_proposal.required_field_ids = self.field_contact | self.field_revenue

    def _assert_refused(self, cm, *names):
        message = str(cm.exception)
        for text in ("Expected Revenue", "Contact", "Proposal sent", *names):
            self.assertIn(text, message)

    def test_required_fields_on_every_path(self):
        self._require_contact_and_revenue()
        for user in self.users:
            for path, move in self._paths().items():
                with self.subTest(user=user.login, path=path):
                    name = f"Bare {path} {user.login}"
                    opportunity = self._opportunity(name=name, expected_revenue=0)
                    with self.assertRaises(UserError) as cm:
                        move(opportunity.with_user(user), self.status_proposal)
                    self._assert_refused(cm, name)
                    opportunity.invalidate_recordset()
                    self.assertEqual(opportunity.status_id, self.status_new, "nothing written")
                    self.assertFalse(opportunity.interaction_ids)

                    # Filled in, the same move passes.
                    opportunity.write({"contact_id": self.contact.id, "expected_revenue": 10})
                    move(opportunity.with_user(user), self.status_proposal)
                    self.assertEqual(opportunity.status_id, self.status_proposal)

    def test_required_fields_filled_in_the_same_change(self):
        self._require_contact_and_revenue()
        opportunity = self._opportunity(expected_revenue=0)
        self._form_move(
            opportunity.with_user(self.agent1),
            self.status_proposal,
            contact_id=self.contact,
            expected_revenue=300,
        )
        self.assertEqual(opportunity.status_id, self.status_proposal)
        # Numbers are filled when not zero.
        other = self._opportunity(expected_revenue=5)
        with self.assertRaises(UserError) as cm:
            other.write(
                {
                    "status_id": self.status_proposal.id,
                    "contact_id": self.contact.id,
                    "expected_revenue": 0,
                }
            )
        self.assertIn("Expected Revenue", str(cm.exception))
        self.assertNotIn("Contact", str(cm.exception).split(":", 1)[1])

    def test_required_fields_batch_refuses_all(self):
        self._require_contact_and_revenue()
        ready = self._opportunity(name="Ready", contact_id=self.contact.id)
        bare = self._opportunity(name="Bare", expected_revenue=0)
        for user in self.users:
            with self.subTest(user=user.login), self.assertRaises(UserError) as cm:
                (ready | bare).with_user(user).write({"status_id": self.status_proposal.id})
            self.assertIn("Bare", str(cm.exception))
            self.assertNotIn("Ready", str(cm.exception))
            (ready | bare).invalidate_recordset()
            self.assertEqual((ready | bare).status_id, self.status_new, "the whole batch")
            self.assertFalse((ready | bare).interaction_ids)

    def test_required_fields_on_create_and_import(self):
        self._require_contact_and_revenue()
        with self.assertRaises(UserError) as cm:
            self._opportunity(name="Straight in", status_id=self.status_proposal.id)
        self.assertIn("Straight in", str(cm.exception))
        created = self._opportunity(status_id=self.status_proposal.id, contact_id=self.contact.id)
        self.assertEqual(created.status_id, self.status_proposal)

        result = (
            self.Opportunity.with_user(self.agent1)
            .with_context(import_file=True)
            .load(
                ["name", "partner_id/.id", "date_deadline", "status_id/.id", "expected_revenue"],
                [
                    [
                        "Imported",
                        str(self.customer.id),
                        "2026-12-31",
                        str(self.status_proposal.id),
                        "0",
                    ]
                ],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("Expected Revenue", result["messages"][0]["message"])
        self.assertFalse(self.Opportunity.search([("name", "=", "Imported")]))

    def test_required_fields_choice(self):
        """Only fields that salespeople fill in can be required."""
        Fields = self.env["ir.model.fields"]
        allowed = Fields.search(self.status_proposal._fields["required_field_ids"].domain)
        self.assertIn(self.field_contact, allowed)
        self.assertIn(Fields._get("partner.opportunity", "date_deadline"), allowed)
        for name in ("status_id", "write_date", "weighted_revenue", "interaction_ids", "id"):
            self.assertNotIn(Fields._get("partner.opportunity", name), allowed, name)
        with self.assertRaises(ValidationError):
            self.status_proposal.with_user(self.admin).required_field_ids = Fields._get(
                "partner.opportunity", "write_date"
            )
        # Administrators configure it; agents may not.
        self.status_proposal.with_user(self.admin).required_field_ids = self.field_contact
        self.assertEqual(self.status_proposal.required_field_ids, self.field_contact)
        with self.assertRaises(UserError):
            self.status_proposal.with_user(self.agent1).write({"probability": 10})

    def test_required_fields_message_in_vietnamese(self):
        self._require_contact_and_revenue()
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["partner_opportunity"], ["vi_VN"], overwrite=True
        )
        opportunity = self._opportunity(expected_revenue=0)
        with self.assertRaises(UserError) as cm:
            opportunity.with_user(self.agent1).with_context(lang="vi_VN").write(
                {"status_id": self.status_proposal.id}
            )
        message = str(cm.exception)
        self.assertIn("Doanh thu dự kiến", message)
        self.assertIn("bắt buộc", message)

    # ------------------------------------------------------------
    # 3. Lost reasons
    # ------------------------------------------------------------

    def test_lost_reasons_data(self):
        reasons = self.env["partner.opportunity.lost.reason"].with_user(self.agent1).search([])
        self.assertGreaterEqual(len(reasons), 4)
        self.assertIn(self.reason_price, reasons)
        with self.assertRaises(UserError):
            self.env["partner.opportunity.lost.reason"].with_user(self.agent1).create(
                {"name": "Mine"}
            )
        reason = (
            self.env["partner.opportunity.lost.reason"]
            .with_user(self.admin)
            .create({"name": "Project cancelled"})
        )
        reason.active = False
        self.assertNotIn(reason, self.env["partner.opportunity.lost.reason"].search([]))

    def test_lost_reason_optional_by_default(self):
        self.assertFalse(self.company.partner_opportunity_lost_reason_required)
        opportunity = self._opportunity()
        opportunity.with_user(self.agent1).write({"status_id": self.status_lost.id})
        self.assertEqual(opportunity.status_id, self.status_lost)
        self.assertFalse(opportunity.lost_reason_id)

    def test_lost_reason_required_on_every_path(self):
        self.env["res.config.settings"].create(
            {"partner_opportunity_lost_reason_required": True}
        ).execute()
        self.assertTrue(self.company.partner_opportunity_lost_reason_required)
        for user in self.users:
            for path, move in self._paths().items():
                with self.subTest(user=user.login, path=path):
                    name = f"Lost {path} {user.login}"
                    opportunity = self._opportunity(name=name)
                    with self.assertRaises(UserError) as cm:
                        move(opportunity.with_user(user), self.status_lost)
                    self.assertIn("Lost Reason", str(cm.exception))
                    self.assertIn(name, str(cm.exception))
                    opportunity.invalidate_recordset()
                    self.assertEqual(opportunity.status_id, self.status_new)
                    self.assertEqual(opportunity.probability, 50)

            with self.subTest(user=user.login, path="form with a reason"):
                opportunity = self._opportunity()
                self._form_move(
                    opportunity.with_user(user), self.status_lost, lost_reason_id=self.reason_price
                )
                self.assertEqual(opportunity.status_id, self.status_lost)
                self.assertEqual(opportunity.lost_reason_id, self.reason_price)

            with self.subTest(user=user.login, path="wizard"):
                opportunity = self._opportunity()
                wizard = self._lost_wizard(user, opportunity, status=self.status_lost)
                self.assertTrue(wizard.reason_required)
                with self.assertRaises(UserError):
                    wizard.action_apply()
                wizard.lost_reason_id = self.reason_budget
                result = wizard.action_apply()
                self.assertEqual(result["infos"], {"lost": True})
                self.assertRecordValues(
                    opportunity,
                    [
                        {
                            "status_id": self.status_lost.id,
                            "lost_reason_id": self.reason_budget.id,
                            "probability": 0,
                        }
                    ],
                )

        with self.assertRaises(UserError):
            self._opportunity(status_id=self.status_lost.id)
        created = self._opportunity(
            status_id=self.status_lost.id, lost_reason_id=self.reason_price.id
        )
        self.assertEqual(created.lost_reason_id, self.reason_price)
        # Other statuses do not ask for a reason.
        self._opportunity().with_user(self.agent1).write({"status_id": self.status_won.id})

    def _lost_wizard(self, user, opportunities, status=None):
        # The list's Action menu offers it to the user.
        action = self.env.ref("partner_opportunity.partner_opportunity_lost_action")
        views = self.Opportunity.with_user(user).get_views([(False, "list")], {"toolbar": True})
        toolbar = views["views"]["list"]["toolbar"]["action"]
        self.assertIn(action.id, [offered["id"] for offered in toolbar])
        Wizard = self.env["partner.opportunity.lost"].with_user(user)
        return Wizard.with_context(
            active_ids=opportunities.ids, default_opportunity_ids=opportunities.ids
        ).create({"status_id": status.id if status else False})

    def test_mass_lost_action(self):
        """One reason for all selected opportunities, each into the lost status
        of its own pipeline; refused for all if one may not be lost."""
        renewals = self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        renewals_lost = renewals.status_ids.filtered(lambda s: s.status_type == "lost")
        first = self._opportunity(name="First")
        second = self._opportunity(name="Second", pipeline_id=renewals.id)
        for user in self.users:
            with self.subTest(user=user.login):
                first.with_user(self.admin).write({"status_id": self.status_new.id})
                second.with_user(self.admin).write({"status_id": renewals.status_ids[0].id})
                wizard = self._lost_wizard(user, first | second)
                wizard.lost_reason_id = self.reason_price
                wizard.action_apply()
                self.assertRecordValues(
                    first | second,
                    [
                        {"status_id": self.status_lost.id, "lost_reason_id": self.reason_price.id},
                        {"status_id": renewals_lost.id, "lost_reason_id": self.reason_price.id},
                    ],
                )

        closed = self._opportunity(name="Already won", status_id=self.status_won.id)
        fresh = self._opportunity(name="Fresh")
        wizard = self._lost_wizard(self.agent1, closed | fresh)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(fresh.status_id, self.status_new, "R4 refuses the whole batch")

    def test_lost_reason_cleared_on_reopening_and_reported(self):
        lost = self._opportunity(expected_revenue=700)
        lost.write({"status_id": self.status_lost.id, "lost_reason_id": self.reason_price.id})
        self._opportunity(
            expected_revenue=300,
            status_id=self.status_lost.id,
            lost_reason_id=self.reason_budget.id,
        )
        self._opportunity(
            expected_revenue=200, status_id=self.status_lost.id, lost_reason_id=self.reason_price.id
        )
        groups = self.Opportunity.with_user(self.admin)._read_group(
            [("status_type", "=", "lost")], ["lost_reason_id"], ["expected_revenue:sum"]
        )
        self.assertEqual(
            dict(groups), {self.reason_price: 900, self.reason_budget: 300}, "lost value by reason"
        )
        self.assertEqual(self.reason_price.opportunity_count, 2)
        lost.with_user(self.admin).write({"status_id": self.status_new.id})
        self.assertFalse(lost.lost_reason_id, "a reopened opportunity is no longer lost")
        # The search offers to group by lost reason.
        search = self._search_view(self.agent1)
        self.assertTrue(search.xpath("//filter[contains(@context, 'lost_reason_id')]"))

    # ------------------------------------------------------------
    # 4. Idle threshold per status, days in status
    # ------------------------------------------------------------

    def test_idle_threshold_per_status(self):
        self.status_demo.idle_days = 3
        self.status_proposal.idle_days = 30
        with freeze_time("2026-01-01 08:00:00"):
            in_new = self._opportunity(name="New")
            in_demo = self._opportunity(name="Demo", status_id=self.status_demo.id)
            in_proposal = self._opportunity(name="Proposal", status_id=self.status_proposal.id)
        everything = in_new | in_demo | in_proposal
        mine = [("id", "in", everything.ids)]

        def idle(user=None):
            Opportunity = self.Opportunity.with_user(user or self.agent1)
            found = Opportunity.search(mine + [("is_idle", "=", True)])
            everything.invalidate_recordset(["is_idle"])
            computed = everything.with_user(user or self.agent1).filtered("is_idle")
            self.assertEqual(found, computed, "search and compute agree")
            self.assertEqual(
                Opportunity.search(mine + [("is_idle", "=", False)]), everything - found
            )
            return found

        with freeze_time("2026-01-03 08:00:00"):
            self.assertFalse(idle())
        with freeze_time("2026-01-05 08:00:00"):
            self.assertEqual(idle(), in_demo, "3 days in Demo done")
            self.assertEqual(in_demo.days_in_status, 4)
        with freeze_time("2026-01-20 08:00:00"):
            for user in self.users:
                self.assertEqual(idle(user), in_new | in_demo, "company default: 14 days")
        with freeze_time("2026-02-05 08:00:00"):
            self.assertEqual(idle(), everything)
            self.status_demo.idle_days = 0
            self.company.partner_opportunity_idle_days = 60
            self.assertEqual(idle(), in_proposal, "0 falls back to the company threshold")

    def test_days_in_status(self):
        with freeze_time("2026-03-01 10:00:00"):
            opportunity = self._opportunity()
        with freeze_time("2026-03-11 09:00:00"):
            opportunity.invalidate_recordset(["days_in_status"])
            self.assertEqual(opportunity.days_in_status, 9)
            opportunity.write({"status_id": self.status_demo.id})
            opportunity.invalidate_recordset(["days_in_status"])
            self.assertEqual(opportunity.days_in_status, 0)
        self.assertEqual(opportunity.date_status_changed, datetime(2026, 3, 11, 9, 0))

    # ------------------------------------------------------------
    # Cost of the rules
    # ------------------------------------------------------------

    # A drop by an agent (warm caches: @warmup runs the test twice, counts
    # the second run), and what reading the rules of the status reached adds;
    # the card read back with its properties (KANBAN_SPEC), and the status
    # looked up (D4: it exists).
    DROP_QUERIES = 19
    RULES_QUERIES = 1

    @warmup
    def test_drag_query_count_with_rules(self):
        """The rules of the status reached (probability, idle threshold,
        required fields, lost reason) add a constant number of queries to a
        drag and drop."""

        def drops(target, queries, **vals):
            opportunities = [self._opportunity(contact_id=self.contact.id) for __ in range(2)]
            with self.with_user("po_agent1"):
                Opportunity = self.env["partner.opportunity"]
                for opportunity in opportunities:
                    self.env.invalidate_all()
                    with self.assertQueryCount(queries):
                        Opportunity.browse(opportunity.id).web_save(
                            {"status_id": target.id, **vals}, specification=KANBAN_SPEC
                        )
            self.assertEqual(set(map(len, (o.interaction_ids for o in opportunities))), {1})

        drops(self.status_negotiation, self.DROP_QUERIES)
        self.status_proposal.write(
            {
                "probability": 30,
                "idle_days": 5,
                "required_field_ids": [(6, 0, (self.field_contact | self.field_revenue).ids)],
            }
        )
        drops(self.status_proposal, self.DROP_QUERIES + self.RULES_QUERIES)
        self.company.partner_opportunity_lost_reason_required = True
        drops(
            self.status_lost,
            # The lost reason sent is looked up too (D4: it exists).
            self.DROP_QUERIES + self.RULES_QUERIES + 1,
            lost_reason_id=self.reason_price.id,
        )
