"""The benchmark's data (issue 16): the same opportunities as
``partner.opportunity`` and as ``crm.lead``, written two ways.

- ``generate_orm``: through the ORM, as users make them: each opportunity is
  created by its salesperson in the first status of its pipeline (CRM: the
  first stage), with tracking and followers on, then the ones whose status is
  another are dragged there (CRM: moved to the stage, then marked lost for the
  lost ones). About 20 ms per opportunity and lead: hours for 1,000,000.
- ``generate_bulk``: the same rows written by PostgreSQL's bulk paths (COPY of
  the plan, then ``INSERT ... SELECT``). It first makes one *prototype* per
  status and team through ``generate_orm`` itself, and copies every stored
  column, chatter message, tracking value, follower (with its subtypes) and
  interaction the ORM wrote for it; what differs from one opportunity to the
  next (name, customer, salesperson, amounts, dates, ids, message authors) is
  set in SQL by the rules of the models' computes. A column the models add
  later is copied from the prototype, with the ORM's value. The prototypes are
  deleted afterwards, and a guard refuses to go on if they wrote to a table
  the bulk path does not reproduce.

``check`` runs both on the same plan in two copies of one database and
compares them column by column (``benchmark.py --check-generator``).
"""

import io
import random
import socket
import time
from collections import defaultdict
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api

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
CONTEXT = {"lang": "en_US", "tz": "UTC"}
# The open probabilities a salesperson gives; won and lost ones are 100 and 0.
# Not 50: CRM's predictive lead scoring gives exactly 50 % while it has no
# won or lost lead to learn from, and a lead whose probability equals the
# automated one follows it from then on (CRM's "automated probability"):
# its probability would depend on the order the leads were made in.
PROBABILITIES = [10, 30, 60, 70, 90]
# Tables the prototypes may write to that generate_bulk does not copy: the
# predictive lead scoring frequencies, rebuilt from the leads by CRM's cron.
REBUILT_TABLES = {"crm_lead_scoring_frequency"}


def log(message):
    print(f"==> {message}", flush=True, file=__import__("sys").stderr)


# ----------------------------------------------------------------------------
# Users, pipelines and customers
# ----------------------------------------------------------------------------


def make_users(env):
    """4 teams, each led by a supervisor who is also its member, 4 agents each,
    and an administrator. The same users work both apps; their CRM groups are
    the closest CRM has to ours (see benchmark.ROLES)."""
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
        team = (
            env["crm.team"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "name": f"Bench team {t}",
                    "user_id": supervisor.id,
                    "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members],
                }
            )
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


class Setup:
    """Who and what the opportunities are made of, as ids (the same in a
    copy of the database)."""

    def __init__(self, admin, teams, salespeople, pipelines, customers):
        self.admin = admin  # user id
        self.teams = teams  # [(team id, supervisor id, [member ids])]
        self.salespeople = salespeople  # [(user id, team id)]
        # [(pipeline id, share, [(status id, stage id, status type, weight)])]
        self.pipelines = pipelines
        self.customers = customers  # [(id, name, city)]

    def fixture(self, n):
        """What benchmark.py measures with (stored in the database)."""
        team_id, supervisor, members = self.teams[0]
        pipeline, _share, rows = self.pipelines[0]
        return {
            "n": n,
            "admin": self.admin,
            "supervisor": supervisor,
            "agent": next(m for m in members if m != supervisor),
            "pipeline": pipeline,
            "statuses": [row[0] for row in rows],
            "stages": sorted({row[1] for row in rows}),
            "stage_of_status": {str(row[0]): row[1] for p in self.pipelines for row in p[2]},
        }


def make_setup(env, n, seed):
    """Users, teams, pipelines and ``n // 5`` customers (companies, each in one
    of CITIES), through the ORM without tracking: they are not compared."""
    start = time.perf_counter()
    rnd = random.Random(seed)
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            partner_opportunity_no_auto=True,
        )
    )
    admin, teams, salespeople = make_users(env)
    pipelines = make_statuses(env)
    count = max(n // 5, 10)
    customers = []
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
    log(f"  users, teams, pipelines and {count} customers: {time.perf_counter() - start:.0f} s")
    return Setup(
        admin.id,
        [(t.id, t.user_id.id, t.member_ids.ids) for t in teams],
        [(u.id, t.id) for u, t in salespeople],
        [
            (p.id, share, [(s.id, stage.id, kind, w) for s, stage, kind, w in rows])
            for p, share, rows in pipelines
        ],
        customers,
    )


# ----------------------------------------------------------------------------
# The plan: one line per opportunity, the same for both generators
# ----------------------------------------------------------------------------


class Line:
    __slots__ = (
        "i",
        "pipeline",
        "first_status",
        "status",
        "status_type",
        "first_stage",
        "stage",
        "user",
        "team",
        "customer",
        "customer_name",
        "city",
        "revenue",
        "probability",
        "deadline",
        "name",
    )

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)

    @property
    def moved(self):
        return self.status != self.first_status


