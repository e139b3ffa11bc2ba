"""Data model, defaults and validation: M1-M4, D1, D3, D4, C4."""

from contextlib import nullcontext
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PartnerOpportunityCase, batches


class BulkCreateMixin:
    """Creating opportunities in a batch costs no query per opportunity: 2
    or 100 cost the same, each batch of 100 rows more 3 INSERTs."""

    @staticmethod
    def _bulk_create_queries(count):
        return 18 + 3 * (batches(count, 100) - 1)

    def _bulk_create(self, count, queries=None):
        """Creates ``count`` opportunities in ``queries`` (None: not counted,
        to warm the caches)."""
        self.env.invalidate_all()
        with self.assertQueryCount(queries) if queries else nullcontext():
            self.Opportunity.create(
                [
                    {
                        "name": f"Bulk {i}",
                        "partner_id": self.customer.id,
                        "user_id": self.agent1.id,
                        "date_deadline": date(2026, 12, 31),
                    }
                    for i in range(count)
                ]
            )


@tagged("post_install", "-at_install")
class TestOpportunity(BulkCreateMixin, PartnerOpportunityCase):
    def test_default_pipeline_statuses_c4(self):
        statuses = self.pipeline.status_ids
        self.assertEqual(
            statuses.mapped("name"),
            ["New", "Demo done", "Proposal sent", "Contract sent", "Negotiation", "Won", "Lost"],
        )
        self.assertEqual(statuses.mapped("status_type"), ["active"] * 5 + ["won", "lost"])

    def test_defaults_d1_from_customer_form(self):
        self.customer.user_id = self.agent2
        with Form(self.Opportunity.with_context(default_partner_id=self.customer.id)) as form:
            form.name = "20 licences"
            form.date_deadline = date(2026, 12, 1)
            self.assertEqual(form.user_id, self.agent2, "D1: customer's salesperson")
            self.assertEqual(form.probability, 50)
            self.assertEqual(form.status_id, self.status_new)
            self.assertEqual(form.team_id, self.team_direct, "team from the salesperson")
        opportunity = form.record
        self.assertEqual(opportunity.pipeline_id, self.pipeline)
        self.assertEqual(opportunity.expected_revenue, 0.0)
        self.assertEqual(opportunity.status_type, "active")

    def test_default_salesperson_is_current_user(self):
        opportunity = self.Opportunity.with_user(self.agent3).create(
            {"name": "X", "partner_id": self.other_customer.id, "date_deadline": date(2026, 12, 1)}
        )
        self.assertEqual(opportunity.user_id, self.agent3)
        self.assertEqual(opportunity.team_id, self.team_key)

    def test_weighted_and_annual_revenue(self):
        opportunity = self._opportunity(expected_revenue=1000, probability=30)
        self.assertEqual(opportunity.weighted_revenue, 300)
        self.assertEqual(opportunity.annual_revenue, 1000)
        opportunity.write({"revenue_period": "monthly", "probability": 75})
        self.assertEqual(opportunity.weighted_revenue, 750)
        self.assertEqual(opportunity.annual_revenue, 12000)

    @freeze_time("2026-11-24 10:00:00")
    def test_won_and_lost_d3(self):
        won, lost = self._opportunity(probability=30) | self._opportunity(probability=70)
        won.status_id = self.status_won
        self.assertEqual((won.probability, won.status_type), (100, "won"))
        self.assertEqual(str(won.date_closed), "2026-11-24 10:00:00")
        lost.status_id = self.status_lost
        self.assertEqual((lost.probability, lost.weighted_revenue), (0, 0))
        self.assertTrue(lost.date_closed)
        created_won = self._opportunity(status_id=self.status_won.id, probability=10)
        self.assertEqual(created_won.probability, 100)
        self.assertTrue(created_won.date_closed)

    def test_bad_input_d4_create(self):
        other_pipeline = self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        cases = [
            ({"expected_revenue": -1}, "Expected revenue"),
            ({"probability": 101}, "Probability"),
            ({"probability": -5}, "Probability"),
            ({"date_deadline": False}, "Expected Close Date"),
            (
                {"status_id": other_pipeline.status_ids[0].id, "pipeline_id": self.pipeline.id},
                "Status",
            ),
            ({"contact_id": self.other_customer.id}, "Contact"),
        ]
        count = self.Opportunity.search_count([])
        for vals, field in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                self._opportunity(**vals)
            self.assertIn(field, str(caught.exception))
        self.assertEqual(self.Opportunity.search_count([]), count, "nothing written")

    def test_bad_input_d4_write_batch(self):
        opportunities = self._opportunity() | self._opportunity(expected_revenue=50)
        other_pipeline = self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        cases = [
            {"expected_revenue": -1},
            {"probability": 150},
            {"date_deadline": False},
            {"status_id": other_pipeline.status_ids[0].id},
            {"contact_id": self.other_customer.id},
        ]
        for vals in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                opportunities.write(vals)
            self.assertEqual(opportunities.mapped("expected_revenue"), [1000, 50])
            self.assertEqual(opportunities.status_id, self.status_new)
            self.assertFalse(opportunities.contact_id)

    def test_contact_of_customer_accepted(self):
        opportunity = self._opportunity(contact_id=self.contact.id)
        opportunity.contact_id = self.customer
        self.assertEqual(opportunity.contact_id, self.customer)

    def test_duplicate_status_name_d4(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["partner.opportunity.status"].create(
                {"name": "won", "pipeline_id": self.pipeline.id}
            )
        self.assertIn("Status name", str(caught.exception))
        self.assertEqual(len(self.pipeline.status_ids), 7)

    def test_salespersons_follow_their_opportunities(self):
        """Mail's auto-subscription of the salesperson, run per salesperson:
        a single new opportunity tells its salesperson, a batch does not."""

        def assignments(opportunities):
            return self.env["mail.message"].search(
                [
                    ("model", "=", self.Opportunity._name),
                    ("res_id", "in", opportunities.ids),
                    ("message_type", "=", "user_notification"),
                ]
            )

        Opportunity = self.Opportunity.with_user(self.admin)
        single = Opportunity.create(
            {
                "name": "Single",
                "partner_id": self.customer.id,
                "user_id": self.agent1.id,
                "date_deadline": date(2026, 12, 31),
            }
        )
        self.assertIn(self.agent1.partner_id, single.message_partner_ids)
        self.assertEqual(assignments(single).partner_ids, self.agent1.partner_id)
        batch = Opportunity.create(
            [
                {
                    "name": f"Batch {user.name}",
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                    "date_deadline": date(2026, 12, 31),
                }
                for user in (self.agent1, self.agent2)
            ]
        )
        for opportunity in batch:
            self.assertIn(opportunity.user_id.partner_id, opportunity.message_partner_ids)
            self.assertNotIn(
                (self.agent1 | self.agent2 - opportunity.user_id).partner_id,
                opportunity.message_partner_ids,
            )
        self.assertFalse(assignments(batch))
        # The records create() returns subscribe a new salesperson like any.
        single.user_id = self.agent2
        self.assertIn(self.agent2.partner_id, single.message_partner_ids)

    def test_bulk_create_query_count_is_constant(self):
        self._bulk_create(2)  # warm the caches
        for count in (2, 100, 250):  # 1,000 in test_volume.py
            with self.subTest(count=count):
                self._bulk_create(count, self._bulk_create_queries(count))

    def test_customer_smart_button_m4(self):
        self._opportunity(expected_revenue=300)
        self._opportunity(expected_revenue=200, status_id=self.status_lost.id)
        self._opportunity(expected_revenue=700, user_id=self.agent3.id)
        self.assertEqual(self.customer.partner_opportunity_count, 3)
        self.assertEqual(self.customer.partner_opportunity_open_value, 1000)
        # The open value is annual (B1): a monthly amount counts twelve times,
        # never added as it is to one-time amounts; the pipeline's too.
        monthly = self._opportunity(expected_revenue=50, revenue_period="monthly")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.partner_opportunity_open_value, 1600)
        self.assertEqual(self.pipeline.opportunity_value, 1600)
        monthly.unlink()
        self.customer.invalidate_recordset()
        as_agent = self.customer.with_user(self.agent1)
        self.assertEqual(as_agent.partner_opportunity_count, 2, "only what the agent may see")
        self.assertEqual(as_agent.partner_opportunity_open_value, 300)
        action = self.customer.action_partner_opportunity_view()
        self.assertEqual(
            self.Opportunity.search(action["domain"]), self.customer.partner_opportunity_ids
        )
        new = self.customer.with_user(self.agent1).action_partner_opportunity_new()
        form = Form(self.Opportunity.with_user(self.agent1).with_context(**new["context"]))
        self.assertEqual(form.partner_id, self.customer, "New Opportunity is for the customer")

    def test_customer_form_without_the_app(self):
        """Users without an opportunity group still open customers."""
        user = self._user("po_accountant", None, name="Accountant")
        self._opportunity()
        partner = self.customer.with_user(user)
        self.assertEqual(partner.partner_opportunity_count, 0)
        self.assertEqual(partner.partner_opportunity_interaction_count, 0)


