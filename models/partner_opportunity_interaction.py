import statistics
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

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
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
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
    days_in_status = fields.Float(
        string="Days in Status",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="How long the opportunity stayed in the status it left, in days.",
    )
    days_since_creation = fields.Float(
        digits=(16, 2),
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
        See doc/api.md for the figures returned."""
        start = fields.Datetime.to_datetime(fields.Date.to_date(date_from))
        end = fields.Datetime.to_datetime(fields.Date.to_date(date_to) + timedelta(days=1))
        opportunities = self.env["partner.opportunity"].search(domain)
        # The caller may open these opportunities, hence their history: read
        # it without checking the rules a second time.
        moves = self.sudo().search(
            [
                ("opportunity_id", "in", opportunities.ids),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            order="date, id",
        )
        entries = self._movement_entries(opportunities, moves, start, end)
        result = {
            "date_from": fields.Date.to_string(start),
            "date_to": fields.Date.to_string(end - timedelta(days=1)),
            "currency_id": self.env.company.currency_id.id,
            **self._movement_figures(opportunities, entries, moves),
        }
        # A move counts for the salesperson and team it had then; a creation
        # and an open opportunity for those it has now.
        for name, opportunity_field, move_field in (
            ("salesperson", "user_id", "salesperson_id"),
            ("team", "team_id", "team_id"),
        ):
            keys = (opportunities[opportunity_field] | moves[move_field]).sorted("name")
            result[f"by_{name}"] = [
                {
                    "id": key.id,
                    "name": key.sudo().display_name,
                    **self._movement_figures(
                        opportunities.filtered(lambda o, k=key, f=opportunity_field: o[f] == k),
                        [e for e in entries if e[name] == key],
                        moves.filtered(lambda m, k=key, f=move_field: m[f] == k),
                    ),
                }
                for key in keys
            ]
        return result

    @api.model
    def _movement_entries(self, opportunities, moves, start, end):
        """The entries into a status in the period: the creation of an
        opportunity in its first status, and every move. Each says what
        became of it by the end of the period: the opportunity's next move
        (``next``) and whether it was won later (``won``)."""
        created = opportunities.filtered(lambda o: start <= o.create_date < end)
        first_moves = {}
        for move in self.sudo().search(
            [("opportunity_id", "in", created.ids)], order="date desc, id desc"
        ):
            first_moves[move.opportunity_id] = move
        timelines = defaultdict(list)
        for opportunity in created:
            first = first_moves.get(opportunity)
            timelines[opportunity].append(
                {
                    "status": first.status_from_id if first else opportunity.status_id,
                    "salesperson": opportunity.user_id,
                    "team": opportunity.team_id,
                    "move": None,
                }
            )
        for move in moves:
            timelines[move.opportunity_id].append(
                {
                    "status": move.status_to_id,
                    "salesperson": move.salesperson_id,
                    "team": move.team_id,
                    "move": move,
                }
            )
        entries = []
        for timeline in timelines.values():
            for index, entry in enumerate(timeline):
                later = [e["move"] for e in timeline[index + 1 :]]
                entry["next"] = later[0].move_type if later else False
                entry["won"] = any(m.status_to_type == "won" for m in later)
                entries.append(entry)
        return entries

    @api.model
    def _movement_figures(self, opportunities, entries, moves):
        """The figures of P3 of ``entries`` (from _movement_entries), of the
        status changes ``moves`` and of the ``opportunities`` still open."""
        won = moves.filtered(lambda m: m.status_to_type == "won")
        closed = moves.filtered(lambda m: m.status_to_type in ("won", "lost"))
        statuses = (
            opportunities.pipeline_id.status_ids
            | moves.status_from_id
            | self.env["partner.opportunity.status"].union(*(e["status"] for e in entries))
        )
        rows = []
        for status in statuses.sorted(
            lambda s: (s.pipeline_id.sequence, s.pipeline_id.id, s.sequence, s.id)
        ):
            entered = [e for e in entries if e["status"] == status]
            left = moves.filtered(lambda m, s=status: m.status_from_id == s)
            is_active = status.status_type == "active"
            rows.append(
                {
                    "id": status.id,
                    "name": status.name,
                    "pipeline_id": status.pipeline_id.id,
                    "status_type": status.status_type,
                    "entered": len(entered),
                    **{
                        f"left_{move_type}": len(
                            left.filtered(lambda m, t=move_type: m.move_type == t)
                        )
                        for move_type, _label in MOVE_TYPES
                    },
                    "conversion_next": is_active
                    and _ratio(sum(e["next"] in ("forward", "won") for e in entered), len(entered)),
                    "conversion_won": is_active
                    and _ratio(sum(e["won"] for e in entered), len(entered)),
                    "days_avg": _mean(left.mapped("days_in_status")),
                    "days_median": _median(left.mapped("days_in_status")),
                }
            )
        win_rate = _ratio(len(won), len(closed))
        won_value_avg = _mean(won.mapped("annual_revenue"))
        days_to_close_avg = _mean(closed.mapped("days_since_creation"))
        open_count = len(opportunities.filtered(lambda o: o.status_type == "active"))
        velocity = False
        if won and days_to_close_avg:
            velocity = open_count * win_rate * won_value_avg / days_to_close_avg
        return {
            "created": sum(1 for e in entries if not e["move"]),
            "moves": len(moves),
            "won": len(won),
            "won_value": sum(won.mapped("annual_revenue")),
            "lost": len(closed) - len(won),
            "lost_value": sum((closed - won).mapped("annual_revenue")),
            "win_rate": win_rate,
            "won_value_avg": won_value_avg,
            "days_to_close_avg": days_to_close_avg,
            "days_to_close_median": _median(closed.mapped("days_since_creation")),
            "open": open_count,
            "velocity": velocity,
            "statuses": rows,
        }


def _days(delta):
    return delta.total_seconds() / SECONDS_PER_DAY


# Undefined figures (nothing to divide by) are False, as RPC carries no None.
def _ratio(part, whole):
    return part / whole if whole else False


def _mean(values):
    return statistics.fmean(values) if values else False


def _median(values):
    return statistics.median(values) if values else False
