"""18.0.1.1.0: the fields of the addon on shared models take its prefix (X2).

Odoo CRM defines res.partner.opportunity_ids and opportunity_count; every
field of ours on res.partner, res.users and res.company is now named
partner_opportunity_…. The stored ones (on res.company) keep their values:
their columns, field records and XML ids are renamed before the new code loads.
"""

from odoo.tools import SQL
from odoo.tools.sql import rename_column

COMPANY_FIELDS = [
    "opportunity_auto_create",
    "opportunity_pipeline_id",
    "opportunity_near_days",
    "opportunity_idle_days",
    "opportunity_lost_reason_required",
]
CONSTRAINTS = ["opportunity_near_days_positive", "opportunity_idle_days_positive"]


def migrate(cr, version):
    for old in COMPANY_FIELDS:
        new = f"partner_{old}"
        rename_column(cr, "res_company", old, new)
        cr.execute(
            "UPDATE ir_model_fields SET name = %s WHERE model = 'res.company' AND name = %s",
            (new, old),
        )
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = 'partner_opportunity' "
            "AND model = 'ir.model.fields' AND name = %s",
            (f"field_res_company__{new}", f"field_res_company__{old}"),
        )
    for old in CONSTRAINTS:
        cr.execute(
            SQL(
                "ALTER TABLE res_company RENAME CONSTRAINT %s TO %s",
                SQL.identifier(f"res_company_{old}"),
                SQL.identifier(f"res_company_partner_{old}"),
            )
        )
        cr.execute(
            "UPDATE ir_model_constraint SET name = %s WHERE name = %s",
            (f"res_company_partner_{old}", f"res_company_{old}"),
        )
    # Record rules are noupdate: their domains follow the renamed field here.
    cr.execute(
        "UPDATE ir_rule SET domain_force = replace(domain_force, 'led_crm_team_ids', "
        "'partner_opportunity_led_team_ids') WHERE domain_force LIKE '%%led_crm_team_ids%%'"
    )
