"""Concurrency check of partner_opportunity on a multi-worker Odoo (issue 15).

Not part of the test suite. Run it through ``tools/dev.sh concurrency [options]``,
or with the project's venv:

    ~/.cache/partner-opportunity/venv/bin/python tools/concurrency.py \\
        --config .build/odoo.conf [--db partner_opportunity_concurrency] \\
        [--rounds 20] [--moves 20] [--agents 8] [--customers 10] [--reuse]

It builds a database with partner_opportunity and Odoo's ``crm`` and the data of
``tools/benchmark.py`` at a small scale (20 salespeople in 4 ``crm.team``: agents,
supervisors, an administrator; 2 pipelines; customers; opportunities and as many
``crm.lead``), starts Odoo on it with ``--workers=4`` on 127.0.0.1, and sends it,
all at once over JSON-RPC as the web client does (``/web/session/authenticate``,
``/web/dataset/call_kw``):

- agents dragging their own opportunities between open statuses (``web_save``
  of ``status_id``), each alternating with the same drag of their own CRM leads
  (``web_save`` of ``stage_id``), so that both are timed under the same load;
- the administrator creating, from 4 sessions at the same instant, a status of
  one name written 4 ways (case, spaces, a tab, a zero-width space, full-width
  letters, decomposed accents) in one pipeline, round after round; then the same
  for pipeline names; then each variant one after the other;
- agents creating customers (companies), which creates their automatic
  opportunities (D2);
- a supervisor loading the board of their teams.

Then it stops the server and checks, in the database: no two statuses of a
pipeline and no two pipelines of a company whose names are equal once
normalised; one interaction per successful status change, and each opportunity
in the status of its last successful drag; every status in its opportunity's
pipeline; every new customer with its automatic opportunity; no error but
serialization failures that were retried (a ValidationError refusing a duplicate
name is expected and counted apart). It prints throughput and latency
percentiles per kind of request and exits with 1 when an invariant fails.

Everything stays on 127.0.0.1: the server listens there, on the first free ports
of ``--ports``, and is stopped at the end whatever happens.
"""

import argparse
import collections
import functools
import itertools
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata

import benchmark
import requests

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

HOST = "127.0.0.1"
WORKERS = 4
NAME_THREADS = 4
REQUEST_TIMEOUT = 120
CLIENT_TRIES = 3  # a request failing on a serialization error after Odoo's own retries
TEMPLATE_SUFFIX = "_template"
# The names each workload writes; {n} is the round.
STATUS_NAMES = ("Follow up {n}", "Theo dõi {n}")
PIPELINE_NAMES = ("Renewals {n}", "Gia hạn {n}")
SEQUENTIAL = "sequential"
FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}
# The ways one name is typed: each normalises to the same name (normalise()).
VARIANTS = [
    ("as typed", lambda s: s),
    ("lower case, two spaces", lambda s: s.lower().replace(" ", "  ")),
    ("upper case, leading space", lambda s: " " + s.upper()),
    ("tab", lambda s: s.replace(" ", "\t", 1)),
    ("zero-width space", lambda s: s[:3] + "\u200b" + s[3:]),
    ("full-width", lambda s: s.translate(FULL_WIDTH)),
    ("decomposed accents", lambda s: unicodedata.normalize("NFD", s)),
]
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
SERIALIZATION = ("SerializationFailure", "DeadlockDetected", "LockNotAvailable")
QUOTED = re.compile(r"“(.+?)”")
RETRY_LOG = re.compile(r"odoo\.service\.model: (\w+), (\d+) tries left")
RETRY_EXHAUSTED_LOG = re.compile(r"odoo\.service\.model: (\w+), maximum number of tries reached")

log = benchmark.log


def normalise(name):
    """The name as the uniqueness rule compares it: compatibility forms and
    composed accents (NFKC), no zero-width characters, case folded, runs of
    white space as one space, trimmed. Accents themselves stay significant
    (Vietnamese "Mới" and "Mỗi" are different words)."""
    name = unicodedata.normalize("NFKC", name or "").translate(ZERO_WIDTH)
    return " ".join(name.casefold().split())


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# ----------------------------------------------------------------------------
# Database and server
# ----------------------------------------------------------------------------


