"""Living beside other apps: X1-X3.

The users here never open the app: an internal user with only "Contact
Creation" (as an accountant has), a salesperson of Odoo's Sales/CRM groups, a
user of two companies. Creating, importing and deleting customers works for
each of them as without the addon.
"""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestCoexistence(PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "po_accountant", groups="base.group_user,base.group_partner_manager"
        )
        cls.sales_user = new_test_user(
            cls.env,
            "po_sales_user",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
        )
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_b = new_test_user(
            cls.env,
            "po_user_b",
            groups="base.group_user,partner_opportunity.group_agent",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.Partner = cls.env["res.partner"]

    def _opportunities(self, partners):
        return self.Opportunity.sudo().search([("partner_id", "in", partners.ids)])

    def test_mass_conversion_pays_once(self):
        """CRM's mass conversion creates its customers one by one: for users
        without the app their opportunities are created in one batch, so
        that 20 customers cost about what 2 cost."""

        def convert(count, auto):
            Partner = self.env["res.partner"].with_context(
                partner_opportunity_no_auto=False if auto else SERVER
            )
            for index in range(count):
                Partner.create({"name": f"Converted {auto}-{count}-{index}", "is_company": True})

        with self.with_user("po_sales_user"):
            convert(1, True)  # warm the caches
            convert(1, False)
            for count in (2, 20):
                for auto in (False, True):
                    # Odoo spends 4 queries per customer created alone; the
                    # automatic opportunities add 8 (their salesperson chosen
                    # among the creator and Settings' included), for 2
                    # customers as for 20.
                    queries = 4 * count + 1 + (8 if auto else 0)
                    with self.subTest(count=count, auto=auto), self.assertQueryCount(queries):
                        convert(count, auto)
        self.assertEqual(
            len(self._opportunities(self.Partner.search([("name", "like", "Converted True-20-")]))),
            20,
        )

    # ------------------------------------------------------------
    # X1: users without the app create and import customers
    # ------------------------------------------------------------

    def test_users_without_the_app_create_customers(self):
        for user in (self.accountant, self.sales_user):
            with self.subTest(user=user.login):
                Partner = self.Partner.with_user(user)
                created = Partner.create({"name": f"Created by {user.login}", "is_company": True})
                quick = Partner.browse(Partner.name_create(f"Quick by {user.login}")[0])
                result = Partner.with_context(import_file=True).load(
                    ["name", "is_company"], [[f"Imported by {user.login}", "1"]]
                )
                self.assertFalse(result["messages"])
                imported = Partner.browse(result["ids"])
                customers = created | quick | imported
                # Users without the app get them in one batch before commit;
                # imported ones come with the import.
                self.env.cr.flush()
                opportunities = self._opportunities(customers)
                # D2 holds: each customer has its opportunity, held by the
                # salesperson chosen in Settings.
                self.assertEqual(opportunities.partner_id, customers)
                self.assertEqual(
                    set(opportunities.mapped("user_id")),
                    {self.env.company.partner_opportunity_user_id},
                    "never a user without the app",
                )
                self.assertTrue(all(opportunities.mapped("is_automatic")))
                # The user still sees none of it.
                self.assertEqual(created.partner_opportunity_count, 0)

    def test_partner_out_of_sight_before_commit(self):
        """CRM's multi-company test: a partner the user created moves to a
        company the user is not in before the transaction ends."""
        partner = self.Partner.with_user(self.accountant).create({"name": "Moved Ltd"})
        partner.sudo().company_id = self.company_b
        self.env.cr.flush()
        self.assertFalse(self._opportunities(partner), "the accountant does not work for B")
        moved = self.Partner.with_user(self.accountant).create({"name": "Moved Too"})
        moved.sudo().write({"company_id": self.company_b.id, "user_id": self.user_b.id})
        self.env.cr.flush()
        self.assertEqual(self._opportunities(moved).company_id, self.company_b)

    def test_customer_without_company_whose_salesperson_is_elsewhere(self):
        """base's TestPartnerForm.test_onchange_parent_sync_user: the customer's
        salesperson works for another company only; the customer is created and
        its opportunity goes to the user who created it."""
        partner = self.Partner.with_user(self.admin).create(
            {"name": "Micheline", "is_company": True, "user_id": self.user_b.id}
        )
        opportunity = self._opportunities(partner)
        self.assertEqual(opportunity.user_id, self.admin)
        self.assertEqual(opportunity.company_id, self.company)

    def test_creator_whose_sales_team_is_in_another_company(self):
        user = new_test_user(
            self.env,
            "po_agent_ab",
            groups="base.group_user,base.group_partner_manager,partner_opportunity.group_agent",
            company_id=self.company_b.id,
            company_ids=[Command.set((self.company | self.company_b).ids)],
        )
        team_b = self.env["crm.team"].create(
            {"name": "Team B", "company_id": self.company_b.id, "member_ids": user.ids}
        )
        self.assertEqual(user.sale_team_id, team_b)
        partner = (
            self.Partner.with_user(user)
            .with_company(self.company)
            .create({"name": "Lotus", "is_company": True})
        )
        opportunity = self._opportunities(partner)
        self.assertRecordValues(
            opportunity, [{"user_id": user.id, "team_id": False, "company_id": self.company.id}]
        )

    def test_customer_created_when_its_opportunity_cannot_be(self):
        """An opportunity that cannot be placed never costs the customer: here
        the expected close date is made required by a status of the pipeline
        that requires a field the automatic opportunity has not."""
        self.status_new.sudo().required_field_ids = self.env["ir.model.fields"]._get(
            "partner.opportunity", "contact_id"
        )
        with self.assertLogs("odoo.addons.partner_opportunity.models.res_partner", "WARNING"):
            partners = self.Partner.with_user(self.accountant).create(
                [{"name": "Phu My", "is_company": True}, {"name": "Hoa Sen", "is_company": True}]
            )
            self.env.cr.flush()
        self.assertEqual(len(partners), 2)
        self.assertFalse(self._opportunities(partners))

    # ------------------------------------------------------------
    # X1: deleting a customer just created
    # ------------------------------------------------------------

    def test_customer_with_untouched_opportunity_can_be_deleted(self):
        partner = self.Partner.with_user(self.accountant).create({"name": "Typo Ltd"})
        self.env.cr.flush()
        opportunity = self._opportunities(partner)
        self.assertTrue(opportunity)
        partner.with_user(self.accountant).unlink()
        self.assertFalse(partner.exists())
        self.assertFalse(opportunity.exists())

    def test_customer_with_worked_opportunity_is_kept(self):
        cases = {
            "moved": lambda o: o.write({"status_id": self.status_demo.id}),
            "note": lambda o: o.message_post(body="Called", message_type="comment"),
            "activity": lambda o: o.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.agent1.id
            ),
            "by hand": lambda o: o.copy({"is_automatic": False}),
        }
        for case, work in cases.items():
            with self.subTest(case=case):
                partner = self.Partner.with_user(self.agent1).create({"name": f"Kept {case}"})
                work(self._opportunities(partner))
                opportunities = self._opportunities(partner)
                with self.assertRaisesRegex(UserError, "cannot be deleted.*Archive the customer"):
                    partner.with_user(self.accountant).unlink()
                self.assertTrue(partner.exists())
                self.assertEqual(self._opportunities(partner), opportunities)

    # ------------------------------------------------------------
    # X2: names of our own, no group of another app
    # ------------------------------------------------------------

    def test_fields_on_shared_models_are_prefixed(self):
        ours = self.env["ir.model.data"].search(
            [("module", "=", "partner_opportunity"), ("model", "=", "ir.model.fields")]
        )
        fields = (
            self.env["ir.model.fields"]
            .browse(ours.mapped("res_id"))
            .filtered(
                lambda f: (
                    f.model in ("res.partner", "res.users", "res.company", "res.config.settings")
                )
            )
        )
        self.assertTrue(fields)
        self.assertEqual(
            [
                f"{f.model}.{f.name}"
                for f in fields
                if not f.name.startswith("partner_opportunity_")
            ],
            [],
        )

    def test_roles_imply_no_group_of_another_app(self):
        for role in ("group_agent", "group_supervisor", "group_admin"):
            group = self.env.ref(f"partner_opportunity.{role}")
            modules = {
                implied.get_external_id()[implied.id].split(".")[0]
                for implied in group.trans_implied_ids
            }
            self.assertLessEqual(modules, {"base", "partner_opportunity"}, role)
        self.assertFalse(self.agent1.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(self.admin.has_group("sales_team.group_sale_manager"))

    def test_administrator_manages_sales_teams(self):
        """Teams decide what supervisors see (R2): our administrator keeps them
        up to date without being a Sales administrator."""
        team = self.env["crm.team"].with_user(self.admin).create({"name": "Hanoi"})
        team.member_ids = self.agent3
        self.assertIn(self.agent3, team.member_ids)

    # ------------------------------------------------------------
    # X3: who is a customer
    # ------------------------------------------------------------

    def test_partners_that_are_not_customers(self):
        Partner = self.Partner.with_user(self.admin)
        company = self.env["res.company"].create({"name": "New Subsidiary"})
        user = new_test_user(self.env, "po_new_user")
        portal = new_test_user(self.env, "po_portal", groups="base.group_portal")
        not_customers = {
            "vendor from Purchase": Partner.with_context(res_partner_search_mode="supplier").create(
                {"name": "Paper Mill", "is_company": True}
            ),
            "contact of a company": Partner.create({"name": "Binh", "parent_id": self.customer.id}),
            "partner of a company": company.partner_id,
            "partner of a user": user.partner_id,
            "portal sign-up": portal.partner_id,
            "from an e-mail": Partner.find_or_create("Sender <sender@example.com>"),
            "from e-mail recipients": Partner._find_or_create_from_emails(
                ["recipient@example.com"]
            )[0],
        }
        for case, partner in not_customers.items():
            with self.subTest(case=case):
                self.assertTrue(partner)
                self.assertFalse(self._opportunities(partner))
        customer = Partner.with_context(res_partner_search_mode="customer").create(
            {"name": "Buyer"}
        )
        self.assertTrue(self._opportunities(customer))

    def test_mass_action_skips_the_partners_of_users(self):
        users_partner = self.agent2.partner_id
        action = self.other_customer.with_user(self.agent1) | users_partner.with_user(self.agent1)
        result = action.action_partner_opportunity_create()
        self.assertIn("1 opportunities created, 1 customers skipped", result["params"]["message"])
        self.assertFalse(self._opportunities(users_partner))
