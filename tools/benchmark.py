"""Benchmark: what the web client asks of partner_opportunity, at scale, timed
against the same requests to Odoo CRM and against hand-written SQL (the floor).

    tools/dev.sh bench [--n 100000] [--runs 5] [--reuse] [--import-n 10000] [--db DB]
    tools/dev.sh bench --check [--n 200]    the bulk generator against the ORM

doc/performance.md says what is measured, how, and what the figures mean.
"""

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict
from contextlib import closing
from datetime import timedelta

import harness
from dateutil.relativedelta import relativedelta
from harness import CITIES, KEYWORD, log

import odoo
from odoo import fields
from odoo.tools import config

ROLES = ("agent", "supervisor", "admin")
CARDS = 80  # per column, as the web client asks
COUNT_LIMIT = 10001  # the list's count, as the web client asks
# The header's sums, by period type and annualised (as get_summary's).
SUMMARY_FIELDS = ("annual_revenue", "weighted_annual_revenue", "one_time_revenue",
                  "monthly_revenue", "yearly_revenue")  # fmt: skip


class Side:
    """One app's requests for one user: ours (partner.opportunity) or CRM's
    (crm.lead, type opportunity, the stages of the first pipeline)."""

    def __init__(self, env, fx, crm):
        self.crm = crm
        if crm:
            self.env = env(context=dict(env.context, default_type="opportunity"))
            self.model, self.group, self.value = "crm.lead", "stage_id", "expected_revenue"
            self.sums = ["expected_revenue:sum"]
            colors = {"planned": "success", "today": "warning", "overdue": "danger"}
            self.progress = {"field": "activity_state", "colors": colors}
            self.domain = [("type", "=", "opportunity"), ("stage_id", "in", fx["stages"])]
            views = ("crm.crm_case_kanban_view_leads", "crm.crm_case_tree_view_oppor")
        else:
            self.env = env(context=dict(env.context, default_pipeline_id=fx["pipeline"]))
            self.model, self.group, self.value = (
                "partner.opportunity",
                "status_id",
                "annual_revenue",
            )
            self.sums = [f"{name}:sum" for name in SUMMARY_FIELDS]
            colors = {"far": "success", "near": "warning", "overdue": "danger", "closed": "200"}
            self.progress = {"field": "deadline_state", "colors": colors}
            self.domain = [("pipeline_id", "=", fx["pipeline"])]
            views = (None, None)
        self.progress["sum_field"] = self.value
        self.card_spec = harness.specification(self.env, self.model, "kanban", views[0])
        self.list_spec = harness.specification(self.env, self.model, "list", views[1])


def board(side):
    """Columns with their sums, progress bars, the first cards of each open
    column, and (ours) the status types for the won/lost colours."""
    Model = side.env[side.model]
    groups = Model.web_read_group(side.domain, side.sums, [side.group], lazy=True)["groups"]
    Model.read_progress_bar(side.domain, side.group, side.progress)
    count, cards = f"{side.group}_count", {}
    for g in groups:
        if g[count] and not g.get("__fold"):
            page = Model.web_search_read(g["__domain"], side.card_spec, limit=CARDS)
            cards[g[side.group][0]] = [r["id"] for r in page["records"]]
    if not side.crm:
        statuses = [g[side.group][0] for g in groups if g[side.group]]
        side.env["partner.opportunity.status"].browse(statuses).read(["status_type"])
    sums = {g[side.group][0]: (g[count], round(g[side.value], 2)) for g in groups if g[count]}
    return sums, cards


def listing(side, keyword=None):
    """The list's first page and its totals (ours: the summary bar)."""
    Model = side.env[side.model]
    domain = side.domain + ([("name", "ilike", keyword)] if keyword else [])
    page = Model.web_search_read(domain, side.list_spec, limit=80, count_limit=COUNT_LIMIT)
    if side.crm:
        return Model.read_group(domain, ["expected_revenue:sum"], [])
    summary = Model.get_summary(domain)
    summary = {
        k: ({f: round(x, 2) for f, x in v.items()} if isinstance(v, dict) else v)
        for k, v in summary.items()
    }
    return page["length"], [r["id"] for r in page["records"]], summary