def prepare_database(args):
    """A template with the addon, crm and the benchmark's data, made once
    (kept with --reuse), then a fresh copy of it for this run."""
    template = args.db + TEMPLATE_SUFFIX
    if not (args.reuse and benchmark.database_exists(template)):
        if benchmark.database_exists(template):
            odoo.service.db.exp_drop(template)
        log(f"Creating {template} with partner_opportunity and crm, without demo data")
        benchmark.odoo_bin(
            argparse.Namespace(**{**vars(args), "db": template}),
            "-i",
            "partner_opportunity,crm",
            "--without-demo=all",
        )
        registry = odoo.modules.registry.Registry(template)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"})
            benchmark.generate(env, args.n)
        odoo.modules.registry.Registry.delete(template)
    if benchmark.database_exists(args.db):
        odoo.service.db.exp_drop(args.db)
    log(f"Copying {template} to {args.db}")
    odoo.service.db.exp_duplicate_database(template, args.db)


def free_ports(low, high, count):
    ports = []
    for port in range(low, high + 1):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    sys.exit(f"no {count} free ports on {HOST} in {low}-{high}")


class Server:
    """odoo-bin with --workers on 127.0.0.1, in a process group of its own so
    that its workers and its gevent process stop with it."""

    def __init__(self, args, logfile):
        self.args = args
        self.logfile = logfile
        self.port, self.gevent_port = free_ports(*args.ports, 2)
        self.url = f"http://{HOST}:{self.port}"
        self.process = None

    def start(self):
        odoo_src = os.path.dirname(os.path.dirname(odoo.__file__))
        cmd = [
            sys.executable,
            os.path.join(odoo_src, "odoo-bin"),
            "-c",
            self.args.config,
            "-d",
            self.args.db,
            f"--db-filter=^{re.escape(self.args.db)}$",
            f"--workers={WORKERS}",
            "--max-cron-threads=0",
            f"--http-interface={HOST}",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            "--log-level=warn",
            # Odoo logs its retries of serialization failures there.
            "--log-handler=odoo.service.model:INFO",
            # Each request with the worker that served it (the pid).
            "--log-handler=werkzeug:INFO",
            f"--logfile={self.logfile}",
        ]
        if os.path.exists(self.logfile):
            os.remove(self.logfile)
        log(f"Starting Odoo with {WORKERS} workers on {self.url} (log: {self.logfile})")
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.process.returncode}, see {self.logfile}"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"Odoo did not answer on {self.url} within 120 s")

    def stop(self):
        if not self.process or self.process.poll() is not None:
            return
        log("Stopping Odoo")
        # SIGTERM: the master stops its workers; the group is killed if it hangs.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def retries(self):
        """Serialization failures that Odoo retried, and those it gave up on."""
        retried, exhausted = collections.Counter(), collections.Counter()
        with open(self.logfile, errors="replace") as f:
            for line in f:
                if match := RETRY_LOG.search(line):
                    retried[match.group(1)] += 1
                elif match := RETRY_EXHAUSTED_LOG.search(line):
                    exhausted[match.group(1)] += 1
        return retried, exhausted


# ----------------------------------------------------------------------------
# JSON-RPC client, as the web client
# ----------------------------------------------------------------------------


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name") or error.get("message", "")
        self.text = (data.get("message") or error.get("message") or "").strip()
        super().__init__(f"{self.name}: {self.text}")

    @property
    def serialization(self):
        return any(name in self.name for name in SERIALIZATION) or (
            "could not serialize access" in self.text
        )


class Client:
    _ids = itertools.count(1)

    def __init__(self, url, db, login):
        self.url, self.db, self.login = url, db, login
        self.session = requests.Session()
        self.uid = None
        self.context = {}

    def rpc(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params},
            timeout=REQUEST_TIMEOUT,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]

    def authenticate(self):
        info = self.rpc(
            "/web/session/authenticate",
            # The benchmark's users have their login as password.
            {"db": self.db, "login": self.login, "password": self.login},
        )
        if not info.get("uid"):
            raise RuntimeError(f"{self.login} cannot log in")
        self.uid = info["uid"]
        company = info["user_companies"]["current_company"]
        self.context = dict(info["user_context"], allowed_company_ids=[company])
        return self

    def call(self, model, method, *args, context=None, **kwargs):
        kwargs["context"] = dict(self.context, **(context or {}))
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


# ----------------------------------------------------------------------------
# The load
# ----------------------------------------------------------------------------


