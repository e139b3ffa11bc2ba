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
    # Rounded in the currency, as the ORM stores a monetary value.
    cr.execute(
        """
        UPDATE partner_opportunity o
           SET one_time_revenue = CASE WHEN o.revenue_period = 'one_time'
                                       THEN o.expected_revenue ELSE 0 END,
               monthly_revenue = CASE WHEN o.revenue_period = 'monthly'
                                      THEN o.expected_revenue ELSE 0 END,
               yearly_revenue = CASE WHEN o.revenue_period = 'annual'
                                     THEN o.expected_revenue ELSE 0 END,
               weighted_annual_revenue = ROUND(
                   o.annual_revenue * o.probability / 100.0, c.decimal_places
               )
          FROM res_currency c
         WHERE c.id = o.currency_id
        """
    )
