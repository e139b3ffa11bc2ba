"""Concurrency check: users working at once on Odoo with 4 workers, over
JSON-RPC as the web client, then invariants checked in the database; exits 1
when one fails. doc/performance.md describes it.

    tools/dev.sh concurrency [--rounds 20] [--moves 20] [--reuse]
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
import unicodedata
from collections import Counter, defaultdict

import harness
from harness import Client, RpcError, log

import odoo
from odoo.tools import config

WORKERS, SESSIONS, AGENTS, CUSTOMERS, BOARDS, TIMEOUT = 4, 4, 8, 10, 10, 300
FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}
# Seven ways to type one name: all the same name once normalised.
VARIANTS = [lambda s: s, lambda s: s.lower().replace(" ", "  "), lambda s: " " + s.upper(),
            lambda s: s.replace(" ", "\t", 1), lambda s: s[:3] + "\u200b" + s[3:],
            lambda s: s.translate(FULL_WIDTH), lambda s: unicodedata.normalize("NFD", s),
]  # fmt: skip
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
NAMES = {  # kind: (model, the names, {n} the round)
    "status": ("partner.opportunity.status", ("Follow up {n}", "Theo dõi {n}")),
    "pipeline": ("partner.opportunity.pipeline", ("Renewals {n}", "Gia hạn {n}")),
}


def normalise(name):
    """As the uniqueness rule compares names: NFKC, no zero-width characters,
    case folded, white space collapsed; accents stay significant."""
    name = unicodedata.normalize("NFKC", name or "").translate(ZERO_WIDTH)
    return " ".join(name.casefold().split())


class Load:
    def __init__(self, args, plan):
        self.args, self.plan, self.lock = args, plan, threading.Lock()
        self.deadline = time.monotonic() + TIMEOUT
        self.samples = defaultdict(list)  # kind: [(seconds, outcome)]
        self.errors, self.moves, self.leads, self.customers, self.names = [], [], {}, [], []

    def send(self, kind, fn, refusable=False):
        """One request: "ok", "refused" (a ValidationError where expected) or
        "error"; a serialization failure Odoo gave up on is sent again."""
        for attempt in range(3):
            start, outcome, value = time.perf_counter(), "ok", None
            try:
                value = fn()
            except RpcError as error:
                value, outcome = error, "error"
                if "could not serialize" in error.text or "Serialization" in error.name:
                    outcome = "retry" if attempt < 2 else outcome
                elif refusable and error.name == "odoo.exceptions.ValidationError":
                    outcome = "refused"
            except Exception as error:
                outcome, value = "error", error
            with self.lock:
                self.samples[kind].append((time.perf_counter() - start, outcome))
                if outcome == "error":
                    self.errors.append(f"{kind}: {str(value)[:300]}")
            if outcome != "retry":
                return outcome, value


def drags(load, client, mine):
    """An agent drags an opportunity, then a CRM lead, between open columns."""
    rnd, plan, ours, leads = random.Random(client.uid), load.plan, dict(mine[0]), dict(mine[1])
    for move in range(load.args.moves):
        if time.monotonic() > load.deadline:
            return
        record = list(ours)[move % len(ours)]
        target = rnd.choice([s for s in plan["statuses"] if s != ours[record]])
        save = lambda r=record, t=target: client.call(  # noqa: E731
            "partner.opportunity", "web_save", [r], {"status_id": t}, specification=plan["spec"]
        )
        if load.send("drag: partner.opportunity", save)[0] == "ok":
            with load.lock:
                load.moves.append((record, ours[record], target))
            ours[record] = target
        lead = list(leads)[move % len(leads)]
        stage = rnd.choice([s for s in plan["stages"] if s != leads[lead]])
        save = lambda r=lead, s=stage: client.call(  # noqa: E731
            "crm.lead", "web_save", [r], {"stage_id": s}, specification=plan["spec_crm"]
        )
        if load.send("drag: crm.lead", save)[0] == "ok":
            leads[lead] = load.leads[lead] = stage


def names(load, client, index, barrier):
    """All sessions create one name at the same instant, each spelt its own
    way; then the first one creates the 7 spellings of one more, in turn."""
    create = lambda model, vals: lambda: client.call(model, "create", vals)  # noqa: E731
    for kind, (model, bases) in NAMES.items():
        scope = {"pipeline_id": load.plan["names_pipeline"]} if kind == "status" else {}
        for n in range(1, load.args.rounds + 1):
            name = VARIANTS[(n + index) % len(VARIANTS)](bases[n % 2].format(n=n))
            barrier.wait()
            outcome, _value = load.send(
                f"create {kind}", create(model, {"name": name, **scope}), True
            )
            with load.lock:
                load.names.append((kind, n, outcome))
        if not index:
            for typed in VARIANTS:
                vals = {"name": typed(bases[1].format(n="in turn")), **scope}
                outcome, _value = load.send(f"create {kind} (in turn)", create(model, vals), True)
                load.names.append((kind, "in turn", outcome))


def customers(load, client):
    for n in range(CUSTOMERS):
        vals = {"name": f"Concurrency customer {client.login} {n}", "is_company": True}
        outcome, value = load.send(
            "customer", lambda v=vals: client.call("res.partner", "create", v)
        )
        if outcome == "ok":
            with load.lock:
                load.customers.append((value, client.uid))


def boards(load, client):
    plan = load.plan
    for _n in range(BOARDS):
        load.send("board", lambda: harness.rpc_board(client, plan["pipeline"], plan["spec"]))


def make_plan(env, fx, args):
    """Agents of every team in turn, their open opportunities and CRM leads."""
    Status, Users = env["partner.opportunity.status"], env["res.users"]
    statuses = Status.browse(fx["statuses"]).filtered(lambda s: s.status_type == "active")
    stages = env["crm.stage"].browse(fx["stages"]).filtered(lambda s: not s.is_won)
    agents = Users.search([("login", "=like", "bench\\_agent\\_%")])
    agents = agents.sorted(lambda u: u.login.split("_")[::-1])  # agent 1 of each team, then 2...
    mine = []
    for agent in agents[:AGENTS]:
        ours = env["partner.opportunity"].search(
            [("user_id", "=", agent.id), ("status_id", "in", statuses.ids)], limit=10
        )
        leads = env["crm.lead"].search(
            [("user_id", "=", agent.id), ("stage_id", "in", stages.ids)], limit=10
        )
        ours = [(o.id, o.status_id.id) for o in ours]
        mine.append((agent.login, ours, [(x.id, x.stage_id.id) for x in leads]))
    team = env["crm.team"].search([("user_id", "=", fx["supervisor"])], limit=1)
    env.cr.execute("SELECT coalesce(max(id), 0) FROM partner_opportunity_interaction")
    interactions_before = env.cr.fetchone()[0]
    Pipeline, agent_env = env["partner.opportunity.pipeline"], env(user=agents[0])
    return {
        "pipeline": fx["pipeline"],
        "statuses": statuses.ids,
        "stages": stages.ids,
        "names_pipeline": Pipeline.search([("id", "!=", fx["pipeline"])], limit=1).id,
        "agents": mine,
        "creators": agents[AGENTS : AGENTS + 4].mapped("login"),
        "supervisor": Users.browse(fx["supervisor"]).login,
        "admin": Users.browse(fx["admin"]).login,
        "spec": harness.specification(agent_env, "partner.opportunity", "kanban"),
        "spec_crm": harness.specification(
            agent_env, "crm.lead", "kanban", "crm.crm_case_kanban_view_leads"
        ),
        "interactions_before": interactions_before,
        "team": team.id,
        "outsider": (agents - team.member_ids)[0].id,
    }


def run_load(args, url, plan):
    load, db = Load(args, plan), args.db
    clients = [(Client(url, db, login).authenticate(), (o, c)) for login, o, c in plan["agents"]]
    admins = [Client(url, db, plan["admin"]).authenticate() for _ in range(SESSIONS)]
    creators = [Client(url, db, login).authenticate() for login in plan["creators"]]
    barrier = threading.Barrier(SESSIONS, timeout=120)
    threading.excepthook = lambda e: load.errors.append(f"{e.thread.name}: {e.exc_value!r}")
    supervisor = Client(url, db, plan["supervisor"]).authenticate()
    threads = [(drags, client, mine) for client, mine in clients]
    threads += [(names, client, i, barrier) for i, client in enumerate(admins)]
    threads += [(customers, client) for client in creators] + [(boards, supervisor)]
    threads = [threading.Thread(target=f, args=(load, *a), daemon=True) for f, *a in threads]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0, load.deadline - time.monotonic()) + 120)
        if thread.is_alive():
            load.errors.append("the load did not finish in time")
    load.elapsed = time.perf_counter() - start
    return load


def membership(args, url, logfile, plan):
    """A team change reaches every worker's cached rules at once: the
    supervisor counts, on new connections (so over the workers), the
    opportunities of an agent of another team, before, while and after the
    administrator makes that agent a member of the supervisor's team."""
    supervisor = Client(url, args.db, plan["supervisor"]).authenticate()
    admin = Client(url, args.db, plan["admin"]).authenticate()
    supervisor.session.headers["Connection"] = "close"
    domain = [("user_id", "=", plan["outsider"])]

    def seen():
        call = supervisor.call
        return {call("partner.opportunity", "search_count", domain) for _ in range(4 * WORKERS)}

    before = seen()
    vals = {"crm_team_id": plan["team"], "user_id": plan["outsider"]}
    member = admin.call("crm.team.member", "create", vals)
    during = seen()
    admin.call("crm.team.member", "unlink", [member])
    after = seen()
    with open(logfile, errors="replace") as f:
        pids = {line.split()[2] for line in f if "partner.opportunity/search_count" in line}
    ok = before == after == {0} and 0 not in during and len(pids) > 1
    return ok, f"{len(pids)} workers: {before} before, {during} as a member, {after} after"