class Load:
    """What the threads share: the plan, the deadline, and what happened."""

    def __init__(self, args, plan):
        self.args = args
        self.plan = plan
        self.deadline = None
        self.lock = threading.Lock()
        self.samples = collections.defaultdict(list)  # kind: [(start, end, outcome)]
        self.errors = collections.defaultdict(list)  # kind: [message]
        self.refusals = collections.defaultdict(collections.Counter)  # kind: {message: n}
        self.client_retries = collections.Counter()  # kind: serialization failures retried
        self.moves = []  # (opportunity, from status, to status), successful drags
        self.lead_stages = {}  # lead: last stage written
        self.customers = []  # (partner, creating user)
        self.names = []  # (kind, round, variant, name, outcome, id or error)
        self.aborted = []

    def expired(self):
        return time.monotonic() > self.deadline

    def timed(self, kind, fn, refusable=False):
        """Run one request: ("ok", result), ("refused", error) for a
        ValidationError where a refusal is expected, or ("error", error).
        A serialization failure that Odoo gave up on is sent again."""
        for attempt in range(1, CLIENT_TRIES + 1):
            start = time.perf_counter()
            outcome, value = "ok", None
            try:
                value = fn()
            except RpcError as error:
                value = error
                if error.serialization and attempt < CLIENT_TRIES:
                    outcome = "retry"
                elif refusable and error.name == "odoo.exceptions.ValidationError":
                    outcome = "refused"
                else:
                    outcome = "error"
            except (requests.RequestException, ValueError) as error:
                outcome, value = "error", error
            end = time.perf_counter()
            with self.lock:
                self.samples[kind].append((start, end, outcome))
                if outcome == "retry":
                    self.client_retries[kind] += 1
                elif outcome == "refused":
                    self.refusals[kind][value.text.splitlines()[0]] += 1
                elif outcome == "error":
                    self.errors[kind].append(str(value)[:300])
            if outcome != "retry":
                return outcome, value
        raise AssertionError("unreachable")


def thread_guard(load, fn):
    """A thread's function whose crash is reported, not lost."""

    @functools.wraps(fn)
    def run(*args):
        try:
            fn(load, *args)
        except Exception as error:
            with load.lock:
                load.aborted.append(f"{fn.__name__}: {error!r}")

    return run


def drags(load, client, mine):
    """An agent drags their opportunities between open statuses, and their
    CRM leads between open stages, one after the other."""
    plan = load.plan
    rnd = random.Random(client.uid)
    ours, leads = dict(mine["ours"]), dict(mine["crm"])
    for move in range(load.args.moves):
        if load.expired():
            return
        if ours:
            record = list(ours)[move % len(ours)]
            target = rnd.choice([s for s in plan["statuses"] if s != ours[record]])
            outcome, _value = load.timed(
                "drag: partner.opportunity",
                functools.partial(
                    client.call,
                    "partner.opportunity",
                    "web_save",
                    [record],
                    {"status_id": target},
                    specification=plan["spec_ours"],
                    context={"default_pipeline_id": plan["pipeline"]},
                ),
            )
            if outcome == "ok":
                with load.lock:
                    load.moves.append((record, ours[record], target))
                ours[record] = target
        if leads:
            lead = list(leads)[move % len(leads)]
            stage = rnd.choice([s for s in plan["stages"] if s != leads[lead]])
            outcome, _value = load.timed(
                "drag: crm.lead",
                functools.partial(
                    client.call,
                    "crm.lead",
                    "web_save",
                    [lead],
                    {"stage_id": stage},
                    specification=plan["spec_crm"],
                    context={"default_type": "opportunity"},
                ),
            )
            if outcome == "ok":
                leads[lead] = stage
                with load.lock:
                    load.lead_stages[lead] = stage


def create_named(client, model, vals):
    return client.call(model, "web_save", [], vals, specification={"display_name": {}})[0]["id"]


