from datetime import date

from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestBoardSort(PartnerOpportunityTourCase):
    """F7: the board's cards sort by close date, value, description, creation."""

    def test_board_sort(self):
        customer = (
            self.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Sort Customer"})
        )
        Opportunity = self.env["partner.opportunity"]
        common = {"partner_id": customer.id, "user_id": self.env.ref("base.user_admin").id}
        Opportunity.create(
            dict(
                common,
                name="Sort Late Large",
                date_deadline=date(2031, 6, 1),
                expected_revenue=9000,
            )
        )
        Opportunity.create(
            dict(
                common, name="Sort Soon Small", date_deadline=date(2031, 1, 1), expected_revenue=10
            )
        )
        Opportunity.search([("name", "not like", "Sort %")]).sudo().unlink()
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_board",
            "partner_opportunity_board_sort",
            login="admin",
        )