def plan(setup, n, seed, today=None):
    """The opportunities to make: pipeline, status, salesperson, customer,
    amount, open probability, close date and description, drawn from ``seed``."""
    rnd = random.Random(seed * 7919 + 1)
    today = today or date.today()
    weights = [p[1] for p in setup.pipelines]
    lines = []
    for i in range(n):
        pipeline, _share, rows = rnd.choices(setup.pipelines, weights)[0]
        status, stage, status_type, _weight = rnd.choices(rows, [r[3] for r in rows])[0]
        user, team = rnd.choice(setup.salespeople)
        customer, customer_name, city = setup.customers[rnd.randrange(len(setup.customers))]
        revenue = rnd.randrange(1, 500) * 100
        probability = rnd.choice(PROBABILITIES)
        deadline = today + timedelta(days=rnd.randint(-60, 120))
        name = f"{rnd.choice(PRODUCTS)} for {customer_name} #{i}"
        first = next(r for r in rows if r[2] == "active")
        lines.append(
            Line(
                i=i,
                pipeline=pipeline,
                first_status=first[0],
                status=status,
                status_type=status_type,
                first_stage=first[1],
                stage=stage,
                user=user,
                team=team,
                customer=customer,
                customer_name=customer_name,
                city=city,
                revenue=revenue,
                probability=probability,
                deadline=deadline,
                name=name,
            )
        )
    return lines


# ----------------------------------------------------------------------------
# Through the ORM, as users work
# ----------------------------------------------------------------------------


def orm_make(env, lines, commit):
    """Makes ``lines`` as their salespeople do, in two transactions, as two
    requests would (mail does not track changes made in the transaction that
    created the record): each opportunity and lead is created by its
    salesperson in the first status (stage) of its pipeline, with tracking and
    followers on; then moved to its status (stage), and CRM leads of a lost
    status are marked lost. ``commit()`` ends each transaction (pre-commit
    hooks: tracking). Each user's changes are flushed in their own
    environment, as at the end of their request (write_uid).
    Returns {line.i: (opportunity id, lead id)}."""
    ids = {}
    by_user = defaultdict(list)
    for line in lines:
        by_user[line.user].append(line)
    records = {}
    for user, user_lines in by_user.items():
        uenv = api.Environment(env.cr, user, dict(CONTEXT))
        ours = uenv["partner.opportunity"].create(
            [
                {
                    "name": line.name,
                    "partner_id": line.customer,
                    "user_id": line.user,
                    "team_id": line.team,
                    "pipeline_id": line.pipeline,
                    "status_id": line.first_status,
                    "date_deadline": line.deadline,
                    "probability": line.probability,
                    "expected_revenue": line.revenue,
                }
                for line in user_lines
            ]
        )
        theirs = uenv["crm.lead"].create(
            [
                {
                    "name": line.name,
                    "type": "opportunity",
                    "partner_id": line.customer,
                    "user_id": line.user,
                    "team_id": line.team,
                    "stage_id": line.first_stage,
                    "date_deadline": line.deadline,
                    "probability": line.probability,
                    "expected_revenue": line.revenue,
                }
                for line in user_lines
            ]
        )
        uenv.flush_all()
        for line, opportunity, lead in zip(user_lines, ours, theirs, strict=True):
            ids[line.i] = (opportunity.id, lead.id)
        records[user] = (ours.ids, theirs.ids)
    commit()
    for user, user_lines in by_user.items():
        uenv = api.Environment(env.cr, user, dict(CONTEXT))
        moves, stage_moves, lost = defaultdict(list), defaultdict(list), []
        for line, opportunity, lead in zip(user_lines, *records[user], strict=True):
            if line.moved:
                moves[line.status].append(opportunity)
            if line.stage != line.first_stage:
                stage_moves[line.stage].append(lead)
            if line.status_type == "lost":
                lost.append(lead)
        for status, opportunity_ids in moves.items():
            uenv["partner.opportunity"].browse(opportunity_ids).write({"status_id": status})
        for stage, lead_ids in stage_moves.items():
            uenv["crm.lead"].browse(lead_ids).write({"stage_id": stage})
        if lost:
            uenv["crm.lead"].browse(lost).action_set_lost()
        uenv.flush_all()
        # One transaction per user: mail writes the tracking messages of a
        # transaction as the first user who changed a record of the model.
        commit()
    return ids