def names(load, client, index, barrier):
    """One of NAME_THREADS administrator sessions: in each round all of them
    create the same name, each typed its own way, at the same instant."""
    plan = load.plan
    workloads = (
        ("create: status", "partner.opportunity.status", STATUS_NAMES, plan["names_pipeline"]),
        ("create: pipeline", "partner.opportunity.pipeline", PIPELINE_NAMES, None),
    )
    for kind, model, bases, pipeline in workloads:
        for n in range(1, load.args.rounds + 1):
            variant = (n + index) % len(VARIANTS)
            name = VARIANTS[variant][1](bases[n % len(bases)].format(n=n))
            vals = {"name": name, "pipeline_id": pipeline} if pipeline else {"name": name}
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                return
            if load.expired():
                barrier.abort()
                return
            outcome, value = load.timed(
                kind, functools.partial(create_named, client, model, vals), refusable=True
            )
            with load.lock:
                load.names.append((kind, n, variant, name, outcome, value))
    if index:
        return
    # The control: every variant one after the other, in the same session.
    for kind, model, bases, pipeline in workloads:
        for variant, (_label, typed) in enumerate(VARIANTS):
            name = typed(bases[1].format(n=SEQUENTIAL))
            vals = {"name": name, "pipeline_id": pipeline} if pipeline else {"name": name}
            outcome, value = load.timed(
                f"{kind} ({SEQUENTIAL})",
                functools.partial(create_named, client, model, vals),
                refusable=True,
            )
            with load.lock:
                load.names.append((kind, SEQUENTIAL, variant, name, outcome, value))


def customers(load, client):
    """An agent adds companies; each gets its automatic opportunity (D2)."""
    for n in range(1, load.args.customers + 1):
        if load.expired():
            return
        vals = {"name": f"Concurrency customer {client.login} {n}", "is_company": True}
        outcome, value = load.timed(
            "create: customer (res.partner)",
            functools.partial(create_named, client, "res.partner", vals),
        )
        if outcome == "ok":
            with load.lock:
                load.customers.append((value, client.uid))


def load_board(client, plan):
    domain = [("pipeline_id", "=", plan["pipeline"])]
    context = {"default_pipeline_id": plan["pipeline"]}
    groups = client.call(
        "partner.opportunity",
        "web_read_group",
        domain,
        ["expected_revenue:sum", "weighted_revenue:sum"],
        ["status_id"],
        lazy=True,
        context=context,
    )["groups"]
    for group in groups:
        if group["status_id_count"]:
            client.call(
                "partner.opportunity",
                "web_search_read",
                group["__domain"],
                plan["spec_ours"],
                limit=40,
                order="date_deadline, id desc",
                context=context,
            )


def boards(load, client):
    """A supervisor opens the board of their teams while they work."""
    for _n in range(load.args.boards):
        if load.expired():
            return
        load.timed(
            "board load: supervisor (read_group + cards)",
            functools.partial(load_board, client, load.plan),
        )


# ----------------------------------------------------------------------------
# Plan, run, checks, report
# ----------------------------------------------------------------------------


def make_plan(env, args):
    """Who does what, read from the copy of the benchmark's data: agents of
    every team in turn, their open opportunities and CRM leads of the first
    pipeline, the views' fields."""
    company = env.company
    pipeline = company.partner_opportunity_pipeline_id
    statuses = pipeline.status_ids.filtered(lambda s: s.status_type == "active")
    names_pipeline = env["partner.opportunity.pipeline"].search(
        [("company_id", "=", company.id), ("id", "!=", pipeline.id)], limit=1
    )
    fixture = json.loads(env["ir.config_parameter"].get_param(benchmark.FIXTURE_PARAM))
    stages = env["crm.stage"].browse(fixture["stages"]).filtered(lambda s: not s.is_won)
    agents = env["res.users"].search([("login", "=like", "bench\\_agent\\_%")])
    # bench_agent_<team>_<rank>: the first of every team, then the second...
    agents = agents.sorted(lambda u: tuple(reversed(u.login.split("_")[2:])))
    wanted = args.agents + args.creators
    if len(agents) < wanted:
        sys.exit(f"{wanted} agents wanted, the data has {len(agents)}")
    per_agent = max(1, min(args.moves, 10))
    plan_agents = []
    for agent in agents[: args.agents]:
        ours = env["partner.opportunity"].search(
            [("user_id", "=", agent.id), ("status_id", "in", statuses.ids)], limit=per_agent
        )
        leads = env["crm.lead"].search(
            [("user_id", "=", agent.id), ("stage_id", "in", stages.ids)], limit=per_agent
        )
        plan_agents.append(
            {
                "login": agent.login,
                "ours": [(o.id, o.status_id.id) for o in ours],
                "crm": [(lead.id, lead.stage_id.id) for lead in leads],
            }
        )
    agent_env = env(user=agents[0], su=False)
    supervisor = env["res.users"].browse(fixture["supervisor"])
    team = env["crm.team"].search([("user_id", "=", supervisor.id)], limit=1)
    # An agent of another team, with opportunities.
    outsider = env["res.users"].search(
        [("login", "=like", "bench\\_agent\\_%"), ("id", "not in", team.member_ids.ids)],
        limit=1,
    )
    admin = env["res.users"].browse(fixture["admin"])
    env.cr.execute("SELECT COALESCE(max(id), 0) FROM partner_opportunity_interaction")
    interactions_before = env.cr.fetchone()[0]
    return {
        "pipeline": pipeline.id,
        "statuses": statuses.ids,
        "stages": stages.ids,
        "names_pipeline": names_pipeline.id,
        "names_pipeline_name": names_pipeline.name,
        "agents": plan_agents,
        "creators": agents[args.agents : wanted].mapped("login"),
        "supervisor": supervisor.login,
        "admin": admin.login,
        "spec_ours": benchmark.specification(agent_env, "partner.opportunity", "kanban"),
        "spec_crm": benchmark.specification(
            agent_env, "crm.lead", "kanban", "crm.crm_case_kanban_view_leads"
        ),
        "interactions_before": interactions_before,
        "team": team.id,
        "outsider": outsider.id,
    }


