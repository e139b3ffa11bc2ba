"""Language: SPEC L1, a complete Vietnamese translation and its template.

When this test fails after a change, run tools/i18n.sh and translate the new
entries of i18n/vi.po.
"""

import re

import polib

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.convert import convert_file
from odoo.tools.misc import file_path

from .common import PartnerOpportunityCase

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")

# The demo's records with a translatable name, and their Vietnamese name.
DEMO_TERMS = {
    ("partner.opportunity.pipeline", "pipeline_renewals"): "Gia hạn",
    ("partner.opportunity.status", "status_renewal_to_renew"): "Cần gia hạn",
    ("partner.opportunity.status", "status_renewal_quote_sent"): "Đã gửi báo giá",
    ("partner.opportunity.status", "status_renewal_renewed"): "Đã gia hạn",
    ("partner.opportunity.status", "status_renewal_churned"): "Không gia hạn",
    ("crm.team", "team_direct"): "Bán hàng trực tiếp",
    ("crm.team", "team_key_accounts"): "Khách hàng trọng điểm",
}


@tagged("post_install", "-at_install")
class TestI18n(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(file_path("partner_opportunity/i18n/partner_opportunity.pot"))
        cls.po = polib.pofile(file_path("partner_opportunity/i18n/vi.po"))
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["partner_opportunity"], ["vi_VN"], overwrite=True
        )
        cls.env_vi = cls.env(context=dict(cls.env.context, lang="vi_VN"))

    def test_template_strings_all_in_vietnamese_file(self):
        translated = {entry.msgid for entry in self.po if not entry.obsolete}
        missing = [entry.msgid for entry in self.pot if entry.msgid not in translated]
        self.assertFalse(missing, "run tools/i18n.sh, then translate i18n/vi.po")

    def test_every_vietnamese_entry_translated(self):
        untranslated = [entry.msgid for entry in self.po.untranslated_entries()]
        fuzzy = [entry.msgid for entry in self.po.fuzzy_entries()]
        self.assertFalse(untranslated, "untranslated entries in i18n/vi.po")
        self.assertFalse(fuzzy, "fuzzy entries in i18n/vi.po")
        self.assertFalse(self.po.obsolete_entries(), "obsolete entries in i18n/vi.po")

    def test_placeholders_kept(self):
        for entry in self.po.translated_entries():
            self.assertEqual(
                sorted(PLACEHOLDER.findall(entry.msgid)),
                sorted(PLACEHOLDER.findall(entry.msgstr)),
                entry.msgid,
            )

    def test_field_descriptions_in_vietnamese(self):
        fields = self.env_vi["partner.opportunity"].fields_get(
            ["probability", "date_deadline", "weighted_revenue", "user_id"], ["string"]
        )
        self.assertEqual(fields["probability"]["string"], "Tỉ lệ chốt (%)")
        self.assertEqual(fields["date_deadline"]["string"], "Ngày chốt dự kiến")
        self.assertEqual(fields["weighted_revenue"]["string"], "Giá trị kỳ vọng")
        self.assertEqual(fields["user_id"]["string"], "Nhân viên phụ trách")
        selection = dict(
            self.env_vi["partner.opportunity"]
            ._fields["revenue_period"]
            ._description_selection(self.env_vi)
        )
        self.assertEqual(selection["monthly"], "Hằng tháng")

    def test_menus_and_data_in_vietnamese(self):
        ref = self.env_vi.ref
        self.assertEqual(
            ref("partner_opportunity.partner_opportunity_menu_reporting").name, "Báo cáo"
        )
        self.assertEqual(
            ref("partner_opportunity.partner_opportunity_menu_report_forecast").name, "Dự báo"
        )
        self.assertEqual(ref("partner_opportunity.status_won").name, "Thành công")
        self.assertEqual(ref("partner_opportunity.status_lost").name, "Thất bại")
        self.assertEqual(ref("partner_opportunity.group_agent").name, "Nhân viên kinh doanh")

    def test_demo_data_in_vietnamese(self):
        """The demo's second pipeline, its statuses and teams are in the template
        and translated, and Odoo gives their Vietnamese names to the demo's
        records (the suite's database has none: the demo file is loaded here)."""
        for (model, xmlid), name in DEMO_TERMS.items():
            occurrence = f"model:{model},name:partner_opportunity.{xmlid}"
            for catalogue in (self.pot, self.po):
                entries = [e for e in catalogue if (occurrence, "") in e.occurrences]
                self.assertEqual(len(entries), 1, f"{occurrence} in {catalogue.fpath}")
            self.assertEqual(entries[0].msgstr, name, occurrence)
        convert_file(
            self.env,
            "partner_opportunity",
            "demo/partner_opportunity_demo.xml",
            {},
            mode="init",
            noupdate=True,
        )
        self.env["ir.module.module"]._load_module_terms(["partner_opportunity"], ["vi_VN"])
        self.env.invalidate_all()
        for (_model, xmlid), name in DEMO_TERMS.items():
            self.assertEqual(self.env_vi.ref(f"partner_opportunity.{xmlid}").name, name)
            self.assertNotEqual(self.env.ref(f"partner_opportunity.{xmlid}").name, name)

    def test_near_days_help_speaks_of_the_calendar(self):
        """B2: the close date shows a calendar, and the setting says so, in Vietnamese too."""
        view = self.env_vi.ref("partner_opportunity.res_config_settings_view_form")
        field = self.env_vi["res.company"].fields_get(["partner_opportunity_near_days"], ["help"])
        for text in (view.arch_db, field["partner_opportunity_near_days"]["help"]):
            self.assertIn("biểu tượng lịch", text.lower())
            self.assertNotIn("đồng hồ", text.lower())

    def test_no_reopening_message_in_vietnamese(self):
        opportunity = self._opportunity(status_id=self.status_won.id)
        with self.assertRaises(UserError) as raised:
            opportunity.with_user(self.agent1).with_context(lang="vi_VN").write(
                {"status_id": self.status_new.id}
            )
        self.assertIn(
            "Chỉ quản trị viên mới có thể mở lại cơ hội đã thành công hoặc thất bại",
            raised.exception.args[0],
        )
        self.assertIn(opportunity.name, raised.exception.args[0])
