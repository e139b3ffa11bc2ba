"""The integrator's API: the examples of the API guide (doc/api.md),
run as they are against the test server over XML-RPC and JSON-RPC, as users
with an opportunity role. An integration is a user: R1-R6 hold for it too.

Revenues are powers of two, so that a leaked amount shows in any total.
"""

import importlib.util
import os
import sys
import xmlrpc.client
from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

from .common import PartnerOpportunityCase

# In the order of the guide; connect is what the XML-RPC examples import.
EXAMPLES = (
    "connect",
    "board",
    "customer",
    "move",
    "forecast",
    "import_customers",
    "jsonrpc",
    "errors",
)
# The methods the guide calls public and stable, and some it calls internal.
PUBLIC_METHODS = (
    ("partner.opportunity", "get_summary"),
    ("partner.opportunity", "action_open_board"),
    ("partner.opportunity", "action_open_partner"),
    ("partner.opportunity.pipeline", "action_open_board"),
    ("partner.opportunity.lost", "action_apply"),
    ("partner.opportunity.status", "action_open_delete_wizard"),
    ("partner.opportunity.status.delete", "action_delete"),
    ("partner.opportunity.lost.reason", "action_open_opportunities"),
    ("res.partner", "action_partner_opportunity_create"),
    ("res.partner", "action_partner_opportunity_view"),
    ("res.partner", "action_partner_opportunity_new"),
)
STATUSES = ("New", "Demo done", "Proposal sent", "Contract sent", "Negotiation", "Won", "Lost")
FAULT_OTHER, FAULT_USER_ERROR, FAULT_ACCESS_DENIED, FAULT_ACCESS_ERROR = 1, 2, 3, 4


def _load_examples():
    """The files of api_examples/ beside this test as modules, loaded from
    their paths (api_examples/ is no package: integrators copy its files)."""
    folder = os.path.join(os.path.dirname(__file__), "api_examples")
    files = sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py"))
    modules = {}
    saved = sys.modules.get("connect")
    try:
        for name in EXAMPLES:
            module_name = name if name == "connect" else f"partner_opportunity_api_{name}"
            spec = importlib.util.spec_from_file_location(
                module_name, os.path.join(folder, f"{name}.py")
            )
            module = importlib.util.module_from_spec(spec)
            if name == "connect":
                sys.modules["connect"] = module
            spec.loader.exec_module(module)
            modules[name] = module
    finally:
        if saved:
            sys.modules["connect"] = saved
        else:
            sys.modules.pop("connect", None)
    return folder, files, modules


