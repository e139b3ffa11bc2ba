"""The opportunity form as each role gets it: whom the salesperson field
offers, the contact following the customer, closed opportunities read-only,
closing through a confirmation, and the board's pipeline kept in its URL
(SPEC R1, R2, R4, R6, D4, B1, C1; issue 17)."""

from odoo.tests import Form, tagged

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestOpportunityForm(PartnerOpportunityCase):
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