@tagged("post_install", "-at_install")
class TestOpportunityNavigation(PartnerOpportunityCase):
    """Where the board, the card and the form lead (B1, B2, M5)."""

    def test_board_shows_every_status_of_its_pipeline(self):
        self._opportunity(status_id=self.status_demo.id)
        renewals = self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        action = self.pipeline.action_open_board()
        self.assertEqual(action["context"]["default_pipeline_id"], self.pipeline.id)
        Opportunity = self.Opportunity.with_user(self.agent1).with_context(**action["context"])
        groups = Opportunity.web_read_group(
            [("pipeline_id", "=", self.pipeline.id)], ["expected_revenue:sum"], ["status_id"]
        )["groups"]
        self.assertEqual(
            [group["status_id"][0] for group in groups],
            self.pipeline.status_ids.ids,
            "empty columns too, in status order, none of another pipeline",
        )
        self.assertNotIn(renewals.status_ids[0].id, [g["status_id"][0] for g in groups])
        menu_action = self.Opportunity.with_user(self.agent1).action_open_board()
        self.assertEqual(menu_action["context"]["default_pipeline_id"], self.pipeline.id)

    def test_card_opens_the_customer(self):
        action = self._opportunity(contact_id=self.contact.id).action_open_partner()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.customer.id))

    def test_form_shows_time_spent_per_status(self):
        def end_transaction():
            self.env.flush_all()
            self.env.cr.precommit.run()  # tracking values are written at commit

        opportunity = self._opportunity()
        end_transaction()
        opportunity.status_id = self.status_demo
        end_transaction()
        opportunity.invalidate_recordset(["duration_tracking"])
        self.assertIn(str(self.status_new.id), opportunity.duration_tracking)

    def test_lost_reason_lists_its_opportunities(self):
        reason = self.env["partner.opportunity.lost.reason"].create({"name": "Timing"})
        lost = self._opportunity(status_id=self.status_lost.id, lost_reason_id=reason.id)
        self._opportunity()
        action = reason.action_open_opportunities()
        self.assertEqual(self.Opportunity.search(action["domain"]), lost)
        self.assertEqual(reason.opportunity_count, 1)
