def migrate(cr, version):
    # Unique names are the tables' own constraints now (name_uniq).
    cr.execute(
        "DROP INDEX IF EXISTS partner_opportunity_status_name_key_uniq, "
        "partner_opportunity_pipeline_name_key_uniq"
    )
