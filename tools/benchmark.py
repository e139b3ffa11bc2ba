"""Benchmark partner_opportunity at scale, side by side with Odoo CRM (issue 8).

Not part of the test suite. Run it through ``tools/dev.sh bench [--n N] [--runs R]``,
or with the project's venv:

    ~/.cache/partner-opportunity/venv/bin/python tools/benchmark.py \
        --config .build/odoo.conf [--n 100000] [--runs 5] [--reuse]

It works in a database of its own, ``partner_opportunity_bench`` (``--db``), with
partner_opportunity and Odoo's ``crm`` installed side by side (crm only there:
the addon does not depend on it) and no demo data. It generates the same
opportunities twice, as ``partner.opportunity`` and as ``crm.lead``
(type "opportunity"), over 20 salespeople in 4 sales teams and 2 pipelines,
with their chatter and followers, by PostgreSQL's bulk paths (bench_data.py;
``--orm``: through the ORM; ``--check-generator``: both on a sample, compared),
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
import statistics
import subprocess
import sys
import time

import bench_data
from bench_data import CITIES, KEYWORD
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, config

DB = "partner_opportunity_bench"
FIXTURE_PARAM = "partner_opportunity_bench.fixture"
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "benchmark_results.md")

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


def odoo_bin(args, *options):
    odoo_src = os.path.dirname(os.path.dirname(odoo.__file__))
    cmd = [
        sys.executable,
        os.path.join(odoo_src, "odoo-bin"),
        "-c",
        args.config,
        "-d",
        args.db,
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
        *options,
    ]
    subprocess.run(cmd, check=True)


def database_exists(db):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return bool(cr.fetchone())


def prepare_database(args):
    db = args.db
    if args.reuse and database_exists(db):
        log(f"Reusing {db}: updating partner_opportunity")
        odoo_bin(args, "-u", "partner_opportunity")
        return
    if database_exists(db):
        log(f"Dropping {db}")
        odoo.service.db.exp_drop(db)
    log(f"Creating {db} with partner_opportunity and crm, without demo data")
    odoo_bin(args, "-i", "partner_opportunity,crm", "--without-demo=all")


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def generate(env, n, seed=8, orm=False):
    """The opportunities and leads, by the bulk generator of bench_data (or
    through the ORM with ``orm``), and the fixture the measures use."""
    fixture = bench_data.generate(env, n, seed=seed, orm=orm)
    env["ir.config_parameter"].sudo().set_param(FIXTURE_PARAM, json.dumps(fixture))
    env.cr.commit()
    return fixture


# ----------------------------------------------------------------------------
# What the web client asks for
# ----------------------------------------------------------------------------


def specification(env, model, view_type, view_ref=None):
    """The ``specification`` the web client derives from a view, as the user
    gets the view (the fields their groups keep): see spec_from_arch."""
    view_id = env.ref(view_ref).id if view_ref else False
    arch = env[model].get_views([(view_id, view_type)])["views"][view_type]["arch"]
    return spec_from_arch(arch, env[model].fields_get(attributes=["type"]))


def spec_from_arch(arch, fields):
    """The fields of ``arch`` (``fields``: their types, as ``fields_get``
    gives them), visible many2ones with their name, tags with their colour,
    and the fields the activity widget depends on. Also used by replica.py."""
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        ftype = fields[name]["type"]
        if ftype == "many2one":
            # An invisible many2one comes without its name.
            invisible = node.get("invisible") in ("1", "True")
            spec[name] = {"fields": {} if invisible else {"display_name": {}}}
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
        # The won/lost colours of its columns; the summary bar sums the
        # columns' groups in the browser (no request).
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


def explain_board(side):
    """EXPLAIN ANALYZE of the board's aggregates (its columns and their
    progress bars) as ``side``'s user: the SQL Odoo sends, rule included."""
    cr = side.env.cr
    Cursor = type(cr)
    execute = Cursor.execute
    captured = []

    def capture(self, query, params=None, log_exceptions=True):
        captured.append((query, params))
        return execute(self, query, params, log_exceptions)

    Model = side.env[side.model]
    side.env.invalidate_all()
    Cursor.execute = capture
    try:
        Model.web_read_group(side.domain, side.board_sums, [side.group_field], lazy=True)
        Model.read_progress_bar(side.domain, side.group_field, side.progress)
    finally:
        Cursor.execute = execute
    plans = []
    for query, params in captured:
        if "GROUP BY" not in str(query):
            continue
        if isinstance(query, SQL):
            cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
        else:
            cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}", params)
        plans.append("\n".join(row[0] for row in cr.fetchall()))
    return plans


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
    """What the import dialog sends, with its defaults ("Track history" off)."""
    env.company.sudo().partner_opportunity_auto_create = auto
    result = (
        env["res.partner"]
        .with_context(import_file=True, tracking_disable=True)
        .load(["name", "is_company", "email", "city"], rows)
    )
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    if errors or not result["ids"]:
        raise RuntimeError(f"import failed: {errors[:3]}")
    return result["ids"]


