"""18.0.1.4.0: an import creates its customers' opportunities itself (D2).
Imported customers still waiting for theirs get them now, as the user who
imported them would have, in the company they were imported in; the column
that marked them goes with its field."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """SELECT 1 FROM information_schema.columns
            WHERE table_name = 'res_partner'
              AND column_name = 'partner_opportunity_import_company_id'"""
    )
    if not cr.fetchone():
        return
    cr.execute(
        """SELECT create_uid, partner_opportunity_import_company_id, array_agg(id ORDER BY id)
             FROM res_partner
            WHERE partner_opportunity_import_company_id IS NOT NULL
            GROUP BY create_uid, partner_opportunity_import_company_id"""
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    for uid, company_id, ids in cr.fetchall():
        importer = env["res.users"].browse(uid or SUPERUSER_ID).exists() or env.user
        company = env["res.company"].browse(company_id)
        if company not in importer.company_ids:
            company = importer.company_id
        partners = env["res.partner"].with_user(importer).with_company(company).sudo().browse(ids)
        partners._partner_opportunity_customers()._partner_opportunity_create(automatic=True)
