from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def post_init_hook(env):
    """D2: the salesperson of automatic opportunities that nobody else may
    hold is the administrator who installs the addon (Odoo's administrator
    when the server installs it)."""
    installer = env.user
    if not installer._partner_opportunity_may_hold():
        installer = env.ref("base.user_admin", raise_if_not_found=False)
    if installer and installer._partner_opportunity_may_hold():
        companies = env["res.company"].search([("partner_opportunity_user_id", "=", False)])
        companies.partner_opportunity_user_id = installer


def uninstall_hook(env):
    """Delete the opportunities before Odoo deletes the addon's records, and
    the index the rep activity report keeps on mail's table.

    Odoo deletes the records an addon created (statuses, pipelines, demo
    customers and users) before it drops the addon's tables, and the
    opportunities still point to them then: every such delete would fail.
    """
    env.cr.execute("DROP INDEX IF EXISTS partner_opportunity_mail_message_date_index")
    env["partner.opportunity"].with_context(
        active_test=False, **{MODULE_UNINSTALL_FLAG: True}
    ).search([]).unlink()