def op_import_job(env):
    """The job the import triggered, run as the cron worker does (batch after
    batch in one run), until every imported customer has its opportunity."""
    Partner = env["res.partner"].sudo()
    pending = [("partner_opportunity_import_company_id", "!=", False)]
    while Partner.search_count(pending):
        Partner._cron_partner_opportunity_create()
        env.flush_all()


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
    explains = []  # (role, model, plans)
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
        if args.explain:
            for role, (key, _crm_side) in ROLES.items():
                env = root(user=fixture[key], su=False)
                for side in (
                    Ours(env, fixture, args.card_limit),
                    Crm(env, fixture, args.card_limit),
                ):
                    explains.append((role, side.model, explain_board(side)))
        if args.import_n:
            # CRM creates nothing when customers are imported: the import
            # without automatic opportunities is the reference.
            env = root(user=fixture["admin"], su=False)
            rows = import_rows(args.import_n, "bench")
            times = {True: [], False: []}
            queries = {True: [], False: []}
            job_times, job_queries, created = [], [], []

            def import_then_job():
                # The job's time alone, after an import (not timed), rolled back.
                cr = env.cr
                cr.execute("SAVEPOINT bench_job")
                ids = op_import(env, rows, True)
                env.flush_all()
                cr.precommit.run()
                env.invalidate_all()
                count = cr.sql_log_count
                start = time.perf_counter()
                op_import_job(env)
                job_times.append(time.perf_counter() - start)
                job_queries.append(cr.sql_log_count - count)
                created.append(
                    env["partner.opportunity"].sudo().search_count([("partner_id", "in", ids)])
                )
                env.invalidate_all()
                cr.execute("ROLLBACK TO SAVEPOINT bench_job")
                cr.precommit.clear()
                cr.postcommit.clear()

            for run_index in range(args.import_runs + 1):
                for auto in (True, False):
                    elapsed, count = measure(env, lambda auto=auto: op_import(env, rows, auto))
                    if run_index:
                        times[auto].append(elapsed)
                        queries[auto].append(count)
                if run_index:
                    import_then_job()
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
            results.append(
                (
                    f"job: opportunities of the {args.import_n} imported customers",
                    "cron",
                    job_times,
                    None,
                    job_queries,
                    None,
                    (min(created), None),
                )
            )
            log(
                f"  import: with opportunities {statistics.median(times[True]):.1f} s, "
                f"without {statistics.median(times[False]):.1f} s; the job "
                f"{statistics.median(job_times):.1f} s for {min(created)} opportunities"
            )
        cr.rollback()
    return results, explains


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


