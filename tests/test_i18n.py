"""Language: L1, a complete Vietnamese translation.

The suite generates the translation template from the installed addon, as
tools/i18n.sh exports it, and fails on any of its terms that i18n/vi.po
lacks or leaves untranslated. When it fails after a change, run
tools/i18n.sh and translate the new entries of i18n/vi.po.
"""

import fnmatch
import os
import re

import polib

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools.convert import convert_file
from odoo.tools.misc import file_path
from odoo.tools.translate import (
    JAVASCRIPT_TRANSLATION_COMMENT,
    PYTHON_TRANSLATION_COMMENT,
    TranslationModuleReader,
)

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


class AddonTermsReader(TranslationModuleReader):
    """The terms Odoo's export (``odoo-bin --i18n-export``, tools/i18n.sh)
    writes in the addon's template: those of its records, read from the
    database, and those of its code, read from its folder.

    Odoo reads code from every addons path, following symbolic links; the
    addon's folder may hold ``.build`` (tools/dev.sh), whose
    ``addons/partner_opportunity`` links back to the folder. So the code is
    read from the addon's folder only, without ``.build`` and ``.git``, as
    tools/i18n.sh does, with the same extraction as Odoo's export."""

    def __init__(self, cr, module):
        self._module_path = get_module_path(module)
        super().__init__(cr, modules=[module])

    def _export_translatable_resources(self):
        path = os.path.dirname(self._module_path)
        for root, dirs, files in os.walk(self._module_path, followlinks=True):
            if root == self._module_path:
                dirs[:] = [d for d in dirs if d not in (".build", ".git")]
            for fname in fnmatch.filter(files, "*.py"):
                self._babel_extract_terms(
                    fname,
                    path,
                    root,
                    "python",
                    extra_comments=[PYTHON_TRANSLATION_COMMENT],
                    extract_keywords={"_": None, "_lt": None},
                )
            if fnmatch.fnmatch(root, "*/static/src*"):
                for fname in fnmatch.filter(files, "*.js"):
                    self._babel_extract_terms(
                        fname,
                        path,
                        root,
                        "javascript",
                        extra_comments=[JAVASCRIPT_TRANSLATION_COMMENT],
                        extract_keywords={"_t": None},
                    )
                for fname in fnmatch.filter(files, "*.xml"):
                    self._babel_extract_terms(
                        fname,
                        path,
                        root,
                        "odoo.tools.translate:babel_extract_qweb",
                        extra_comments=[JAVASCRIPT_TRANSLATION_COMMENT],
                    )


@tagged("post_install", "-at_install")
class TestI18n(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The template is exported from a database with the demo data
        # (tools/i18n.sh): the names of the demo's pipeline, statuses and teams
        # are terms too. The suite's database has none: the file is loaded here.
        convert_file(
            cls.env,
            "partner_opportunity",
            "demo/partner_opportunity_demo.xml",
            {},
            mode="init",
            noupdate=True,
        )
        cls.env.flush_all()
        # msgid: its occurrences, as the template writes them
        cls.template = {}
        for _module, kind, name, res_id, source, _value, _comments in AddonTermsReader(
            cls.env.cr, "partner_opportunity"
        ):
            cls.template.setdefault(source, set()).add(f"{kind}:{name}:{res_id}")
        cls.pot = polib.pofile(file_path("partner_opportunity/i18n/partner_opportunity.pot"))
        cls.po = polib.pofile(file_path("partner_opportunity/i18n/vi.po"))
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["partner_opportunity"], ["vi_VN"], overwrite=True
        )
        cls.env_vi = cls.env(context=dict(cls.env.context, lang="vi_VN"))

    def test_every_term_translated(self):
        """Every term of the addon, as generated now, is in i18n/vi.po and
        translated there."""
        self.assertGreater(len(self.template), 250, "the template has the addon's terms")
        translated = {
            entry.msgid
            for entry in self.po
            if entry.translated() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(msgid for msgid in self.template if msgid not in translated)
        self.assertFalse(
            missing, "not translated in i18n/vi.po: run tools/i18n.sh, then translate them"
        )

    def test_committed_template_is_current(self):
        """i18n/partner_opportunity.pot, the translators' template, has the
        terms of the addon as generated now, no more and no fewer."""
        committed = {entry.msgid for entry in self.pot if entry.msgid}
        self.assertEqual(
            (sorted(set(self.template) - committed), sorted(committed - set(self.template))),
            ([], []),
            "(new terms, terms gone): run tools/i18n.sh",
        )
        self.assertFalse([entry.msgid for entry in self.pot if entry.msgstr], "a template")

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
        """The demo's second pipeline, its statuses and teams are terms of the
        template, translated, and Odoo gives their Vietnamese names to the
        demo's records (loaded by setUpClass)."""
        for (model, xmlid), name in DEMO_TERMS.items():
            occurrence = f"model:{model},name:partner_opportunity.{xmlid}"
            terms = [msgid for msgid, where in self.template.items() if occurrence in where]
            self.assertEqual(len(terms), 1, f"{occurrence} in the template")
            entries = [e for e in self.po if (occurrence, "") in e.occurrences]
            self.assertEqual(len(entries), 1, f"{occurrence} in i18n/vi.po")
            self.assertEqual(entries[0].msgid, terms[0], occurrence)
            self.assertEqual(entries[0].msgstr, name, occurrence)
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

    def test_movement_refusals_in_vietnamese(self):
        """get_movement refuses bad input in the caller's language, naming
        the argument as the API spells it."""
        Interaction = (
            self.env["partner.opportunity.interaction"]
            .with_user(self.agent1)
            .with_context(lang="vi_VN")
        )
        for args, message in (
            (
                ([], "yesterday", "2026-03-31"),
                "date_from: 'yesterday' không phải là ngày (YYYY-MM-DD).",
            ),
            (
                ([], "2026-03-31", "2026-03-01"),
                "date_to: 2026-03-01 sớm hơn date_from: 2026-03-31.",
            ),
            (
                ([("no_such_field", "=", 1)], "2026-03-01", "2026-03-31"),
                "Bộ lọc: [('no_such_field', '=', 1)] không phải là bộ lọc hợp lệ.",
            ),
        ):
            with self.subTest(args=args), self.assertRaises(UserError) as raised:
                Interaction.get_movement(*args)
            self.assertEqual(raised.exception.args[0], message)
