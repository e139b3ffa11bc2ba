from odoo import SUPERUSER_ID, api

from odoo.addons.partner_opportunity.hooks import post_init_hook


def migrate(cr, version):
    post_init_hook(api.Environment(cr, SUPERUSER_ID, {}))