def membership_across_workers(args, server, plan):
    """Issue 16: a change of sales team reaches the supervisors' record rules,
    which every worker caches, at once. The supervisor asks, each time on a
    new connection (so over the workers), how many opportunities of an agent
    of another team they see: none; the administrator adds that agent to the
    supervisor's team: every answer counts them; removes them: none again."""
    supervisor = Client(server.url, args.db, plan["supervisor"]).authenticate()
    admin = Client(server.url, args.db, plan["admin"]).authenticate()
    for client in (supervisor, admin):
        client.session.headers["Connection"] = "close"
    outsider = plan["outsider"]

    def seen():
        return [
            supervisor.call("partner.opportunity", "search_count", [("user_id", "=", outsider)])
            for _ in range(4 * WORKERS)
        ]

    log("Team membership across the workers")
    before = seen()
    member = admin.call(
        "crm.team.member", "create", {"crm_team_id": plan["team"], "user_id": outsider}
    )
    during = seen()
    admin.call("crm.team.member", "unlink", [member])
    after = seen()
    pids = set()
    with open(server.logfile, errors="replace") as f:
        for line in f:
            if "partner.opportunity/search_count" in line:
                pids.add(line.split()[2])
    failures = []
    if set(before) != {0}:
        failures.append(f"before the change the supervisor saw {sorted(set(before))}")
    if 0 in during:
        failures.append(f"after the agent joined, some answers still saw none: {during}")
    if set(after) != {0}:
        failures.append(f"after the agent left, some answers still saw them: {after}")
    if len(pids) < 2:
        failures.append(f"the answers came from {len(pids)} worker(s) only: nothing proven")
    detail = (
        f"{len(before) + len(during) + len(after)} answers from {len(pids)} workers: "
        f"{sorted(set(before))} before, {sorted(set(during))} while a member, "
        f"{sorted(set(after))} after"
    )
    return ("a team change reaches every worker's rules at once", failures, detail)


def run_load(args, server, plan):
    load = Load(args, plan)
    log("Logging in")
    url, db = server.url, args.db
    drag_clients = [Client(url, db, a["login"]).authenticate() for a in plan["agents"]]
    name_clients = [Client(url, db, plan["admin"]).authenticate() for _ in range(NAME_THREADS)]
    creator_clients = [Client(url, db, login).authenticate() for login in plan["creators"]]
    supervisor = Client(url, db, plan["supervisor"]).authenticate()
    log("Warming up the workers (reads, not timed)")
    for client, mine in zip(drag_clients, plan["agents"], strict=True):
        client.call(
            "partner.opportunity",
            "web_read",
            [r for r, _s in mine["ours"]],
            specification=plan["spec_ours"],
        )
        client.call(
            "crm.lead", "web_read", [r for r, _s in mine["crm"]], specification=plan["spec_crm"]
        )
    for client in name_clients + creator_clients:
        client.call(
            "partner.opportunity.pipeline",
            "web_search_read",
            [],
            {"display_name": {}, "status_ids": {"fields": {"display_name": {}}}},
        )
    load_board(supervisor, plan)
    barrier = threading.Barrier(NAME_THREADS, timeout=REQUEST_TIMEOUT)
    threads = [
        threading.Thread(target=thread_guard(load, drags), args=(client, mine))
        for client, mine in zip(drag_clients, plan["agents"], strict=True)
    ]
    threads += [
        threading.Thread(target=thread_guard(load, names), args=(client, index, barrier))
        for index, client in enumerate(name_clients)
    ]
    threads += [
        threading.Thread(target=thread_guard(load, customers), args=(client,))
        for client in creator_clients
    ]
    threads.append(threading.Thread(target=thread_guard(load, boards), args=(supervisor,)))
    log(
        f"Load: {len(drag_clients)} agents x {args.moves} drags (ours and CRM), "
        f"{NAME_THREADS} admin sessions x {args.rounds} rounds (statuses, pipelines), "
        f"{len(creator_clients)} agents x {args.customers} customers, "
        f"1 supervisor x {args.boards} boards; at most {args.timeout} s"
    )
    load.deadline = time.monotonic() + args.timeout
    start = time.perf_counter()
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join(max(0.0, load.deadline - time.monotonic()) + REQUEST_TIMEOUT)
        if thread.is_alive():
            load.aborted.append(f"{thread.name} still running after the time limit")
    load.elapsed = time.perf_counter() - start
    if load.expired():
        load.aborted.append(f"the load did not finish within --timeout {args.timeout} s")
    return load