def crm_scoring(env):
    """CRM's nightly predictive lead scoring: the frequency table rebuilt from
    the won and lost leads, and the automated probability of the open ones."""
    t0 = time.perf_counter()
    env["crm.lead"].sudo()._cron_update_automated_probabilities()
    env.cr.commit()
    log(f"  CRM lead scoring (its nightly cron): {time.perf_counter() - t0:.0f} s")


def generate_orm(env, setup, lines, batch=BATCH):
    start = time.perf_counter()

    def commit():
        env.cr.commit()  # runs the tracking (pre-commit hooks)
        env.invalidate_all()

    for offset in range(0, len(lines), batch):
        orm_make(env, lines[offset : offset + batch], commit)
        if offset and not offset % (10 * batch):
            log(f"  {offset} opportunities and leads: {time.perf_counter() - start:.0f} s")
    log(f"  {len(lines)} opportunities and leads (ORM): {time.perf_counter() - start:.0f} s")
    crm_scoring(env)


# ----------------------------------------------------------------------------
# Bulk: prototypes made by the ORM, copied with SQL
# ----------------------------------------------------------------------------

# cr.now(), the transaction's moment (create_date, write_date...), and
# fields.Datetime.now(), the moment to the second (date_closed...).
NOW = "(now() AT TIME ZONE 'UTC')"
NOW_S = f"date_trunc('second', {NOW})"
KEYS = ("k_status", "k_team", "k_author", "k_email", "k_name")
PROTO_NAME = "bench prototype"
PROTO_PROBABILITY = PROBABILITIES[0]


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = %s
           ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def table_counts(cr):
    """The number of rows of every table of the database."""
    cr.execute(
        """SELECT table_name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"""
    )
    counts = {}
    for (table,) in cr.fetchall():
        cr.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cr.fetchone()[0]
    return counts


def make_prototypes(env, setup):
    """One opportunity and one lead per status and team, made by the ORM
    (orm_make) and copied with everything they wrote into temporary tables
    bench_proto_<table>, keyed by status/stage and team; then deleted."""
    cr = env.cr
    cr.commit()
    before = table_counts(cr)
    cr.execute("SELECT coalesce(max(id), 0) FROM ir_cron_trigger")
    last_trigger = cr.fetchone()[0]
    customer = setup.customers[0]
    first_member = {}
    for user, team in setup.salespeople:
        first_member.setdefault(team, user)
    lines = []
    for pipeline, _share, rows in setup.pipelines:
        first = next(r for r in rows if r[2] == "active")
        for status, stage, status_type, _weight in rows:
            for team, user in first_member.items():
                lines.append(
                    Line(
                        i=len(lines),
                        pipeline=pipeline,
                        first_status=first[0],
                        status=status,
                        status_type=status_type,
                        first_stage=first[1],
                        stage=stage,
                        user=user,
                        team=team,
                        customer=customer[0],
                        customer_name=customer[1],
                        city=customer[2],
                        revenue=100,
                        probability=PROTO_PROBABILITY,
                        deadline=date.today(),
                        name=f"{PROTO_NAME} {len(lines)}",
                    )
                )

    def commit():
        cr.commit()
        env.invalidate_all()

    ids = orm_make(env, lines, commit)
    by_i = {line.i: line for line in lines}
    # (model, record id, status, team, its author's partner and address, its name)
    keys = []
    users = {u.id: u for u in env["res.users"].browse(list(first_member.values()))}
    for i, (opportunity, lead) in ids.items():
        line = by_i[i]
        author = users[line.user].partner_id
        for model, res_id in (("partner.opportunity", opportunity), ("crm.lead", lead)):
            keys.append(
                (
                    model,
                    res_id,
                    line.status,
                    line.team,
                    author.id,
                    author.email_formatted,
                    line.name,
                )
            )
    cr.execute(
        """CREATE TEMP TABLE bench_proto_key (model varchar, res_id int, k_status int,
           k_team int, k_author int, k_email varchar, k_name varchar)"""
    )
    buf = io.StringIO("".join("\t".join(map(str, k)) + "\n" for k in keys))
    cr.copy_expert("COPY bench_proto_key FROM STDIN", buf)
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
        CREATE TEMP TABLE bench_proto_follower_subtype AS SELECT t.*
            FROM mail_followers_mail_message_subtype_rel t
            WHERE t.mail_followers_id IN (SELECT id FROM bench_proto_follower);
        CREATE TEMP TABLE bench_proto_interaction AS SELECT k.k_status, k.k_team, t.*
            FROM partner_opportunity_interaction t
            JOIN bench_proto_key k
                ON k.model = 'partner.opportunity' AND k.res_id = t.opportunity_id;
        """
    )
    # Delete them: what they wrote is in the temporary tables now.
    cr.execute(
        """
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
    # The crons the ORM asked to run soon (CRM's lead enrichment): asked
    # once again after the bulk insert.
    cr.execute("DELETE FROM ir_cron_trigger WHERE id > %s RETURNING cron_id", [last_trigger])
    crons = sorted({row[0] for row in cr.fetchall()})
    after = table_counts(cr)
    left = {
        table: count - before.get(table, 0)
        for table, count in after.items()
        if count != before.get(table, 0)
    }
    unexpected = {t: c for t, c in left.items() if t not in REBUILT_TABLES}
    if unexpected:
        raise RuntimeError(
            f"the ORM wrote rows the bulk generator does not reproduce: {unexpected}"
        )
    cr.commit()
    return len(lines), crons


