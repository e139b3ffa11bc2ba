"""What the benchmark, the concurrency check, the replica proof and the
screenshots share: Odoo's processes, a JSON-RPC session as the web client's,
the field specification it derives from a view, and the data.

The data are the same opportunities as ``partner.opportunity`` and as
``crm.lead``, with their chatter and followers. ``generate`` makes one
*prototype* per status and team through the ORM, as salespeople do, and
copies every row the ORM wrote for it to every planned opportunity (``COPY``,
``INSERT ... SELECT``), setting in SQL what differs from one to the next by
the rules of the models' computes; ``check`` compares both ways on a sample.
"""

import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import closing, contextmanager, suppress
from datetime import date, timedelta
from types import SimpleNamespace as Line

import requests
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

CONTEXT = {"lang": "en_US", "tz": "UTC"}
FIXTURE_PARAM = "partner_opportunity_bench.fixture"
ODOO_BIN = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
HOST = "127.0.0.1"
TEAMS, AGENTS_PER_TEAM, BATCH = 4, 4, 2000  # a supervisor leads each team: 20 salespeople
PRODUCTS = ["Licences", "Hosting", "Support contract", "Training", "Consulting", "Hardware"]
PRODUCTS += ["Upgrade", "Integration", "Audit", "Maintenance"]
KEYWORD = "training"  # one description in ten
CITIES = ["Hanoi", "Hue", "Da Nang", "Saigon", "Can Tho", "Hai Phong"]
# pipeline, its share, its statuses: (name, type, share of the pipeline)
PIPELINES = [
    ("New business", 0.7, [("New", "active", 0.25), ("Demo done", "active", 0.15)]
     + [("Proposal sent", "active", 0.12), ("Contract sent", "active", 0.08)]
     + [("Negotiation", "active", 0.10), ("Won", "won", 0.15), ("Lost", "lost", 0.15)]),
    ("Renewals", 0.3, [("To renew", "active", 0.35), ("Contacted", "active", 0.20)]
     + [("Offer sent", "active", 0.15), ("Renewed", "won", 0.20), ("Churned", "lost", 0.10)]),
]  # fmt: skip
# Not 50: CRM's lead scoring gives exactly 50 % while it has no closed lead,
# and a lead whose probability equals the automated one follows it from then
# on: its probability would depend on the order the leads were made in.
PROBABILITIES = [10, 30, 60, 70, 90]
REBUILT_TABLES = {"crm_lead_scoring_frequency"}  # CRM's cron rebuilds them from the leads


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def env_of(cr, uid=SUPERUSER_ID):
    return api.Environment(cr, uid, dict(CONTEXT))


def odoo_bin(config_path, db, *options):
    cmd = [sys.executable, ODOO_BIN, "-c", config_path, "-d", db, "--stop-after-init"]
    subprocess.run([*cmd, "--log-level=warn", "--max-cron-threads=0", *options], check=True)


def drop(db):
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid != pg_backend_pid()",
            [db],
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{db}"')
    shutil.rmtree(config.filestore(db), ignore_errors=True)


def install(config_path, db):
    """``db`` afresh with the addon and crm (only there: the addon does not depend on it)."""
    drop(db)
    log(f"Creating {db} with partner_opportunity and crm")
    odoo_bin(config_path, db, "-i", "partner_opportunity,crm", "--without-demo=all")


def fixture(env):
    return json.loads(env["ir.config_parameter"].sudo().get_param(FIXTURE_PARAM) or "null")


def prepare(config_path, db, n, reuse=False, seed=8):
    """``db`` with ``n`` opportunities (``reuse``: updated, data kept). Returns the fixture."""
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        reuse = reuse and cr.fetchone()
    if reuse:
        log(f"Reusing {db}")
        odoo_bin(config_path, db, "-u", "partner_opportunity")
    else:
        install(config_path, db)
    with odoo.modules.registry.Registry(db).cursor() as cr:
        fx = fixture(env_of(cr)) or generate(env_of(cr), n, seed)
    if fx["n"] != n:
        sys.exit(f"{db} holds {fx['n']} opportunities, not {n}: run without --reuse")
    return fx


@contextmanager
def server(config_path, db, logfile, *options, low=18300):
    """odoo-bin on 127.0.0.1 with ``options`` (workers...), in a process group
    of its own so that its workers stop with it. Yields its URL."""

    def free(port):
        with socket.socket() as s:
            return s.connect_ex((HOST, port)) != 0

    ports = [p for p in range(low, low + 100) if free(p)][:2]
    url = f"http://{HOST}:{ports[0]}"
    cmd = [sys.executable, ODOO_BIN, "-c", config_path, "-d", db, f"--db-filter=^{db}$"]
    cmd += [f"--http-interface={HOST}", f"--http-port={ports[0]}", f"--gevent-port={ports[1]}"]
    if os.path.exists(logfile):
        os.remove(logfile)
    log(f"Starting Odoo on {url} (log {logfile})")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # through the finally below
    process = subprocess.Popen(
        [*cmd, "--max-cron-threads=0", f"--logfile={logfile}", *options], start_new_session=True
    )
    try:
        for _ in range(120):
            if process.poll() is not None:
                raise RuntimeError(f"Odoo exited with {process.returncode}: {logfile}")
            with suppress(requests.RequestException):
                if requests.get(f"{url}/web/health", timeout=5).ok:
                    break
            time.sleep(1)
        yield url
    finally:
        log("Stopping Odoo")
        process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name, self.text = data.get("name", ""), data.get("message", "").strip()
        super().__init__(f"{self.name}: {self.text or error}")