def drag_target(env, fx, crm):
    """The first card of the agent in the first status, to the second one."""
    first, second = fx["statuses"][:2]
    domain = [("pipeline_id", "=", fx["pipeline"]), ("status_id", "=", first)]
    record = (
        env["partner.opportunity"].sudo().search(domain + [("user_id", "=", fx["agent"])], limit=1)
    )
    if not crm:
        return record.id, {"status_id": second}
    lead = env["crm.lead"].sudo().search([("name", "=", record.name)], limit=1)
    return lead.id, {"stage_id": fx["stage_of_status"][str(second)]}


# The floor: the same results by hand-written SQL, with the user's rule (the
# salespeople a supervisor sees computed once, as Odoo caches the rule's
# domain) and the multi-company rule.
RULE = re.compile(r"RULE\(([\w.]+)\)")  # the role's rule on a salesperson column
ROLES_RULES = {"agent": r"\1 = %(uid)s", "supervisor": r"\1 = ANY(%(seen)s)", "admin": "TRUE"}
VISIBLE = "o.pipeline_id = %(pipeline)s AND o.company_id = ANY(%(companies)s) AND RULE(o.user_id)"
DEADLINE_STATE = """CASE WHEN o.status_type != 'active' THEN 'closed'
    WHEN o.date_deadline < %(today)s THEN 'overdue'
    WHEN o.date_deadline <= %(near)s THEN 'near' ELSE 'far' END"""
ACTIVITY = """LEFT JOIN LATERAL (SELECT array_agg(a.id) AS activity_ids,
        min(a.date_deadline) AS activity_deadline,
        (array_agg(a.summary ORDER BY a.date_deadline))[1] AS activity_summary,
        (array_agg(a.activity_type_id ORDER BY a.date_deadline))[1] AS activity_type_id
    FROM mail_activity a WHERE a.res_model = 'partner.opportunity' AND a.res_id = o.id) a ON TRUE
    LEFT JOIN mail_activity_type at ON at.id = a.activity_type_id"""
ACTIVITY_COLUMNS = "a.*, at.name->>'en_US' AS activity_type_name, at.icon AS activity_type_icon"
FLOOR_COLUMNS = f"""SELECT s.id, s.name->>'en_US' AS name, s.status_type, s.fold,
    count(o.status_id) AS count,
    {", ".join(f"coalesce(sum(o.{f}), 0) AS {f}" for f in SUMMARY_FIELDS)},
    count(*) FILTER (WHERE o.state = 'far') AS far,
    count(*) FILTER (WHERE o.state = 'near') AS near,
    count(*) FILTER (WHERE o.state = 'overdue') AS overdue,
    count(*) FILTER (WHERE o.state = 'closed') AS closed
    FROM partner_opportunity_status s LEFT JOIN (SELECT o.status_id,
        {", ".join(f"o.{f}" for f in SUMMARY_FIELDS)}, {DEADLINE_STATE} AS state
        FROM partner_opportunity o
        WHERE {VISIBLE}) o ON o.status_id = s.id
    WHERE s.pipeline_id = %(pipeline)s GROUP BY s.id ORDER BY s.sequence, s.id"""
# The page first (from an index), then the salespeople's names and the activities.
FLOOR_CARDS = f"""SELECT o.id, o.status_id, o.name, o.pipeline_id, o.currency_id, o.company_id,
    o.contact_name, o.expected_revenue, o.revenue_period, o.probability,
    o.date_deadline, o.properties, o.user_id, up.name AS user_name,
    least(5, (o.probability + 10) / 20)::text AS stars, {DEADLINE_STATE} AS deadline_state,
    o.status_type = 'active' AND a.activity_ids IS NULL AND o.date_status_changed
        < %(now)s - make_interval(days => coalesce(nullif(s.idle_days, 0), %(idle)s)) AS is_idle,
    {ACTIVITY_COLUMNS}
    FROM partner_opportunity_status s CROSS JOIN LATERAL (SELECT o.* FROM partner_opportunity o
        WHERE o.status_id = s.id AND {VISIBLE} ORDER BY o.date_deadline, o.id DESC LIMIT {CARDS}) o
    LEFT JOIN res_users u ON u.id = o.user_id LEFT JOIN res_partner up ON up.id = u.partner_id
    {ACTIVITY}
    WHERE s.pipeline_id = %(pipeline)s AND s.fold IS NOT TRUE
    ORDER BY s.sequence, s.id, o.date_deadline, o.id DESC"""