@tagged("post_install", "-at_install")
class TestApi(HttpCase, PartnerOpportunityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder, cls.files, cls.examples = _load_examples()
        with open(file_path("partner_opportunity/doc/api.md"), encoding="utf-8") as guide:
            cls.api_section = guide.read()

        def api_user(login, name, role):
            groups = "base.group_user" + (f",partner_opportunity.group_{role}" if role else "")
            user = new_test_user(
                cls.env,
                login,
                groups=groups,
                name=name,
                password=f"{login}-secret",
                context={"no_reset_password": True},
            )
            return user, (cls.base_url(), cls.env.cr.dbname, login, f"{login}-secret")

        cls.api_agent, cls.as_agent = api_user("api_agent", "API Agent", "agent")
        cls.api_supervisor, cls.as_supervisor = api_user(
            "api_supervisor", "API Supervisor", "supervisor"
        )
        cls.api_admin, cls.as_admin = api_user("api_admin", "API Admin", "admin")
        cls.api_nobody, cls.as_nobody = api_user("api_nobody", "API Nobody", None)
        cls.env["crm.team"].create(
            {
                "name": "API Sales",
                "user_id": cls.api_supervisor.id,
                "member_ids": [Command.set(cls.api_agent.ids)],
            }
        )
        cls.api_pipeline = cls.env["partner.opportunity.pipeline"].create({"name": "API Pipeline"})
        cls.api_status = {status.name: status for status in cls.api_pipeline.status_ids}

        def opportunity(name, user, status, revenue, deadline, **vals):
            return cls._opportunity(
                user,
                name=name,
                status_id=cls.api_status[status].id,
                expected_revenue=revenue,
                date_deadline=deadline,
                **vals,
            )

        agent = cls.api_agent
        cls.solar = opportunity("Solar roof", agent, "New", 1000, date(2030, 1, 15))
        cls.inverters = opportunity(
            "Inverters", agent, "Proposal sent", 2000, date(2030, 1, 20), probability=40
        )
        cls.batteries = opportunity("Batteries", agent, "Won", 4000, date(2030, 2, 10))
        cls.cables = opportunity("Cables", agent, "Lost", 8000, date(2030, 2, 12))
        cls.survey = opportunity(
            "Site survey", cls.api_supervisor, "New", 16000, date(2030, 2, 20), probability=25
        )
        # A colleague outside the API team: neither its agent nor its supervisor sees it.
        cls.lights = opportunity(
            "Warehouse lights", cls.agent2, "Demo done", 32000, date(2030, 1, 31)
        )

    @contextmanager
    def assertFault(self, code, text):
        """The block fails over XML-RPC with ``code`` and a message containing
        ``text``, and the API guide quotes ``text`` to integrators."""
        with self.assertRaises(xmlrpc.client.Fault) as raised:
            yield raised
        self.assertEqual(raised.exception.faultCode, code, raised.exception.faultString)
        self.assertIn(text, raised.exception.faultString)
        self.assertIn(text, self.api_section, "doc/api.md must quote this error")

    def _columns(self, values):
        """The board's columns from {status: (count, expected revenue, expected
        value)}; the other statuses are empty columns."""
        return [
            {
                "status_id": self.api_status[name].id,
                "status": name,
                "count": values.get(name, (0, 0, 0))[0],
                "expected_revenue": values.get(name, (0, 0, 0))[1],
                "expected_value": values.get(name, (0, 0, 0))[2],
            }
            for name in STATUSES
        ]

    # ------------------------------------------------------------
    # The guide and the files
    # ------------------------------------------------------------

    def test_readme_quotes_every_example_verbatim(self):
        self.assertTrue(self.api_section, "doc/api.md is empty")
        self.assertEqual(self.files, sorted(EXAMPLES), "each example file is run by this test")
        for name in EXAMPLES:
            with open(os.path.join(self.folder, f"{name}.py"), encoding="utf-8") as example:
                code = example.read()
            self.assertIn(f"```python\n{code}```\n", self.api_section, f"{name}.py")
            self.assertIn(f"tests/api_examples/{name}.py", self.api_section)
        with open(file_path("partner_opportunity/readme/USAGE.md"), encoding="utf-8") as usage:
            self.assertIn("tests/api_examples/", usage.read())

    # ------------------------------------------------------------
    # The board (B1, P2, R5)
    # ------------------------------------------------------------

    def test_board_columns_and_summary_per_role(self):
        read_board = self.examples["board"].read_board
        board = read_board(*self.as_agent, "API Pipeline")
        self.assertEqual(
            board["columns"],
            self._columns(
                {
                    "New": (1, 1000, 500),
                    "Proposal sent": (1, 2000, 800),
                    "Won": (1, 4000, 4000),
                    "Lost": (1, 8000, 0),
                }
            ),
        )
        self.assertEqual(
            [(card["name"], card["status_id"][1], card["probability"]) for card in board["cards"]],
            [
                ("Solar roof", "New", 50),
                ("Inverters", "Proposal sent", 40),
                ("Batteries", "Won", 100),
                ("Cables", "Lost", 0),
            ],
        )
        self.assertEqual(
            board["summary"],
            {
                "count": 4,
                "expected_revenue": 15000,
                "weighted_revenue": 5300,
                "won_revenue": 4000,
                "currency_id": self.company.currency_id.id,
            },
        )

        # R2: the supervisor adds their own; the colleague of another team stays out.
        board = read_board(*self.as_supervisor, "API Pipeline")
        self.assertEqual(
            board["columns"],
            self._columns(
                {
                    "New": (2, 17000, 4500),
                    "Proposal sent": (1, 2000, 800),
                    "Won": (1, 4000, 4000),
                    "Lost": (1, 8000, 0),
                }
            ),
        )
        self.assertEqual(board["summary"]["count"], 5)
        self.assertEqual(board["summary"]["weighted_revenue"], 9300)
        # R3: the administrator sees all.
        board = read_board(*self.as_admin, "API Pipeline")
        self.assertEqual(board["columns"][1], self._columns({"Demo done": (1, 32000, 16000)})[1])
        self.assertEqual(board["summary"]["expected_revenue"], 63000)

    def test_board_errors(self):
        read_board = self.examples["board"].read_board
        with self.assertRaises(PermissionError):
            read_board(self.base_url(), self.env.cr.dbname, "api_agent", "wrong", "API Pipeline")
        # A user without an opportunity role reads nothing of the app.
        with self.assertFault(
            FAULT_ACCESS_ERROR,
            "You are not allowed to access 'Opportunity Pipeline' "
            "(partner.opportunity.pipeline) records.",
        ):
            read_board(*self.as_nobody, "API Pipeline")

    # ------------------------------------------------------------
    # Customers and opportunities (D1, D2, D4, R6, X3)
    # ------------------------------------------------------------

    def test_customer_and_its_automatic_opportunity(self):
        create_customer = self.examples["customer"].create_customer
        partner_id, opportunities = create_customer(
            *self.as_agent, {"name": "Hoa Binh Solar", "is_company": True}
        )
        today = fields.Date.context_today(self.env["res.partner"].with_user(self.api_agent))
        self.assertEqual(
            opportunities,
            [
                {
                    "id": opportunities[0]["id"],
                    "name": "Hoa Binh Solar",
                    "partner_id": [partner_id, "Hoa Binh Solar"],
                    "user_id": [self.api_agent.id, "API Agent"],
                    "team_id": [self.api_agent.sale_team_id.id, "API Sales"],
                    "pipeline_id": [self.pipeline.id, "Sales"],
                    "status_id": [self.status_new.id, "New"],
                    "date_deadline": fields.Date.to_string(today + timedelta(days=7)),
                    "probability": 50,
                    "expected_revenue": 0,
                    "weighted_revenue": 0,
                    "is_automatic": True,
                }
            ],
        )
        # A contact of the customer is no customer (X3).
        __, opportunities = create_customer(
            *self.as_agent, {"name": "Lan Tran", "parent_id": partner_id}
        )
        self.assertEqual(opportunities, [])

        with (
            mute_logger("odoo.sql_db"),
            self.assertFault(FAULT_USER_ERROR, "Contacts require a name"),
        ):
            create_customer(*self.as_agent, {"is_company": True})

    def test_create_opportunity_by_hand(self):
        create_opportunity = self.examples["customer"].create_opportunity
        Partner = self.env["res.partner"].with_context(partner_opportunity_no_auto=SERVER)
        customer = Partner.create({"name": "Da Lat Farms", "user_id": self.api_agent.id})
        self.env.flush_all()  # the server reads the database, not this test's cache
        values = {
            "name": "Greenhouse sensors",
            "partner_id": customer.id,
            "date_deadline": "2030-03-31",
            "expected_revenue": 1200,
        }
        # D1: the customer's salesperson, the first status of the default pipeline, 50 %.
        opportunity = create_opportunity(*self.as_supervisor, values)
        self.assertEqual(
            opportunity,
            {
                "id": opportunity["id"],
                "name": "Greenhouse sensors",
                "partner_id": [customer.id, "Da Lat Farms"],
                "user_id": [self.api_agent.id, "API Agent"],
                "team_id": [self.api_agent.sale_team_id.id, "API Sales"],
                "pipeline_id": [self.pipeline.id, "Sales"],
                "status_id": [self.status_new.id, "New"],
                "date_deadline": "2030-03-31",
                "probability": 50,
                "expected_revenue": 1200,
                "weighted_revenue": 600,
                "is_automatic": False,
            },
        )

        # R6: an agent is the salesperson of their own opportunities only, and the
        # default salesperson of a colleague's customer is that colleague.
        customer.user_id = self.agent2
        self.env.flush_all()
        with self.assertFault(FAULT_USER_ERROR, "Salesperson: you may not assign"):
            create_opportunity(*self.as_agent, values)
        mine = create_opportunity(*self.as_agent, dict(values, user_id=self.api_agent.id))
        self.assertEqual(mine["user_id"], [self.api_agent.id, "API Agent"])

    def test_create_opportunity_errors(self):
        create_opportunity = self.examples["customer"].create_opportunity
        values = {
            "name": "Bad input",
            "partner_id": self.customer.id,
            "date_deadline": "2030-03-31",
            "expected_revenue": 500,
        }
        other_contact = self.env["res.partner"].create(
            {"name": "Quoc Pham", "parent_id": self.other_customer.id}
        )
        self.env.flush_all()
        bad_values = [
            ({"expected_revenue": -5}, "Expected revenue: the amount cannot be negative"),
            ({"date_deadline": False}, "Expected Close Date: a value is required."),
            ({"probability": 150}, "Probability: it must be between 0 and 100 %."),
            ({"contact_id": other_contact.id}, "is not a contact of the customer"),
            (
                {"pipeline_id": self.pipeline.id, "status_id": self.api_status["New"].id},
                "belongs to the pipeline",
            ),
        ]
        for bad, message in bad_values:
            with self.subTest(bad=bad), self.assertFault(FAULT_USER_ERROR, message):
                create_opportunity(*self.as_agent, dict(values, **bad))
        self.assertFalse(self.Opportunity.search_count([("name", "=", "Bad input")]))

    # ------------------------------------------------------------
    # Moves (M5, D3, R4)
    # ------------------------------------------------------------

    def test_move_and_its_interaction(self):
        move_opportunity = self.examples["move"].move_opportunity
        opportunity, interaction = move_opportunity(
            *self.as_agent, self.solar.id, self.api_status["Proposal sent"].id
        )
        self.assertEqual(
            opportunity,
            {
                "id": self.solar.id,
                "name": "Solar roof",
                "status_id": [self.api_status["Proposal sent"].id, "Proposal sent"],
                "status_type": "active",
                "probability": 50,
                "date_closed": False,
                "lost_reason_id": False,
            },
        )
        self.assertEqual(
            interaction,
            {
                "id": interaction["id"],
                "date": interaction["date"],
                "user_id": [self.api_agent.id, "API Agent"],
                "partner_id": [self.customer.id, "Minh Phat Trading"],
                "status_from_id": [self.api_status["New"].id, "New"],
                "status_to_id": [self.api_status["Proposal sent"].id, "Proposal sent"],
            },
        )
        self.assertTrue(interaction["date"])

        # D3: won is 100 % and closed.
        opportunity, interaction = move_opportunity(
            *self.as_agent, self.solar.id, self.api_status["Won"].id
        )
        self.assertEqual((opportunity["status_type"], opportunity["probability"]), ("won", 100))
        self.assertTrue(opportunity["date_closed"])
        self.assertEqual(interaction["status_from_id"][1], "Proposal sent")
        self.assertEqual(interaction["status_to_id"][1], "Won")

    def test_move_errors_and_reopening(self):
        move_opportunity = self.examples["move"].move_opportunity
        new = self.api_status["New"].id
        # R4: an agent never reopens; nothing changes, no interaction is recorded.
        with self.assertFault(
            FAULT_USER_ERROR, "Won and lost opportunities can only be reopened by an administrator"
        ) as raised:
            move_opportunity(*self.as_agent, self.batteries.id, new)
        self.assertIn("(Batteries)", raised.exception.faultString)
        self.env.invalidate_all()  # what the server wrote, not this test's cache
        self.assertEqual(self.batteries.status_id, self.api_status["Won"])
        self.assertFalse(self.batteries.interaction_ids)
        # An administrator does: the probability of an open status, no close date.
        opportunity, interaction = move_opportunity(*self.as_admin, self.batteries.id, new)
        self.assertEqual(
            (opportunity["status_type"], opportunity["probability"], opportunity["date_closed"]),
            ("active", 50, False),
        )
        self.assertEqual(interaction["user_id"], [self.api_admin.id, "API Admin"])

        with self.assertFault(FAULT_USER_ERROR, "belongs to the pipeline") as raised:
            move_opportunity(*self.as_agent, self.inverters.id, self.status_won.id)
        self.assertIn(
            "“Won” belongs to the pipeline “Sales”, not to “API Pipeline” of the opportunity "
            "“Inverters”",
            raised.exception.faultString,
        )
        # R1: a colleague's opportunity does not exist for the agent.
        with self.assertFault(FAULT_ACCESS_ERROR, "Opportunity (partner.opportunity)"):
            move_opportunity(*self.as_agent, self.lights.id, new)
        self.env.invalidate_all()
        self.assertEqual(self.lights.status_id, self.api_status["Demo done"])

    def test_mark_lost(self):
        mark_lost = self.examples["move"].mark_lost
        [opportunity] = mark_lost(*self.as_agent, [self.inverters.id], "Too expensive")
        self.assertEqual(
            {key: value for key, value in opportunity.items() if key != "date_closed"},
            {
                "id": self.inverters.id,
                "name": "Inverters",
                "status_id": [self.api_status["Lost"].id, "Lost"],
                "status_type": "lost",
                "probability": 0,
                "lost_reason_id": [
                    self.env.ref("partner_opportunity.lost_reason_too_expensive").id,
                    "Too expensive",
                ],
            },
        )
        self.assertTrue(opportunity["date_closed"])
        self.env.invalidate_all()
        self.assertEqual(self.inverters.interaction_ids.status_to_id, self.api_status["Lost"])

        # The company asks for a reason: refused, named, nothing written.
        self.company.partner_opportunity_lost_reason_required = True
        self.env.flush_all()
        with self.assertFault(
            FAULT_USER_ERROR, "Fill in these fields before the opportunity enters its new status"
        ) as raised:
            mark_lost(*self.as_agent, [self.solar.id])
        self.assertIn("“Solar roof” (Lost): Lost Reason", raised.exception.faultString)
        self.env.invalidate_all()
        self.assertEqual(self.solar.status_id, self.api_status["New"])
        with self.assertFault(FAULT_ACCESS_ERROR, "Opportunity (partner.opportunity)"):
            mark_lost(*self.as_agent, [self.lights.id], "No budget")

    # ------------------------------------------------------------
    # Forecast (P1, R5)
    # ------------------------------------------------------------

    def test_forecast_per_salesperson_and_month(self):
        read_forecast = self.examples["forecast"].read_forecast

        def row(user, month, count, total, expected, won=0):
            return {
                "salesperson_id": user.id,
                "salesperson": user.name,
                "month": month,
                "count": count,
                "total": total,
                "expected": expected,
                "won": won,
            }

        # Lost "Cables" (8000) is left out; won "Batteries" counts in full.
        agent_rows = [
            row(self.api_agent, "2030-01", 2, 3000, 1300),
            row(self.api_agent, "2030-02", 1, 4000, 4000, won=4000),
        ]
        self.assertEqual(read_forecast(*self.as_agent, "API Pipeline"), agent_rows)
        supervisor_rows = agent_rows + [row(self.api_supervisor, "2030-02", 1, 16000, 4000)]
        self.assertEqual(read_forecast(*self.as_supervisor, "API Pipeline"), supervisor_rows)
        self.assertEqual(
            read_forecast(*self.as_admin, "API Pipeline"),
            [row(self.agent2, "2030-01", 1, 32000, 16000)] + supervisor_rows,
        )
        with self.assertFault(
            FAULT_ACCESS_ERROR,
            "You are not allowed to access 'Opportunity' (partner.opportunity) records.",
        ):
            read_forecast(*self.as_nobody, "API Pipeline")

    # ------------------------------------------------------------
    # Import (D2 through load)
    # ------------------------------------------------------------

    def test_import_customers(self):
        import_customers = self.examples["import_customers"].import_customers
        result = import_customers(
            *self.as_agent,
            [
                ["Song Hong Export", "1", "info@songhong.example", ""],
                ["Tran Van Minh", "0", "", "API Agent"],
            ],
        )
        self.assertEqual(result["errors"], [])
        self.assertEqual(
            self.env["res.partner"].browse(result["ids"]).mapped("name"),
            ["Song Hong Export", "Tran Van Minh"],
        )
        today = fields.Date.context_today(self.env["res.partner"].with_user(self.api_agent))
        deadline = fields.Date.to_string(today + timedelta(days=7))
        self.assertEqual(
            [
                (
                    o["name"],
                    o["user_id"][1],
                    o["status_id"][1],
                    o["date_deadline"],
                    o["is_automatic"],
                )
                for o in result["opportunities"]
            ],
            [
                ("Song Hong Export", "API Agent", "New", deadline, True),
                ("Tran Van Minh", "API Agent", "New", deadline, True),
            ],
        )

    def test_import_errors_per_row(self):
        import_customers = self.examples["import_customers"].import_customers
        rows = [
            ["Ok Corp", "1", "", ""],
            ["", "1", "", ""],
            ["Maybe Corp", "maybe", "", "Nobody"],
        ]
        with mute_logger("odoo.sql_db"):
            result = import_customers(*self.as_agent, rows)
        self.assertEqual(
            result,
            {
                "ids": [],
                "errors": [
                    {"row": 1, "field": None, "error": "'Contacts require a name'"},
                    {
                        "row": 2,
                        "field": "is_company",
                        "error": "Unknown value 'maybe' for boolean field 'Is a Company'",
                    },
                    {
                        "row": 2,
                        "field": "user_id",
                        "error": "No matching record found for name 'Nobody' in field "
                        "'Salesperson'",
                    },
                ],
                "opportunities": [],
            },
        )
        for error in result["errors"]:
            self.assertIn(error["error"], self.api_section)
        # All or nothing: the good row is not imported either.
        self.assertFalse(self.env["res.partner"].search_count([("name", "=", "Ok Corp")]))

    # ------------------------------------------------------------
    # JSON-RPC: the class of each error
    # ------------------------------------------------------------

    def test_jsonrpc_move_and_errors(self):
        jsonrpc = self.examples["jsonrpc"]
        opportunity = jsonrpc.move_opportunity(
            *self.as_agent, self.solar.id, self.api_status["Demo done"].id
        )
        self.assertEqual(
            opportunity,
            {
                "id": self.solar.id,
                "status_id": [self.api_status["Demo done"].id, "Demo done"],
                "probability": 50,
            },
        )
        self.env.invalidate_all()
        self.assertEqual(self.solar.interaction_ids.status_to_id.name, "Demo done")

        missing = self.Opportunity.search([], order="id desc", limit=1).id + 1000
        errors = [
            (
                self.batteries,
                self.api_status["New"],
                "odoo.exceptions.UserError",
                "Won and lost opportunities can only be reopened by an administrator (Batteries).",
            ),
            (
                self.inverters,
                self.status_won,
                "odoo.exceptions.ValidationError",
                "Status: “Won” belongs to the pipeline “Sales”, not to “API Pipeline” of the "
                "opportunity “Inverters”.",
            ),
            (self.lights, self.api_status["New"], "odoo.exceptions.AccessError", None),
            (
                self.Opportunity.browse(missing),
                self.status_new,
                "odoo.exceptions.MissingError",
                None,
            ),
        ]
        for opportunity, status, name, message in errors:
            with (
                self.subTest(name=name),
                mute_logger("odoo.http"),
                self.assertRaises(jsonrpc.OdooError) as raised,
            ):
                jsonrpc.move_opportunity(*self.as_agent, opportunity.id, status.id)
            self.assertEqual(raised.exception.name, name)
            self.assertIn(f"`{name}`", self.api_section)
            if message:
                self.assertEqual(raised.exception.message, message)
        with self.assertRaises(PermissionError):
            jsonrpc.move_opportunity(
                self.base_url(), self.env.cr.dbname, "api_agent", "wrong", self.solar.id, 1
            )
        url, db, __, password = self.as_agent
        for uid, password_sent, method, name in (
            (self.api_agent.id, "wrong", "search", "odoo.exceptions.AccessDenied"),
            (self.api_agent.id, password, "_action_board", "odoo.exceptions.AccessError"),
        ):
            with (
                self.subTest(name=name),
                mute_logger("odoo.http"),
                self.assertRaises(jsonrpc.OdooError) as raised,
            ):
                arguments = (db, uid, password_sent, "partner.opportunity", method, [[]], {})
                jsonrpc.jsonrpc(url, "object", "execute_kw", *arguments)
            self.assertEqual(raised.exception.name, name)
            self.assertIn(f"`{name}`", self.api_section)

    def test_fault_codes(self):
        """What errors.py tells apart, and the faults 1 and 3 of the guide's table."""
        try_move = self.examples["errors"].try_move
        demo_done = self.api_status["Demo done"].id
        self.assertEqual(try_move(*self.as_agent, self.solar.id, demo_done), ("moved", None))
        self.assertEqual(
            try_move(*self.as_agent, self.batteries.id, demo_done),
            (
                "refused",
                "Won and lost opportunities can only be reopened by an administrator (Batteries).",
            ),
        )
        state, message = try_move(*self.as_agent, self.lights.id, demo_done)
        self.assertEqual(state, "forbidden")
        self.assertIn(
            "doesn't have 'read' access to:\n- Opportunity (partner.opportunity)", message
        )
        self.assertEqual(
            try_move(*self.as_agent, self.solar.id, "x"),
            ("refused", "Status: 'x' is not valid."),
        )

        call = self.examples["connect"].connect(*self.as_agent)
        with self.assertFault(
            FAULT_OTHER, "ValueError: Invalid field 'stage_id' on model 'partner.opportunity'"
        ):
            call("partner.opportunity", "read_group", [], ["expected_revenue:sum"], ["stage_id"])
        url, db, __, __ = self.as_agent
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
        with self.assertFault(FAULT_ACCESS_DENIED, "Access Denied"):
            models.execute_kw(db, self.api_agent.id, "wrong", "partner.opportunity", "search", [[]])

    # ------------------------------------------------------------
    # Public and internal methods; languages
    # ------------------------------------------------------------

    def test_public_methods(self):
        for model, method in PUBLIC_METHODS:
            self.assertTrue(callable(getattr(self.env[model], method, None)), method)
            self.assertIn(f"`{model}.{method}`", self.api_section)
        call = self.examples["connect"].connect(*self.as_agent)
        action = call("partner.opportunity", "action_open_board")
        self.assertEqual(action["res_model"], "partner.opportunity")
        self.assertEqual(action["context"]["default_pipeline_id"], self.pipeline.id)
        action = call("partner.opportunity.pipeline", "action_open_board", [self.api_pipeline.id])
        self.assertEqual(action["context"]["default_pipeline_id"], self.api_pipeline.id)
        self.assertEqual(action["display_name"], "API Pipeline")
        action = call("partner.opportunity", "action_open_partner", [self.solar.id])
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.customer.id))
        self.assertEqual(
            call("partner.opportunity", "get_summary", [("name", "=", "Cables")]),
            {
                "count": 1,
                "expected_revenue": 8000,
                "weighted_revenue": 0,
                "won_revenue": 0,
                "currency_id": self.company.currency_id.id,
            },
        )
        # A call campaign: one opportunity per customer without an open one.
        partners = [self.other_customer.id, self.contact.id]
        action = call("res.partner", "action_partner_opportunity_create", partners)
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 opportunities created, 1 customers skipped", action["params"]["message"])
        action = call("res.partner", "action_partner_opportunity_create", partners)
        self.assertIn("0 opportunities created, 2 customers skipped", action["params"]["message"])
        self.env.invalidate_all()
        self.assertEqual(
            self.Opportunity.search([("partner_id", "=", self.other_customer.id)]).user_id,
            self.api_agent,
        )

        # Configuration is for administrators only.
        with self.assertFault(FAULT_ACCESS_ERROR, "You are not allowed to"):
            call("partner.opportunity.status.delete", "create", {"status_ids": []})
        # Underscore methods are internal: the server refuses them over RPC.
        for model, method, args in (
            ("res.partner", "_partner_opportunity_create", [self.other_customer.id]),
            ("partner.opportunity.pipeline", "_first_status", [self.api_pipeline.id]),
            ("partner.opportunity", "_action_board", [self.api_pipeline.id]),
        ):
            with (
                self.subTest(method=method),
                self.assertFault(FAULT_ACCESS_ERROR, "cannot be called remotely"),
            ):
                call(model, method, args)

    def test_messages_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["partner_opportunity"], ["vi_VN"], overwrite=True
        )
        self.api_agent.lang = "vi_VN"
        self.env.flush_all()
        call = self.examples["connect"].connect(*self.as_agent)
        new = {"status_id": self.api_status["New"].id}
        with self.assertRaises(xmlrpc.client.Fault) as raised:
            call("partner.opportunity", "write", [self.batteries.id], new)
        self.assertIn(
            "Chỉ quản trị viên mới có thể mở lại cơ hội đã thành công hoặc thất bại",
            raised.exception.faultString,
        )
        # What the guide tells integrators who match on the text.
        self.assertIn('context={"lang": "en_US"}', self.api_section)
        with self.assertFault(FAULT_USER_ERROR, "can only be reopened by an administrator"):
            call(
                "partner.opportunity", "write", [self.batteries.id], new, context={"lang": "en_US"}
            )