def copy_rows(cr, table, rows):
    buf = io.StringIO()
    for row in rows:
        buf.write(
            "\t".join(
                "\\N"
                if value is None
                else str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                for value in row
            )
            + "\n"
        )
    buf.seek(0)
    cr.copy_expert(f"COPY {table} FROM STDIN", buf)


def insert_select(cr, table, source, overrides, order, skip=()):
    """INSERT INTO table (every column) SELECT, for each column, its override
    or else the prototype's value (``pr.<column>``)."""
    cols = [c for c in columns(cr, table) if c not in skip]
    exprs = [overrides.get(c, f"pr.{c}") for c in cols]
    unknown = set(overrides) - set(cols)
    if unknown:
        raise RuntimeError(f"{table} has no columns {sorted(unknown)}")
    cr.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source} "
        f"ORDER BY {order}"
    )
    return cr.rowcount


def swap(column, key, value):
    """The prototype's column, or ``value`` where it is the prototype's own
    ``key`` (its author, its name...)."""
    return f"CASE WHEN pr.{column} = pr.{key} THEN {value} ELSE pr.{column} END"


def message_id_expr():
    """generate_tracking_message_id(), which mail gives every message: random
    digits, the moment, and "message-notify" for a logged note, else
    "<res_id>-<model>" (a posted message)."""
    host = socket.gethostname().replace("'", "")
    return (
        "'<' || lpad((floor(random() * 1e15))::bigint::text, 15, '0') || '.' "
        "|| to_char(extract(epoch FROM clock_timestamp()), 'FM9999999999.000000000000000') "
        "|| '-openerp-' || CASE WHEN pr.message_id LIKE '%%-openerp-message-notify@%%' "
        "THEN 'message-notify' ELSE mm.res_id || '-' || pr.model END "
        f"|| '@{host}>'"
    )


