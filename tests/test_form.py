"""The opportunity form as each role gets it: whom the salesperson field
offers, the contact following the customer, closed opportunities read-only,
closing through a confirmation, and the board's pipeline kept in its URL
(R1, R2, R4, R6, D4, B1, C1)."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestOpportunityForm(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls._user("po_form_accountant", None, name="Accountant Without App")
        cls.portal = new_test_user(
            cls.env, "po_form_portal", groups="base.group_portal", name="Portal Customer"
        )

    def _offered(self, user, opportunity=None):
        """The users the salesperson field of the form offers ``user``: the
        ids of the field's domain, evaluated on the record as the web client
        does."""
        Opportunity = self.Opportunity.with_user(user)
        form = Form(opportunity.with_user(user) if opportunity else Opportunity)
        domain = Opportunity.fields_get(["user_id"])["user_id"]["domain"]
        self.assertIn("assignable_user_ids", domain, "the dropdown is limited by the role")
        return self.env["res.users"].browse(user.id for user in form.assignable_user_ids)

    # ------------------------------------------------------------
    # R1, R2, R6: whom the salesperson field offers
    # ------------------------------------------------------------

    def test_salesperson_offered_per_role(self):
        opportunity = self._opportunity()
        self.assertEqual(self._offered(self.agent1, opportunity), self.agent1)
        self.assertEqual(self._offered(self.agent1), self.agent1, "new ones too")
        self.assertEqual(
            self._offered(self.supervisor),
            self.supervisor | self.agent1 | self.agent2,
            "the supervisor and their team, not the other team's agent",
        )
        offered = self._offered(self.admin, opportunity)
        self.assertLessEqual(
            self.admin | self.supervisor | self.agent1 | self.agent2 | self.agent3, offered
        )
        self.assertNotIn(self.accountant, offered, "an internal user without the app")
        self.assertNotIn(self.portal, offered)
        self.assertTrue(
            all(user.has_group("partner_opportunity.group_agent") for user in offered),
            "administrators are offered users with an opportunity role only",
        )

    def test_salesperson_offered_is_accepted(self):
        """Whoever the field offers, the server accepts, and nobody else: the
        dropdown and the rule are one list (_assignable_users)."""
        candidates = self.admin | self.supervisor | self.agent1 | self.agent2 | self.agent3
        for user in (self.agent1, self.supervisor, self.admin):
            offered = self._offered(user)
            for salesperson in candidates:
                with self.subTest(user=user.login, salesperson=salesperson.login):
                    vals = {
                        "name": "Offered",
                        "partner_id": self.customer.id,
                        "user_id": salesperson.id,
                        "team_id": False,
                        "date_deadline": "2026-12-31",
                    }
                    if salesperson in offered:
                        created = self.Opportunity.with_user(user).create(vals)
                        self.assertEqual(created.user_id, salesperson)
                    else:
                        with self.assertRaises(ValidationError):
                            self.Opportunity.with_user(user).create(vals)

    # ------------------------------------------------------------
    # D4: the contact follows the customer
    # ------------------------------------------------------------

    def test_contact_cleared_when_customer_changes(self):
        opportunity = self._opportunity(contact_id=self.contact.id)
        form = Form(opportunity.with_user(self.agent1))
        form.partner_id = self.other_customer
        self.assertFalse(form.contact_id, "the other customer's contact goes at once")
        form.partner_id = self.customer
        form.contact_id = self.contact
        form.save()
        self.assertEqual(opportunity.contact_id, self.contact)

    def test_contact_kept_when_it_stays_the_customers(self):
        opportunity = self._opportunity(partner_id=self.contact.id, contact_id=self.contact.id)
        with Form(opportunity.with_user(self.agent1)) as form:
            form.partner_id = self.customer
            self.assertEqual(form.contact_id, self.contact, "still one of the customer's")
        self.assertEqual(opportunity.contact_id, self.contact)

    # ------------------------------------------------------------
    # R4: closed opportunities are read-only to agents and supervisors
    # ------------------------------------------------------------

    def test_closed_opportunity_read_only_to_agents(self):
        won = self._opportunity(status_id=self.status_won.id)
        self.assertTrue(won.with_user(self.agent1).is_locked)
        self.assertTrue(won.with_user(self.supervisor).is_locked)
        self.assertFalse(won.with_user(self.admin).is_locked, "administrators may reopen")
        self.assertFalse(self._opportunity().with_user(self.agent1).is_locked)

        form = Form(won.with_user(self.agent1))
        for field, value in (
            ("expected_revenue", 5.0),
            ("probability", 10),
            ("name", "Changed"),
            ("status_id", self.status_new),
        ):
            with self.subTest(field=field), self.assertRaises(AssertionError):
                setattr(form, field, value)

        with Form(won.with_user(self.admin)) as form:
            form.expected_revenue = 5.0
        self.assertEqual(won.expected_revenue, 5.0)

    # ------------------------------------------------------------
    # R4: closing from the form goes through a confirmation or the reason
    # ------------------------------------------------------------
    # The status bar without won and lost, Won's confirmation and Lost's
    # reason are checked in the browser (test_ui_form: TestFormUi).

    def test_mark_won(self):
        opportunity = self._opportunity(status_id=self.status_demo.id)
        opportunity.with_user(self.agent1).action_mark_won()
        self.assertRecordValues(
            opportunity, [{"status_id": self.status_won.id, "probability": 100}]
        )
        self.assertRecordValues(
            opportunity.interaction_ids,
            [{"status_from_id": self.status_demo.id, "status_to_id": self.status_won.id}],
        )
        with self.assertRaisesRegex(UserError, "only be changed by an administrator"):
            opportunity.with_user(self.agent1).action_mark_won()

    def test_mark_won_without_won_status(self):
        pipeline = self.env["partner.opportunity.pipeline"].create(
            {
                "name": "No Win",
                "status_ids": [Command.create({"name": "Open", "status_type": "active"})],
            }
        )
        opportunity = self._opportunity(pipeline_id=pipeline.id)
        with self.assertRaisesRegex(UserError, "No Win"):
            opportunity.action_mark_won()

    # ------------------------------------------------------------
    # B1, C1: the board keeps its pipeline in its URL
    # ------------------------------------------------------------

    def test_board_opens_the_pipeline_of_its_link(self):
        """The board's server action opens the board of the pipeline its link
        names (``active_id``: the web client keeps it in the URL with the
        action's path and gives it back on a reload, tour
        test_board_keeps_its_pipeline), else the company's default pipeline,
        also for a pipeline the user may not read or that is gone. The
        board's title is the pipeline's, and a card created on it goes into
        that pipeline, in its first status."""
        renewals = self.env["partner.opportunity.pipeline"].create({"name": "Renewals"})
        server_action = self.env.ref("partner_opportunity.partner_opportunity_action_board")
        other_company = self.env["res.company"].create({"name": "Other Company"})
        hidden = self.env["partner.opportunity.pipeline"].search(
            [("company_id", "=", other_company.id)], limit=1
        )
        self.assertTrue(hidden)

        def board(active_id=None):
            context = {"active_id": active_id, "active_ids": [active_id]} if active_id else {}
            return server_action.with_user(self.agent1).with_context(**context).run()

        def assertBoardOf(action, pipeline):
            self.assertEqual(action["display_name"], pipeline.name, "the board's title")
            new_card = Form(
                self.Opportunity.with_user(self.agent1).with_context(**action["context"])
            )
            self.assertEqual(new_card.pipeline_id, pipeline)
            self.assertEqual(new_card.status_id, pipeline._first_status())

        for active_id, pipeline in (
            (None, self.pipeline),
            (renewals.id, renewals),
            (hidden.id, self.pipeline),
            (10**9, self.pipeline),
        ):
            with self.subTest(active_id=active_id):
                assertBoardOf(board(active_id), pipeline)
        # The Pipelines dashboard opens the same board: the URL it gets (the
        # action's path and active_id) opens that pipeline again.
        from_dashboard = renewals.with_user(self.agent1).action_open_board()
        assertBoardOf(from_dashboard, renewals)
        self.assertEqual(from_dashboard["path"], server_action.path)
        assertBoardOf(board(from_dashboard["context"]["active_id"]), renewals)
