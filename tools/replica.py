"""Proof that the board is read from a streaming read replica.

    tools/dev.sh replica [--db partner_opportunity_bench] [--n 100000]

Makes a hot standby of the project's cluster (pg_basebackup) that logs every
statement, starts Odoo with ``--db_replica_host`` on the benchmark's database
(made if missing), has an agent and the administrator open the board as the
web client does, and prints per request the statements each cluster ran.
Exits 1 if a read-only request ran a statement on the primary (Odoo's device
trace aside), or anything wrote on the replica. The replica is removed after.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter

import harness
from harness import log
from lxml import etree

from odoo.tools import config

STATEMENT = re.compile(r"\[(\d+)\] (?:\S+ )?LOG:  statement: (.*)")
# and the connection pool's reset of a connection it lends
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "START", "RESET")
TRANSACTION += ("DISCARD", "ABORT")
# Odoo writes the session's device trace on a cursor of its own, in any request.
DEVICE_TRACE = re.compile(r"^(INSERT INTO|UPDATE) res_device_log\b")
WRITE_ROUTES = ("/web/session/authenticate", "/web/action/run")  # Odoo runs them on the primary


class Cluster:
    def __init__(self, pgdata, socket_dir, port, run_as):
        self.pgdata, self.socket_dir, self.port, self.run_as = pgdata, socket_dir, port, run_as
        self.log = os.path.join(pgdata, "server.log")

    def psql(self, sql, db="postgres"):
        cmd = ["psql", "-X", "-qtA", "-h", self.socket_dir, "-p", str(self.port), "-U", "odoo"]
        return subprocess.run(
            [*cmd, "-d", db, "-c", sql], check=True, capture_output=True, text=True
        ).stdout.strip()

    def pg_ctl(self, *args):
        cmd = [*self.run_as, "pg_ctl", "-D", self.pgdata, *args]
        return subprocess.run(cmd, capture_output=True, text=True).returncode

    def size(self):
        return os.path.getsize(self.log) if os.path.exists(self.log) else 0

    def statements(self, offset, pids=None):
        """[(kind, statement)] logged since ``offset``: read, write or transaction."""
        with open(self.log, "rb") as f:
            f.seek(offset)
            lines = f.read().decode(errors="replace").splitlines()
        found = []
        for line in lines:
            if line.startswith("\t") and found and found[-1]:  # a statement's next line
                found[-1][1] += " " + line.strip()
            elif m := STATEMENT.search(line):
                found.append([int(m[1]), m[2]] if pids is None or int(m[1]) in pids else None)
            else:
                found.append(None)
        result = []
        for _pid, sql in filter(None, found):
            word = (sql.strip().lstrip("( ").split(None, 1) or [""])[0].upper()
            kind = "read" if word in ("SELECT", "WITH", "SHOW") else "write"
            result.append(("transaction" if word in TRANSACTION else kind, sql.strip()))
        return result


def make_replica(primary, replica):
    """A hot standby of ``primary`` from a fresh base backup, streaming, caught up."""
    remove_replica(replica)
    log(f"Base backup into {replica.pgdata}")
    subprocess.run(
        [*replica.run_as, "pg_basebackup", "-h", primary.socket_dir, "-U", "odoo"]
        + ["-D", replica.pgdata, "-R", "-X", "stream", "-c", "fast"],
        check=True,
    )
    with open(os.path.join(replica.pgdata, "postgresql.auto.conf"), "a") as f:
        f.write(
            f"listen_addresses = ''\nunix_socket_directories = '{replica.socket_dir}'\n"
            f"port = {replica.port}\nhot_standby = on\nlog_statement = 'all'\n"
            "log_line_prefix = '%m [%p] %d '\n"
        )
    if os.path.exists(replica.log):
        os.remove(replica.log)
    if replica.run_as:
        subprocess.run(["chown", "-R", "postgres:", replica.pgdata], check=True)
    if replica.pg_ctl("start", "-w", "-s", "-l", replica.log):
        sys.exit(f"the replica did not start: {replica.log}")
    target = primary.psql("SELECT pg_current_wal_lsn()")
    for _ in range(120):
        lsn = f"SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        if replica.psql(lsn) == "t":
            return
        time.sleep(0.5)
    sys.exit("the replica does not stream from the primary")


def remove_replica(replica):
    if os.path.exists(replica.pgdata):
        replica.pg_ctl("stop", "-m", "fast", "-w")
        shutil.rmtree(replica.pgdata)


class Recorder(harness.Client):
    """A web client session that records, per request, the statements each
    cluster ran for it: [(login, request, primary's, replica's)]."""

    def __init__(self, url, db, login, primary, replica, rows):
        super().__init__(url, db, login)
        self.clusters, self.rows = (primary, replica), rows

    def post(self, path, params):
        offsets = [c.size() for c in self.clusters]
        result = super().post(path, params)
        time.sleep(0.2)  # the logs are written as statements run
        primary, replica = self.clusters
        pids = primary.psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.db}'")
        on_primary = primary.statements(offsets[0], {int(p) for p in pids.split()})
        label = params.get("method") or path
        self.rows.append((self.login, label, path, on_primary, replica.statements(offsets[1])))
        return result


def open_board(client, fx):
    """The web client opening the board from its menu entry."""
    action_id = "partner_opportunity.partner_opportunity_action_board"
    action = client.post("/web/action/load", {"action_id": action_id})
    client.post("/web/action/run", {"action_id": action["id"], "context": client.context})
    views = [[False, "kanban"], [False, "list"], [False, "search"]]
    views = client.call("partner.opportunity", "get_views", views=views)
    arch = views["views"]["kanban"]["arch"]
    spec = harness.spec_from_arch(arch, views["models"]["partner.opportunity"]["fields"])
    bar = etree.fromstring(arch).find(".//progressbar")
    progress = {"field": bar.get("field"), "colors": json.loads(bar.get("colors"))}
    harness.rpc_board(client, fx["pipeline"], spec, progress)
    client.call("partner.opportunity", "get_summary", [("pipeline_id", "=", fx["pipeline"])])
    client.call("partner.opportunity.pipeline", "search_read", [], ["display_name"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--pgdata", required=True)
    parser.add_argument("--db", default="partner_opportunity_bench")
    parser.add_argument("--n", type=int, default=100_000, help="if the database must be made")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    fx = harness.prepare(args.config, args.db, args.n, reuse=True)
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    primary = Cluster(args.pgdata, os.environ["PGHOST"], 5432, run_as)
    replica_dir = args.pgdata.rstrip("/") + "-replica"
    replica = Cluster(replica_dir, replica_dir, 5433, run_as)
    logfile = os.path.join(os.path.dirname(os.path.abspath(args.config)), "replica-odoo.log")
    rows = []
    try:
        make_replica(primary, replica)
        primary.psql(f"ALTER DATABASE \"{args.db}\" SET log_statement = 'all'")
        replica_options = [f"--db_replica_host={replica.socket_dir}", "--db_replica_port=5433"]
        with harness.server(args.config, args.db, logfile, "--workers=2", *replica_options) as url:
            for login in ("bench_agent_1_1", "bench_admin"):
                client = Recorder(url, args.db, login, primary, replica, rows)
                client.authenticate()
                open_board(client, fx)
    finally:
        primary.psql(f'ALTER DATABASE "{args.db}" RESET log_statement')
        remove_replica(replica)
    wrong = []  # a read-only request served by the primary; a write on the replica
    print("\n| user | request | primary: reads / writes / transaction | replica |")
    print("| --- | --- | ---: | ---: |")
    for login, label, path, on_primary, on_replica in rows:
        counts = [Counter(kind for kind, _sql in s) for s in (on_primary, on_replica)]
        cells = [f"{c['read']} / {c['write']} / {c['transaction']}" for c in counts]
        print(f"| {login} | {label} | {cells[0]} | {cells[1]} |")
        if path not in WRITE_ROUTES:
            wrong += [s for k, s in on_primary if k != "transaction" and not DEVICE_TRACE.match(s)]
        wrong += [f"replica: {s}" for k, s in on_replica if k == "write"]
    with open(logfile) as f:
        wrong += [line for line in f if "retrying with a read/write cursor" in line]
    print("".join(f"\n    {s[:150]}" for s in wrong[:10]))
    print("NOT OK (above)." if wrong else "OK: every read-only request ran on the replica.")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