MATCH = "AND (%(keyword)s::varchar IS NULL OR o.name ILIKE %(keyword)s)"
FLOOR_PAGE = f"""SELECT o.id, o.name, o.partner_id, pp.complete_name AS partner_name,
    o.contact_id, cp.complete_name AS contact_name, o.pipeline_id, pl.name->>'en_US' AS pipeline,
    o.status_id, s.name->>'en_US' AS status, o.status_type, o.user_id, up.name AS user_name,
    o.team_id, t.name->>'en_US' AS team, o.date_deadline, o.date_closed,
    extract(day FROM %(now)s - o.date_status_changed)::int AS days_in_status,
    o.lost_reason_id, lr.name->>'en_US' AS lost_reason, o.probability, o.expected_revenue,
    o.weighted_revenue, o.annual_revenue, o.create_date, o.write_date, o.currency_id,
    cur.name AS currency, {DEADLINE_STATE} AS deadline_state, o.company_id, co.name AS company,
    {ACTIVITY_COLUMNS}, assignable.ids AS assignable_user_ids
    FROM (SELECT o.* FROM partner_opportunity o WHERE {VISIBLE} {MATCH}
        ORDER BY o.date_deadline, o.id DESC LIMIT 80) o
    LEFT JOIN res_partner pp ON pp.id = o.partner_id
    LEFT JOIN res_partner cp ON cp.id = o.contact_id
    LEFT JOIN partner_opportunity_pipeline pl ON pl.id = o.pipeline_id
    LEFT JOIN partner_opportunity_status s ON s.id = o.status_id
    LEFT JOIN res_users u ON u.id = o.user_id LEFT JOIN res_partner up ON up.id = u.partner_id
    LEFT JOIN crm_team t ON t.id = o.team_id
    LEFT JOIN partner_opportunity_lost_reason lr ON lr.id = o.lost_reason_id
    LEFT JOIN res_currency cur ON cur.id = o.currency_id
    LEFT JOIN res_company co ON co.id = o.company_id
    LEFT JOIN (SELECT cu.cid, array_agg(gu.uid ORDER BY gu.uid) AS ids
        FROM res_groups_users_rel gu JOIN res_users au ON au.id = gu.uid AND au.active
        JOIN res_company_users_rel cu ON cu.user_id = au.id
        WHERE gu.gid = %(agent_group)s AND NOT au.share AND RULE(au.id)
        GROUP BY cu.cid) assignable ON assignable.cid = o.company_id
    {ACTIVITY}
    ORDER BY o.date_deadline, o.id DESC"""
FLOOR_TOTALS = f"""SELECT o.status_type, count(*),
    {", ".join(f"sum(o.{f})" for f in SUMMARY_FIELDS)}
    FROM partner_opportunity o WHERE {VISIBLE} {MATCH} GROUP BY o.status_type"""


def floor_params(env, fx, role):
    """The parameters of the floor's queries, and the queries with the role's rule."""
    user, company = env.user, env.company
    today = fields.Date.context_today(user)
    queries = ("FLOOR_COLUMNS", "FLOOR_CARDS", "FLOOR_PAGE", "FLOOR_TOTALS")
    return {
        **{name: RULE.sub(ROLES_RULES[role], globals()[name]) for name in queries},
        "uid": user.id,
        "seen": user._partner_opportunity_supervised_users().ids,
        "pipeline": fx["pipeline"],
        "companies": env.companies.ids,
        "today": today,
        "near": today + timedelta(days=company.partner_opportunity_near_days),
        "now": fields.Datetime.now(),
        "idle": company.partner_opportunity_idle_days,
        "agent_group": env.ref("partner_opportunity.group_agent").id,
        "currency": company.currency_id.id,
        "keyword": None,
    }


def floor_board(cr, params):
    cr.execute(params["FLOOR_COLUMNS"], params)
    columns = cr.dictfetchall()
    cr.execute(params["FLOOR_CARDS"], params)
    cards = defaultdict(list)
    for card in cr.dictfetchall():
        cards[card["status_id"]].append(card["id"])
    sums = {
        c["id"]: (c["count"], round(float(c["annual_revenue"]), 2)) for c in columns if c["count"]
    }
    return sums, dict(cards)


