"""Opportunities created automatically for new customers: D2."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 12:00:00")
class TestAutoOpportunity(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        # The company's default pipeline, not merely the first one, is used.
        cls.renewals = cls.env["partner.opportunity.pipeline"].create(
            {"name": "Renewals", "sequence": 50}
        )
        cls.renewals.status_ids[0].sequence = 100  # "Demo done" comes first now
        cls.company.partner_opportunity_pipeline_id = cls.renewals
        cls.first_status = cls.renewals.status_ids.sorted()[0]
        # As on a real database, where internal users get "Contact Creation".
        (cls.admin | cls.supervisor | cls.agent1 | cls.agent2).write(
            {"groups_id": [Command.link(cls.env.ref("base.group_partner_manager").id)]}
        )

    def _opportunities(self, partners):
        return self.Opportunity.search([("partner_id", "in", partners.ids)])

    @property
    def settings_user(self):
        return self.env.company.partner_opportunity_user_id

    def assertAutoDefaults(self, opportunity, partner, user, team):
        self.assertRecordValues(
            opportunity,
            [
                {
                    "name": partner.name,
                    "partner_id": partner.id,
                    "pipeline_id": self.renewals.id,
                    "status_id": self.first_status.id,
                    "status_type": "active",
                    "date_deadline": date(2026, 3, 17),
                    "probability": 50,
                    "expected_revenue": 0.0,
                    "user_id": user.id,
                    "team_id": team.id,
                }
            ],
        )

    # ------------------------------------------------------------
    # Every path: form, import, API
    # ------------------------------------------------------------

    def test_customer_form(self):
        with Form(self.Partner.with_user(self.admin)) as form:
            form.name = "Hai Dang Logistics"
            form.company_type = "company"
        partner = form.record
        self.assertEqual(self.first_status.name, "Demo done")
        self.assertAutoDefaults(
            self._opportunities(partner), partner, self.admin, self.env["crm.team"]
        )
        self.assertEqual(partner.partner_opportunity_count, 1)

    def test_customer_form_with_salesperson(self):
        with Form(self.Partner) as form:
            form.name = "Hai Dang Logistics"
            form.user_id = self.agent3
        partner = form.record
        self.assertAutoDefaults(self._opportunities(partner), partner, self.agent3, self.team_key)

    def test_import(self):
        self.env["ir.model.data"].create(
            {
                "name": "po_agent2",
                "module": "__export__",
                "model": "res.users",
                "res_id": self.agent2.id,
            }
        )
        result = self.Partner.with_context(import_file=True).load(
            ["name", "is_company", "user_id/id"],
            [
                ["Hoa Binh Textiles", "1", ""],
                ["Tan Son Shipping", "1", "__export__.po_agent2"],
                ["Thu Nguyen", "0", ""],
            ],
        )
        self.assertFalse(result["messages"])
        partners = self.Partner.browse(result["ids"])
        self.assertEqual(len(partners), 3)
        # The import made them: they are on the board when it ends.
        opportunities = self._opportunities(partners)
        self.assertEqual(len(opportunities), 3)
        for partner, user, team in zip(
            partners,
            (self.settings_user, self.agent2, self.settings_user),
            (self.settings_user.sale_team_id, self.team_direct, self.settings_user.sale_team_id),
            strict=True,
        ):
            self.assertAutoDefaults(
                opportunities.filtered(lambda o, p=partner: o.partner_id == p), partner, user, team
            )

    def test_import_without_history(self):
        """An import makes the same opportunities whether it tracks the
        customers' history or not (the dialog's default: not): the
        salesperson follows them and their chatter says they were created.
        Created directly with tracking off, as mail does, nobody follows."""
        fields_ = ["name", "is_company"]
        Partner = self.Partner.with_user(self.admin).with_context(import_file=True)
        quiet = Partner.with_context(tracking_disable=True).load(fields_, [["Quiet Co", "1"]])
        tracked = Partner.load(fields_, [["Tracked Co", "1"]])
        for result in (quiet, tracked):
            self.assertFalse(result["messages"])
            opportunity = self._opportunities(self.Partner.browse(result["ids"]))
            self.assertAutoDefaults(
                opportunity, opportunity.partner_id, self.admin, self.admin.sale_team_id
            )
            self.assertEqual(opportunity.message_partner_ids, self.admin.partner_id)
            self.assertEqual(len(opportunity.message_ids), 1)
        untracked = self.Opportunity.with_user(self.admin).with_context(tracking_disable=True)
        opportunity = untracked.create(
            {"name": "Untracked", "partner_id": self.customer.id, "date_deadline": "2026-04-01"}
        )
        self.assertFalse(opportunity.message_partner_ids)
        self.assertFalse(opportunity.message_ids)

    def test_import_as_the_importer(self):
        """An import creates each customer's opportunity as the user who
        imports it, in the company it is imported in; vendors, contacts and
        customers of companies without automatic opportunities get none."""
        other = self.env["res.company"].create({"name": "Hue Branch"})
        self.agent1.company_ids |= other
        Partner = self.Partner.with_user(self.agent1).with_context(import_file=True)
        rows = [["Import A", "1"], ["Import B", "1"], ["Import C", "1"]]
        ids = Partner.load(["name", "is_company"], rows)["ids"]
        ids += Partner.with_company(other).load(["name", "is_company"], [["Import D", "1"]])["ids"]
        vendor = Partner.with_context(res_partner_search_mode="supplier").load(
            ["name", "is_company"], [["Import Vendor", "1"]]
        )["ids"]
        self.company.partner_opportunity_auto_create = False
        off = Partner.load(["name", "is_company"], [["Import Off", "1"]])["ids"]
        self.company.partner_opportunity_auto_create = True
        partners = self.Partner.browse(ids)
        opportunities = self._opportunities(partners)
        self.assertEqual(opportunities.partner_id, partners)
        self.assertEqual(opportunities.user_id, self.agent1)
        self.assertEqual(opportunities.create_uid, self.agent1)
        self.assertEqual(
            opportunities.filtered(lambda o: o.partner_id.name == "Import D").pipeline_id,
            self.Opportunity._default_pipeline(other),
        )
        self.assertFalse(self._opportunities(self.Partner.browse(vendor + off)))

    def test_import_dialog_counts_the_opportunities(self):
        """The import dialog's request reports how many opportunities its
        customers got, beside its messages (any message there reads as an
        error to the dialog); a test run (dry run) and a contact none."""
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": b"name,is_company\nLong An Rice,1\nMy Tho Fruit,1\nLan Pham,0\n",
                "file_type": "text/csv",
                "file_name": "customers.csv",
            }
        )
        options = {"has_headers": True, "quoting": '"', "separator": ","}
        columns = ["name", "is_company"]
        tested = wizard.execute_import(columns, columns, dict(options), dryrun=True)
        self.assertEqual(len(tested["ids"]), 3)
        self.assertNotIn("partner_opportunity_count", tested)
        self.assertFalse(self._opportunities(self.Partner.browse(tested["ids"])))
        # The dialog sends its requests with "Track history" off.
        wizard = wizard.with_context(tracking_disable=True)
        result = wizard.execute_import(columns, columns, dict(options, limit=2))
        self.assertEqual(result["messages"], [])
        self.assertEqual(result["partner_opportunity_count"], 2)
        self.assertEqual(result["nextrow"], 2)
        result = wizard.execute_import(columns, columns, dict(options, limit=2, skip=2))
        self.assertEqual(result["messages"], [])
        # Each request counts its own customers: the person has its opportunity.
        self.assertEqual(result["partner_opportunity_count"], 1)
        partners = self.Partner.search(
            [("name", "in", ["Long An Rice", "My Tho Fruit", "Lan Pham"])]
        )
        self.assertEqual(self._opportunities(partners).partner_id, partners)

    def test_api_create_several(self):
        partners = self.Partner.create(
            [
                {"name": "An Khang Pharma", "is_company": True, "user_id": self.agent1.id},
                {"name": "Binh Minh Foods", "is_company": True, "user_id": self.agent3.id},
                {"name": "Chi Le", "user_id": False},
            ]
        )
        opportunities = self._opportunities(partners)
        self.assertEqual(opportunities.partner_id, partners)
        expected = [
            (self.agent1, self.team_direct),
            (self.agent3, self.team_key),
            # The server is no salesperson: the one chosen in Settings.
            (self.settings_user, self.settings_user.sale_team_id),
        ]
        for partner, (user, team) in zip(partners, expected, strict=True):
            self.assertAutoDefaults(
                opportunities.filtered(lambda o, p=partner: o.partner_id == p), partner, user, team
            )
        # The salesperson follows the opportunity.
        first = opportunities.filtered(lambda o: o.user_id == self.agent1)
        self.assertIn(self.agent1.partner_id, first.message_partner_ids)

    # ------------------------------------------------------------
    # Who is not a customer, and when it is switched off
    # ------------------------------------------------------------

    def test_contact_of_a_company_excluded(self):
        company = self.Partner.create({"name": "Dong A Steel", "is_company": True})
        contacts = self.Partner.create(
            [
                {"name": "Mai Tran", "parent_id": company.id},
                {"name": "Billing", "parent_id": company.id, "type": "invoice"},
            ]
        )
        with Form(self.Partner.with_context(default_parent_id=company.id)) as form:
            form.name = "Quang Vo"
        self.assertEqual(len(self._opportunities(company)), 1)
        self.assertFalse(self._opportunities(contacts | form.record))

    def test_user_partner_excluded(self):
        user = self._user("po_new_agent", None, name="New Agent")
        self.assertFalse(self._opportunities(user.partner_id))
        portal = new_test_user(
            self.env, "po_portal", groups="base.group_portal", name="Portal Client"
        )
        self.assertFalse(self._opportunities(portal.partner_id))
        # The context key does not leak into later creations.
        customer = self.Partner.create({"name": "Gia Lai Coffee"})
        self.assertEqual(len(self._opportunities(customer)), 1)

    def test_switched_off_in_settings(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.partner_opportunity_auto_create = False
        settings.record.execute()
        partner = self.Partner.create({"name": "Kim Long Paper", "is_company": True})
        self.assertFalse(self._opportunities(partner))
        # Another company keeps its own setting.
        company2 = self.env["res.company"].create({"name": "Hanoi Branch"})
        self.settings_user.company_ids |= company2
        other = self.Partner.create({"name": "Ha Thanh", "company_id": company2.id})
        opportunity = self._opportunities(other).sudo()
        self.assertEqual(opportunity.pipeline_id, company2.partner_opportunity_pipeline_id)

    def test_context_key(self):
        partner = self.Partner.with_context(partner_opportunity_no_auto=SERVER).create(
            {"name": "Lam Son Rubber", "is_company": True}
        )
        self.assertFalse(self._opportunities(partner))

    # ------------------------------------------------------------
    # Mass action / call campaign
    # ------------------------------------------------------------

    def test_mass_action(self):
        Partner = self.Partner.with_context(partner_opportunity_no_auto=SERVER)
        fresh, busy, lost_only, elsewhere = Partner.create(
            [
                {"name": name, "is_company": True}
                for name in ("Fresh", "Busy", "Lost only", "Elsewhere")
            ]
        )
        contact = Partner.create({"name": "Contact", "parent_id": fresh.id})
        # X3: the company's own partner is no customer either.
        contact |= self.company.partner_id
        self._opportunity(partner_id=busy.id, pipeline_id=self.renewals.id)
        self._opportunity(
            partner_id=lost_only.id,
            pipeline_id=self.renewals.id,
            status_id=self.renewals.status_ids.filtered(lambda s: s.status_type == "lost").id,
        )
        # An open opportunity in another pipeline does not count.
        self._opportunity(partner_id=elsewhere.id, pipeline_id=self.pipeline.id)
        before = self._opportunities(fresh | busy | lost_only | elsewhere | contact)
        action = (
            (fresh | busy | lost_only | elsewhere | contact)
            .with_user(self.admin)
            .action_partner_opportunity_create()
        )
        message = action["params"]["message"]
        self.assertIn("3 opportunities created, 3 customers skipped", message)
        self.assertEqual(action["params"]["type"], "success")
        created = self._opportunities(fresh | busy | lost_only | elsewhere | contact) - before
        self.assertEqual(created.partner_id, fresh | lost_only | elsewhere)
        self.assertEqual(created.pipeline_id, self.renewals)
        self.assertEqual(set(created.mapped("user_id")), {self.admin})
        # A second run finds every customer busy.
        action = (fresh | busy).with_user(self.admin).action_partner_opportunity_create()
        self.assertIn("0 opportunities created, 2 customers skipped", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "warning")

    def test_campaign_method(self):
        Partner = self.Partner.with_context(partner_opportunity_no_auto=SERVER)
        customers = Partner.create([{"name": "One"}, {"name": "Two"}])
        self.company.partner_opportunity_auto_create = False
        self.assertFalse(customers._partner_opportunity_create(automatic=True))
        created = customers._partner_opportunity_create(pipeline=self.pipeline)
        self.assertEqual(created.pipeline_id, self.pipeline)
        self.assertEqual(created.status_id, self.status_new)
        self.assertFalse(
            customers._partner_opportunity_create(pipeline=self.pipeline, skip_open=True)
        )
        renewals = customers._partner_opportunity_create(pipeline=self.renewals, skip_open=True)
        self.assertEqual(len(renewals), 2)

    # ------------------------------------------------------------
    # Agents
    # ------------------------------------------------------------

    def test_agent_creates_customer_of_another_salesperson(self):
        """D2: the customer's salesperson holds its opportunity, whoever
        creates the customer; the agent who did does not see it."""
        partner = self.Partner.with_user(self.agent1).create(
            {"name": "Phu Quoc Pearl", "is_company": True, "user_id": self.agent3.id}
        )
        opportunity = self._opportunities(partner)
        self.assertEqual(opportunity.user_id, self.agent3)
        self.assertEqual(opportunity.team_id, self.team_key)
        self.assertEqual(partner.with_user(self.agent1).partner_opportunity_count, 0)
        # Through the form too, reading the smart button afterwards.
        with Form(self.Partner.with_user(self.agent2)) as form:
            form.name = "Vung Tau Oil"
            form.user_id = self.agent3
        self.assertEqual(form.record.with_user(self.agent2).partner_opportunity_count, 0)
        self.assertEqual(self._opportunities(form.record).user_id, self.agent3)

    def test_agent_creates_own_customer(self):
        partner = self.Partner.with_user(self.agent2).create({"name": "Cat Lai Port"})
        self.assertEqual(self._opportunities(partner).user_id, self.agent2)

    def test_supervisor_keeps_salesperson_of_the_team(self):
        partner = self.Partner.with_user(self.supervisor).create(
            {"name": "Ben Thanh Market", "user_id": self.agent1.id}
        )
        self.assertEqual(self._opportunities(partner).user_id, self.agent1)

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------

    def test_query_count_does_not_grow_with_customers(self):
        def create(count, auto):
            Partner = self.Partner.with_context(
                partner_opportunity_no_auto=False if auto else SERVER
            )
            Partner.create(
                [
                    {"name": f"Customer {count} {auto} {i}", "user_id": self.agent1.id}
                    for i in range(count)
                ]
            )

        create(1, True)  # warm the caches
        for count in (1, 20):
            for auto in (False, True):
                # Odoo spends 34 queries per customer (created in a batch);
                # the automatic opportunities add 18, for 1 customer as for 20.
                queries = 34 * count + 8 + (18 if auto else 0)
                self.env.invalidate_all()
                with self.subTest(count=count, auto=auto), self.assertQueryCount(queries):
                    create(count, auto)

    def test_query_count_of_an_import_does_not_grow_with_customers(self):
        """An import creates its customers' opportunities in one batch: the
        queries they add are the same for 1 customer as for 20."""

        Partner = self.Partner.with_user(self.admin).with_context(
            import_file=True, tracking_disable=True
        )

        def load(count, auto):
            rows = [[f"Imported {count} {auto} {i}", "1"] for i in range(count)]
            self.assertEqual(len(Partner.load(["name", "is_company"], rows)["ids"]), count)

        load(1, True)  # warm the caches
        for count in (1, 20):
            for auto in (False, True):
                self.company.partner_opportunity_auto_create = auto
                self.env.flush_all()
                self.env.invalidate_all()
                # Odoo imports a batch in 14 queries, for 1 customer as for
                # 20; their opportunities, followers and creation messages
                # add 13.
                queries = 14 + (13 if auto else 0)
                with self.subTest(count=count, auto=auto), self.assertQueryCount(queries):
                    load(count, auto)
