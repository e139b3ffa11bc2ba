{
    "name": "Partner Opportunities",
    "summary": "Sales opportunities on customers: typed pipelines, kanban board, "
    "agent/supervisor/administrator visibility, forecasts",
    "version": "18.0.1.6.0",
    "category": "Sales/CRM",
    "author": "partner_opportunity developers",
    "license": "LGPL-3",
    "depends": ["base", "base_import", "mail", "sales_team"],
    "data": [
        "security/partner_opportunity_security.xml",
        "security/ir.model.access.csv",
        "data/partner_opportunity_data.xml",
        "data/partner_opportunity_lost_reason_data.xml",
        "wizard/partner_opportunity_status_delete_views.xml",
        "wizard/partner_opportunity_lost_views.xml",
        "views/partner_opportunity_lost_reason_views.xml",
        "views/partner_opportunity_status_views.xml",
        "views/partner_opportunity_pipeline_views.xml",
        "views/partner_opportunity_views.xml",
        "views/partner_opportunity_interaction_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/partner_opportunity_report_views.xml",
        "views/partner_opportunity_menus.xml",
    ],
    "demo": [
        "demo/partner_opportunity_demo.xml",
        "demo/partner_opportunity_interaction_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "partner_opportunity/static/src/**/*",
            # Odoo loads its graph view lazily: so must its extension be.
            ("remove", "partner_opportunity/static/src/views/opportunity_graph/**/*"),
        ],
        "web.assets_backend_lazy": [
            "partner_opportunity/static/src/views/opportunity_graph/**/*",
        ],
        "web.assets_tests": [
            "partner_opportunity/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "partner_opportunity/static/tests/**/*",
            ("remove", "partner_opportunity/static/tests/tours/**/*"),
        ],
    },
    "images": ["static/description/board.png"],
    "application": True,
    "installable": True,
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
