from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import PartnerOpportunityTourCase


class PartnerTabCase(PartnerOpportunityTourCase):
    """A customer with opportunities in every state of the close date, one of
    them won, and one of a colleague."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls._tour_user("tab_agent", "partner_opportunity.group_agent")
        cls.colleague = cls._tour_user("tab_colleague", "partner_opportunity.group_agent")
        cls.admin = cls._tour_user("tab_admin", "partner_opportunity.group_admin")
        ref = cls.env.ref
        cls.status_new = ref("partner_opportunity.status_new")
        cls.status_demo = ref("partner_opportunity.status_demo_done")
        cls.status_won = ref("partner_opportunity.status_won")
        cls.status_lost = ref("partner_opportunity.status_lost")
        ref("partner_opportunity.status_proposal_sent").required_field_ids = cls.env[
            "ir.model.fields"
        ]._get("partner.opportunity", "contact_id")
        cls.env.company.partner_opportunity_lost_reason_required = True
        cls.customer = (
            cls.env["res.partner"]
            .with_context(partner_opportunity_no_auto=True)
            .create({"name": "Tab Customer", "is_company": True})
        )
        today = fields.Date.context_today(cls.customer)

        def opportunity(name, user, deadline, **vals):
            return cls.env["partner.opportunity"].create(
                {
                    "name": name,
                    "partner_id": cls.customer.id,
                    "user_id": user.id,
                    "date_deadline": deadline,
                    "expected_revenue": 1000,
                    **vals,
                }
            )

        cls.own = opportunity("Tab Deal Own", cls.agent, date(2030, 1, 31))
        cls.soon = opportunity("Tab Deal Soon", cls.agent, today + timedelta(days=1))
        cls.late = opportunity("Tab Deal Late", cls.agent, today - timedelta(days=3))
        cls.won = opportunity(
            "Tab Deal Won", cls.agent, date(2030, 1, 31), status_id=cls.status_won.id
        )
        cls.colleague_deal = opportunity("Tab Deal Colleague", cls.colleague, date(2030, 1, 31))
        contact = cls.env["res.partner"].create(
            {"name": "Tab Contact", "parent_id": cls.customer.id}
        )
        cls.contact_deal, cls.contact_colleague_deal = (
            opportunity(name, user, date(2030, 1, 31), partner_id=contact.id)
            for name, user in (
                ("Tab Deal Contact", cls.agent),
                ("Tab Deal Colleague Contact", cls.colleague),
            )
        )
        cls.url = f"/odoo/res.partner/{cls.customer.id}"

    @classmethod
    def _vietnamese(cls, *users):
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "web", "mail", "partner_opportunity"], ["vi_VN"], overwrite=True
        )
        for user in users:
            user.lang = "vi_VN"


@tagged("post_install", "-at_install")
class TestPartnerTabUi(PartnerTabCase):
    """The Opportunities tab of a customer, on a desktop (M4, B2, R1-R4, D1,
    D3, M5)."""

    def test_agent_changes_statuses_in_the_tab(self):
        self.start_tour(self.url, "partner_opportunity_partner_tab", login="tab_agent")
        # Refused moves wrote nothing: the required contact, the reopening,
        # the lost reason.
        self.assertEqual(self.won.status_id, self.status_won)
        self.assertEqual(self.won.interaction_ids.status_to_id, self.status_won.browse())
        self.assertRecordValues(
            self.own, [{"status_id": self.status_demo.id, "date_closed": False}]
        )
        self.assertRecordValues(
            self.soon,
            [
                {
                    "status_id": self.status_lost.id,
                    "lost_reason_id": self.env.ref(
                        "partner_opportunity.lost_reason_too_expensive"
                    ).id,
                    "probability": 0,
                }
            ],
        )
        self.assertTrue(self.soon.date_closed)
        # Each status change is one interaction with the customer, by the agent.
        self.assertRecordValues(
            (self.own | self.soon).interaction_ids.sorted("opportunity_id"),
            [
                {
                    "opportunity_id": self.own.id,
                    "status_from_id": self.status_new.id,
                    "status_to_id": self.status_demo.id,
                    "user_id": self.agent.id,
                },
                {
                    "opportunity_id": self.soon.id,
                    "status_from_id": self.status_new.id,
                    "status_to_id": self.status_lost.id,
                    "user_id": self.agent.id,
                },
            ],
        )
        self.assertEqual(
            self.customer.with_user(self.agent).partner_opportunity_interaction_count, 2
        )
        self.assertFalse(self.colleague_deal.interaction_ids)
        # Its contact person's opportunity, changed from the company's form.
        self.assertEqual(self.contact_deal.status_id, self.status_demo)
        self.assertEqual(self.contact_deal.interaction_ids.user_id, self.agent)
        self.assertEqual(self.contact_colleague_deal.status_id, self.status_new)
        added = self.env["partner.opportunity"].search([("name", "=", "Tab Deal Added")])
        self.assertRecordValues(
            added,
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.agent.id,
                    "pipeline_id": self.status_new.pipeline_id.id,
                    "status_id": self.status_new.id,
                    "probability": 50,
                    "expected_revenue": 250,
                    "date_deadline": date(2030, 12, 31),
                }
            ],
        )

    def test_admin_reopens_in_vietnamese(self):
        self._vietnamese(self.admin)
        self.start_tour(self.url, "partner_opportunity_partner_tab_admin", login="tab_admin")
        self.assertEqual(self.won.status_id, self.status_demo)
        self.assertFalse(self.won.date_closed)
        self.assertEqual(self.won.interaction_ids.user_id, self.admin)

    def test_tab_reads_in_constant_queries(self):
        """Opening a customer reads its tab in as many queries for 40
        opportunities as for 4: nothing is computed row by row."""
        view = self.env["res.partner"].with_user(self.agent).get_views([(False, "form")])
        self.assertIn("partner_opportunity_ids", view["views"]["form"]["arch"])
        lines = {
            name: {"fields": {"display_name": {}}}
            if self.env["partner.opportunity"]._fields[name].relational
            else {}
            for name in (
                "name contact_id pipeline_id status_id lost_reason_id expected_revenue "
                "revenue_period probability date_deadline user_id partner_id "
                "assignable_user_ids currency_id status_type deadline_state is_locked"
            ).split()
        }
        spec = {
            "display_name": {},
            "partner_opportunity_ids": {"fields": lines},
            "partner_opportunity_contact_opportunity_ids": {"fields": lines},
        }

        def queries(count):
            customer = (
                self.env["res.partner"]
                .with_context(partner_opportunity_no_auto=True)
                .create({"name": f"Tab Customer {count}", "is_company": True})
            )
            self.env["partner.opportunity"].create(
                [
                    {
                        "name": f"Tab Deal {index}",
                        "partner_id": customer.id,
                        "user_id": self.agent.id,
                        "date_deadline": date(2030, 1, 31),
                        "expected_revenue": 10,
                    }
                    for index in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            (row,) = customer.with_user(self.agent).web_read(spec)
            self.assertEqual(len(row["partner_opportunity_ids"]), count)
            return self.env.cr.sql_log_count - before

        queries(1)  # the user's rules and rights, read once
        few = queries(4)
        self.assertGreater(few, 0)
        self.assertEqual(queries(40), few)

    def test_tab_only_for_opportunity_roles(self):
        """Users without an opportunity role see the customer as before."""
        outsider = self._tour_user("tab_outsider", "base.group_partner_manager")
        for user, shown in ((outsider, False), (self.agent, True)):
            arch = (
                self.env["res.partner"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual("partner_opportunity_ids" in arch, shown, user.login)


@tagged("post_install", "-at_install")
class TestPartnerTabPhoneUi(PartnerTabCase):
    """The same tab on a phone, 390 pixels wide: cards, the status changed in
    the card's form."""

    browser_size = "390x844"
    touch_enabled = True

    def _check_phone(self):
        # Headless Chromium makes no window narrower than 500 pixels: the page
        # is given a phone's screen as DevTools' device mode does.
        navigate_to = ChromeBrowser.navigate_to

        def navigate_on_a_phone(browser, url, wait_stop=False):
            browser._websocket_request(
                "Emulation.setDeviceMetricsOverride",
                params={"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        with patch.object(ChromeBrowser, "navigate_to", navigate_on_a_phone):
            self.start_tour(self.url, "partner_opportunity_partner_tab_mobile", login="tab_agent")
        self.assertEqual(self.own.status_id, self.status_demo)
        self.assertEqual(self.own.interaction_ids.status_to_id, self.status_demo)

    def test_phone_english(self):
        self._check_phone()

    def test_phone_vietnamese(self):
        self._vietnamese(self.agent)
        self._check_phone()