def bulk_make(env, setup, lines):
    """The rows of ``lines`` from the prototypes (make_prototypes), in plan
    order. Returns the time per table."""
    cr = env.cr
    times = {}

    def timed(label, fn):
        t0 = time.perf_counter()
        result = fn()
        times[label] = times.get(label, 0) + time.perf_counter() - t0
        return result

    users = env["res.users"].browse(sorted({line.user for line in lines}))
    author = {u.id: (u.partner_id.id, u.partner_id.email_formatted) for u in users}
    cr.execute(
        """
        CREATE TEMP TABLE bench_plan (
            i int, pipeline int, status int, stage int, status_type varchar, team int,
            user_id int, author int, email varchar, customer int, customer_name varchar,
            city varchar, revenue numeric, probability int, deadline date, name varchar,
            lost boolean,
            po_id int DEFAULT nextval('partner_opportunity_id_seq'),
            lead_id int DEFAULT nextval('crm_lead_id_seq')
        ) ON COMMIT DROP
        """
    )
    timed(
        "plan (COPY)",
        lambda: copy_rows(
            cr,
            "bench_plan (i, pipeline, status, stage, status_type, team, user_id, author, email, "
            "customer, customer_name, city, revenue, probability, deadline, name, lost)",
            (
                (
                    line.i,
                    line.pipeline,
                    line.status,
                    line.stage,
                    line.status_type,
                    line.team,
                    line.user,
                    *author[line.user],
                    line.customer,
                    line.customer_name,
                    line.city,
                    line.revenue,
                    line.probability,
                    line.deadline.isoformat(),
                    line.name,
                    line.status_type == "lost",
                )
                for line in lines
            ),
        ),
    )
    cr.execute("CREATE INDEX ON bench_plan (i); ANALYZE bench_plan")
    po_join = (
        "bench_plan pl JOIN bench_proto_po pr ON pr.k_status = pl.status AND pr.k_team = pl.team"
    )
    lead_join = (
        "bench_plan pl JOIN bench_proto_lead pr ON pr.k_status = pl.status AND pr.k_team = pl.team"
    )
    stamps = {c: NOW for c in ("create_date", "write_date")}
    creator = {"create_uid": "pl.user_id", "write_uid": "pl.user_id"}
    # partner.opportunity: its computes (weighted = revenue x probability;
    # annual = revenue, one-time; won and lost keep the probability their
    # status gives)
    probability = "CASE WHEN pl.status_type = 'active' THEN pl.probability ELSE pr.probability END"
    timed(
        "partner_opportunity",
        lambda: insert_select(
            cr,
            "partner_opportunity",
            po_join,
            {
                "id": "pl.po_id",
                "name": "pl.name",
                "partner_id": "pl.customer",
                "user_id": "pl.user_id",
                "team_id": "pl.team",
                "date_deadline": "pl.deadline",
                "probability": probability,
                "expected_revenue": "pl.revenue",
                "annual_revenue": "CASE WHEN pr.revenue_period = 'one_time' THEN pl.revenue END",
                "weighted_revenue": f"pl.revenue * ({probability}) / 100.0",
                "date_status_changed": NOW_S,
                "date_closed": f"CASE WHEN pr.date_closed IS NULL THEN NULL ELSE {NOW_S} END",
                **stamps,
                **creator,
            },
            "pl.i",
            skip=KEYS,
        ),
    )
    # crm.lead: partner name and city from the customer, prorated revenue.
    lead_probability = (
        "CASE WHEN pl.status_type = 'active' THEN pl.probability ELSE pr.probability END"
    )
    timed(
        "crm_lead",
        lambda: insert_select(
            cr,
            "crm_lead",
            lead_join,
            {
                "id": "pl.lead_id",
                "name": "pl.name",
                "partner_id": "pl.customer",
                "partner_name": "pl.customer_name",
                "city": "pl.city",
                "user_id": "pl.user_id",
                "team_id": "pl.team",
                "date_deadline": "pl.deadline",
                "probability": lead_probability,
                "expected_revenue": "pl.revenue",
                "prorated_revenue": f"round(pl.revenue * ({lead_probability})::numeric / 100, 2)",
                "date_open": NOW,
                "date_last_stage_update": NOW,
                "date_closed": f"CASE WHEN pr.date_closed IS NULL THEN NULL ELSE {NOW_S} END",
                # whole days from creation to assignment and to closing: made now
                "day_open": "CASE WHEN pr.day_open IS NULL THEN NULL ELSE 0 END",
                "day_close": "CASE WHEN pr.day_close IS NULL THEN NULL ELSE 0 END",
                **stamps,
                **creator,
            },
            "pl.i",
            skip=KEYS,
        ),
    )
    # The chatter: each prototype message once per line, with its own id.
    cr.execute(
        """
        CREATE TEMP TABLE bench_msg_map ON COMMIT DROP AS
        SELECT s.*, nextval('mail_message_id_seq') AS id FROM (
            SELECT pl.i, pm.model, pm.id AS proto_id, pl.user_id, pl.author, pl.email,
                   pl.probability, pl.name,
                   CASE pm.model WHEN 'crm.lead' THEN pl.lead_id ELSE pl.po_id END AS res_id
            FROM bench_plan pl JOIN bench_proto_msg pm
                ON pm.k_status = pl.status AND pm.k_team = pl.team
            ORDER BY pl.i, pm.model DESC, pm.id
        ) s;
        CREATE INDEX ON bench_msg_map (proto_id, id);
        CREATE INDEX ON bench_msg_map (i, proto_id);
        ANALYZE bench_msg_map;
        """
    )
    timed(
        "mail_message",
        lambda: insert_select(
            cr,
            "mail_message",
            "bench_msg_map mm JOIN bench_proto_msg pr ON pr.id = mm.proto_id "
            # the thread's first message, which later posts answer
            "LEFT JOIN bench_msg_map mp ON mp.i = mm.i AND mp.proto_id = pr.parent_id",
            {
                "id": "mm.id",
                "parent_id": "CASE WHEN pr.parent_id IS NULL THEN NULL ELSE mp.id END",
                "res_id": "mm.res_id",
                # the prototype's salesperson, name...: this line's
                "author_id": swap("author_id", "k_author", "mm.author"),
                "email_from": swap("email_from", "k_email", "mm.email"),
                "reply_to": swap("reply_to", "k_email", "mm.email"),
                "record_name": swap("record_name", "k_name", "mm.name"),
                "message_id": message_id_expr(),
                "date": NOW_S,
                **stamps,
                "create_uid": "mm.user_id",
                "write_uid": "mm.user_id",
            },
            "mm.id",
            skip=KEYS,
        ),
    )
    # Tracking values: the opportunity's own probability before it was won or lost.
    timed(
        "mail_tracking_value",
        lambda: insert_select(
            cr,
            "mail_tracking_value",
            "bench_msg_map mm JOIN bench_proto_tracking pr ON pr.mail_message_id = mm.proto_id",
            {
                "id": "nextval('mail_tracking_value_id_seq')",
                "mail_message_id": "mm.id",
                "old_value_integer": "CASE WHEN pr.k_probability AND pr.old_value_integer "
                "IS NOT NULL THEN mm.probability ELSE pr.old_value_integer END",
                "old_value_float": "CASE WHEN pr.k_probability AND pr.old_value_float "
                "IS NOT NULL THEN mm.probability ELSE pr.old_value_float END",
                **stamps,
                "create_uid": "mm.user_id",
                "write_uid": "mm.user_id",
            },
            "mm.id, pr.id",
            skip=("k_probability",),
        ),
    )
    # Followers: the salesperson's partner where the prototype has its own.
    cr.execute(
        """
        CREATE TEMP TABLE bench_follower_map ON COMMIT DROP AS
        SELECT s.*, nextval('mail_followers_id_seq') AS id FROM (
            SELECT pl.i, pf.id AS proto_id,
                   CASE pf.res_model WHEN 'crm.lead' THEN pl.lead_id ELSE pl.po_id END AS res_id,
                   CASE WHEN pf.partner_id = pf.k_author THEN pl.author ELSE pf.partner_id END
                       AS partner_id
            FROM bench_plan pl JOIN bench_proto_follower pf
                ON pf.k_status = pl.status AND pf.k_team = pl.team
            ORDER BY pl.i, pf.res_model DESC, pf.id
        ) s;
        CREATE INDEX ON bench_follower_map (proto_id, id);
        ANALYZE bench_follower_map;
        """
    )
    timed(
        "mail_followers",
        lambda: insert_select(
            cr,
            "mail_followers",
            "bench_follower_map fm JOIN bench_proto_follower pr ON pr.id = fm.proto_id",
            {"id": "fm.id", "res_id": "fm.res_id", "partner_id": "fm.partner_id"},
            "fm.id",
            skip=KEYS,
        ),
    )
    timed(
        "mail_followers subtypes",
        lambda: insert_select(
            cr,
            "mail_followers_mail_message_subtype_rel",
            "bench_follower_map fm JOIN bench_proto_follower_subtype pr "
            "ON pr.mail_followers_id = fm.proto_id",
            {"mail_followers_id": "fm.id"},
            "fm.id, pr.mail_message_subtype_id",
        ),
    )
    # The interactions of the status changes.
    timed(
        "partner_opportunity_interaction",
        lambda: insert_select(
            cr,
            "partner_opportunity_interaction",
            "bench_plan pl JOIN bench_proto_interaction pr "
            "ON pr.k_status = pl.status AND pr.k_team = pl.team",
            {
                "id": "nextval('partner_opportunity_interaction_id_seq')",
                "opportunity_id": "pl.po_id",
                "name": "pl.name",
                "partner_id": "pl.customer",
                "user_id": "pl.user_id",
                "date": NOW_S,
            },
            "pl.i, pr.id",
            skip=("k_status", "k_team"),
        ),
    )
    return times