def report(args, registry, fixture, results, explains, elapsed):
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
        if t_crm is None:  # ours only (the import's job)
            lines.append(
                f"| {label} | {role} | {rows[0]} / — | {ms(t_ours):.1f} | — | — "
                f"| {max(q_ours)} | — |"
            )
            continue
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
        "view's fields; ours also reads the status types (its summary bar adds up the "
        "columns in the browser). "
        "CRM's pipeline is its stages of that pipeline (crm has no pipeline of stages); lost "
        "crm leads are archived, so the CRM board does not show them.",
        "- list load: `web_search_read` (80 rows, count up to 10,000, the list view's fields) "
        "+ totals (ours: `get_summary`; crm: `read_group` sum of expected revenue); search: "
        f"the same with `name ilike '{KEYWORD}'`.",
        "- drag and drop: `web_save` of the status (crm: stage) of one card with the card "
        "fields read back, flushed, tracking included (ours also records the interaction).",
        f"- import: `res.partner.load` of {args.import_n} companies by the administrator, "
        "with the import dialog's context (`import_file`, `tracking_disable`: 'Track history' "
        "off by default), with automatic opportunities (column ours) and with the setting off "
        "(column crm.lead: CRM creates nothing on import, so the plain import is the "
        "reference); job: the cron job the import triggers, creating their opportunities "
        "afterwards (1,000 per batch), timed alone.",
        "- roles: "
        + "; ".join(
            f"{role}: ours = {OURS_SIDE[role]}, crm = {what}" for role, (_k, what) in ROLES.items()
        )
        + ".",
        "",
        f"Whole benchmark: {elapsed / 60:.1f} min.",
        "",
    ]
    for role, model, plans in explains:
        lines += [f"## EXPLAIN ANALYZE: board aggregates, {role}, {model}", ""]
        for plan in plans:
            lines += ["```", plan, "```", ""]
    text = "\n".join(lines)
    with open(args.results, "w") as f:
        f.write(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--n", type=int, default=100_000, help="opportunities to generate")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per operation")
    parser.add_argument("--db", default=DB, help=f"the benchmark's database (default {DB})")
    parser.add_argument(
        "--reuse", action="store_true", help="keep --db and its data if they have the same --n"
    )
    parser.add_argument("--seed", type=int, default=8, help="random seed of the data")
    parser.add_argument(
        "--orm",
        action="store_true",
        help="make the data through the ORM, as users do (hours at 1,000,000), "
        "instead of the bulk generator",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="make the database and its data, measure nothing",
    )
    parser.add_argument(
        "--check-generator",
        action="store_true",
        help="make --check-n opportunities and leads both ways in two databases "
        "<--db>_check_orm and <--db>_check_bulk, compare them column by column, "
        "exit 1 if they differ",
    )
    parser.add_argument("--check-n", type=int, default=200, help="size of the check's sample")
    parser.add_argument("--keep", action="store_true", help="keep the check's databases")
    parser.add_argument("--card-limit", type=int, default=80, help="cards read per column")
    parser.add_argument(
        "--import-n", type=int, default=10_000, help="customers imported (0: no import)"
    )
    parser.add_argument("--import-runs", type=int, default=2, help="measured import runs")
    parser.add_argument("--results", default=RESULTS, help="the Markdown table's file")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also EXPLAIN ANALYZE the board's aggregates for each role (to --results)",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    if args.check_generator:
        same = bench_data.check(
            args.config, f"{args.db}_check", args.check_n, args.seed, keep=args.keep
        )
        sys.exit(0 if same else 1)
    prepare_database(args)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "tz": "UTC"})
        fixture = json.loads(env["ir.config_parameter"].get_param(FIXTURE_PARAM) or "null")
        if fixture and fixture["n"] != args.n:
            cr.close()
            sys.exit(
                f"{args.db} holds {fixture['n']} opportunities, not {args.n}: run without --reuse"
            )
        if not fixture:
            fixture = generate(env, args.n, seed=args.seed, orm=args.orm)
    if args.generate_only:
        log(f"{args.db}: {fixture['n']} opportunities and leads, nothing measured")
        return
    log(f"Measuring ({args.runs} runs)")
    results, explains = run(args, registry, fixture)
    report(args, registry, fixture, results, explains, time.perf_counter() - start)


if __name__ == "__main__":
    main()
