"""18.0.1.4.0: the name a card shows of the customer (the contact's, else the
customer's complete name) is stored on each opportunity. Filled here in one
statement: the ORM would compute it record by record for a new column."""


def migrate(cr, version):
    cr.execute("ALTER TABLE partner_opportunity ADD COLUMN IF NOT EXISTS contact_name varchar")
    cr.execute(
        """
        UPDATE partner_opportunity o
           SET contact_name = p.complete_name
          FROM res_partner p
         WHERE p.id = coalesce(o.contact_id, o.partner_id)
        """
    )
