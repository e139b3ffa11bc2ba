"""The opportunity form as each role gets it: whom the salesperson field
offers, the contact following the customer, closed opportunities read-only,
closing through a confirmation, and the board's pipeline kept in its URL
(SPEC R1, R2, R4, R6, D4, B1, C1; issue 17)."""

from odoo import Command
from odoo.tests import Form, tagged

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestOpportunityForm(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.accountant = Users.create(
            {
                "name": "Accountant Without App",
                "login": "po_form_accountant",
                "groups_id": [Command.set(cls.env.ref("base.group_user").ids)],
            }
        )
        cls.portal = Users.create(
            {
                "name": "Portal Customer",
                "login": "po_form_portal",
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
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
        """Whoever the field offers, the server accepts (and nobody else)."""
        for user in (self.agent1, self.supervisor, self.admin):
            for salesperson in self._offered(user):
                with self.subTest(user=user.login, salesperson=salesperson.login):
                    self.Opportunity.with_user(user).create(
                        {
                            "name": "Offered",
                            "partner_id": self.customer.id,
                            "user_id": salesperson.id,
                            "team_id": False,
                            "date_deadline": "2026-12-31",
                        }
                    )

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
