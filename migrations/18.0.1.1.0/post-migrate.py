"""18.0.1.1.0: the addon's roles imply no group of another app (X2), the
supervisors' rules list their teams' salespersons (R2), and
interactions keep the names of what they record (M5).

Agents no longer imply Sales / User: Own Documents Only, administrators no
longer Sales / Administrator. Users keep the Sales groups they have: whoever
needs them keeps working, and an administrator removes them where they were
only a side effect of the opportunity role.
"""

from odoo import SUPERUSER_ID, api

SUPERVISED = "user._partner_opportunity_supervised_users().ids"
# The supervisors' rules are noupdate: their new domains are set here.
SUPERVISOR_RULES = {
    "partner_opportunity_rule_supervisor_read": f"[('user_id', 'in', {SUPERVISED})]",
    "partner_opportunity_rule_supervisor_write": (
        f"[('status_type', '=', 'active'), ('user_id', 'in', {SUPERVISED})]"
    ),
    "partner_opportunity_interaction_rule_supervisor": (
        f"[('opportunity_id.user_id', 'in', {SUPERVISED})]"
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for role, other in [
        ("partner_opportunity.group_agent", "sales_team.group_sale_salesman"),
        ("partner_opportunity.group_admin", "sales_team.group_sale_manager"),
    ]:
        group, implied = env.ref(role), env.ref(other)
        group.implied_ids -= implied
    for xmlid, domain in SUPERVISOR_RULES.items():
        env.ref(f"partner_opportunity.{xmlid}").domain_force = domain
    # Interactions now outlive their opportunity and statuses: they keep the
    # names those had.
    cr.execute(
        """
        UPDATE partner_opportunity_interaction i
           SET name = (SELECT o.name FROM partner_opportunity o WHERE o.id = i.opportunity_id),
               status_from_name = (SELECT s.name->>'en_US' FROM partner_opportunity_status s
                                    WHERE s.id = i.status_from_id),
               status_to_name = (SELECT s.name->>'en_US' FROM partner_opportunity_status s
                                  WHERE s.id = i.status_to_id)
        """
    )