def check_names(cr, load):
    """Statuses per pipeline and pipelines per company whose names are equal
    once normalised, in any language of the name."""
    failures = []
    for table, scope, what in (
        ("partner_opportunity_status", "pipeline_id", "statuses of a pipeline"),
        ("partner_opportunity_pipeline", "company_id", "pipelines of a company"),
    ):
        cr.execute(f"SELECT id, {scope}, name FROM {table} ORDER BY id")
        groups = collections.defaultdict(list)
        for record_id, scope_id, name in cr.fetchall():
            for lang, value in (name or {}).items():
                groups[(scope_id, lang, normalise(value))].append((record_id, value))
        duplicates = [rows for rows in groups.values() if len(rows) > 1]
        if duplicates:
            examples = "; ".join(
                " = ".join(repr(value) for _id, value in rows) for rows in duplicates[:3]
            )
            failures.append(
                f"{len(duplicates)} groups of {what} with the same normalised name "
                f"({sum(map(len, duplicates))} records), e.g. {examples}"
            )
    return failures


def name_rounds(load):
    """Per workload, what the rounds of one name did: (kind, summary, failed).
    Each round must accept exactly one spelling of its name. A refusal that
    quotes another name was caused by a duplicate left by an earlier round."""
    rounds = collections.defaultdict(lambda: {"ok": [], "refused": [], "name": None})
    for kind, n, variant, name, outcome, value in load.names:
        row = rounds[(kind, n)]
        row["name"] = normalise(name)
        if outcome == "ok":
            row["ok"].append(VARIANTS[variant][0])
        elif outcome == "refused":
            row["refused"].append(value.text)
    lines = []
    for kind in ("create: status", "create: pipeline"):
        done = sorted(n for k, n in rounds if k == kind and n != SEQUENTIAL)
        leaked = [n for n in done if len(rounds[(kind, n)]["ok"]) > 1]
        none = [n for n in done if not rounds[(kind, n)]["ok"]]
        # The first quoted name of a refusal is the name found twice.
        blamed = {
            match.group(1)
            for n in none
            for text in rounds[(kind, n)]["refused"]
            if (match := QUOTED.search(text))
            and normalise(match.group(1)) != rounds[(kind, n)]["name"]
        }
        sequential = rounds[(kind, SEQUENTIAL)]["ok"]
        text = (
            f"{kind}: {len(done)} rounds of {NAME_THREADS} spellings at once: "
            f"{len(leaked)} accepted more than one"
            + (f" (rounds {', '.join(map(str, leaked))})" if leaked else "")
            + f", {len(none)} accepted none"
            + (
                f" (refused because of {', '.join(map(repr, sorted(blamed)))}, "
                "duplicates of an earlier round)"
                if blamed
                else ""
            )
            + f"; one after the other, {len(sequential)} of {len(VARIANTS)} spellings accepted"
            + (f" ({', '.join(sequential)})" if sequential else "")
        )
        lines.append((kind, text, bool(leaked or none) or len(sequential) != 1))
    return lines


