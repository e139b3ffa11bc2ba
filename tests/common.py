import importlib.util
import json
from datetime import date

from lxml import etree

from odoo import Command, exceptions
from odoo.tests import HttpCase, TransactionCase, new_test_user

from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

# What the board reads of each card (its kanban view), as the web client asks
# it: the view's fields, invisible many2ones without their name, and the
# fields the activity widget depends on (test_board: test_kanban_spec_is_the_view).
KANBAN_ACTIVITY_SPEC = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
}
KANBAN_SPEC = {
    "pipeline_id": {"fields": {}},
    "currency_id": {"fields": {}},
    "company_id": {"fields": {}},
    "deadline_state": {},
    "is_idle": {},
    "name": {},
    "contact_name": {},
    "expected_revenue": {},
    "revenue_period": {},
    "probability": {},
    "stars": {},
    "properties": {},
    "date_deadline": {},
    "activity_ids": {"fields": {}},
    **KANBAN_ACTIVITY_SPEC,
    "user_id": {"fields": {"display_name": {}}},
}


def batches(count, size):
    """Into how many batches of ``size`` rows the ORM splits ``count`` rows."""
    return -(-count // size)


# Not on SalesTeamCommon: its partner gets an automatic opportunity (D2) that TestBoard counts.
class PartnerOpportunityCase(TransactionCase):
    """Users, teams, a pipeline and customers shared by the tests.

    Teams: "Direct" led by the supervisor with agents 1 and 2, "Key Accounts"
    with agent 3. The administrator has the opportunity administrator group
    without being an Odoo system administrator.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.admin = cls._user("po_admin", "partner_opportunity.group_admin")
        cls.supervisor = cls._user("po_supervisor", "partner_opportunity.group_supervisor")
        cls.agent1 = cls._user("po_agent1")
        cls.agent2 = cls._user("po_agent2")
        cls.agent3 = cls._user("po_agent3")
        Team = cls.env["crm.team"]
        cls.team_direct = Team.create(
            {
                "name": "Direct",
                "user_id": cls.supervisor.id,
                "member_ids": [Command.set((cls.agent1 | cls.agent2).ids)],
            }
        )
        cls.team_key = Team.create(
            {"name": "Key Accounts", "member_ids": [Command.set(cls.agent3.ids)]}
        )

        cls.pipeline = cls.env.ref("partner_opportunity.pipeline_default")
        ref = cls.env.ref
        cls.status_new = ref("partner_opportunity.status_new")
        cls.status_demo = ref("partner_opportunity.status_demo_done")
        cls.status_proposal = ref("partner_opportunity.status_proposal_sent")
        cls.status_won = ref("partner_opportunity.status_won")
        cls.status_lost = ref("partner_opportunity.status_lost")

        Partner = cls.env["res.partner"].with_context(partner_opportunity_no_auto=SERVER)
        cls.customer = Partner.create({"name": "Minh Phat Trading", "is_company": True})
        cls.contact = Partner.create({"name": "Lan Nguyen", "parent_id": cls.customer.id})
        cls.other_customer = Partner.create({"name": "Saigon Foods", "is_company": True})
        cls.Opportunity = cls.env["partner.opportunity"]

    @classmethod
    def _user(cls, login, group="partner_opportunity.group_agent", **values):
        """An internal user of the role ``group`` (none: no opportunity role),
        named after its login ("po_agent1": "Po_Agent1")."""
        groups = f"base.group_user,{group}" if group else "base.group_user"
        values = {"name": login.title(), "email": f"{login}@example.com", **values}
        return new_test_user(cls.env, login, groups=groups, **values)

    def _search_view(self, user):
        """The opportunities' search view as ``user`` gets it: the nodes
        their groups may not see are gone."""
        views = self.Opportunity.with_user(user).get_views([(False, "search")])
        return etree.fromstring(views["views"]["search"]["arch"])

    @classmethod
    def _opportunity(cls, user=None, **vals):
        values = {
            "name": "Opportunity",
            "partner_id": cls.customer.id,
            "user_id": (user or cls.agent1).id,
            "date_deadline": date(2026, 12, 31),
            "expected_revenue": 1000.0,
        }
        values.update(vals)
        return cls.Opportunity.create(values)


class PartnerOpportunityTourCase(HttpCase):
    """Tests in a browser. Without websocket-client Odoo skips every tour
    silently: these fail instead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not importlib.util.find_spec("websocket"):
            raise RuntimeError("the tours need the websocket-client package")

    @classmethod
    def _tour_user(cls, login, group):
        """A user of the role ``group``, named after ``login`` ("form_agent":
        "Form Agent"), whose password is its login, as tours log in."""
        return new_test_user(
            cls.env,
            login,
            groups=f"base.group_user,{group}",
            name=login.replace("_", " ").title(),
            password=login,
        )


class RpcCase(HttpCase):
    """Calls as an integration makes them: over HTTP to ``/jsonrpc``, the
    ``execute_kw`` method of the ``object`` service, with the user's login and
    password. The server runs in the test's transaction."""

    def rpc(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` called by ``user`` with ``args`` and
        ``kwargs`` (``context=`` included), as a client sends them. An error of
        the server is raised here as the exception of ``odoo.exceptions`` it
        names, with its message; any other is a plain ``Exception``."""
        params = {
            "service": "object",
            "method": "execute_kw",
            "args": [
                self.env.cr.dbname,
                user.id,
                self._rpc_password(user),
                model,
                method,
                list(args),
                kwargs,
            ],
        }
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": None}),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        if "error" not in body:
            return body.get("result")  # a method returning None sends no result
        error = body["error"]["data"]
        module, _dot, name = error["name"].rpartition(".")
        exception = getattr(exceptions, name, None) if module == "odoo.exceptions" else None
        if isinstance(exception, type) and issubclass(exception, Exception):
            raise exception(error["message"])
        raise Exception(f"{error['name']}: {error['message']}\n{error['debug']}")

    def _rpc_password(self, user):
        """The password of a user made by ``new_test_user``: the login padded
        to 8 characters; Odoo's administrator has Odoo's default one."""
        if user == self.env.ref("base.user_admin"):
            return "admin"
        return user.login.ljust(8, "x")
