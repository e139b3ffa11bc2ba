from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """Delete the opportunities before Odoo deletes the addon's records.

    Odoo deletes the records an addon created (statuses, pipelines, demo
    customers and users) before it drops the addon's tables, and the
    opportunities still point to them then: every such delete would fail.
    """
    env["partner.opportunity"].with_context(
        active_test=False, **{MODULE_UNINSTALL_FLAG: True}
    ).search([]).unlink()
