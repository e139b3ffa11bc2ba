from odoo.tests import tagged

from .common import PartnerOpportunityTourCase


@tagged("post_install", "-at_install")
class TestReorderStatuses(PartnerOpportunityTourCase):
    """C1: reordering statuses by their handle reorders the board's columns."""

    def test_reorder_statuses(self):
        pipeline = self.env.ref("partner_opportunity.pipeline_default")
        self.start_tour(
            f"/odoo/action-partner_opportunity.partner_opportunity_pipeline_action/{pipeline.id}",
            "partner_opportunity_reorder_statuses",
            login="admin",
        )
        self.assertEqual(
            pipeline.status_ids.sorted("sequence").mapped("name")[:4],
            ["New", "Contract sent", "Demo done", "Proposal sent"],
        )