def check(registry, load, server):
    """The invariants: [(name, failures, what was checked)]; no failure passes."""
    plan = load.plan
    results = []
    with registry.cursor() as cr:
        failures = check_names(cr, load)
        failures += [
            f"{kind}: the rounds did not all accept exactly one spelling (above)"
            for kind, _text, failed in name_rounds(load)
            if failed
        ]
        cr.execute(
            "SELECT (SELECT count(*) FROM partner_opportunity_status),"
            " (SELECT count(*) FROM partner_opportunity_pipeline)"
        )
        results.append(
            (
                "names unique per pipeline / company once normalised",
                failures,
                "{} statuses, {} pipelines".format(*cr.fetchone()),
            )
        )

        failures = []
        cr.execute(
            """SELECT opportunity_id, status_from_id, status_to_id
                 FROM partner_opportunity_interaction WHERE id > %s""",
            [plan["interactions_before"]],
        )
        interactions = collections.Counter(cr.fetchall())
        moves = collections.Counter(load.moves)
        if interactions.total() != len(load.moves):
            failures.append(
                f"{interactions.total()} interactions recorded for "
                f"{len(load.moves)} successful status changes"
            )
        if interactions != moves:
            failures.append(
                f"interactions that are no status change: {list(interactions - moves)[:5]}; "
                f"status changes without interaction: {list(moves - interactions)[:5]}"
            )
        last = {record: target for record, _source, target in load.moves}
        cr.execute("SELECT id, status_id FROM partner_opportunity WHERE id = ANY(%s)", [list(last)])
        wrong = [(r, s, last[r]) for r, s in cr.fetchall() if s != last[r]]
        if wrong:
            failures.append(
                f"opportunities not in their last status (id, is, dragged to): {wrong[:5]}"
            )
        leads = load.lead_stages
        cr.execute("SELECT id, stage_id FROM crm_lead WHERE id = ANY(%s)", [list(leads)])
        wrong = [(r, s, leads[r]) for r, s in cr.fetchall() if s != leads[r]]
        if wrong:
            failures.append(f"CRM leads not in their last stage (id, is, dragged to): {wrong[:5]}")
        results.append(
            (
                "one interaction per status change, and the last drag holds",
                failures,
                f"{len(load.moves)} status changes, {interactions.total()} interactions; "
                f"{len(last)} opportunities and {len(leads)} CRM leads dragged",
            )
        )

        cr.execute(
            """SELECT o.id, o.pipeline_id, s.pipeline_id, o.status_type, s.status_type
                 FROM partner_opportunity o
                 JOIN partner_opportunity_status s ON s.id = o.status_id
                WHERE s.pipeline_id != o.pipeline_id OR o.status_type != s.status_type"""
        )
        wrong = cr.fetchall()
        cr.execute("SELECT count(*) FROM partner_opportunity")
        results.append(
            (
                "every opportunity's status is of its pipeline (and its type is the status's)",
                [f"{len(wrong)} opportunities, e.g. {wrong[:5]}"] if wrong else [],
                f"{cr.fetchone()[0]} opportunities",
            )
        )

        failures = []
        created = dict(load.customers)
        cr.execute(
            """SELECT p.id, array_agg(o.user_id), array_agg(o.is_automatic),
                      array_agg(o.pipeline_id), array_agg(o.status_id)
                 FROM res_partner p
                 LEFT JOIN partner_opportunity o ON o.partner_id = p.id
                WHERE p.id = ANY(%s)
                GROUP BY p.id""",
            [list(created)],
        )
        expected = ([True], [plan["pipeline"]], [plan["statuses"][0]])
        for partner, users, automatic, pipelines, statuses in cr.fetchall():
            if (automatic, pipelines, statuses) != expected or users != [created[partner]]:
                failures.append(
                    f"customer {partner} created by user {created[partner]}: opportunities "
                    f"of {users}, automatic {automatic}, pipelines {pipelines}, "
                    f"statuses {statuses}"
                )
        results.append(
            (
                "every new customer has its one automatic opportunity",
                failures[:5],
                f"{len(created)} customers: one opportunity each, automatic, of their "
                "creator, in the first status of the default pipeline",
            )
        )

    retried, exhausted = server.retries()
    failures = [
        f"{kind}: {len(errors)} errors, e.g. {errors[0]}" for kind, errors in load.errors.items()
    ]
    failures += [f"Odoo gave up retrying: {dict(exhausted)}"] if exhausted else []
    failures += load.aborted
    refused = sum(c.total() for c in load.refusals.values())
    results.append(
        (
            "no error but retried serialization failures",
            failures,
            f"{sum(len(e) for e in load.errors.values())} errors; {refused} duplicate names "
            f"refused; serialization failures retried by Odoo {retried.total()}, "
            f"sent again by the client {load.client_retries.total()}",
        )
    )
    return results