def floor_list(cr, params, keyword=None):
    params = dict(params, keyword=keyword and f"%{keyword}%")
    cr.execute(params["FLOOR_PAGE"], params)
    rows = cr.dictfetchall()
    cr.execute(params["FLOOR_TOTALS"], params)
    summary = {
        "count": 0,
        "currency_id": params["currency"],
        "totals": dict.fromkeys(SUMMARY_FIELDS, 0.0),
        "won": dict.fromkeys(SUMMARY_FIELDS, 0.0),
    }
    for status_type, count, *sums in cr.fetchall():
        summary["count"] += count
        for key in ("totals", "won") if status_type == "won" else ("totals",):
            for f, v in zip(SUMMARY_FIELDS, sums, strict=True):
                summary[key][f] += float(v or 0)
    for key in ("totals", "won"):
        summary[key] = {f: round(v, 2) for f, v in summary[key].items()}
    length = min(summary["count"], COUNT_LIMIT) if len(rows) == 80 else len(rows)
    return length, [r["id"] for r in rows], summary


# The reports (P1, P3, P4) as the administrator opens them from the menu (on
# the default pipeline; Rep Activity on this month), beside CRM's Pipeline
# Analysis pivot (stage x salesperson) on its opportunities, and the same
# aggregates by hand-written SQL with the multi-company rule.
# Each opportunity created up to two years ago, in the order of its id (as
# records are made, which keeps a month's rows together); its move of today (the
# generator's interaction and status-change note) within 120 days of its
# creation, and so its entry into its status (and its close); its other notes
# at its creation. Its other moves (HISTORY) also fall in those 120 days.
# CRM's leads and their messages at the same spread of creations.
SPREAD = """UPDATE {0} r SET create_date = date_trunc('second', r.create_date)
        - make_interval(secs => 3600 + (s.last - r.id)::bigint * 63072000 / s.n)
        FROM (SELECT max(id) AS last, count(*) AS n FROM {0}) s"""
BACKDATE = (
    SPREAD.format("partner_opportunity")
    + """;
    UPDATE partner_opportunity_interaction i SET date = date_trunc('second', o.create_date
            + least(i.date - o.create_date, interval '120 days') * ((o.id * 37) % 100) / 100)
        FROM partner_opportunity o WHERE o.id = i.opportunity_id;
    UPDATE partner_opportunity o SET date_status_changed = coalesce(i.date, o.create_date),
            date_closed = CASE WHEN o.date_closed IS NOT NULL THEN i.date END
        FROM partner_opportunity o2
        LEFT JOIN partner_opportunity_interaction i ON i.opportunity_id = o2.id
        WHERE o2.id = o.id;
    UPDATE mail_message m SET date = CASE WHEN EXISTS (SELECT FROM mail_tracking_value t
            WHERE t.mail_message_id = m.id) THEN o.date_status_changed ELSE o.create_date END
        FROM partner_opportunity o WHERE m.model = 'partner.opportunity' AND m.res_id = o.id;
    """
    + SPREAD.format("crm_lead")
    + """;
    UPDATE mail_message m SET date = l.create_date
        FROM crm_lead l WHERE m.model = 'crm.lead' AND m.res_id = l.id"""
)
HISTORY_PAIRS = """CREATE TEMP TABLE bench_pairs ON COMMIT DROP AS
    SELECT row_number() OVER (PARTITION BY a.pipeline_id ORDER BY a.id, b.id) - 1 AS r,
        count(*) OVER (PARTITION BY a.pipeline_id) AS c, a.pipeline_id,
        a.id AS f, b.id AS t, a.name->>'en_US' AS fn, b.name->>'en_US' AS tn,
        a.status_type AS ft, b.status_type AS tt, d.direction,
        CASE WHEN b.status_type = 'active' THEN d.direction ELSE b.status_type END AS move_type
    FROM partner_opportunity_status a
    JOIN partner_opportunity_status b ON b.pipeline_id = a.pipeline_id AND b.id != a.id
        AND (a.status_type = 'active' OR b.status_type = 'active')
    CROSS JOIN LATERAL (SELECT CASE WHEN (a.sequence, a.id) < (b.sequence, b.id)
        THEN 'forward' ELSE 'back' END AS direction) d"""
