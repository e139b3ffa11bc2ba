"""Large volumes: thousands of opportunities, out of the default run.

Each test here proves at 1,000 to 10,000 opportunities what a test of the
default run proves on fewer (the board at 1,000, the others at 250 at most),
with the same budgets: no query per opportunity, only the ORM's batches.
Together they took most of the suite's time, so they are tagged out of it.
Run them with

    tools/dev.sh test-volume

(Odoo's runner, --test-tags=partner_opportunity_volume/partner_opportunity).
"""

from odoo.tests import tagged

from .common import PartnerOpportunityCase
from .test_configuration import StatusCostMixin
from .test_opportunity import BulkCreateMixin
from .test_security import BoardCostMixin


@tagged("post_install", "-at_install", "-standard", "partner_opportunity_volume")
class TestVolume(BoardCostMixin, StatusCostMixin, BulkCreateMixin, PartnerOpportunityCase):
    def test_board_query_count_with_10000_opportunities(self):
        """R2, B1: TestSecurity.test_board_query_count_does_not_grow at 10,000."""
        self._assert_board_cost(100, 10000)

    def test_delete_status_with_5000_opportunities(self):
        """C2: TestConfiguration.test_delete_status_wizard_query_count_is_bounded."""
        self._delete_status(50)  # warm the caches
        self._delete_status(5000, self._delete_status_queries(5000))

    def test_status_type_change_with_2000_opportunities(self):
        """TestConfiguration.test_status_type_change_updates_opportunities."""
        self._change_status_type(5)  # warm the caches
        self._change_status_type(2000, self._change_status_type_queries(2000))

    def test_bulk_create_1000_opportunities(self):
        """TestOpportunity.test_bulk_create_query_count_is_constant."""
        self._bulk_create(2)  # warm the caches
        self._bulk_create(1000, self._bulk_create_queries(1000))
