"""Proof that the board is served by a read replica (issue 16).

Odoo 18 sends the requests of methods marked ``@api.readonly`` (the web
client's reads: ``web_search_read``, ``web_read_group``, ``read_progress_bar``,
``read``, ``search_read``, ``get_views``... and our ``get_summary``) to the
database of ``--db_replica_host``/``--db_replica_port`` when it is set, and the
others to the primary. This tool:

1. makes a streaming replica of the project's PostgreSQL cluster: a base
   backup (``pg_basebackup -R -X stream``) into ``<pgdata>-replica``, started
   as a hot standby on its own socket directory and port, that logs every
   statement;
2. starts Odoo (2 workers, 127.0.0.1) on the benchmark's database with
   ``--db_replica_host`` pointing at it, and for the time of the run makes
   the primary log the statements of that database (``ALTER DATABASE ... SET
   log_statement``, reset afterwards);
3. logs in as an agent and as the administrator over JSON-RPC and opens the
   board as the web client does (``/web/action/load``, ``/web/action/run`` of
   the board's server action, ``get_views``, ``web_read_group``,
   ``read_progress_bar``, ``web_search_read`` of each column, the status
   types, the pipeline switcher; and ``get_summary``, the list's summary);
4. prints, per request, the statements each cluster ran for it (reads,
   writes, transaction control), and per phase the database's counters in
   ``pg_stat_database`` on both clusters; then stops Odoo and the replica and
   removes the replica (``--keep`` keeps it).

Run it through ``tools/dev.sh replica [--db DB]`` (default
``partner_opportunity_bench``, made by ``tools/dev.sh bench``). It exits 1 if a
read-only request ran a statement on the primary, or a write on the replica.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from benchmark import spec_from_arch as card_spec
from lxml import etree

PRIMARY_PORT = 5432
STATS_FLUSH = 11  # s: PostgreSQL 15 backends flush their statistics after 10 s idle
SUMS = ["expected_revenue:sum", "weighted_revenue:sum"]
STATEMENT = re.compile(r"\[(\d+)\] (?:\S+ )?LOG:  statement: (.*)")
READS = ("SELECT", "WITH", "SHOW", "VALUES", "TABLE")
# transaction control, and the connection pool's reset of a connection it lends
TRANSACTION = (
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "SET",
    "START",
    "RESET",
    "DISCARD",
)
COUNTERS = [
    "xact_commit",
    "xact_rollback",
    "tup_returned",
    "tup_fetched",
    "tup_inserted",
    "tup_updated",
    "tup_deleted",
]


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------


class Cluster:
    def __init__(self, name, pgdata, socket_dir, port, run_as):
        self.name = name
        self.pgdata = pgdata
        self.socket_dir = socket_dir
        self.port = port
        self.run_as = run_as  # ["runuser", "-u", "postgres", "--"] as root, else []

    def psql(self, sql, db="postgres"):
        out = subprocess.run(
            ["psql", "-X", "-qtA", "-h", self.socket_dir, "-p", str(self.port), "-U", "odoo"]
            + ["-d", db, "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def pg_ctl(self, *args, check=True):
        return subprocess.run(
            [*self.run_as, "pg_ctl", "-D", self.pgdata, *args],
            check=check,
            capture_output=True,
            text=True,
        )

    def running(self):
        return os.path.exists(self.pgdata) and self.pg_ctl("status", check=False).returncode == 0

    def log_path(self):
        return os.path.join(self.pgdata, "server.log")

    def log_size(self):
        try:
            return os.path.getsize(self.log_path())
        except OSError:
            return 0

    def statements(self, offset, pids=None):
        """Statements logged since ``offset``: [(pid, statement)]. A statement
        of several lines goes on in the lines after its own, indented."""
        with open(self.log_path(), "rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
        found = []
        current = None
        for line in text.splitlines():
            if line.startswith("\t") and current is not None:
                current[1].append(line.strip())
                continue
            current = None
            m = STATEMENT.search(line)
            if m and (pids is None or int(m[1]) in pids):
                current = (int(m[1]), [m[2].strip()])
                found.append(current)
        return [(pid, " ".join(part for part in parts if part)) for pid, parts in found]

    def counters(self, db):
        row = self.psql(
            f"SELECT pg_stat_clear_snapshot(); SELECT {', '.join(COUNTERS)} "
            f"FROM pg_stat_database WHERE datname = '{db}'"
        )
        return dict(zip(COUNTERS, map(int, row.splitlines()[-1].split("|")), strict=True))


# Odoo's trace of a session's device (res.device.log._update_device): on any
# request, read-only or not, once in a while, on a read/write cursor of its own.
DEVICE_TRACE = re.compile(r"^(INSERT INTO|UPDATE|DELETE FROM) res_device_log\b")


def kind(sql):
    word = sql.lstrip("( ").split(None, 1)[0].upper() if sql.strip() else ""
    if word in READS:
        return "read"
    if word in TRANSACTION:
        return "transaction"
    return "write"


def served_by(statements):
    """What a request asked of a cluster, but for transaction control and
    Odoo's device trace."""
    return [
        sql
        for _pid, sql in statements
        if kind(sql) != "transaction" and not DEVICE_TRACE.match(sql)
    ]