HISTORY = """INSERT INTO partner_opportunity_interaction (id, opportunity_id, name, partner_id,
        partner_name, company_id, user_id, date, status_from_id, status_to_id, status_from_name,
        status_to_name, pipeline_id, salesperson_id, team_id, status_from_type, status_to_type,
        annual_revenue, days_in_status, days_since_creation, direction, move_type)
    SELECT nextval('partner_opportunity_interaction_id_seq'), o.id, o.name, o.partner_id,
        p.complete_name, o.company_id, o.user_id,
        o.create_date + least(now() AT TIME ZONE 'UTC' - o.create_date, interval '120 days')
            * ((o.id::bigint * 7919 + g * 104729) %% 10007) / 10007,
        pr.f, pr.t, pr.fn, pr.tn, o.pipeline_id, o.user_id, o.team_id, pr.ft, pr.tt,
        o.annual_revenue, ((o.id + g * 13) %% 6000) / 100.0, ((o.id + g * 13) %% 6000) / 50.0 + g,
        pr.direction, pr.move_type
    FROM partner_opportunity o CROSS JOIN generate_series(1, %(per)s) g
    JOIN bench_pairs pr ON pr.pipeline_id = o.pipeline_id AND pr.r = (o.id * 31 + g * 17) %% pr.c
    LEFT JOIN res_partner p ON p.id = o.partner_id
    LIMIT %(extra)s"""