def invariants(cr, load, plan):
    """(holds, name, detail) of each invariant."""
    result = []
    for table, scope, what in (
        ("partner_opportunity_status", "pipeline_id", "statuses of a pipeline"),
        ("partner_opportunity_pipeline", "company_id", "pipelines of a company"),
    ):
        cr.execute(f"SELECT {scope}, name FROM {table}")
        rows = [(scope_id, lang, v) for scope_id, name in cr.fetchall() for lang, v in name.items()]
        found = Counter((scope_id, lang, normalise(v)) for scope_id, lang, v in rows)
        twice = [k for k, count in found.items() if count > 1]
        result.append((not twice, f"no two {what} with one normalised name", f"{twice[:3]}"))
    rounds = defaultdict(list)
    for kind, n, outcome in load.names:
        rounds[(kind, n)].append(outcome)
    wrong = {k: v for k, v in rounds.items() if v.count("ok") != 1}
    result.append((not wrong, "each name accepted once", f"{len(rounds)} names; {wrong}"))
    cr.execute(
        "SELECT opportunity_id, status_from_id, status_to_id "
        "FROM partner_opportunity_interaction WHERE id > %s",
        [plan["interactions_before"]],
    )
    interactions, moves = Counter(cr.fetchall()), Counter(load.moves)
    last = {record: target for record, _source, target in load.moves}
    cr.execute("SELECT id, status_id FROM partner_opportunity WHERE id = ANY(%s)", [list(last)])
    stale = [row for row in cr.fetchall() if row[1] != last[row[0]]]
    cr.execute("SELECT id, stage_id FROM crm_lead WHERE id = ANY(%s)", [list(load.leads)])
    stale += [row for row in cr.fetchall() if row[1] != load.leads[row[0]]]
    detail = f"{len(load.moves)} changes, {interactions.total()} interactions, stale {stale[:5]}"
    result.append((interactions == moves and not stale, "one interaction a change", detail))
    cr.execute(
        "SELECT count(*) FROM partner_opportunity o JOIN partner_opportunity_status s "
        "ON s.id = o.status_id "
        "WHERE s.pipeline_id != o.pipeline_id OR s.status_type != o.status_type"
    )
    wrong = cr.fetchone()[0]
    result.append((not wrong, "each status in its opportunity's pipeline", f"{wrong} not"))
    created = dict(load.customers)
    cr.execute(
        """SELECT p.id, array_agg(o.user_id), bool_and(o.is_automatic), array_agg(o.status_id)
        FROM res_partner p LEFT JOIN partner_opportunity o ON o.partner_id = p.id
        WHERE p.id = ANY(%s) GROUP BY p.id""",
        [list(created)],
    )
    wrong = [r for r in cr.fetchall() if r[1:] != ([created[r[0]]], True, [plan["statuses"][0]])]
    detail = f"{len(created)} customers, wrong: {wrong[:5]}"
    result.append((not wrong, "each new customer has its automatic opportunity", detail))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", default="partner_opportunity_concurrency")
    parser.add_argument("--reuse", action="store_true", help="reuse the template database")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    fx = harness.prepare(args.config, f"{args.db}_template", 2000, args.reuse)
    harness.drop(args.db)
    odoo.service.db.exp_duplicate_database(f"{args.db}_template", args.db)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        plan = make_plan(harness.env_of(cr), fx, args)
    logfile = os.path.join(os.path.dirname(os.path.abspath(args.config)), "concurrency-odoo.log")
    options = [f"--workers={WORKERS}", "--log-level=warn", "--log-handler=werkzeug:INFO"]
    with harness.server(args.config, args.db, logfile, *options) as url:
        log("Load")
        load = run_load(args, url, plan)
        team_change = membership(args, url, logfile, plan)
    with registry.cursor() as cr:
        results = invariants(cr, load, plan)
    results.append((*team_change[:1], "a team change reaches every worker at once", team_change[1]))
    results.append((not load.errors, "no error", "; ".join(load.errors[:5])))
    total = sum(map(len, load.samples.values()))
    print(f"\n{total} requests in {load.elapsed:.1f} s on {WORKERS} workers\n")
    print(f"{'request':30} {'sent':>5} {'ok':>5} {'refused':>7} {'errors':>6} p50/p95 ms")
    for kind, samples in sorted(load.samples.items()):
        counts, ms = Counter(o for _s, o in samples), sorted(1000 * s for s, _o in samples)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        sent = f"{kind:30} {len(samples):5} {counts['ok']:5} {counts['refused']:7}"
        print(f"{sent} {counts['error']:6} {statistics.median(ms):.0f}/{p95:.0f}")
    print()
    for holds, name, detail in results:
        print(f"{'ok  ' if holds else 'FAIL'}  {name}: {detail}")
    sys.exit(0 if all(r[0] for r in results) else 1)


if __name__ == "__main__":
    main()
