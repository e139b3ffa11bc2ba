"""18.0.1.3.0: the board sums the revenue of each period type on its own and
the expected annual value (B1), stored on each opportunity. Filled here in one
statement: the ORM would compute them record by record for a new column."""

from odoo.tools import SQL

COLUMNS = ("one_time_revenue", "monthly_revenue", "yearly_revenue", "weighted_annual_revenue")


def migrate(cr, version):
    for column in COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE partner_opportunity ADD COLUMN IF NOT EXISTS %s numeric",
                SQL.identifier(column),
            )
        )
    cr.execute(
        """
        UPDATE partner_opportunity
           SET one_time_revenue = CASE WHEN revenue_period = 'one_time'
                                       THEN expected_revenue ELSE 0 END,
               monthly_revenue = CASE WHEN revenue_period = 'monthly'
                                      THEN expected_revenue ELSE 0 END,
               yearly_revenue = CASE WHEN revenue_period = 'annual'
                                     THEN expected_revenue ELSE 0 END,
               weighted_annual_revenue = annual_revenue * probability / 100.0
        """
    )