def kinds(statements):
    counts = {"read": 0, "write": 0, "transaction": 0}
    for _pid, sql in statements:
        counts[kind(sql)] += 1
    return counts


def make_replica(primary, replica):
    """A hot standby of ``primary`` in ``replica.pgdata``, from a fresh base
    backup, streaming from it."""
    settings = dict(
        line.split("|", 1)
        for line in primary.psql(
            "SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_wal_senders')"
        ).splitlines()
    )
    if settings["wal_level"] not in ("replica", "logical") or int(settings["max_wal_senders"]) < 2:
        sys.exit(
            f"the primary cannot stream to a replica: wal_level={settings['wal_level']}, "
            f"max_wal_senders={settings['max_wal_senders']} (need replica and >= 2)"
        )
    stop_replica(replica)
    parent = os.path.dirname(replica.pgdata)
    os.makedirs(parent, exist_ok=True)
    t0 = time.perf_counter()
    log(f"Base backup of {primary.pgdata} into {replica.pgdata} (pg_basebackup -R -X stream)")
    subprocess.run(
        [*replica.run_as, "pg_basebackup", "-h", primary.socket_dir, "-p", str(primary.port)]
        + ["-U", "odoo", "-D", replica.pgdata, "-R", "-X", "stream", "-c", "fast"],
        check=True,
    )
    size = subprocess.run(
        ["du", "-sh", replica.pgdata], capture_output=True, text=True
    ).stdout.split()[0]
    log(f"  {size} in {time.perf_counter() - t0:.0f} s")
    # Its own socket and port, and every statement in its log. pg_basebackup
    # -R wrote standby.signal and primary_conninfo (postgresql.auto.conf).
    with open(os.path.join(replica.pgdata, "postgresql.auto.conf"), "a") as f:
        f.write(
            "\n# tools/replica.py\n"
            "listen_addresses = ''\n"
            f"unix_socket_directories = '{replica.socket_dir}'\n"
            f"port = {replica.port}\n"
            "hot_standby = on\n"
            "log_statement = 'all'\n"
            "log_line_prefix = '%m [%p] %d '\n"
        )
    for name in ("server.log", "postmaster.opts"):
        try:
            os.remove(os.path.join(replica.pgdata, name))
        except FileNotFoundError:
            pass
    if replica.run_as:
        subprocess.run(["chown", "-R", "postgres:", replica.pgdata], check=True)
    log(f"Starting the replica on {replica.socket_dir}, port {replica.port}")
    result = replica.pg_ctl("start", "-w", "-s", "-l", replica.log_path(), check=False)
    if result.returncode:
        with open(replica.log_path()) as f:
            print(f.read()[-3000:], file=sys.stderr)
        sys.exit("the replica did not start (its log above)")
    target = primary.psql("SELECT pg_current_wal_lsn()")
    for _ in range(120):
        state = primary.psql(
            "SELECT state FROM pg_stat_replication WHERE state = 'streaming' LIMIT 1"
        )
        caught_up = replica.psql(
            f"SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        )
        if state == "streaming" and caught_up == "t":
            break
        time.sleep(0.5)
    else:
        sys.exit("the replica does not stream from the primary")
    log("  streaming, in recovery (read-only), caught up")


def stop_replica(replica):
    if replica.running():
        log(f"Stopping the replica in {replica.pgdata}")
        replica.pg_ctl("stop", "-m", "fast", "-w")
    if os.path.exists(replica.pgdata):
        shutil.rmtree(replica.pgdata)


# ----------------------------------------------------------------------------
# Odoo and its web client
# ----------------------------------------------------------------------------


class Client:
    """A JSON-RPC session, as the web client's."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.context = {}

    def post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        request = urllib.request.Request(
            self.url + path, body.encode(), {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(f"{path}: {json.dumps(answer['error'])[:1000]}")
        return answer["result"]

    def authenticate(self, db, login):
        info = self.post("/web/session/authenticate", {"db": db, "login": login, "password": login})
        self.context = dict(info["user_context"])
        self.context["allowed_company_ids"] = [info["user_companies"]["current_company"]]
        return info

    def call(self, model, method, args=(), context=None, **kwargs):
        kwargs["context"] = {**self.context, **(context or {})}
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def free_pair(start):
    import socket

    for port in range(start, start + 200, 2):
        try:
            for p in (port, port + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return port
    sys.exit(f"no two free ports from {start}")


def wait_http(url, process, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("Odoo stopped while starting (see its log)")
        try:
            with urllib.request.urlopen(url + "/web/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"Odoo did not answer on {url}")


def open_action(client, record):
    """The web client opening the board's menu entry: its action, a server
    action that returns the board's window action. Each request is recorded
    by ``record(label, readonly route?, fn)``."""
    action = record(
        "/web/action/load (the menu's action)",
        True,
        lambda: client.post(
            "/web/action/load",
            {"action_id": "partner_opportunity.partner_opportunity_action_board"},
        ),
    )
    window = record(
        "/web/action/run (its server action: action_open_board)",
        False,
        lambda: client.post(
            "/web/action/run", {"action_id": action["id"], "context": client.context}
        ),
    )
    return window


def open_board(client, record, window):
    """The web client loading the board of ``window``: its views, then its
    data."""
    Model = "partner.opportunity"
    context = window.get("context") or {}
    if isinstance(context, str):  # an expression for the client to evaluate
        context = {}
    pipeline = context.get("default_pipeline_id")
    views = record(
        "get_views",
        True,
        lambda: client.call(
            Model,
            "get_views",
            context=context,
            views=[[False, "kanban"], [False, "list"], [False, "form"], [False, "search"]],
            options={"action_id": window.get("id"), "load_filters": True, "toolbar": True},
        ),
    )
    arch = views["views"]["kanban"]["arch"]
    fields = views["models"][Model]["fields"]
    spec = card_spec(arch, fields)
    progressbar = etree.fromstring(arch).find(".//progressbar")
    domain = [["pipeline_id", "=", pipeline]] if pipeline else []
    groups = record(
        "web_read_group (columns, sums)",
        True,
        lambda: client.call(
            Model,
            "web_read_group",
            [domain, SUMS, ["status_id"]],
            context=context,
            lazy=True,
        ),
    )["groups"]
    if progressbar is not None:
        record(
            "read_progress_bar",
            True,
            lambda: client.call(
                Model,
                "read_progress_bar",
                [domain, "status_id"],
                context=context,
                progress_bar={
                    "field": progressbar.get("field"),
                    "colors": json.loads(progressbar.get("colors", "{}")),
                    "sum_field": progressbar.get("sum_field"),
                },
            ),
        )
    shown = [g for g in groups if g["status_id_count"] and not g.get("__fold")]
    for group in shown:
        record(
            f"web_search_read (column {group['status_id'][1]})",
            True,
            lambda group=group: client.call(
                Model,
                "web_search_read",
                [group["__domain"], spec],
                context=context,
                limit=80,
            ),
        )
    ids = [g["status_id"][0] for g in groups if g["status_id"]]
    record(
        "read (status types, the columns' colours)",
        True,
        lambda: client.call(
            "partner.opportunity.status", "read", [ids, ["status_type"]], context=context
        ),
    )
    # The board's summary bar sums its columns (issue 16); the list's asks
    # get_summary: read-only too.
    record(
        "get_summary (the list's summary bar)",
        True,
        lambda: client.call(Model, "get_summary", [domain], context=context),
    )
    record(
        "search_read (the pipeline switcher)",
        True,
        lambda: client.call(
            "partner.opportunity.pipeline",
            "search_read",
            [[], ["display_name"]],
            context=context,
        ),
    )
    return len(shown)


# ----------------------------------------------------------------------------
# The proof
# ----------------------------------------------------------------------------


def db_pids(cluster, db):
    out = cluster.psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'")
    return {int(p) for p in out.split()}


def counters_delta(before, after):
    return {k: after[k] - before[k] for k in COUNTERS}


def session(args, primary, replica, url, login, rows):
    """``login`` logs in and opens the board; each request goes to ``rows``
    with the statements each cluster ran for it. Returns the number of columns
    read, and the database's counters on each cluster per phase."""
    client = Client(url)

    def record(label, readonly, fn):
        p0, r0 = primary.log_size(), replica.log_size()
        result = fn()
        time.sleep(0.2)  # the logs are written as statements run
        pids = db_pids(primary, args.db)
        rows.append((login, label, readonly, primary.statements(p0, pids), replica.statements(r0)))
        return result

    record(
        "/web/session/authenticate (login)",
        False,
        lambda: client.authenticate(args.db, login),
    )
    # The statistics a backend gathers reach pg_stat_database once it has
    # been idle a while: counters are read after STATS_FLUSH seconds.
    phases = {}
    time.sleep(STATS_FLUSH)
    before = {c.name: c.counters(args.db) for c in (primary, replica)}
    results = []
    for phase, fn in (
        ("menu entry: /web/action/load + /web/action/run", lambda: open_action(client, record)),
        ("board: get_views and the data requests", lambda: open_board(client, record, *results)),
    ):
        results.append(fn())
        time.sleep(STATS_FLUSH)
        after = {c.name: c.counters(args.db) for c in (primary, replica)}
        phases[phase] = {n: counters_delta(before[n], after[n]) for n in before}
        before = after
    return results[-1], phases


def run(args):
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    primary = Cluster("primary", args.pgdata, args.primary_host, PRIMARY_PORT, run_as)
    replica_dir = args.replica_dir or args.pgdata.rstrip("/") + "-replica"
    replica = Cluster("replica", replica_dir, replica_dir, args.replica_port, run_as)
    exists = primary.psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'")
    if exists != "1":
        sys.exit(f"no database {args.db}: make it with tools/dev.sh bench --generate-only")
    odoo = None
    logged = False
    ok = True
    try:
        make_replica(primary, replica)
        # The primary logs this database's statements for the time of the run.
        primary.psql(f"ALTER DATABASE \"{args.db}\" SET log_statement = 'all'")
        logged = True
        url = f"http://127.0.0.1:{args.port}"
        odoo_log = os.path.join(args.build, "replica-odoo.log")
        cmd = [
            sys.executable,
            os.path.join(args.odoo_src, "odoo-bin"),
            "-c",
            args.config,
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            f"--gevent-port={args.port + 1}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            f"--db_replica_host={replica.socket_dir}",
            f"--db_replica_port={replica.port}",
            f"--logfile={odoo_log}",
            "--log-level=info",
        ]
        if os.path.exists(odoo_log):
            os.remove(odoo_log)
        log(f"Starting Odoo on {url} ({args.workers} workers), replica {replica.socket_dir}")
        odoo = subprocess.Popen(cmd, start_new_session=True)
        wait_http(url, odoo)
        rows = []  # (user, label, readonly, primary statements, replica statements)
        totals = {}
        for login in args.logins:
            totals[login] = session(args, primary, replica, url, login, rows)
        with open(odoo_log) as f:
            retried = [line.strip() for line in f if "retrying with a read/write cursor" in line]
        ok = report(args, rows, totals, retried)
    finally:
        if odoo is not None and odoo.poll() is None:
            log("Stopping Odoo")
            os.killpg(odoo.pid, signal.SIGTERM)
            try:
                odoo.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(odoo.pid, signal.SIGKILL)
                odoo.wait()
        if logged:
            primary.psql(f'ALTER DATABASE "{args.db}" RESET log_statement')
        if args.keep:
            log(f"Replica kept in {replica.pgdata} (running)")
        else:
            stop_replica(replica)
    return ok


def report(args, rows, totals, retried):
    ok = True
    dump = os.path.join(args.build, "replica-statements.log")
    with open(dump, "w") as f:
        for login, label, readonly, on_primary, on_replica in rows:
            f.write(f"## {login}: {label} (read-only route: {readonly})\n")
            for name, statements in (("primary", on_primary), ("replica", on_replica)):
                for pid, sql in statements:
                    f.write(f"{name} [{pid}] {sql[:300]}\n")
            f.write("\n")
    print(f"\n# Read replica: the board of {args.db}\n")
    print(
        "Statements each PostgreSQL cluster ran for each request (log_statement = all; "
        "reads / writes / transaction control):\n"
    )
    print("| user | request | read-only route | primary | replica |")
    print("| --- | --- | :---: | ---: | ---: |")

    def fmt(statements):
        k = kinds(statements)
        return f"{k['read']} / {k['write']} / {k['transaction']}"

    for login, label, readonly, on_primary, on_replica in rows:
        print(
            f"| {login} | {label} | {'yes' if readonly else 'no'} "
            f"| {fmt(on_primary)} | {fmt(on_replica)} |"
        )
        if readonly and served_by(on_primary):
            ok = False
        if kinds(on_replica)["write"]:
            ok = False
    print("\nThe database's counters in pg_stat_database (its statistics) on each cluster:\n")
    print("| user | requests | cluster | " + " | ".join(COUNTERS) + " |")
    print("| --- | --- | --- | " + " | ".join("---:" for _ in COUNTERS) + " |")
    for login, (_columns, phases) in totals.items():
        for phase, deltas in phases.items():
            for name, delta in deltas.items():
                print(
                    f"| {login} | {phase} | {name} | "
                    + " | ".join(str(delta[c]) for c in COUNTERS)
                    + " |"
                )
    if retried:
        ok = False
        print(f"\n{len(retried)} read-only requests wrote and were retried on the primary:")
        print("\n".join(retried[:10]))
    print()
    writes = [
        (login, label, sql)
        for login, label, _r, on_primary, _on_replica in rows
        for _pid, sql in on_primary
        if kind(sql) == "write"
    ]
    if writes:
        print("Writes on the primary:")
        for login, label, sql in writes[:20]:
            print(f"- {login}, {label}: `{sql[:90]}...`")
        print()
    print(f"Every statement, by request: {dump}")
    print(
        "OK: every read-only request ran on the replica, the primary only wrote Odoo's "
        "device trace for them (res_device_log), and nothing wrote on the replica."
        if ok
        else "NOT OK: a read-only request was served by the primary, or something wrote "
        "on the replica (above)."
    )
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", default="partner_opportunity_bench")
    parser.add_argument("--pgdata", required=True, help="the primary cluster's data directory")
    parser.add_argument(
        "--primary-host", default=os.environ.get("PGHOST"), help="the primary's socket directory"
    )
    parser.add_argument("--replica-dir", help="default: <pgdata>-replica (socket there too)")
    parser.add_argument("--replica-port", type=int, default=5433)
    parser.add_argument(
        "--port",
        type=int,
        help="Odoo's HTTP port, and +1 its gevent port (default: the first free pair from 18160)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--build", required=True, help="where Odoo's log goes")
    parser.add_argument(
        "--logins",
        nargs="+",
        default=["bench_agent_1_1", "bench_admin"],
        help="users who open the board (password = login, as the benchmark makes them)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the replica running")
    args = parser.parse_args()
    if not args.port:
        args.port = free_pair(18160)
    # stopped (SIGTERM), it still stops Odoo and the replica (run's finally)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(0 if run(args) else 1)


if __name__ == "__main__":
    main()