def report(load, results):
    ms = lambda seconds: f"{1000 * seconds:.0f}"  # noqa: E731
    print()
    print(
        f"Load: {sum(len(s) for s in load.samples.values())} requests in {load.elapsed:.1f} s "
        f"({sum(len(s) for s in load.samples.values()) / load.elapsed:.1f}/s) on "
        f"{WORKERS} workers, {os.cpu_count()} CPUs"
    )
    print()
    header = f"{'request':46} {'sent':>5} {'ok':>5} {'refused':>7} {'errors':>6} {'req/s':>6}"
    print(header + f" {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for kind in sorted(load.samples):
        samples = load.samples[kind]
        done = [s for s in samples if s[2] != "retry"]
        counts = collections.Counter(outcome for _start, _end, outcome in samples)
        latencies = [end - start for start, end, _outcome in samples]
        span = max(end for _s, end, _o in samples) - min(start for start, _e, _o in samples)
        print(
            f"{kind:46} {len(done):5} {counts['ok']:5} {counts['refused']:7} "
            f"{counts['error']:6} {len(done) / span if span else 0:6.1f} "
            f"{ms(percentile(latencies, 50)):>7} {ms(percentile(latencies, 95)):>7} "
            f"{ms(percentile(latencies, 99)):>7}"
        )
    ours = [e - s for s, e, o in load.samples.get("drag: partner.opportunity", []) if o == "ok"]
    crm = [e - s for s, e, o in load.samples.get("drag: crm.lead", []) if o == "ok"]
    if ours and crm:
        print()
        print(
            "Drag under load, ours / CRM: "
            + ", ".join(
                f"p{p} {ms(percentile(ours, p))} / {ms(percentile(crm, p))} ms "
                f"({percentile(ours, p) / percentile(crm, p):.2f})"
                for p in (50, 95, 99)
            )
        )
    print()
    for _kind, text, _failed in name_rounds(load):
        print(text)
    for kind, messages in load.refusals.items():
        for message, count in messages.most_common(2):
            print(f"Refused ({kind}, {count}x): {message}")
    print()
    failed = 0
    for name, failures, detail in results:
        print(f"{'FAIL' if failures else 'ok  '}  {name}: {detail}")
        for failure in failures:
            print(f"        {failure}")
        failed += bool(failures)
    print()
    print(f"{failed} of {len(results)} invariants failed." if failed else "All invariants hold.")
    return failed


def port_range(text):
    low, high = (int(p) for p in text.split("-"))
    return low, high


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", default="partner_opportunity_concurrency", help="database")
    parser.add_argument(
        "--reuse", action="store_true", help="copy the template database of a previous run"
    )
    parser.add_argument("--n", type=int, default=2000, help="opportunities (and CRM leads)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of concurrent names")
    parser.add_argument("--agents", type=int, default=8, help="agents dragging cards")
    parser.add_argument("--moves", type=int, default=20, help="drags per agent, of each app")
    parser.add_argument("--creators", type=int, default=4, help="agents creating customers")
    parser.add_argument("--customers", type=int, default=10, help="customers per creator")
    parser.add_argument("--boards", type=int, default=10, help="board loads by the supervisor")
    parser.add_argument("--timeout", type=int, default=300, help="seconds the load may last")
    parser.add_argument(
        "--ports", type=port_range, default=(18300, 18399), help="server ports (LOW-HIGH)"
    )
    args = parser.parse_args()
    # A SIGTERM too goes through the finally that stops the server.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    # No -d: with a database name and no filter, Odoo lists (and so drops)
    # that database only, not its template.
    config.parse_config(["-c", args.config, "--log-level=warn"])
    start = time.perf_counter()
    prepare_database(args)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        plan = make_plan(api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"}), args)
    server = Server(
        args, os.path.join(os.path.dirname(os.path.abspath(args.config)), "concurrency-odoo.log")
    )
    try:
        server.start()
        load = run_load(args, server, plan)
        membership = membership_across_workers(args, server, plan)
    finally:
        server.stop()
    failed = report(load, [*check(registry, load, server), membership])
    print(f"Whole run: {(time.perf_counter() - start) / 60:.1f} min.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
