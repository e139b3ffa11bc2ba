"""What a rep and a manager see (issue 17): each test asserts it in a browser."""

import importlib.util

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestViewsUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Without websocket-client Odoo skips every tour silently: fail instead.
        if not importlib.util.find_spec("websocket"):
            raise RuntimeError("the tours need the websocket-client package")
        cls.pipeline = cls.env.ref("partner_opportunity.pipeline_default")

    def test_pipeline_custom_fields(self):
        """F5: the pipeline form lists its custom fields and adds one."""
        self.pipeline.opportunity_properties_definition = [
            {"name": "licences", "string": "Licences", "type": "integer"}
        ]
        self.start_tour(
            f"/odoo/action-partner_opportunity.partner_opportunity_pipeline_action/{self.pipeline.id}",
            "partner_opportunity_pipeline_properties",
            login="admin",
        )
        definitions = self.pipeline.opportunity_properties_definition
        self.assertEqual(
            [(d["string"], d["type"]) for d in definitions],
            [("Licences", "integer"), ("Region", "boolean")],
        )
        self.assertEqual(definitions[0]["name"], "licences", "the existing field kept its values")
