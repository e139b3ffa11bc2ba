from datetime import date

from odoo.tests import tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestStatusRulesUi(PartnerOpportunityTourCase):
    """Status rules on the board in a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._tour_user("rules_agent", "partner_opportunity.group_agent")
        ref = cls.env.ref
        cls.status_new = ref("partner_opportunity.status_new")
        cls.status_proposal = ref("partner_opportunity.status_proposal_sent")
        cls.status_lost = ref("partner_opportunity.status_lost")
        cls.status_proposal.required_field_ids = cls.env["ir.model.fields"]._get(
            "partner.opportunity", "contact_id"
        )
        cls.env.company.partner_opportunity_lost_reason_required = True
        customer = (
            cls.env["res.partner"]
            .with_context(partner_opportunity_no_auto=SERVER)
            .create({"name": "Rules Customer", "is_company": True})
        )

        def opportunity(name):
            return cls.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": customer.id,
                    "user_id": cls.agent.id,
                    "date_deadline": date(2030, 1, 31),
                    "expected_revenue": 100,
                }
            )

        cls.bare = opportunity("Rules Deal Bare")
        cls.lost = opportunity("Rules Deal Lost")

    def test_status_rules_on_the_board(self):
        self.start_tour(
            "/odoo/action-partner_opportunity.partner_opportunity_action_board",
            "partner_opportunity_status_rules",
            login="rules_agent",
        )
        self.assertEqual(self.bare.status_id, self.status_new)
        self.assertFalse(self.bare.interaction_ids)
        self.assertRecordValues(
            self.lost,
            [
                {
                    "status_id": self.status_lost.id,
                    "lost_reason_id": self.env.ref(
                        "partner_opportunity.lost_reason_too_expensive"
                    ).id,
                    "probability": 0,
                }
            ],
        )
        self.assertEqual(len(self.lost.interaction_ids), 1)
