from odoo import models


class Import(models.TransientModel):
    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        """The import dialog tells how many automatic opportunities (D2) the
        imported customers got: ``partner_opportunity_count``, shown once the
        import succeeded (static/src/import/import_model_patch.js). Not in
        ``messages``: the dialog reads any message there as an error, and
        stops a batched import after its first batch."""
        result = super().execute_import(fields, columns, options, dryrun=dryrun)
        if dryrun or self.res_model != "res.partner" or not result.get("ids"):
            return result
        # Each request of the dialog is a transaction: what it created has
        # its start as creation date.
        count = (
            self.env["partner.opportunity"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "in", result["ids"]),
                    ("is_automatic", "=", True),
                    ("create_date", "=", self.env.cr.now()),
                ]
            )
        )
        if count:
            result["partner_opportunity_count"] = count
        return result
