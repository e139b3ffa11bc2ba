from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .partner_opportunity_status import STATUS_TYPES

DIRECTIONS = [("forward", "Forward"), ("back", "Back")]
MOVE_TYPES = [("forward", "Forward"), ("back", "Back"), ("won", "To Won"), ("lost", "To Lost")]
SECONDS_PER_DAY = 86400.0


class PartnerOpportunityInteraction(models.Model):
    """A status change of an opportunity, counted as an interaction with its
    customer (M5), and the row the movement report counts (P3).

    It is history: it outlives the opportunity, its customer, its pipeline
    and the statuses and users it names. Every relation is set to null when
    its record is deleted, and the row keeps the names and figures as they
    were at the time of the change. Once its opportunity is gone, only the
    administrators of its company read it (the record rules follow the
    opportunity's salesperson)."""

    _name = "partner.opportunity.interaction"
    _inherit = ["partner.opportunity.report.mixin"]
    _description = "Opportunity Interaction"
    _order = "date desc, id desc"
    _log_access = False

    opportunity_id = fields.Many2one(
        "partner.opportunity", index=True, ondelete="set null", readonly=True
    )
    name = fields.Char(string="Opportunity Description", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, ondelete="set null", readonly=True
    )
    partner_name = fields.Char(string="Customer Name", readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="By",
        ondelete="set null",
        readonly=True,
        default=lambda self: self.env.user,
    )
    # Indexed: the movement report reads the moves of a period out of millions.
    date = fields.Datetime(required=True, readonly=True, index=True, default=fields.Datetime.now)
    status_from_id = fields.Many2one(
        "partner.opportunity.status", string="From Status", readonly=True, ondelete="set null"
    )
    status_to_id = fields.Many2one(
        "partner.opportunity.status", string="To Status", readonly=True, ondelete="set null"
    )
    status_from_name = fields.Char(string="From", readonly=True)
    status_to_name = fields.Char(string="To", readonly=True)
    # As they were at the time of the change (M5).
    pipeline_id = fields.Many2one(
        "partner.opportunity.pipeline", index=True, ondelete="set null", readonly=True
    )
    salesperson_id = fields.Many2one("res.users", index=True, ondelete="set null", readonly=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, ondelete="set null", readonly=True
    )
    status_from_type = fields.Selection(STATUS_TYPES, string="From Status Type", readonly=True)
    status_to_type = fields.Selection(STATUS_TYPES, string="To Status Type", readonly=True)
    annual_revenue = fields.Monetary(
        readonly=True,
        help="The opportunity's expected revenue over a year when it moved.",
    )
    # Without digits, a double precision column: the reports average millions
    # of them (numeric's arithmetic is several times slower); _days rounds.
    days_in_status = fields.Float(
        string="Days in Status",
        readonly=True,
        aggregator="avg",
        help="How long the opportunity stayed in the status it left, in days.",
    )
    days_since_creation = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The opportunity's age when it moved, in days: for a move to won or lost, "
        "the days from creation to close.",
    )
    direction = fields.Selection(
        DIRECTIONS,
        readonly=True,
        help="Forward or back in the order of the pipeline's statuses; empty for a "
        "move to another pipeline.",
    )
    move_type = fields.Selection(
        MOVE_TYPES,
        string="Move",
        readonly=True,
        help="To won or to lost when the opportunity closed, otherwise forward or back.",
    )

    def init(self):
        # The Movement pivot and graph of a pipeline (P3) group its moves by
        # status left, salesperson or kind of move: read from this index
        # alone, not from the rows (a tenth of their width).
        index = f"{self._table}_movement_index"
        if not index_exists(self.env.cr, index):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX %s ON %s (pipeline_id, status_from_id, salesperson_id)"
                    " INCLUDE (company_id, move_type, days_in_status)",
                    SQL.identifier(index),
                    SQL.identifier(self._table),
                )
            )

    @api.model
    def _record_status_changes(self, moves):
        """Record the status changes ``moves`` made, once written:
        (opportunity, status left, date it had entered that status). The
        opportunity's other values are read as the change left them."""
        now = fields.Datetime.now()
        vals_list = []
        for opportunity, status_from, entered in moves:
            status_to = opportunity.status_id
            created = opportunity.create_date or now
            vals_list.append(
                {
                    "opportunity_id": opportunity.id,
                    "name": opportunity.name,
                    "partner_id": opportunity.partner_id.id,
                    "partner_name": opportunity.partner_id.complete_name,
                    "company_id": opportunity.company_id.id,
                    "date": now,
                    "user_id": self.env.uid,
                    "status_from_id": status_from.id,
                    "status_from_name": status_from.name,
                    "status_from_type": status_from.status_type,
                    "status_to_id": status_to.id,
                    "status_to_name": status_to.name,
                    "status_to_type": status_to.status_type,
                    "pipeline_id": opportunity.pipeline_id.id,
                    "salesperson_id": opportunity.user_id.id,
                    "team_id": opportunity.team_id.id,
                    "annual_revenue": opportunity.annual_revenue,
                    "days_in_status": _days(now - (entered or created)),
                    "days_since_creation": _days(now - created),
                    "direction": self._direction(status_from, status_to),
                    "move_type": self._move_type(status_from, status_to),
                }
            )
        return self.create(vals_list)

    @api.model
    def _direction(self, status_from, status_to):
        """Forward or back in the board's order of the columns (sequence,
        then id, as the statuses are ordered)."""
        if not status_from or status_from.pipeline_id != status_to.pipeline_id:
            return False
        before = (status_from.sequence, status_from.id) < (status_to.sequence, status_to.id)
        return "forward" if before else "back"

    @api.model
    def _move_type(self, status_from, status_to):
        if status_to.status_type in ("won", "lost"):
            return status_to.status_type
        return self._direction(status_from, status_to)

    # ------------------------------------------------------------
    # Movement through the funnel (P3)
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def get_movement(self, domain, date_from, date_to):
        """The movement through the funnel (P3) of the opportunities that
        ``domain`` (a domain on ``partner.opportunity``) selects with the
        caller's rights, between the dates ``date_from`` and ``date_to``
        (both included, UTC): in total, per salesperson and per sales team.
        See doc/api.md for the figures returned.

        PostgreSQL counts, in two queries whatever the number of
        opportunities and moves; Python reads the names of the statuses,
        salespeople and teams and assembles (test_movement_query_count)."""
        day_from = self._movement_day(date_from, "date_from")
        day_to = self._movement_day(date_to, "date_to")
        if day_to < day_from:
            raise UserError(
                self.env._(
                    "date_to: %(date_to)s is before date_from: %(date_from)s.",
                    date_to=fields.Date.to_string(day_to),
                    date_from=fields.Date.to_string(day_from),
                )
            )
        Opportunity = self.env["partner.opportunity"]
        with Opportunity._refuse_malformed_filter(domain):
            # The caller's rules and companies; history of deleted
            # opportunities is nobody's movement.
            visible = Opportunity._search(domain)
        Opportunity.flush_model()
        self.flush_model()
        opportunities = self._movement_opportunities(visible)
        counts = self._movement_counts(visible, day_from, day_to)

        # The statuses of each group: those of its opportunities' pipelines,
        # and those its moves left or its entries entered.
        Status = self.env["partner.opportunity.status"]
        pipeline_ids = {p for _open, pipelines in opportunities.values() for p in pipelines}
        pipeline_statuses = defaultdict(set)
        for status in Status.search([("pipeline_id", "in", list(pipeline_ids))]):
            pipeline_statuses[status.pipeline_id.id].add(status.id)
        group_statuses = defaultdict(set)
        for group, (_open, pipelines) in opportunities.items():
            group_statuses[group].update(*(pipeline_statuses[p] for p in pipelines))
        for group, status_id in counts:
            if status_id:
                group_statuses[group].add(status_id)
        statuses = Status.browse(set().union(*group_statuses.values())).sorted(
            lambda s: (s.pipeline_id.sequence, s.pipeline_id.id, s.sequence, s.id)
        )

        def figures(group):
            return self._movement_figures(
                opportunities.get(group, (0, []))[0],
                counts.get((group, None), {}),
                [
                    (status, counts.get((group, status.id), {}))
                    for status in statuses
                    if status.id in group_statuses[group]
                ],
            )

        result = {
            "date_from": fields.Date.to_string(day_from),
            "date_to": fields.Date.to_string(day_to),
            "currency_id": self.env.company.currency_id.id,
            **figures(("total", None)),
        }
        # A move counts for the salesperson and team it had then; a creation
        # and an open opportunity for those it has now.
        for kind, model in (("salesperson", "res.users"), ("team", "crm.team")):
            keys = sorted({key for group_kind, key in group_statuses if group_kind == kind})
            result[f"by_{kind}"] = [
                {"id": key.id, "name": key.sudo().display_name, **figures((kind, key.id))}
                for key in self.env[model].browse(keys).sorted("name")
            ]
        return result

    @api.model
    def _movement_day(self, value, argument):
        """The date ``value`` given as the argument ``argument`` of
        get_movement, or a UserError that names it."""
        try:
            day = fields.Date.to_date(value)
        except (TypeError, ValueError):
            day = None
        if not day:
            raise UserError(
                self.env._(
                    "%(argument)s: %(value)s is not a date (YYYY-MM-DD).",
                    argument=argument,
                    value=repr(value)[:40],
                )
            )
        return day

    @api.model
    def _movement_opportunities(self, visible):
        """Of the opportunities the query ``visible`` selects: {group: (how
        many are open, the ids of their pipelines)}, for the groups of
        _movement_group."""
        # Per pipeline too, so that PostgreSQL groups by hashing (an
        # array_agg(DISTINCT) would sort every row).
        rows = self.env.execute_query(
            SQL(
                """
                SELECT GROUPING(user_id), GROUPING(team_id), user_id, team_id,
                       pipeline_id, count(*) FILTER (WHERE status_type = 'active')
                  FROM partner_opportunity
                 WHERE id IN %(visible)s
                 GROUP BY GROUPING SETS ((pipeline_id), (user_id, pipeline_id),
                                         (team_id, pipeline_id))
                """,
                visible=visible.subselect(),
            )
        )
        counts, pipelines = defaultdict(int), defaultdict(list)
        for by_user, by_team, user_id, team_id, pipeline_id, open_count in rows:
            if group := _movement_group(by_user, by_team, user_id, team_id):
                counts[group] += open_count
                pipelines[group].append(pipeline_id)
        return {group: (counts[group], pipelines[group]) for group in counts}

    @api.model
    def _movement_counts(self, visible, day_from, day_to):
        """The figures of the moves and entries of the period (days
        ``day_from`` to ``day_to`` included) of the opportunities the query
        ``visible`` selects: {(group, status id): figures} for each status,
        and {(group, None): figures} for the group (see _movement_group).

        An entry is a creation in the period, in the status the opportunity
        started in (the one its first move ever left, else its status), or
        a move of the period into its status. Each knows the kind of the
        opportunity's next move of the period and whether a later move of
        the period won it."""
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH moves AS MATERIALIZED (
                    SELECT id, opportunity_id, date, status_from_id, status_to_id,
                           status_to_type, move_type, salesperson_id, team_id,
                           COALESCE(annual_revenue, 0) AS annual_revenue,
                           COALESCE(days_in_status, 0) AS days_in_status,
                           COALESCE(days_since_creation, 0) AS days_since_creation
                      FROM partner_opportunity_interaction
                     WHERE opportunity_id IN %(visible)s
                       AND date >= %(day_from)s AND date < %(day_to)s + 1
                ), timeline AS (
                    SELECT opportunity.id AS opportunity_id, FALSE AS is_move,
                           opportunity.create_date AS date, 0 AS id,
                           CASE WHEN first.id IS NULL THEN opportunity.status_id
                                ELSE first.status_from_id END AS status_id,
                           opportunity.user_id AS salesperson_id, opportunity.team_id,
                           NULL::varchar AS move_type, NULL::varchar AS status_to_type
                      FROM partner_opportunity opportunity
                      LEFT JOIN LATERAL (
                            SELECT id, status_from_id
                              FROM partner_opportunity_interaction
                             WHERE opportunity_id = opportunity.id
                             ORDER BY date, id
                             LIMIT 1
                      ) first ON TRUE
                     WHERE opportunity.id IN %(visible)s
                       AND opportunity.create_date >= %(day_from)s
                       AND opportunity.create_date < %(day_to)s + 1
                     UNION ALL
                    SELECT opportunity_id, TRUE, date, id, status_to_id, salesperson_id,
                           team_id, move_type, status_to_type
                      FROM moves
                ), entries AS (
                    SELECT status_id, salesperson_id, team_id, is_move,
                           lead(move_type) OVER later AS next_move_type,
                           bool_or(status_to_type = 'won') OVER (
                               later ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
                           ) AS won_later
                      FROM timeline
                    WINDOW later AS (PARTITION BY opportunity_id ORDER BY is_move, date, id)
                ), facts AS (
                    SELECT TRUE AS is_move_out, status_from_id AS status_id, salesperson_id,
                           team_id, move_type, status_to_type, annual_revenue,
                           days_in_status, days_since_creation,
                           NULL::varchar AS next_move_type, NULL::boolean AS won_later,
                           NULL::boolean AS is_move
                      FROM moves
                     UNION ALL
                    SELECT FALSE, status_id, salesperson_id, team_id, NULL, NULL, NULL,
                           NULL, NULL, next_move_type, won_later, is_move
                      FROM entries
                )
                SELECT GROUPING(salesperson_id) AS by_salesperson,
                       GROUPING(team_id) AS by_team,
                       GROUPING(status_id) AS by_status,
                       salesperson_id, team_id, status_id,
                       count(*) FILTER (WHERE NOT is_move) AS created,
                       count(*) FILTER (WHERE is_move_out) AS moves,
                       count(*) FILTER (WHERE status_to_type = 'won') AS won,
                       sum(annual_revenue) FILTER (WHERE status_to_type = 'won') AS won_value,
                       avg(annual_revenue) FILTER (WHERE status_to_type = 'won')
                           AS won_value_avg,
                       count(*) FILTER (WHERE status_to_type = 'lost') AS lost,
                       sum(annual_revenue) FILTER (WHERE status_to_type = 'lost') AS lost_value,
                       avg(days_since_creation) FILTER (WHERE status_to_type IN ('won', 'lost'))
                           AS days_to_close_avg,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY days_since_creation)
                           FILTER (WHERE status_to_type IN ('won', 'lost'))
                           AS days_to_close_median,
                       count(*) FILTER (WHERE NOT is_move_out) AS entered,
                       count(*) FILTER (WHERE next_move_type IN ('forward', 'won'))
                           AS entered_next,
                       count(*) FILTER (WHERE won_later) AS entered_won,
                       count(*) FILTER (WHERE move_type = 'forward') AS left_forward,
                       count(*) FILTER (WHERE move_type = 'back') AS left_back,
                       count(*) FILTER (WHERE move_type = 'won') AS left_won,
                       count(*) FILTER (WHERE move_type = 'lost') AS left_lost,
                       avg(days_in_status) FILTER (WHERE is_move_out) AS days_avg,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY days_in_status)
                           FILTER (WHERE is_move_out) AS days_median
                  FROM facts
                 GROUP BY GROUPING SETS (
                       (), (salesperson_id), (team_id),
                       (status_id), (salesperson_id, status_id), (team_id, status_id)
                 )
                """,
                visible=visible.subselect(),
                day_from=day_from,
                day_to=day_to,
            )
        )
        counts = {}
        for row in rows:
            group = _movement_group(
                row.pop("by_salesperson"),
                row.pop("by_team"),
                row.pop("salesperson_id"),
                row.pop("team_id"),
            )
            by_status, status_id = not row.pop("by_status"), row.pop("status_id")
            # Entries into and moves out of a deleted status count for none.
            if group and (status_id or not by_status):
                counts[group, status_id if by_status else None] = row
        return counts

    @api.model
    def _movement_figures(self, open_count, counts, statuses):
        """The figures of P3 of a group: ``open_count`` opportunities open,
        ``counts`` from _movement_counts, and ``statuses``: (status, its
        counts) in board order."""
        won = counts.get("won", 0)
        win_rate = _ratio(won, won + counts.get("lost", 0))
        won_value_avg = _number(counts.get("won_value_avg"))
        days_to_close_avg = _number(counts.get("days_to_close_avg"))
        velocity = False
        if won and days_to_close_avg:
            velocity = open_count * win_rate * won_value_avg / days_to_close_avg
        return {
            "created": counts.get("created", 0),
            "moves": counts.get("moves", 0),
            "won": won,
            "won_value": float(counts.get("won_value") or 0),
            "lost": counts.get("lost", 0),
            "lost_value": float(counts.get("lost_value") or 0),
            "win_rate": win_rate,
            "won_value_avg": won_value_avg,
            "days_to_close_avg": days_to_close_avg,
            "days_to_close_median": _number(counts.get("days_to_close_median")),
            "open": open_count,
            "velocity": velocity,
            "statuses": [
                self._movement_status_figures(status, status_counts)
                for status, status_counts in statuses
            ],
        }

    @api.model
    def _movement_status_figures(self, status, counts):
        entered = counts.get("entered", 0)
        is_active = status.status_type == "active"
        return {
            "id": status.id,
            "name": status.name,
            "pipeline_id": status.pipeline_id.id,
            "status_type": status.status_type,
            "entered": entered,
            **{
                f"left_{move_type}": counts.get(f"left_{move_type}", 0)
                for move_type, _label in MOVE_TYPES
            },
            "conversion_next": is_active and _ratio(counts.get("entered_next", 0), entered),
            "conversion_won": is_active and _ratio(counts.get("entered_won", 0), entered),
            "days_avg": _number(counts.get("days_avg")),
            "days_median": _number(counts.get("days_median")),
        }


def _movement_group(by_user, by_team, user_id, team_id):
    """The group of a row of GROUPING SETS ((), (salesperson), (team)), from
    its GROUPING() flags (0: grouped by that column) and keys: ("total",
    None), ("salesperson", id) or ("team", id); None for the opportunities
    and moves without salesperson or team, which have no group of their own."""
    if not by_user:
        return ("salesperson", user_id) if user_id else None
    if not by_team:
        return ("team", team_id) if team_id else None
    return ("total", None)


def _days(delta):
    return round(delta.total_seconds() / SECONDS_PER_DAY, 2)


# Undefined figures (nothing to divide by) are False, as RPC carries no None.
def _ratio(part, whole):
    return part / whole if whole else False


def _number(value):
    """An average or median from PostgreSQL (a Decimal, a float or None)."""
    return float(value) if value is not None else False
