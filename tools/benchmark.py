"""Benchmark partner_opportunity at scale, side by side with Odoo CRM (issue 8).

Not part of the test suite. Run it through ``tools/dev.sh bench [--n N] [--runs R]``,
or with the project's venv:

    ~/.cache/partner-opportunity/venv/bin/python tools/benchmark.py \
        --config .build/odoo.conf [--n 100000] [--runs 5] [--reuse]

It works in a database of its own, ``partner_opportunity_bench``, with
partner_opportunity and Odoo's ``crm`` installed side by side (crm only there:
the addon does not depend on it) and no demo data. It generates the same
opportunities twice, as ``partner.opportunity`` and as ``crm.lead``
(type "opportunity"), over 20 salespeople in 4 sales teams and 2 pipelines,
then times what the web client asks for when an agent, a supervisor and an
administrator open the board, open the list, search, drag a card, and import
customers. Every operation runs on a cold ORM cache inside a savepoint that is
rolled back, so that runs are comparable; the median of ``--runs`` runs is
reported with the ratio to the crm.lead equivalent measured in the same run and
the SQL query count. The Markdown table goes to ``tools/benchmark_results.md``.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

DB = "partner_opportunity_bench"
FIXTURE_PARAM = "partner_opportunity_bench.fixture"
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "benchmark_results.md")

TEAMS = 4
AGENTS_PER_TEAM = 4  # plus the supervisor who leads the team: 20 salespeople
BATCH = 2000
PRODUCTS = [
    "Licences",
    "Hosting",
    "Support contract",
    "Training",
    "Consulting",
    "Hardware",
    "Upgrade",
    "Integration",
    "Audit",
    "Maintenance",
]
KEYWORD = "training"  # one description in ten
CITIES = ["Hanoi", "Hue", "Da Nang", "Saigon", "Can Tho", "Hai Phong"]
# Our pipelines and their statuses; a status is (name, type, share of the pipeline).
PIPELINES = [
    (
        "New business",
        0.7,
        [
            ("New", "active", 0.25),
            ("Demo done", "active", 0.15),
            ("Proposal sent", "active", 0.12),
            ("Contract sent", "active", 0.08),
            ("Negotiation", "active", 0.10),
            ("Won", "won", 0.15),
            ("Lost", "lost", 0.15),
        ],
    ),
    (
        "Renewals",
        0.3,
        [
            ("To renew", "active", 0.35),
            ("Contacted", "active", 0.20),
            ("Offer sent", "active", 0.15),
            ("Renewed", "won", 0.20),
            ("Churned", "lost", 0.10),
        ],
    ),
]
ACTIVITY_FIELDS = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
}


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Database
# ----------------------------------------------------------------------------


def odoo_bin(args, *options, db=DB):
    odoo_src = os.path.dirname(os.path.dirname(odoo.__file__))
    cmd = [
        sys.executable,
        os.path.join(odoo_src, "odoo-bin"),
        "-c",
        args.config,
        "-d",
        db,
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
        *options,
    ]
    subprocess.run(cmd, check=True)


def database_exists(db=DB):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return bool(cr.fetchone())


def prepare_database(args):
    if args.reuse and database_exists():
        log(f"Reusing {DB}: updating partner_opportunity")
        odoo_bin(args, "-u", "partner_opportunity")
        return
    if database_exists():
        log(f"Dropping {DB}")
        odoo.service.db.exp_drop(DB)
    log(f"Creating {DB} with partner_opportunity and crm, without demo data")
    odoo_bin(args, "-i", "partner_opportunity,crm", "--without-demo=all")


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def make_users(env):
    """4 teams, each led by a supervisor who is also its member, 4 agents each,
    and an administrator. The same users work both apps; their CRM groups are
    the closest CRM has to ours (see ROLES)."""
    ref = env.ref
    groups = {
        "agent": [
            ref("partner_opportunity.group_agent").id,
            ref("sales_team.group_sale_salesman").id,
        ],
        "supervisor": [
            ref("partner_opportunity.group_supervisor").id,
            ref("sales_team.group_sale_salesman_all_leads").id,
        ],
        "admin": [
            ref("partner_opportunity.group_admin").id,
            ref("sales_team.group_sale_manager").id,
        ],
    }
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)

    def user(login, role):
        return Users.create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            ref("base.group_user").id,
                            ref("base.group_partner_manager").id,
                            *groups[role],
                        ],
                    )
                ],
            }
        )

    admin = user("bench_admin", "admin")
    teams, salespeople = [], []
    for t in range(1, TEAMS + 1):
        supervisor = user(f"bench_supervisor_{t}", "supervisor")
        agents = [user(f"bench_agent_{t}_{a}", "agent") for a in range(1, AGENTS_PER_TEAM + 1)]
        members = [supervisor, *agents]
        team = env["crm.team"].create(
            {
                "name": f"Bench team {t}",
                "user_id": supervisor.id,
                "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members],
            }
        )
        teams.append(team)
        salespeople += [(u, team) for u in members]
    return admin, teams, salespeople


def make_statuses(env):
    """Our two pipelines, and the CRM stages matching their statuses: CRM has
    no pipeline of stages, so both pipelines' stages are global stages and a
    pipeline's board filters on its stages. A lost opportunity stays in CRM in
    the last open stage of its pipeline, archived, probability 0, as CRM does."""
    company = env.company
    Pipeline = env["partner.opportunity.pipeline"]
    env["crm.lead"].with_context(active_test=False).search([]).unlink()
    env["crm.stage"].search([]).unlink()
    result = []
    sequence = 0
    for index, (name, share, statuses) in enumerate(PIPELINES):
        # the first pipeline is the one the addon installs (C4)
        pipeline = index == 0 and Pipeline.search([("company_id", "=", company.id)], limit=1)
        if pipeline:
            pipeline.name = name
        else:
            pipeline = Pipeline.create(
                {"name": name, "company_id": company.id, "sequence": 10 + index}
            )
        existing = {s.name: s for s in pipeline.status_ids}
        rows = []
        last_open_stage = None
        for position, (status_name, status_type, weight) in enumerate(statuses):
            status = existing.get(status_name) or env["partner.opportunity.status"].create(
                {
                    "name": status_name,
                    "pipeline_id": pipeline.id,
                    "sequence": position + 1,
                    "status_type": status_type,
                }
            )
            stage = None
            if status_type != "lost":
                sequence += 1
                stage = env["crm.stage"].create(
                    {
                        "name": f"{name}: {status_name}",
                        "sequence": sequence,
                        "is_won": status_type == "won",
                    }
                )
                if status_type == "active":
                    last_open_stage = stage
            rows.append((status, stage, status_type, weight))
        rows = [(s, stage or last_open_stage, t, w) for s, stage, t, w in rows]
        # statuses of a fresh pipeline that the benchmark does not use
        used = env["partner.opportunity.status"].browse([row[0].id for row in rows])
        unused = pipeline.status_ids - used
        unused.with_context(active_test=False).unlink()
        result.append((pipeline, share, rows))
    company.partner_opportunity_pipeline_id = result[0][0]
    return result


def generate(env, n, seed=8):
    log(f"Generating {n} opportunities and {n} crm.lead opportunities")
    start = time.perf_counter()
    rnd = random.Random(seed)
    ctx = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_create_nosubscribe": True,
        "mail_notrack": True,
        "partner_opportunity_no_auto": True,
        "import_file": False,
    }
    env = env(context=dict(env.context, **ctx))
    admin, teams, salespeople = make_users(env)
    pipelines = make_statuses(env)

    customers = env["res.partner"]
    customer_count = max(n // 5, 10)
    for offset in range(0, customer_count, BATCH):
        customers |= env["res.partner"].create(
            [
                {"name": f"Customer {i:06d}", "is_company": True, "city": rnd.choice(CITIES)}
                for i in range(offset, min(offset + BATCH, customer_count))
            ]
        )
    env.flush_all()
    env.cr.commit()
    log(
        f"  users, teams, pipelines and {customer_count} customers: "
        f"{time.perf_counter() - start:.0f} s"
    )

    today = date.today()
    ours, theirs = [], []
    for i in range(n):
        pipeline, _share, rows = rnd.choices(pipelines, [p[1] for p in pipelines])[0]
        status, stage, status_type, _weight = rnd.choices(rows, [r[3] for r in rows])[0]
        user, team = rnd.choice(salespeople)
        customer = customers[rnd.randrange(customer_count)]
        revenue = float(rnd.randrange(1, 500) * 100)
        probability = {"won": 100, "lost": 0}.get(status_type, rnd.choice([10, 30, 50, 70, 90]))
        deadline = today + timedelta(days=rnd.randint(-60, 120))
        name = f"{rnd.choice(PRODUCTS)} for {customer.name} #{i}"
        ours.append(
            {
                "name": name,
                "partner_id": customer.id,
                "user_id": user.id,
                "team_id": team.id,
                "pipeline_id": pipeline.id,
                "status_id": status.id,
                "date_deadline": deadline,
                "probability": probability,
                "expected_revenue": revenue,
            }
        )
        theirs.append(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": user.id,
                "team_id": team.id,
                "stage_id": stage.id,
                "date_deadline": deadline,
                "probability": probability,
                "expected_revenue": revenue,
                "active": status_type != "lost",
            }
        )
    for model, vals_list in (("partner.opportunity", ours), ("crm.lead", theirs)):
        t0 = time.perf_counter()
        for offset in range(0, n, BATCH):
            env[model].create(vals_list[offset : offset + BATCH])
            env.flush_all()
            env.invalidate_all()
            env.cr.commit()
        log(f"  {n} {model}: {time.perf_counter() - t0:.0f} s")
    env.cr.execute("ANALYZE")

    fixture = {
        "n": n,
        "admin": admin.id,
        "supervisor": teams[0].user_id.id,
        "agent": teams[0].member_ids.filtered(lambda u: u != teams[0].user_id)[:1].id,
        "pipeline": pipelines[0][0].id,
        "statuses": [row[0].id for row in pipelines[0][2]],
        "stages": sorted({row[1].id for row in pipelines[0][2]}),
        "stage_of_status": {str(row[0].id): row[1].id for p in pipelines for row in p[2]},
    }
    env["ir.config_parameter"].sudo().set_param(FIXTURE_PARAM, json.dumps(fixture))
    env.cr.commit()
    log(f"Data ready in {time.perf_counter() - start:.0f} s")
    return fixture


# ----------------------------------------------------------------------------
# What the web client asks for
# ----------------------------------------------------------------------------


def specification(env, model, view_type, view_ref=None):
    """The ``specification`` the web client derives from a view: the fields of
    its arch (those the user's groups keep), many2ones with their name, tags
    with their colour, and the fields the activity widget depends on."""
    view_id = env.ref(view_ref).id if view_ref else False
    arch = env[model].get_views([(view_id, view_type)])["views"][view_type]["arch"]
    fields = env[model].fields_get(attributes=["type"])
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        ftype = fields[name]["type"]
        if ftype == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif ftype in ("one2many", "many2many"):
            sub = {}
            if node.get("widget") == "many2many_tags":
                sub["display_name"] = {}
                options = node.get("options") or ""
                if "color_field" in options:
                    sub["color"] = {}
            spec[name] = {"fields": sub} if sub else {}
        else:
            spec[name] = {}
        if node.get("widget") in ("kanban_activity", "list_activity"):
            for dep, dep_spec in ACTIVITY_FIELDS.items():
                spec.setdefault(dep, dep_spec)
    return spec


class Side:
    """One app's way of doing each operation, for one user."""

    def __init__(self, env, fixture, card_limit):
        self.env = env
        self.fixture = fixture
        self.card_limit = card_limit


class Ours(Side):
    model = "partner.opportunity"
    group_field = "status_id"
    board_sums = ["expected_revenue:sum", "weighted_revenue:sum"]
    progress = {
        "field": "deadline_state",
        "colors": {"far": "success", "near": "warning", "overdue": "danger", "closed": "200"},
        "sum_field": "expected_revenue",
    }
    kanban_order = "date_deadline, id desc"
    list_view = None

    def __init__(self, env, fixture, card_limit):
        env = env(context=dict(env.context, default_pipeline_id=fixture["pipeline"]))
        super().__init__(env, fixture, card_limit)
        self.domain = [("pipeline_id", "=", fixture["pipeline"])]
        self.card_spec = specification(env, self.model, "kanban")
        self.list_spec = specification(env, self.model, "list", self.list_view)

    def board_extra(self, Model, groups):
        # The board's summary bar and the won/lost colours of its columns.
        Model.get_summary(self.domain)
        ids = [g[self.group_field][0] for g in groups if g[self.group_field]]
        self.env["partner.opportunity.status"].browse(ids).read(["status_type"])

    def list_totals(self, Model, domain):
        Model.get_summary(domain)

    def drag_record(self, user):
        status_from, status_to = self.fixture["statuses"][:2]
        record = (
            self.env["partner.opportunity"]
            .sudo()
            .search(
                [
                    ("pipeline_id", "=", self.fixture["pipeline"]),
                    ("status_id", "=", status_from),
                    ("user_id", "=", user),
                ],
                limit=1,
            )
        )
        return record.id, {"status_id": status_to}


class Crm(Side):
    model = "crm.lead"
    group_field = "stage_id"
    board_sums = ["expected_revenue:sum"]
    progress = {
        "field": "activity_state",
        "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
        "sum_field": "expected_revenue",
    }
    kanban_order = None  # crm.lead's _order
    list_view = "crm.crm_case_tree_view_oppor"

    def __init__(self, env, fixture, card_limit):
        env = env(context=dict(env.context, default_type="opportunity"))
        super().__init__(env, fixture, card_limit)
        self.domain = [("type", "=", "opportunity"), ("stage_id", "in", fixture["stages"])]
        self.card_spec = specification(env, self.model, "kanban", "crm.crm_case_kanban_view_leads")
        self.list_spec = specification(env, self.model, "list", self.list_view)

    def board_extra(self, Model, groups):
        pass

    def list_totals(self, Model, domain):
        Model.read_group(domain, ["expected_revenue:sum"], [])

    def drag_record(self, user):
        ours = Ours.drag_record(self, user)  # the same opportunity, as crm.lead
        name = self.env["partner.opportunity"].sudo().browse(ours[0]).name
        lead = self.env[self.model].sudo().search([("name", "=", name)], limit=1)
        stage_to = self.fixture["stage_of_status"][str(self.fixture["statuses"][1])]
        return lead.id, {"stage_id": stage_to}


def op_board(side):
    Model = side.env[side.model]
    groups = Model.web_read_group(side.domain, side.board_sums, [side.group_field], lazy=True)[
        "groups"
    ]
    Model.read_progress_bar(side.domain, side.group_field, side.progress)
    for group in groups:
        if group[f"{side.group_field}_count"] and not group.get("__fold"):
            Model.web_search_read(
                group["__domain"], side.card_spec, limit=side.card_limit, order=side.kanban_order
            )
    side.board_extra(Model, groups)


def op_list(side):
    Model = side.env[side.model]
    Model.web_search_read(side.domain, side.list_spec, limit=80, count_limit=10001)
    side.list_totals(Model, side.domain)


def op_search(side):
    Model = side.env[side.model]
    domain = [*side.domain, ("name", "ilike", KEYWORD)]
    Model.web_search_read(domain, side.list_spec, limit=80, count_limit=10001)
    side.list_totals(Model, domain)


def op_drag(side, record_id, vals):
    side.env[side.model].browse(record_id).web_save(vals, side.card_spec)


def import_rows(count, tag):
    return [
        [f"Imported {tag} {i}", "1", f"imported{i}@example.com", CITIES[i % len(CITIES)]]
        for i in range(count)
    ]


def op_import(env, rows, auto):
    env.company.sudo().partner_opportunity_auto_create = auto
    result = (
        env["res.partner"]
        .with_context(import_file=True)
        .load(["name", "is_company", "email", "city"], rows)
    )
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    if errors or not result["ids"]:
        raise RuntimeError(f"import failed: {errors[:3]}")


# ----------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------


def measure(env, fn):
    """Wall time and query count of ``fn`` on a cold cache, in a savepoint
    rolled back afterwards. Writes are flushed and their tracking (a
    pre-commit hook) is run inside the measure."""
    cr = env.cr
    cr.execute("SAVEPOINT bench_op")
    env.invalidate_all()
    queries = cr.sql_log_count
    start = time.perf_counter()
    fn()
    env.flush_all()
    cr.precommit.run()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    env.invalidate_all()
    cr.execute("ROLLBACK TO SAVEPOINT bench_op")
    cr.precommit.clear()
    cr.postcommit.clear()
    return elapsed, queries


ROLES = {
    # role: (fixture key, what CRM's side of the comparison is)
    "agent": ("agent", "own: Personal Leads rule, salesperson = me or none (group_sale_salesman)"),
    "supervisor": ("supervisor", "all leads (group_sale_salesman_all_leads): CRM has no team rule"),
    "admin": ("admin", "all leads (group_sale_manager)"),
}


OURS_SIDE = {"agent": "own", "supervisor": "their team's", "admin": "all"}


def run(args, registry, fixture):
    results = []  # (operation, role, ours times, crm times, ours q, crm q, ours rows, crm rows)
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"})
        for role, (key, _crm_side) in ROLES.items():
            uid = fixture[key]
            env = root(user=uid, su=False)
            ours, crm = Ours(env, fixture, args.card_limit), Crm(env, fixture, args.card_limit)
            rows = (
                env["partner.opportunity"].search_count(ours.domain),
                env["crm.lead"].search_count(crm.domain),
            )
            # the agent's card: the supervisor and the administrator see it too
            agent = fixture["agent"]
            drag_ours, drag_crm = ours.drag_record(agent), crm.drag_record(agent)
            drags = {id(ours): drag_ours, id(crm): drag_crm}
            operations = [
                ("board load", op_board),
                ("list load + totals", op_list),
                (f"search '{KEYWORD}'", op_search),
                ("drag and drop", lambda s, drags=drags: op_drag(s, *drags[id(s)])),
            ]
            for label, fn in operations:
                times = {"ours": [], "crm": []}
                queries = {"ours": [], "crm": []}
                for run_index in range(args.runs + 1):  # the first run warms up
                    for name, side in (("ours", ours), ("crm", crm)):
                        elapsed, count = measure(side.env, lambda fn=fn, side=side: fn(side))
                        if run_index:
                            times[name].append(elapsed)
                            queries[name].append(count)
                results.append(
                    (
                        label,
                        role,
                        times["ours"],
                        times["crm"],
                        queries["ours"],
                        queries["crm"],
                        rows,
                    )
                )
                log(
                    f"  {role:10} {label:22} ours {1000 * statistics.median(times['ours']):8.1f} ms"
                    f"  crm {1000 * statistics.median(times['crm']):8.1f} ms"
                )
        if args.import_n:
            # CRM creates nothing when customers are imported: the import
            # without automatic opportunities is the reference.
            env = root(user=fixture["admin"], su=False)
            rows = import_rows(args.import_n, "bench")
            times = {True: [], False: []}
            queries = {True: [], False: []}
            for run_index in range(args.import_runs + 1):
                for auto in (True, False):
                    elapsed, count = measure(env, lambda auto=auto: op_import(env, rows, auto))
                    if run_index:
                        times[auto].append(elapsed)
                        queries[auto].append(count)
            results.append(
                (
                    f"import {args.import_n} customers",
                    "admin",
                    times[True],
                    times[False],
                    queries[True],
                    queries[False],
                    (args.import_n, args.import_n),
                )
            )
            log(
                f"  import: with opportunities {statistics.median(times[True]):.1f} s, "
                f"without {statistics.median(times[False]):.1f} s"
            )
        cr.rollback()
    return results


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def machine(registry):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    with registry.cursor() as cr:
        cr.execute("SHOW server_version")
        pg = cr.fetchone()[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, PostgreSQL {pg}, "
        f"Python {platform.python_version()}, Odoo {odoo.release.version}"
    )


def report(args, registry, fixture, results, elapsed):
    ms = lambda times: 1000 * statistics.median(times)  # noqa: E731
    lines = [
        "# partner_opportunity benchmark",
        "",
        f"{fixture['n']} opportunities (and as many crm.lead opportunities), 20 salespeople "
        f"in 4 teams, 2 pipelines; board of the first pipeline; median of {args.runs} runs "
        f"(import: {args.import_runs}) after a warm-up run, cold ORM cache, rolled back.",
        "",
        f"Machine: {machine(registry)}.",
        "",
        "| operation | role | rows ours / crm | ours ms | crm.lead ms | ratio "
        "| queries ours | queries crm |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, role, t_ours, t_crm, q_ours, q_crm, rows in results:
        ratio = statistics.median(t_ours) / statistics.median(t_crm)
        lines.append(
            f"| {label} | {role} | {rows[0]} / {rows[1]} | {ms(t_ours):.1f} | {ms(t_crm):.1f} "
            f"| {ratio:.2f} | {max(q_ours)} | {max(q_crm)} |"
        )
    lines += [
        "",
        "What is compared:",
        "",
        "- board load: `web_read_group` by status (crm: stage) with `expected_revenue:sum` "
        "(ours also `weighted_revenue:sum`), `read_progress_bar`, then `web_search_read` of "
        f"the first {args.card_limit} cards of every unfolded non-empty column with the kanban "
        "view's fields; ours also reads the summary bar (`get_summary`) and the status types. "
        "CRM's pipeline is its stages of that pipeline (crm has no pipeline of stages); lost "
        "crm leads are archived, so the CRM board does not show them.",
        "- list load: `web_search_read` (80 rows, count up to 10,000, the list view's fields) "
        "+ totals (ours: `get_summary`; crm: `read_group` sum of expected revenue); search: "
        f"the same with `name ilike '{KEYWORD}'`.",
        "- drag and drop: `web_save` of the status (crm: stage) of one card with the card "
        "fields read back, flushed, tracking included (ours also records the interaction).",
        f"- import: `res.partner.load` of {args.import_n} companies by the administrator with "
        "automatic opportunities (column ours) and with the setting off (column crm.lead: "
        "CRM creates nothing on import, so the plain import is the reference).",
        "- roles: "
        + "; ".join(
            f"{role}: ours = {OURS_SIDE[role]}, crm = {what}" for role, (_k, what) in ROLES.items()
        )
        + ".",
        "",
        f"Whole benchmark: {elapsed / 60:.1f} min.",
        "",
    ]
    text = "\n".join(lines)
    with open(RESULTS, "w") as f:
        f.write(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--n", type=int, default=100_000, help="opportunities to generate")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per operation")
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep {DB} and its data if they have the same --n"
    )
    parser.add_argument("--card-limit", type=int, default=80, help="cards read per column")
    parser.add_argument(
        "--import-n", type=int, default=10_000, help="customers imported (0: no import)"
    )
    parser.add_argument("--import-runs", type=int, default=2, help="measured import runs")
    args = parser.parse_args()
    start = time.perf_counter()
    config.parse_config(["-c", args.config, "-d", DB, "--log-level=warn"])
    prepare_database(args)
    registry = odoo.modules.registry.Registry(DB)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"})
        fixture = json.loads(env["ir.config_parameter"].get_param(FIXTURE_PARAM) or "null")
        if fixture and fixture["n"] != args.n:
            cr.close()
            sys.exit(f"{DB} holds {fixture['n']} opportunities, not {args.n}: run without --reuse")
        if not fixture:
            fixture = generate(env, args.n)
    log(f"Measuring ({args.runs} runs)")
    results = run(args, registry, fixture)
    report(args, registry, fixture, results, time.perf_counter() - start)


if __name__ == "__main__":
    main()