def generate_bulk(env, setup, lines):
    start = time.perf_counter()
    count, crons = make_prototypes(env, setup)
    log(f"  {count} prototypes per model through the ORM: {time.perf_counter() - start:.1f} s")
    times = bulk_make(env, setup, lines)
    env["ir.cron"].browse(crons)._trigger()
    env.cr.commit()
    for label, seconds in times.items():
        log(f"    {label}: {seconds:.1f} s")
    log(f"  {len(lines)} opportunities and leads (bulk): {time.perf_counter() - start:.0f} s")
    env.registry.clear_cache()
    env.invalidate_all()
    crm_scoring(env)


def generate(env, n, seed=8, orm=False):
    """The benchmark's data: users, pipelines, customers, then ``n``
    opportunities and as many CRM leads. Returns benchmark.py's fixture."""
    log(f"Generating {n} opportunities and {n} crm.lead opportunities ({'ORM' if orm else 'bulk'})")
    start = time.perf_counter()
    setup = make_setup(env, n, seed)
    lines = plan(setup, n, seed)
    (generate_orm if orm else generate_bulk)(env, setup, lines)
    vacuum(env.cr.dbname)
    log(f"Data ready in {time.perf_counter() - start:.0f} s")
    return setup.fixture(n)


def vacuum(db):
    """VACUUM ANALYZE: statistics for the planner, and the visibility map a
    database in use has (index-only scans). Left to autovacuum, it would run
    during the measures."""
    from contextlib import closing

    import odoo

    t0 = time.perf_counter()
    with closing(odoo.sql_db.db_connect(db).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    log(f"  VACUUM ANALYZE: {time.perf_counter() - t0:.0f} s")


def root_env(cr):
    return api.Environment(cr, SUPERUSER_ID, dict(CONTEXT))


# ----------------------------------------------------------------------------
# The check: the bulk path writes what the ORM writes
# ----------------------------------------------------------------------------

# What differs by nature between two databases made the same way: ids, the
# moments, and the random Message-ID of each message.
MESSAGE_ID = r"^<\d{15}\.\d+\.\d{15}-openerp-(.+)@[^@]+>$"
# Whole days between two moments of a record made within a second: 0 or 1
# (Odoo subtracts a moment with microseconds from one without), by chance.
MOMENT_DAYS = {"day_open", "day_close"}


def snapshot(cr):
    """The generated rows of one database, without ids or moments: record
    rows by description (unique), messages, tracking values, followers and
    interactions by the description of their record and their rank in it."""
    import re

    cr.execute(
        """SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = current_schema()"""
    )
    types = defaultdict(dict)
    for table, column, data_type in cr.fetchall():
        types[table][column] = data_type

    def rows(table, query, drop=("id",), key=("k_record",)):
        cr.execute(query)
        names = [d.name for d in cr.description]
        result = {}
        for values in cr.fetchall():
            row = dict(zip(names, values, strict=True))
            for column in list(row):
                if column in drop:
                    del row[column]
                elif types[table].get(column, "").startswith("timestamp") or (
                    column in MOMENT_DAYS and table == "crm_lead"
                ):
                    row[column] = "<moment>" if row[column] is not None else None
            match = row.get("message_id") and re.match(MESSAGE_ID, row["message_id"])
            if match:
                what = match[1].replace(f"{row.get('k_res_id')}-", "<res_id>-", 1)
                row["message_id"] = f"<random Message-ID>-{what}"
            row.pop("k_res_id", None)
            k = tuple(row.pop(c) if c.startswith("k_") else row[c] for c in key)
            if k in result:
                raise RuntimeError(f"{table}: two rows for {k}")
            result[k] = row
        return result

    records = """(SELECT 'partner.opportunity' AS model, id, name FROM partner_opportunity
                  UNION ALL SELECT 'crm.lead', id, name FROM crm_lead)"""
    snap = {
        "partner_opportunity": rows(
            "partner_opportunity", "SELECT name AS k_record, * FROM partner_opportunity"
        ),
        "crm_lead": rows("crm_lead", "SELECT name AS k_record, * FROM crm_lead"),
        "mail_message": rows(
            "mail_message",
            f"""SELECT r.name AS k_record, m.res_id AS k_res_id,
                       rank() OVER (PARTITION BY m.model, m.res_id ORDER BY m.id) AS k_rank,
                       (SELECT count(*) FROM mail_message p WHERE p.model = m.model
                        AND p.res_id = m.res_id AND p.id <= m.parent_id) AS parent_rank, m.*
                FROM mail_message m JOIN {records} r ON r.model = m.model AND r.id = m.res_id""",
            drop=("id", "res_id", "parent_id"),
            key=("model", "k_record", "k_rank"),
        ),
        "mail_tracking_value": rows(
            "mail_tracking_value",
            f"""SELECT r.name AS k_record, m.model AS k_model, f.name AS k_field,
                       rank() OVER (PARTITION BY m.model, m.res_id ORDER BY m.id) AS k_rank, t.*
                FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
                JOIN ir_model_fields f ON f.id = t.field_id
                JOIN {records} r ON r.model = m.model AND r.id = m.res_id""",
            drop=("id", "mail_message_id"),
            key=("k_model", "k_record", "k_rank", "k_field"),
        ),
        "mail_followers": rows(
            "mail_followers",
            f"""SELECT r.name AS k_record, f.*,
                       (SELECT array_agg(s.mail_message_subtype_id ORDER BY 1)
                        FROM mail_followers_mail_message_subtype_rel s
                        WHERE s.mail_followers_id = f.id) AS subtypes
                FROM mail_followers f
                JOIN {records} r ON r.model = f.res_model AND r.id = f.res_id""",
            drop=("id", "res_id"),
            key=("res_model", "k_record", "partner_id"),
        ),
        "partner_opportunity_interaction": rows(
            "partner_opportunity_interaction",
            """SELECT o.name AS k_record, i.* FROM partner_opportunity_interaction i
               JOIN partner_opportunity o ON o.id = i.opportunity_id""",
            drop=("id", "opportunity_id"),
        ),
        "crm_lead_scoring_frequency": rows(
            "crm_lead_scoring_frequency",
            "SELECT * FROM crm_lead_scoring_frequency",
            key=("variable", "value", "team_id"),
        ),
    }
    # Every table's row count: a side effect of the ORM that the bulk path
    # misses shows here even in a table compared nowhere else.
    counts = table_counts(cr)
    # The ORM asks its crons to run once per create() call, the bulk path
    # once: which crons, not how many times.
    del counts["ir_cron_trigger"]
    snap["row counts"] = {(t,): {"rows": c} for t, c in counts.items()}
    cr.execute(
        """SELECT DISTINCT c.cron_name FROM ir_cron_trigger t JOIN ir_cron c ON c.id = t.cron_id"""
    )
    snap["crons triggered"] = {(name,): {} for (name,) in cr.fetchall()}
    return snap


def compare(orm, bulk, limit=10):
    """The differences between two snapshots, as lines of text."""
    problems = []
    for table in orm:
        a, b = orm[table], bulk[table]
        lines = []
        for k in sorted(set(a) - set(b), key=str)[:limit]:
            lines.append(f"  only in the ORM's: {k}")
        for k in sorted(set(b) - set(a), key=str)[:limit]:
            lines.append(f"  only in the bulk's: {k}")
        by_column = defaultdict(list)
        for k in set(a) & set(b):
            for column in sorted(set(a[k]) | set(b[k])):
                va, vb = a[k].get(column), b[k].get(column)
                if va != vb:
                    by_column[column].append((k, va, vb))
        for column, diffs in sorted(by_column.items()):
            diffs.sort(key=str)
            lines.append(f"  {column}: {len(diffs)} rows differ, e.g.")
            for k, va, vb in diffs[:3]:
                lines.append(f"      {k}: ORM {va!r} / bulk {vb!r}")
        status = "differs" if lines else "same"
        problems.append((table, len(a), len(b), status, lines))
    return problems


def install(config_path, db):
    """A database with partner_opportunity and crm, without demo data."""
    import os
    import subprocess
    import sys

    import odoo

    odoo_src = os.path.dirname(os.path.dirname(odoo.__file__))
    subprocess.run(
        [
            sys.executable,
            os.path.join(odoo_src, "odoo-bin"),
            "-c",
            config_path,
            "-d",
            db,
            "-i",
            "partner_opportunity,crm",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        check=True,
    )


def drop(db):
    """Drops ``db`` if it exists (odoo.service.db.exp_drop only drops the
    databases of the configuration's list)."""
    import shutil
    from contextlib import closing

    import odoo
    from odoo.tools import config

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


def check(config_path, prefix, n, seed, keep=False):
    """Makes ``n`` opportunities and leads of one plan through the ORM in
    ``<prefix>_orm`` and by the bulk path in ``<prefix>_bulk``, both copies of
    ``<prefix>_base`` (users, pipelines, customers), and compares them.
    Returns True when they are the same."""
    import odoo

    Registry = odoo.modules.registry.Registry
    base, dbs = f"{prefix}_base", {"ORM": f"{prefix}_orm", "bulk": f"{prefix}_bulk"}
    for db in (base, *dbs.values()):
        drop(db)
    log(f"Check of the bulk generator: {n} opportunities and leads, seed {seed}")
    install(config_path, base)
    with Registry(base).cursor() as cr:
        setup = make_setup(root_env(cr), n, seed)
    lines = plan(setup, n, seed)
    Registry.delete(base)
    odoo.sql_db.close_db(base)
    snaps, times = {}, {}
    for side, db in dbs.items():
        odoo.service.db.exp_duplicate_database(base, db)
        with Registry(db).cursor() as cr:
            env = root_env(cr)
            t0 = time.perf_counter()
            if side == "ORM":
                generate_orm(env, setup, lines)
            else:
                generate_bulk(env, setup, lines)
            times[side] = time.perf_counter() - t0
            snaps[side] = snapshot(cr)
            cr.rollback()
        Registry.delete(db)
        odoo.sql_db.close_db(db)
    report = compare(snaps["ORM"], snaps["bulk"])
    print(f"\nBulk generator check: {n} opportunities and {n} crm.lead, seed {seed}")
    print(f"ORM {times['ORM']:.1f} s, bulk {times['bulk']:.1f} s (bulk: with its prototypes)\n")
    print("| table | rows ORM | rows bulk | |")
    print("| --- | ---: | ---: | --- |")
    same = True
    for table, rows_orm, rows_bulk, status, _lines in report:
        print(f"| {table} | {rows_orm} | {rows_bulk} | {status} |")
        same = same and status == "same"
    for table, _a, _b, _status, lines in report:
        if lines:
            print(f"\n{table}:")
            print("\n".join(lines))
    print(
        f"\n{'SAME' if same else 'DIFFERENT'}: ids, moments (timestamps: set or not) and "
        "Message-IDs (their form) aside."
    )
    if not keep:
        for db in (base, *dbs.values()):
            drop(db)
    return same