def add_history(registry, moves):
    """Status changes up to ``moves`` in all: the history of the last two years,
    each a move between two statuses of the opportunity's pipeline as it is
    now. The generator makes everything today; first its opportunities are
    spread over those two years (BACKDATE), then each one's history falls
    between its creation and today."""
    with registry.cursor() as cr:
        cr.execute(
            "SELECT (SELECT count(*) FROM partner_opportunity_interaction), "
            "(SELECT count(*) FROM partner_opportunity)"
        )
        count, opportunities = cr.fetchone()
        if count >= moves or not opportunities:
            return count
        extra = moves - count
        log(f"Adding {extra} status changes of the last two years")
        start = time.perf_counter()
        cr.execute(BACKDATE)
        cr.execute(HISTORY_PAIRS)
        cr.execute(HISTORY, {"per": -(-extra // opportunities), "extra": extra})
        # In the order of their dates, as the moves of a database in use are
        # written.
        cr.execute(
            "CLUSTER partner_opportunity_interaction USING "
            "partner_opportunity_interaction__date_index"
        )
        cr.commit()
    with closing(odoo.sql_db.db_connect(registry.db_name).cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "VACUUM ANALYZE partner_opportunity, partner_opportunity_interaction, mail_message, "
            "crm_lead"
        )
        # The first VACUUM after the CLUSTER leaves the pages not all-visible
        # (pg_class.relallvisible 1 of 244 at 2,000), which would turn the
        # reports' index-only scans into heap reads; a second one marks them.
        cr.execute("VACUUM partner_opportunity_interaction")
    log(f"History ready in {time.perf_counter() - start:.0f} s")
    return moves


def pivot(env, model, domain, measures, rows, cols=()):
    """The pivot's grouped reads (the total, each header, their cross), or
    the graph's one read (``rows`` only, ``cols`` empty, ``graph``): the
    counts of each, sorted."""
    groupbys = [[], list(rows)] + ([list(cols), list(rows) + list(cols)] if cols else [])
    Model = env[model]
    return [
        sorted(g["__count"] for g in Model.read_group(domain, measures, gb, lazy=False))
        for gb in groupbys
    ]


def graph(env, model, domain, measures, groupby):
    groups = env[model].read_group(domain, measures, groupby, lazy=False)
    return [sorted(g["__count"] for g in groups)]


ACTIVITY_MEASURES = ("created_count", "status_change_count", "won_count", "won_value",
                     "lost_count", "lost_value", "activity_count", "message_count")  # fmt: skip


def floor_sql(sets, measures, source):
    """Hand-written SQL of a report: one query grouped by the GROUPING SETS
    ``sets`` (lists of key expressions), its first column the GROUPING()
    bits of each row; and one query per set, as the pivot reads them."""
    keys = list(dict.fromkeys(k for keys in sets for k in keys))
    grouping = f"GROUPING({', '.join(keys)})" if len(sets) > 1 else "0"
    one = f"""SELECT {grouping}, count(*), {measures} FROM {source}
        GROUP BY GROUPING SETS ({", ".join(f"({', '.join(keys)})" for keys in sets)})"""
    levels = [sum(1 << len(keys) - 1 - i for i, k in enumerate(keys) if k not in ks) for ks in sets]
    reads = [
        f"SELECT count(*), {measures} FROM {source}" + (f" GROUP BY {', '.join(ks)}" if ks else "")
        for ks in sets
    ]
    return one, levels, reads


def floor_one(cr, sql, params):
    """The counts of each level of ``floor_sql``'s one query, sorted, as ``pivot`` gives."""
    one, levels, _reads = sql
    cr.execute(one, params)
    counts = defaultdict(list)
    for bits, count, *_measures in cr.fetchall():
        counts[bits].append(count)
    return [sorted(counts[bits]) for bits in levels]


def floor_reads(cr, sql, params):
    """The same by ``floor_sql``'s query per level."""
    result = []
    for read in sql[2]:
        cr.execute(read, params)
        result.append(sorted(count for count, *_measures in cr.fetchall()))
    return result


MONTH = "to_char(date_trunc('month', o.date_deadline), 'YYYY-MM')"
WEEK = "date_trunc('week', i.date + interval '1 day')"  # weeks from Sunday (en_US)
MOVES = """partner_opportunity_interaction i WHERE i.pipeline_id = %(pipeline)s
    AND i.company_id = ANY(%(companies)s)"""
FLOOR_REPORTS = {
    "forecast pivot": floor_sql(
        [[], ["o.status_id"], [MONTH], ["o.status_id", MONTH]],
        "sum(o.annual_revenue), sum(o.weighted_annual_revenue)",
        """partner_opportunity o WHERE o.pipeline_id = %(pipeline)s
            AND o.company_id = ANY(%(companies)s) AND o.status_type != 'lost'""",
    ),
    "movement pivot": floor_sql(
        [[], ["i.status_from_id"], ["i.salesperson_id"], ["i.status_from_id", "i.salesperson_id"]],
        "avg(i.days_in_status)",
        MOVES,
    ),
    "movement graph": floor_sql([["i.status_from_id", "i.move_type"]], "1", MOVES),
    "won per week": floor_sql(
        [[WEEK]], "sum(i.annual_revenue)", MOVES + " AND i.move_type = 'won'"
    ),
    "rep activity pivot": floor_sql(
        [[], ["a.user_id"]],
        ", ".join(f"sum(a.{m})" for m in ACTIVITY_MEASURES),
        """partner_opportunity_activity_report a WHERE a.company_id = ANY(%(companies)s)
            AND a.date >= %(month)s AND a.date < %(next)s""",
    ),
}


def reports(env, fx):
    """{label: (ours, floor in one query, floor per read)} of the reports, as
    the administrator opens them."""
    pipeline = [("pipeline_id", "=", fx["pipeline"])]
    today = fields.Date.context_today(env.user).replace(day=1)
    month = [("date", ">=", today), ("date", "<", today + relativedelta(months=1))]
    params = {"pipeline": fx["pipeline"], "companies": env.companies.ids,
              "month": today, "next": today + relativedelta(months=1)}  # fmt: skip
    interaction, activity = "partner.opportunity.interaction", "partner.opportunity.activity.report"
    ours = {
        "forecast pivot": lambda: pivot(
            env, "partner.opportunity", pipeline + [("status_type", "!=", "lost")],
            ["annual_revenue:sum", "weighted_annual_revenue:sum"], ["status_id"],
            ["date_deadline:month"]),
        "movement pivot": lambda: pivot(
            env, interaction, pipeline, ["days_in_status:avg"], ["status_from_id"],
            ["salesperson_id"]),
        "movement graph": lambda: graph(
            env, interaction, pipeline, ["__count"], ["status_from_id", "move_type"]),
        "won per week": lambda: graph(
            env, interaction, pipeline + [("move_type", "=", "won")], ["annual_revenue:sum"],
            ["date:week"]),
        "rep activity pivot": lambda: pivot(
            env, activity, month, [f"{m}:sum" for m in ACTIVITY_MEASURES], ["user_id"]),
    }  # fmt: skip
    return {
        label: (
            fn,
            lambda s=FLOOR_REPORTS[label]: floor_one(env.cr, s, params),
            lambda s=FLOOR_REPORTS[label]: floor_reads(env.cr, s, params),
        )
        for label, fn in ours.items()
    }


def crm_pivot(env):
    """CRM's Pipeline Analysis pivot, stage x salesperson, on its opportunities."""
    return pivot(env, "crm.lead", [("type", "=", "opportunity")], ["prorated_revenue:sum"],
                 ["stage_id"], ["user_id"])  # fmt: skip


def measure(env, fn):
    """Wall time, query count and result of ``fn`` on a cold ORM cache, its
    writes flushed and their tracking (pre-commit) run, rolled back."""
    cr = env.cr
    cr.execute("SAVEPOINT bench_op")
    env.invalidate_all()
    queries, start = cr.sql_log_count, time.perf_counter()
    result = fn()
    env.flush_all()
    cr.precommit.run()
    env.flush_all()
    elapsed, queries = time.perf_counter() - start, cr.sql_log_count - queries
    env.invalidate_all()
    cr.execute("ROLLBACK TO SAVEPOINT bench_op")
    cr.precommit.clear()
    cr.postcommit.clear()
    return elapsed, queries, result


def timed(env, runs, calls):
    """Each of ``calls`` ({name: fn}) ``runs`` times after a warm-up, in
    turn: {name: (median ms, queries)}, and the warm-up's results."""
    times, queries, results = defaultdict(list), {}, {}
    for run in range(runs + 1):
        for name, fn in calls.items():
            elapsed, count, result = measure(env, fn)
            results.setdefault(name, result)
            if run:
                times[name].append(elapsed)
                queries[name] = max(queries.get(name, 0), count)
    return {n: (1000 * statistics.median(times[n]), queries[n]) for n in calls}, results


def load(env, count, auto):
    """The import dialog's request for ``count`` companies ("Track history"
    off); with automatic opportunities, until each customer has its own."""
    env.company.sudo().partner_opportunity_auto_create = auto
    rows = [[f"Imported {i}", "1", f"imp{i}@example.com", CITIES[i % 6]] for i in range(count)]
    Partner = env["res.partner"].with_context(import_file=True, tracking_disable=True)
    result = Partner.load(["name", "is_company", "email", "city"], rows)
    if not result["ids"]:
        raise RuntimeError(f"import failed: {result['messages'][:3]}")
    if auto:
        env.flush_all()
        env.cr.precommit.run()
        created = (
            env["partner.opportunity"].sudo().search_count([("partner_id", "in", result["ids"])])
        )
        if created != count:
            raise RuntimeError(f"{created} opportunities for {count} imported customers")


def run(registry, fx, args):
    rows = []  # operation, role, rows ours / crm, {side: (ms, queries)}
    with registry.cursor() as cr:
        root = harness.env_of(cr)
        for role in ROLES:
            env = root(user=fx[role], su=False)
            ours, crm = Side(env, fx, False), Side(env, fx, True)
            params = floor_params(env, fx, role)
            counts = tuple(env[s.model].search_count(s.domain) for s in (ours, crm))
            drags = {s: drag_target(root, fx, s.crm) for s in (ours, crm)}

            def drag(s, drags=drags):
                record, vals = drags[s]
                return s.env[s.model].browse(record).web_save(vals, s.card_spec)

            operations = {
                "board load": (board, lambda p=params: floor_board(cr, p)),
                "list load + totals": (listing, lambda p=params: floor_list(cr, p)),
                f"search '{KEYWORD}'": (
                    lambda s: listing(s, KEYWORD),
                    lambda p=params: floor_list(cr, p, KEYWORD),
                ),
                "drag and drop": (drag, None),
            }
            for label, (op, floor) in operations.items():
                calls = {"ours": lambda op=op, s=ours: op(s), "crm": lambda op=op, s=crm: op(s)}
                if floor:
                    calls["floor"] = floor
                figures, results = timed(env, args.runs, calls)
                if floor and results["ours"] != results["floor"]:
                    pairs = zip(results["ours"], results["floor"], strict=True)
                    diff = [(o, f) for o, f in pairs if o != f]
                    sys.exit(f"{role}, {label}: the floor's result is not ours: {diff}")
                rows.append((label, role, f"{counts[0]} / {counts[1]}", figures))
                log(
                    f"  {role:10} {label:20} "
                    + "  ".join(f"{k} {v[0]:.1f} ms" for k, v in figures.items())
                )
        if args.moves:
            env = root(user=fx["admin"], su=False)
            counts = "{} / {}".format(*(env[m].search_count([]) for m in (
                "partner.opportunity.interaction", "crm.lead")))  # fmt: skip
            for label, (op, floor, reads) in reports(env, fx).items():
                calls = {"ours": op, "crm": lambda: crm_pivot(env), "floor": floor,
                         "reads": reads}  # fmt: skip
                figures, results = timed(env, args.runs, calls)
                if not results["ours"] == results["floor"] == results["reads"]:
                    sys.exit(f"report {label}: the floor's counts are not ours")
                rows.append((f"report: {label}", "admin", counts, figures))
                log(f"  report {label:20} " + "  ".join(
                    f"{k} {v[0]:.1f} ms" for k, v in figures.items()))  # fmt: skip
            # The last whole month.
            last = fields.Date.context_today(env.user).replace(day=1) - timedelta(days=1)
            calls = {
                "ours": lambda: env["partner.opportunity.interaction"].get_movement(
                    [("pipeline_id", "=", fx["pipeline"])], last.replace(day=1), last
                )
            }
            figures, _results = timed(env, args.runs, calls)
            rows.append(("get_movement (last month)", "admin", counts, figures))
        if args.import_n:
            env, n = root(user=fx["admin"], su=False), args.import_n
            calls = {"ours": lambda: load(env, n, True), "crm": lambda: load(env, n, False)}
            figures, _results = timed(env, args.import_runs, calls)
            rows.append((f"import {n} customers, all in", "admin", f"{n} / {n}", figures))
        cr.rollback()
    return rows


def report(rows, fx, args):
    def cell(figures, side):
        return f"{figures[side][0]:.1f}" if side in figures else "—"

    def ratio(figures, side):
        return f"{figures['ours'][0] / figures[side][0]:.2f}" if side in figures else "—"

    def table(title, sides, rows):
        print(f"| {title} | role | rows ours / CRM | ours ms | "
              + " | ".join(f"{SIDES[s]} ms" for s in sides) + " | "
              + " | ".join(f"ours / {SIDES[s]}" for s in sides)
              + f" | queries ours / {' / '.join(SIDES[s] for s in sides)} |")  # fmt: skip
        print("| --- | --- | " + " | ".join(["---:"] * (2 + 2 * len(sides) + 1)) + " |")
        for label, role, counts, figures in rows:
            queries = " / ".join(
                str(figures[s][1]) if s in figures else "—" for s in ("ours", *sides)
            )
            print(f"| {label} | {role} | {counts} | {cell(figures, 'ours')} | "
                  + " | ".join(cell(figures, s) for s in sides) + " | "
                  + " | ".join(ratio(figures, s) for s in sides) + f" | {queries} |")  # fmt: skip

    print(
        f"\n{fx['n']} opportunities and as many CRM leads; median of {args.runs} runs "
        f"(import: {args.import_runs}) after a warm-up, cold ORM cache, rolled back.\n"
    )
    reports = [row for row in rows if row[0].startswith(("report", "get_movement"))]
    table("operation", ("crm", "floor"), [row for row in rows if row not in reports])
    if reports:
        print()
        table("report", ("crm", "floor", "reads"), reports)


SIDES = {"crm": "CRM", "floor": "floor", "reads": "floor per read"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", default="partner_opportunity_bench")
    parser.add_argument("--n", type=int, help="opportunities (default 100000; --check: 200)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the database and its data")
    parser.add_argument(
        "--moves", type=int, help="status changes in all (default 5 n; 0: no reports)"
    )
    parser.add_argument("--import-n", type=int, default=10_000)
    parser.add_argument("--import-runs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help="compare the generator to the ORM")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    if args.check:
        sys.exit(0 if harness.check(args.config, f"{args.db}_check", args.n or 200, 8) else 1)
    start = time.perf_counter()
    fx = harness.prepare(args.config, args.db, args.n or 100_000, args.reuse)
    registry = odoo.modules.registry.Registry(args.db)
    if args.moves is None:
        args.moves = 5 * fx["n"]
    if args.moves:
        add_history(registry, args.moves)
    rows = run(registry, fx, args)
    report(rows, fx, args)
    print(f"\nWhole run: {(time.perf_counter() - start) / 60:.1f} min.")


if __name__ == "__main__":
    main()