class Client:
    """A JSON-RPC session, as the web client's. The generated users' password
    is their login, as the demo's."""

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.session = requests.Session()
        self.context = {}

    def post(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        response = self.session.post(self.url + path, json=payload, timeout=120)
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            raise RpcError(answer["error"])
        return answer["result"]

    def authenticate(self):
        params = {"db": self.db, "login": self.login, "password": self.login}
        info = self.post("/web/session/authenticate", params)
        company, self.uid = info["user_companies"]["current_company"], info["uid"]
        self.context = dict(info["user_context"], allowed_company_ids=[company])
        return self

    def call(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = {**self.context, **(context or {})}
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self.post(f"/web/dataset/call_kw/{model}/{method}", params)


ACTIVITY_FIELDS = dict.fromkeys(
    ["activity_exception_decoration", "activity_exception_icon", "activity_state"]
    + ["activity_summary", "activity_type_icon"],
    {},
) | {"activity_type_id": {"fields": {"display_name": {}}}}


def spec_from_arch(arch, fields):
    """The ``specification`` the web client reads a view's records with (``fields``:
    fields_get's types): many2ones with their name, tags with their colour."""
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name, widget = node.get("name"), node.get("widget")
        ftype = fields[name]["type"]
        if ftype == "many2one":
            invisible = node.get("invisible") in ("1", "True")  # comes without its name
            spec[name] = {"fields": {} if invisible else {"display_name": {}}}
        elif ftype in ("one2many", "many2many") and widget == "many2many_tags":
            color = "color_field" in (node.get("options") or "")
            spec[name] = {"fields": {"display_name": {}, **({"color": {}} if color else {})}}
        else:
            spec[name] = {}
        if widget in ("kanban_activity", "list_activity"):
            for dep, dep_spec in ACTIVITY_FIELDS.items():
                spec.setdefault(dep, dep_spec)
    return spec


def specification(env, model, view_type, view_ref=None):
    """The specification of a view as ``env``'s user gets it (their groups)."""
    view_id = env.ref(view_ref).id if view_ref else False
    arch = env[model].get_views([(view_id, view_type)])["views"][view_type]["arch"]
    return spec_from_arch(arch, env[model].fields_get(attributes=["type"]))


def rpc_board(client, pipeline, spec, progress=None, limit=80):
    """The web client's requests for the board of ``pipeline``: columns with
    their sums, progress bars, each column's cards, the status types."""
    Model, domain = "partner.opportunity", [("pipeline_id", "=", pipeline)]
    context = {"default_pipeline_id": pipeline}
    sums = ["expected_revenue:sum", "weighted_revenue:sum"]
    groups = client.call(Model, "web_read_group", domain, sums, ["status_id"], lazy=True)["groups"]
    if progress:
        client.call(Model, "read_progress_bar", domain, "status_id", progress, context=context)
    for group in groups:
        if group["status_id_count"] and not group.get("__fold"):
            client.call(Model, "web_search_read", group["__domain"], spec, limit=limit)
    ids = [g["status_id"][0] for g in groups if g["status_id"]]
    client.call("partner.opportunity.status", "read", ids, ["status_type"], context=context)


# fmt: off
def make_users(env):
    """An administrator and 4 teams, each led by a supervisor who is also a
    member, of 4 agents. CRM's groups are the closest CRM has to ours."""
    crm = {"agent": "salesman", "supervisor": "salesman_all_leads", "admin": "manager"}
    base = [env.ref("base.group_user").id, env.ref("base.group_partner_manager").id]
    groups = {role: [env.ref(f"partner_opportunity.group_{role}").id,
                     env.ref(f"sales_team.group_sale_{g}").id] for role, g in crm.items()}
    Users = env["res.users"].with_context(no_reset_password=True)

    def user(login, role):
        return Users.create({"name": login.replace("_", " ").title(), "login": login,
                             "password": login, "email": f"{login}@example.com",
                             "groups_id": [(6, 0, base + groups[role])]})

    admin, teams, salespeople = user("bench_admin", "admin"), [], []
    for t in range(1, TEAMS + 1):
        members = [user(f"bench_supervisor_{t}", "supervisor")]
        members += [user(f"bench_agent_{t}_{a}", "agent") for a in range(1, AGENTS_PER_TEAM + 1)]
        team = env["crm.team"].create({
            "name": f"Bench team {t}", "user_id": members[0].id,
            "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members]})
        teams.append((members[0].id, [u.id for u in members]))
        salespeople += [(u.id, team.id) for u in members]
    return admin.id, teams, salespeople


def make_pipelines(env):
    """Our two pipelines, and a CRM stage per status: CRM has no pipeline of
    stages, so its board of a pipeline filters on that pipeline's stages. A
    lost lead stays in the last open stage, archived, as CRM does.
    Returns [(pipeline, share, [(status, stage, status type, share)])]."""
    company, Status = env.company, env["partner.opportunity.status"]
    Pipeline = env["partner.opportunity.pipeline"]
    env["crm.lead"].with_context(active_test=False).search([]).unlink()
    env["crm.stage"].search([]).unlink()
    result, sequence = [], 0
    for index, (name, share, statuses) in enumerate(PIPELINES):
        pipeline = index == 0 and Pipeline.search([("company_id", "=", company.id)], limit=1)
        if pipeline:  # the one the addon installs
            pipeline.name = name
        else:
            pipeline = Pipeline.create(
                {"name": name, "company_id": company.id, "sequence": 10 + index})
        existing = {s.name: s for s in pipeline.status_ids}
        rows, last_open = [], None
        for position, (status_name, status_type, weight) in enumerate(statuses):
            status = existing.get(status_name) or Status.create({
                "name": status_name, "pipeline_id": pipeline.id, "sequence": position + 1,
                "status_type": status_type})
            stage = None
            if status_type != "lost":
                sequence += 1
                stage = env["crm.stage"].create({"name": f"{name}: {status_name}",
                                                 "sequence": sequence,
                                                 "is_won": status_type == "won"})
                last_open = stage if status_type == "active" else last_open
            rows.append((status.id, (stage or last_open).id, status_type, weight))
        used = Status.browse([row[0] for row in rows])
        (pipeline.status_ids - used).with_context(active_test=False).unlink()
        result.append((pipeline.id, share, rows))
    company.partner_opportunity_pipeline_id = result[0][0]
    return result
# fmt: on


def make_setup(env, n, seed):
    """Users, teams, pipelines and ``n // 5`` customers, through the ORM
    without tracking (they are not compared)."""
    from odoo.addons.partner_opportunity.models.partner_opportunity_values import SERVER

    rnd = random.Random(seed)
    # No automatic opportunity for these customers (a switch only the server
    # can set): the plan makes their opportunities.
    ctx = {"tracking_disable": True, "mail_create_nolog": True}
    ctx["partner_opportunity_no_auto"] = SERVER
    env = env(context=dict(env.context, **ctx))
    admin, teams, salespeople = make_users(env)
    pipelines = make_pipelines(env)
    count, customers = max(n // 5, 10), []
    for offset in range(0, count, BATCH):
        vals_list = [
            {"name": f"Customer {i:06d}", "is_company": True, "city": rnd.choice(CITIES)}
            for i in range(offset, min(offset + BATCH, count))
        ]
        records = env["res.partner"].create(vals_list)
        customers += [(r.id, v["name"], v["city"]) for r, v in zip(records, vals_list, strict=True)]
        env.flush_all()
        env.invalidate_all()
    env.cr.commit()
    return Line(
        admin=admin, teams=teams, salespeople=salespeople, pipelines=pipelines, customers=customers
    )


def line(i, pipeline, rows, status_row, user, team, customer, revenue, probability, deadline, name):
    first = next(r for r in rows if r[2] == "active")
    return Line(
        i=i, pipeline=pipeline, first_status=first[0], first_stage=first[1], status=status_row[0],
        stage=status_row[1], status_type=status_row[2], user=user, team=team,
        customer=customer[0], customer_name=customer[1], city=customer[2], revenue=revenue,
        probability=probability, deadline=deadline, name=name,
    )  # fmt: skip


def plan(setup, n, seed):
    """The opportunities to make, drawn from ``seed``: the same for both ways."""
    rnd, today, lines = random.Random(seed * 7919 + 1), date.today(), []
    for i in range(n):
        pipeline, _share, rows = rnd.choices(setup.pipelines, [p[1] for p in setup.pipelines])[0]
        status_row = rnd.choices(rows, [r[3] for r in rows])[0]
        user, team = rnd.choice(setup.salespeople)
        customer = setup.customers[rnd.randrange(len(setup.customers))]
        revenue, probability = rnd.randrange(1, 500) * 100, rnd.choice(PROBABILITIES)
        deadline = today + timedelta(days=rnd.randint(-60, 120))
        name = f"{rnd.choice(PRODUCTS)} for {customer[1]} #{i}"
        lines.append(
            line(i, pipeline, rows, status_row, user, team, customer, revenue, probability,
                 deadline, name)
        )  # fmt: skip
    return lines


def fixture_of(setup, n):
    """What the tools measure with, stored in the database."""
    (supervisor, members), (pipeline, _share, rows) = setup.teams[0], setup.pipelines[0]
    stages = {str(row[0]): row[1] for p in setup.pipelines for row in p[2]}
    fx = {"n": n, "admin": setup.admin, "supervisor": supervisor, "agent": members[1]}
    fx.update(pipeline=pipeline, statuses=[row[0] for row in rows], stage_of_status=stages)
    return dict(fx, stages=sorted({row[1] for row in rows}))


# fmt: off
def orm_make(env, lines, commit):
    """Each opportunity and lead created by its salesperson in the first
    status (stage) of its pipeline, tracking and followers on; then, in one
    later transaction per salesperson (mail tracks no change made in the
    transaction that created the record, and writes a transaction's tracking
    as the first user who changed the model), moved to its status (stage),
    and the leads of a lost status marked lost. ``commit()`` ends a
    transaction. Returns {line.i: (opportunity id, lead id)}."""
    by_user, ids, records = defaultdict(list), {}, {}
    for ln in lines:
        by_user[ln.user].append(ln)
    for user, user_lines in by_user.items():
        uenv = env_of(env.cr, user)
        common = [{"name": ln.name, "partner_id": ln.customer, "user_id": ln.user,
                   "team_id": ln.team, "date_deadline": ln.deadline,
                   "probability": ln.probability, "expected_revenue": ln.revenue}
                  for ln in user_lines]
        ours = uenv["partner.opportunity"].create(
            [dict(v, pipeline_id=ln.pipeline, status_id=ln.first_status)
             for v, ln in zip(common, user_lines, strict=True)])
        theirs = uenv["crm.lead"].create(
            [dict(v, type="opportunity", stage_id=ln.first_stage)
             for v, ln in zip(common, user_lines, strict=True)])
        uenv.flush_all()
        records[user] = (ours.ids, theirs.ids)
        ids.update((ln.i, pair) for ln, *pair in zip(user_lines, ours.ids, theirs.ids, strict=True))
    commit()
    for user, user_lines in by_user.items():
        uenv, moves, stage_moves, lost = env_of(env.cr, user), defaultdict(list), defaultdict(list), []  # noqa: E501
        for ln, opportunity, lead in zip(user_lines, *records[user], strict=True):
            if ln.status != ln.first_status:
                moves[ln.status].append(opportunity)
            if ln.stage != ln.first_stage:
                stage_moves[ln.stage].append(lead)
            if ln.status_type == "lost":
                lost.append(lead)
        for status, opportunity_ids in moves.items():
            uenv["partner.opportunity"].browse(opportunity_ids).write({"status_id": status})
        for stage, lead_ids in stage_moves.items():
            uenv["crm.lead"].browse(lead_ids).write({"stage_id": stage})
        if lost:
            uenv["crm.lead"].browse(lost).action_set_lost()
        uenv.flush_all()
        commit()
    return {i: tuple(pair) for i, pair in ids.items()}
# fmt: on


def crm_scoring(env):
    """CRM's nightly predictive lead scoring, as its cron runs it."""
    env["crm.lead"].sudo()._cron_update_automated_probabilities()
    env.cr.commit()


def generate_orm(env, setup, lines):
    for offset in range(0, len(lines), BATCH):
        orm_make(
            env, lines[offset : offset + BATCH], lambda: (env.cr.commit(), env.invalidate_all())
        )
    crm_scoring(env)


NOW = "(now() AT TIME ZONE 'UTC')"  # cr.now(): create_date, write_date...
NOW_S = f"date_trunc('second', {NOW})"  # fields.Datetime.now(): date_closed...
KEYS = ("k_status", "k_team", "k_author", "k_email", "k_name")


def table_counts(cr):
    cr.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    counts = {}
    for (table,) in cr.fetchall():
        cr.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cr.fetchone()[0]
    return counts


def copy_rows(cr, table, rows):
    def text(value):
        if value is None:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    buf = io.StringIO("".join("\t".join(map(text, row)) + "\n" for row in rows))
    cr.copy_expert(f"COPY {table} FROM STDIN", buf)


def make_prototypes(env, setup):
    """One opportunity and one lead per status and team made by orm_make,
    with all they wrote copied into temporary tables bench_proto_*, keyed by
    status and team; then deleted. Returns the crons the ORM triggered."""
    cr = env.cr
    cr.commit()
    before = table_counts(cr)
    cr.execute("SELECT coalesce(max(id), 0) FROM ir_cron_trigger")
    last_trigger = cr.fetchone()[0]
    first_member = {}
    for user, team in setup.salespeople:
        first_member.setdefault(team, user)
    lines = []
    for pipeline, _share, rows in setup.pipelines:
        for row in rows:
            for team, user in first_member.items():
                lines.append(
                    line(len(lines), pipeline, rows, row, user, team, setup.customers[0], 100,
                         PROBABILITIES[0], date.today(), f"bench prototype {len(lines)}")
                )  # fmt: skip
    ids = orm_make(env, lines, lambda: (cr.commit(), env.invalidate_all()))
    users = {u.id: u.partner_id for u in env["res.users"].browse(list(first_member.values()))}
    keys = [
        (model, res_id, ln.status, ln.team, users[ln.user].id, users[ln.user].email_formatted,
         ln.name)
        for ln in lines
        for model, res_id in zip(("partner.opportunity", "crm.lead"), ids[ln.i], strict=True)
    ]  # fmt: skip
    cr.execute(
        "CREATE TEMP TABLE bench_proto_key (model varchar, res_id int, k_status int, "
        "k_team int, k_author int, k_email varchar, k_name varchar)"
    )
    copy_rows(cr, "bench_proto_key", keys)
    k = "k.k_status, k.k_team, k.k_author, k.k_email, k.k_name"
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_proto_po AS SELECT {k}, t.* FROM partner_opportunity t
            JOIN bench_proto_key k ON k.model = 'partner.opportunity' AND k.res_id = t.id;
        CREATE TEMP TABLE bench_proto_lead AS SELECT {k}, t.* FROM crm_lead t
            JOIN bench_proto_key k ON k.model = 'crm.lead' AND k.res_id = t.id;
        CREATE TEMP TABLE bench_proto_msg AS SELECT {k}, t.* FROM mail_message t
            JOIN bench_proto_key k ON k.model = t.model AND k.res_id = t.res_id;
        CREATE TEMP TABLE bench_proto_tracking AS
            SELECT (f.name = 'probability') AS k_probability, t.* FROM mail_tracking_value t
            JOIN ir_model_fields f ON f.id = t.field_id
            WHERE t.mail_message_id IN (SELECT id FROM bench_proto_msg);
        CREATE TEMP TABLE bench_proto_follower AS SELECT {k}, t.* FROM mail_followers t
            JOIN bench_proto_key k ON k.model = t.res_model AND k.res_id = t.res_id;
        CREATE TEMP TABLE bench_proto_follower_subtype AS
            SELECT t.* FROM mail_followers_mail_message_subtype_rel t
            WHERE t.mail_followers_id IN (SELECT id FROM bench_proto_follower);
        CREATE TEMP TABLE bench_proto_interaction AS SELECT k.k_status, k.k_team, t.*
            FROM partner_opportunity_interaction t JOIN bench_proto_key k
                ON k.model = 'partner.opportunity' AND k.res_id = t.opportunity_id;
        DELETE FROM mail_tracking_value WHERE mail_message_id IN (SELECT id FROM bench_proto_msg);
        DELETE FROM mail_message WHERE id IN (SELECT id FROM bench_proto_msg);
        DELETE FROM mail_followers_mail_message_subtype_rel
            WHERE mail_followers_id IN (SELECT id FROM bench_proto_follower);
        DELETE FROM mail_followers WHERE id IN (SELECT id FROM bench_proto_follower);
        DELETE FROM partner_opportunity_interaction
            WHERE id IN (SELECT id FROM bench_proto_interaction);
        DELETE FROM partner_opportunity WHERE id IN (SELECT id FROM bench_proto_po);
        DELETE FROM crm_lead WHERE id IN (SELECT id FROM bench_proto_lead);
        """
    )
    # The crons the ORM asked to run soon (CRM's lead enrichment): asked again after the copy.
    cr.execute("DELETE FROM ir_cron_trigger WHERE id > %s RETURNING cron_id", [last_trigger])
    crons = sorted({row[0] for row in cr.fetchall()})
    left = {t: c - before.get(t, 0) for t, c in table_counts(cr).items() if c != before.get(t, 0)}
    unexpected = {t: c for t, c in left.items() if t not in REBUILT_TABLES}
    if unexpected:
        raise RuntimeError(f"the ORM wrote rows the bulk generator does not copy: {unexpected}")
    cr.commit()
    return crons


def insert_select(cr, table, source, overrides, order, skip=KEYS):
    """INSERT INTO table (every column) SELECT, for each column, its override
    or else the prototype's value (``pr.<column>``)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    cols = [c for (c,) in cr.fetchall() if c not in skip]
    if set(overrides) - set(cols):
        raise RuntimeError(f"{table} has no columns {sorted(set(overrides) - set(cols))}")
    exprs = ", ".join(overrides.get(c, f"pr.{c}") for c in cols)
    cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {exprs} FROM {source} ORDER BY {order}"
    )


def swap(column, key, value):
    """The prototype's column, or ``value`` where it is the prototype's own ``key``."""
    return f"CASE WHEN pr.{column} = pr.{key} THEN {value} ELSE pr.{column} END"


# fmt: off
def bulk_make(env, setup, lines):
    """The rows of ``lines`` from the prototypes, in plan order."""
    cr = env.cr
    users = env["res.users"].browse(sorted({ln.user for ln in lines}))
    author = {u.id: (u.partner_id.id, u.partner_id.email_formatted) for u in users}
    cr.execute("""CREATE TEMP TABLE bench_plan (
        i int, pipeline int, status int, stage int, status_type varchar, team int, user_id int,
        author int, email varchar, customer int, customer_name varchar, city varchar,
        revenue numeric, probability int, deadline date, name varchar,
        po_id int DEFAULT nextval('partner_opportunity_id_seq'),
        lead_id int DEFAULT nextval('crm_lead_id_seq')) ON COMMIT DROP""")
    copy_rows(cr, "bench_plan (i, pipeline, status, stage, status_type, team, user_id, author, "
              "email, customer, customer_name, city, revenue, probability, deadline, name)", (
        (ln.i, ln.pipeline, ln.status, ln.stage, ln.status_type, ln.team, ln.user,
         *author[ln.user], ln.customer, ln.customer_name, ln.city, ln.revenue, ln.probability,
         ln.deadline.isoformat(), ln.name) for ln in lines))
    cr.execute("CREATE INDEX ON bench_plan (i); ANALYZE bench_plan")
    join = "bench_plan pl JOIN {} pr ON pr.k_status = pl.status AND pr.k_team = pl.team"
    stamps = {"create_date": NOW, "write_date": NOW}
    # won and lost keep the probability their status gives
    probability = "CASE WHEN pl.status_type = 'active' THEN pl.probability ELSE pr.probability END"
    common = {"name": "pl.name", "partner_id": "pl.customer", "user_id": "pl.user_id",
              "team_id": "pl.team", "date_deadline": "pl.deadline", "probability": probability,
              "expected_revenue": "pl.revenue", "create_uid": "pl.user_id",
              "write_uid": "pl.user_id", **stamps,
              "date_closed": f"CASE WHEN pr.date_closed IS NULL THEN NULL ELSE {NOW_S} END"}
    insert_select(cr, "partner_opportunity", join.format("bench_proto_po"), {
        **common, "id": "pl.po_id", "date_status_changed": NOW_S,
        "annual_revenue": "CASE WHEN pr.revenue_period = 'one_time' THEN pl.revenue END",
        "weighted_revenue": f"pl.revenue * ({probability}) / 100.0"}, "pl.i")
    insert_select(cr, "crm_lead", join.format("bench_proto_lead"), {
        **common, "id": "pl.lead_id", "partner_name": "pl.customer_name", "city": "pl.city",
        "prorated_revenue": f"round(pl.revenue * ({probability})::numeric / 100, 2)",
        "date_open": NOW, "date_last_stage_update": NOW,
        # whole days from creation to assignment and to closing: made now
        "day_open": "CASE WHEN pr.day_open IS NULL THEN NULL ELSE 0 END",
        "day_close": "CASE WHEN pr.day_close IS NULL THEN NULL ELSE 0 END"}, "pl.i")
    # The chatter: each prototype message once per line, with its own id.
    cr.execute("""CREATE TEMP TABLE bench_msg_map ON COMMIT DROP AS
        SELECT s.*, nextval('mail_message_id_seq') AS id FROM (
            SELECT pl.i, pm.id AS proto_id, pl.user_id, pl.author, pl.email, pl.probability,
                pl.name, CASE pm.model WHEN 'crm.lead' THEN pl.lead_id ELSE pl.po_id END AS res_id
            FROM bench_plan pl JOIN bench_proto_msg pm
                ON pm.k_status = pl.status AND pm.k_team = pl.team
            ORDER BY pl.i, pm.model DESC, pm.id) s;
        CREATE INDEX ON bench_msg_map (proto_id, id);
        CREATE INDEX ON bench_msg_map (i, proto_id);
        ANALYZE bench_msg_map""")
    # generate_tracking_message_id(): random digits, the moment, and
    # "message-notify" for a note, else "<res_id>-<model>"
    host = socket.gethostname().replace("'", "")
    message_id = (
        "'<' || lpad((floor(random() * 1e15))::bigint::text, 15, '0') || '.' "
        "|| to_char(extract(epoch FROM clock_timestamp()), 'FM9999999999.000000000000000') "
        "|| '-openerp-' || CASE WHEN pr.message_id LIKE '%%-openerp-message-notify@%%' "
        f"THEN 'message-notify' ELSE mm.res_id || '-' || pr.model END || '@{host}>'")
    by_author = {"create_uid": "mm.user_id", "write_uid": "mm.user_id", **stamps}
    insert_select(cr, "mail_message",
        "bench_msg_map mm JOIN bench_proto_msg pr ON pr.id = mm.proto_id "
        # the thread's first message, which later posts answer
        "LEFT JOIN bench_msg_map mp ON mp.i = mm.i AND mp.proto_id = pr.parent_id", {
        "id": "mm.id", "parent_id": "CASE WHEN pr.parent_id IS NULL THEN NULL ELSE mp.id END",
        "res_id": "mm.res_id", "author_id": swap("author_id", "k_author", "mm.author"),
        "email_from": swap("email_from", "k_email", "mm.email"),
        "reply_to": swap("reply_to", "k_email", "mm.email"),
        "record_name": swap("record_name", "k_name", "mm.name"),
        "message_id": message_id, "date": NOW_S, **by_author}, "mm.id")
    # the opportunity's own probability before it was won or lost
    old = "CASE WHEN pr.k_probability AND pr.{0} IS NOT NULL THEN mm.probability ELSE pr.{0} END"
    insert_select(cr, "mail_tracking_value",
        "bench_msg_map mm JOIN bench_proto_tracking pr ON pr.mail_message_id = mm.proto_id", {
        "id": "nextval('mail_tracking_value_id_seq')", "mail_message_id": "mm.id",
        "old_value_integer": old.format("old_value_integer"),
        "old_value_float": old.format("old_value_float"), **by_author},
        "mm.id, pr.id", skip=("k_probability",))
    # Followers: the salesperson's partner where the prototype has its own.
    cr.execute("""CREATE TEMP TABLE bench_follower_map ON COMMIT DROP AS
        SELECT s.*, nextval('mail_followers_id_seq') AS id FROM (
            SELECT pl.i, pf.id AS proto_id,
                CASE pf.res_model WHEN 'crm.lead' THEN pl.lead_id ELSE pl.po_id END AS res_id,
                CASE WHEN pf.partner_id = pf.k_author THEN pl.author ELSE pf.partner_id END
                    AS partner_id
            FROM bench_plan pl JOIN bench_proto_follower pf
                ON pf.k_status = pl.status AND pf.k_team = pl.team
            ORDER BY pl.i, pf.res_model DESC, pf.id) s;
        CREATE INDEX ON bench_follower_map (proto_id, id);
        ANALYZE bench_follower_map""")
    insert_select(cr, "mail_followers",
        "bench_follower_map fm JOIN bench_proto_follower pr ON pr.id = fm.proto_id",
        {"id": "fm.id", "res_id": "fm.res_id", "partner_id": "fm.partner_id"}, "fm.id")
    insert_select(cr, "mail_followers_mail_message_subtype_rel",
        "bench_follower_map fm JOIN bench_proto_follower_subtype pr "
        "ON pr.mail_followers_id = fm.proto_id",
        {"mail_followers_id": "fm.id"}, "fm.id, pr.mail_message_subtype_id")
    insert_select(cr, "partner_opportunity_interaction", join.format("bench_proto_interaction"), {
        "id": "nextval('partner_opportunity_interaction_id_seq')", "opportunity_id": "pl.po_id",
        "name": "pl.name", "partner_id": "pl.customer", "user_id": "pl.user_id", "date": NOW_S},
        "pl.i, pr.id", skip=("k_status", "k_team"))
# fmt: on


def generate_bulk(env, setup, lines):
    crons = make_prototypes(env, setup)
    bulk_make(env, setup, lines)
    env["ir.cron"].browse(crons)._trigger()
    env.cr.commit()
    env.registry.clear_cache()
    env.invalidate_all()
    crm_scoring(env)


def generate(env, n, seed=8, orm=False):
    """Users, pipelines, customers, then ``n`` opportunities and as many CRM
    leads, VACUUM ANALYZEd (statistics and the visibility map of a database in
    use, not autovacuum during the measures). Returns the fixture."""
    start = time.perf_counter()
    log(f"Generating {n} opportunities and {n} crm.lead ({'ORM' if orm else 'bulk'})")
    setup = make_setup(env, n, seed)
    (generate_orm if orm else generate_bulk)(env, setup, plan(setup, n, seed))
    fx = fixture_of(setup, n)
    env["ir.config_parameter"].sudo().set_param(FIXTURE_PARAM, json.dumps(fx))
    env.cr.commit()
    with closing(odoo.sql_db.db_connect(env.cr.dbname).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    log(f"Data ready in {time.perf_counter() - start:.0f} s")
    return fx


# Random digits and a moment, then what is compared.
MESSAGE_ID = r"^<\d{15}\.\d+\.\d{15}-openerp-(.+)@[^@]+>$"
RECORDS = """(SELECT 'partner.opportunity' AS model, id, name FROM partner_opportunity
              UNION ALL SELECT 'crm.lead', id, name FROM crm_lead)"""
RANK = "rank() OVER (PARTITION BY m.model, m.res_id ORDER BY m.id) AS k_rank"
# table: (query, columns dropped, key columns): rows by their record's name, not by ids
# fmt: off
SNAPSHOT = {
    "partner_opportunity": ("SELECT name AS k, * FROM partner_opportunity", ("id",), ("k",)),
    "crm_lead": ("SELECT name AS k, * FROM crm_lead", ("id",), ("k",)),
    "mail_message": (f"""SELECT r.name AS k, m.res_id AS k_res_id, {RANK}, (SELECT count(*)
        FROM mail_message p WHERE p.model = m.model AND p.res_id = m.res_id
        AND p.id <= m.parent_id) AS parent_rank, m.* FROM mail_message m
        JOIN {RECORDS} r ON r.model = m.model AND r.id = m.res_id""",
        ("id", "res_id", "parent_id"), ("model", "k", "k_rank")),
    "mail_tracking_value": (f"""SELECT r.name AS k, m.model AS k_model, f.name AS k_field,
        {RANK}, t.* FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
        JOIN ir_model_fields f ON f.id = t.field_id
        JOIN {RECORDS} r ON r.model = m.model AND r.id = m.res_id""",
        ("id", "mail_message_id"), ("k_model", "k", "k_rank", "k_field")),
    "mail_followers": (f"""SELECT r.name AS k, f.*, (SELECT array_agg(s.mail_message_subtype_id
        ORDER BY 1) FROM mail_followers_mail_message_subtype_rel s
        WHERE s.mail_followers_id = f.id) AS subtypes FROM mail_followers f
        JOIN {RECORDS} r ON r.model = f.res_model AND r.id = f.res_id""",
        ("id", "res_id"), ("res_model", "k", "partner_id")),
    "partner_opportunity_interaction": ("""SELECT o.name AS k, i.*
        FROM partner_opportunity_interaction i
        JOIN partner_opportunity o ON o.id = i.opportunity_id""", ("id", "opportunity_id"), ("k",)),
    "crm_lead_scoring_frequency": ("SELECT * FROM crm_lead_scoring_frequency", ("id",),
                                   ("variable", "value", "team_id")),
}
# fmt: on


def snapshot(cr):
    """The generated rows, without ids or moments (timestamps: set or not;
    CRM's whole days from a moment: 0 or 1 by chance), every table's row
    count, and the crons asked to run (which, not how many times)."""
    cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type LIKE 'timestamp%%'"
    )
    moments = set(cr.fetchall()) | {("crm_lead", "day_open"), ("crm_lead", "day_close")}
    snap = {}
    for table, (query, dropped, key) in SNAPSHOT.items():
        cr.execute(query)
        names, rows = [d.name for d in cr.description], {}
        for values in cr.fetchall():
            row = {c: v for c, v in zip(names, values, strict=True) if c not in dropped}
            for column in row:
                if (table, column) in moments and row[column] is not None:
                    row[column] = "<moment>"
            if match := row.get("message_id") and re.match(MESSAGE_ID, row["message_id"]):
                row["message_id"] = match[1].replace(f"{row['k_res_id']}-", "<res_id>-", 1)
            k = tuple(row[c] for c in key)
            row = {c: v for c, v in row.items() if c != "k" and not c.startswith("k_")}
            if k in rows:
                raise RuntimeError(f"{table}: two rows for {k}")
            rows[k] = row
        snap[table] = rows
    counts = table_counts(cr)
    del counts["ir_cron_trigger"]  # the ORM asks once per create(), the bulk path once
    snap["row counts"] = {(t,): {"rows": c} for t, c in counts.items()}
    cr.execute(
        "SELECT DISTINCT c.cron_name FROM ir_cron_trigger t JOIN ir_cron c ON c.id = t.cron_id"
    )
    snap["crons triggered"] = {(name,): {} for (name,) in cr.fetchall()}
    return snap


def check(config_path, prefix, n, seed):
    """``n`` opportunities and leads of one plan through the ORM in
    ``<prefix>_orm`` and by the bulk path in ``<prefix>_bulk``, two copies of
    ``<prefix>_base``; prints the differences. Returns True when the same."""
    Registry, base, snaps = odoo.modules.registry.Registry, f"{prefix}_base", {}
    install(config_path, base)
    with Registry(base).cursor() as cr:
        setup = make_setup(env_of(cr), n, seed)
    lines = plan(setup, n, seed)
    for side, make in (("orm", generate_orm), ("bulk", generate_bulk)):
        Registry.delete(base)
        odoo.sql_db.close_db(base)
        drop(f"{prefix}_{side}")
        odoo.service.db.exp_duplicate_database(base, f"{prefix}_{side}")
        with Registry(f"{prefix}_{side}").cursor() as cr:
            make(env_of(cr), setup, lines)
            snaps[side] = snapshot(cr)
        drop(f"{prefix}_{side}")
    drop(base)
    same = True
    for table, orm in snaps["orm"].items():
        bulk, diffs = snaps["bulk"][table], []
        diffs += [f"only through the ORM: {k}" for k in sorted(set(orm) - set(bulk), key=str)]
        diffs += [f"only in bulk: {k}" for k in sorted(set(bulk) - set(orm), key=str)]
        for k in sorted(set(orm) & set(bulk), key=str):
            for column in sorted(set(orm[k]) | set(bulk[k])):
                if orm[k].get(column) != bulk[k].get(column):
                    diffs.append(
                        f"{k} {column}: ORM {orm[k].get(column)!r}, bulk {bulk[k].get(column)!r}"
                    )
        print(f"{table}: {len(orm)} rows by the ORM, {len(bulk)} in bulk, {len(diffs)} differ")
        print("".join(f"    {d}\n" for d in diffs[:10]), end="")
        same = same and not diffs
    return same
