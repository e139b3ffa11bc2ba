"""18.0.1.2.0: the XML ids of the agents' and supervisors' first record rules
say what they grant: they let them read, create and delete their
own or their teams' opportunities, not only read them. The rules are kept
(noupdate); their XML ids and names are renamed before the data loads."""

RULES = {
    "partner_opportunity_rule_agent_read": (
        "partner_opportunity_rule_agent_own",
        "Opportunities: agents read, create and delete their own",
    ),
    "partner_opportunity_rule_supervisor_read": (
        "partner_opportunity_rule_supervisor_team",
        "Opportunities: supervisors read, create and delete their teams'",
    ),
}


def migrate(cr, version):
    for old, (new, name) in RULES.items():
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = 'partner_opportunity' "
            "AND model = 'ir.rule' AND name = %s RETURNING res_id",
            (new, old),
        )
        for (rule_id,) in cr.fetchall():
            cr.execute("UPDATE ir_rule SET name = %s WHERE id = %s", (name, rule_id))
