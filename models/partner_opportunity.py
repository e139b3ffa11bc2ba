from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .partner_opportunity_status import DEFAULT_PROBABILITY
from .partner_opportunity_values import SERVER, check_values, uninstalling

REVENUE_PERIODS = [("one_time", "One-time"), ("monthly", "Monthly"), ("annual", "Annual")]
PERIOD_FACTORS = {"one_time": 1, "monthly": 12, "annual": 1}

# The sums of the summary line (P2): the annualised value, the expected
# annualised value, and the revenue of each period type on its own.
SUMMARY_FIELDS = (
    "annual_revenue",
    "weighted_annual_revenue",
    "one_time_revenue",
    "monthly_revenue",
    "yearly_revenue",
)

# mail's fields computed from an opportunity's activities, all empty without
# one (mail.activity.mixin).
ACTIVITY_FIELDS = frozenset(
    {
        "activity_state",
        "activity_user_id",
        "activity_type_id",
        "activity_type_icon",
        "activity_date_deadline",
        "my_activity_date_deadline",
        "activity_summary",
        "activity_exception_decoration",
        "activity_exception_icon",
    }
)

# Values the server derives (R6): whatever a client sends for them, in the
# values or as defaults in the context, is ignored.
SERVER_FIELDS = frozenset(
    {
        "annual_revenue",
        "weighted_revenue",
        "one_time_revenue",
        "monthly_revenue",
        "yearly_revenue",
        "weighted_annual_revenue",
        "status_type",
        "company_id",
        "currency_id",
        "date_closed",
        "date_status_changed",
        "is_automatic",
    }
)


class ImportBatchRetry(Exception):
    """A batch of an import failed: load() retries it row by row without
    also reporting the error on the batch's first row, as it does for a
    UserError (test_rpc_rules: test_import_errors_on_their_own_rows,
    test_import_empty_probability_takes_default)."""


class PartnerOpportunity(models.Model):
    _name = "partner.opportunity"
    _description = "Opportunity"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "mail.tracking.duration.mixin",
    ]
    _order = "date_deadline, id desc"
    _check_company_auto = True
    # Followers of a won or lost opportunity may still discuss it, though only
    # administrators may change it.
    _mail_post_access = "read"
    _track_duration_field = "status_id"

    # Keyword search (F1) is "name ilike %word%": a trigram index, as on crm.lead.
    name = fields.Char(string="Description", required=True, index="trigram", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        check_company=True,
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="The person the opportunity is discussed with: the customer or one of its contacts.",
    )
    # What a card shows of the customer (B1): the contact, else the customer.
    # Stored, so that the board reads it with its cards instead of reading
    # each page's partners; kept up to date when a partner is renamed (the
    # indexes on partner_id and contact_id find its opportunities).
    contact_name = fields.Char(compute="_compute_contact_name", store=True, precompute=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('id', 'in', assignable_user_ids)]",
    )
    assignable_user_ids = fields.Many2many(
        "res.users",
        string="Assignable Salespersons",
        compute="_compute_assignable_user_ids",
        help="Whom the current user may make the salesperson: themselves for an agent, "
        "the members of their teams for a supervisor, anyone with an opportunity role "
        "for an administrator.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        tracking=True,
        check_company=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    pipeline_id = fields.Many2one(
        "partner.opportunity.pipeline",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        default=lambda self: self._default_pipeline(),
    )
    company_id = fields.Many2one(
        related="pipeline_id.company_id", store=True, index=True, precompute=True
    )
    # Stored: the amounts of a batch being created are rounded in their
    # currency without computing it record by record.
    currency_id = fields.Many2one(related="company_id.currency_id", store=True, precompute=True)
    status_id = fields.Many2one(
        "partner.opportunity.status",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        copy=False,
        check_company=True,
        compute="_compute_status_id",
        store=True,
        readonly=False,
        precompute=True,
        group_expand="_read_group_status_ids",
        domain="[('pipeline_id', '=', pipeline_id)]",
    )
    status_type = fields.Selection(
        string="Status Type",
        related="status_id.status_type",
        store=True,
        index=True,
        precompute=True,
    )
    date_deadline = fields.Date(
        string="Expected Close Date", required=True, index=True, tracking=True
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    date_status_changed = fields.Datetime(
        string="Last Status Change",
        readonly=True,
        copy=False,
        index=True,
        default=fields.Datetime.now,
    )
    days_in_status = fields.Integer(
        string="Days in Status",
        compute="_compute_days_in_status",
        help="Whole days since the last status change.",
    )
    lost_reason_id = fields.Many2one(
        "partner.opportunity.lost.reason",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        copy=False,
    )
    probability = fields.Integer(
        string="Probability (%)",
        compute="_compute_probability",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        aggregator="avg",
        help="How sure the salesperson is that the deal will close, from 0 to 100 %.",
    )
    stars = fields.Selection(
        [(str(n), str(n)) for n in range(6)],
        compute="_compute_stars",
        help="The probability on five stars: one star for every 20 %, rounded.",
    )
    # No sum of its own (B1): amounts of different periods add up to nothing;
    # reports and totals sum annual_revenue and its derivatives.
    expected_revenue = fields.Monetary(required=True, default=0.0, tracking=True, aggregator=None)
    revenue_period = fields.Selection(REVENUE_PERIODS, required=True, default="one_time")
    annual_revenue = fields.Monetary(
        compute="_compute_annual_revenue",
        store=True,
        precompute=True,
        help="The expected revenue over a year: monthly revenue times 12.",
    )
    weighted_revenue = fields.Monetary(
        string="Expected Value",
        compute="_compute_weighted_revenue",
        store=True,
        aggregator=None,
        precompute=True,
        help="Expected revenue times probability: what the opportunity is worth in a forecast.",
    )
    deadline_state = fields.Selection(
        [
            ("far", "On time"),
            ("near", "Close date near"),
            ("overdue", "Overdue"),
            ("closed", "Closed"),
        ],
        string="Close Date State",
        compute="_compute_deadline_state",
        search="_search_deadline_state",
        help="The colour of the calendar icon by the close date of a card, also grouped and "
        "filtered by the board's progress bar.",
    )
    is_idle = fields.Boolean(
        string="Idle",
        compute="_compute_is_idle",
        search="_search_is_idle",
        help="Open, no status change and no planned activity for longer than the "
        "idle threshold of the company.",
    )
    properties = fields.Properties(
        definition="pipeline_id.opportunity_properties_definition",
        copy=True,
    )
    is_automatic = fields.Boolean(
        string="Created Automatically",
        readonly=True,
        copy=False,
        help="Created for a new customer, not by hand.",
    )
    interaction_ids = fields.One2many(
        "partner.opportunity.interaction", "opportunity_id", string="Interactions"
    )
    is_locked = fields.Boolean(
        string="Locked",
        compute="_compute_is_locked",
        help="Won or lost, and the current user is not an administrator: only an "
        "administrator can change or reopen it.",
    )
    # The expected revenue by period type, each summed on its own by the board's
    # columns and the summary in the same grouped read as the annual value (B1):
    # a sum of expected_revenue would add monthly amounts to one-time ones.
    one_time_revenue = fields.Monetary(
        string="One-time Revenue",
        compute="_compute_period_revenues",
        store=True,
        precompute=True,
        help="The expected revenue of a one-time opportunity, else 0.",
    )
    monthly_revenue = fields.Monetary(
        compute="_compute_period_revenues",
        store=True,
        precompute=True,
        help="The expected revenue per month of a monthly opportunity, else 0.",
    )
    yearly_revenue = fields.Monetary(
        compute="_compute_period_revenues",
        store=True,
        precompute=True,
        help="The expected revenue per year of an annual opportunity, else 0.",
    )
    weighted_annual_revenue = fields.Monetary(
        string="Expected Annual Value",
        compute="_compute_weighted_annual_revenue",
        store=True,
        precompute=True,
        help="Annual revenue times probability: what the opportunity is worth over a "
        "year in a forecast.",
    )

    # ------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------

    @api.model
    def _default_pipeline(self, company=None):
        company = company or self.env.company
        # An archived default pipeline gives way to the first active one (C3).
        return company.partner_opportunity_pipeline_id.filtered("active") or self.env[
            "partner.opportunity.pipeline"
        ].search([("company_id", "=", company.id)], limit=1)

    @api.depends("partner_id")
    def _compute_user_id(self):
        # D1: only a new opportunity takes the customer's salesperson.
        for opportunity in self:
            if not opportunity._origin.id or not opportunity.user_id:
                opportunity.user_id = (
                    opportunity.partner_id.user_id or opportunity.user_id or self.env.user
                )

    @api.depends("partner_id")
    def _compute_contact_id(self):
        # D4: another customer's contact goes as soon as the customer changes.
        for opportunity in self:
            if not opportunity._contact_of_customer():
                opportunity.contact_id = False

    @api.depends("partner_id.complete_name", "contact_id.complete_name")
    def _compute_contact_name(self):
        for opportunity in self:
            opportunity.contact_name = (
                opportunity.contact_id or opportunity.partner_id
            ).complete_name

    @api.depends("company_id")
    @api.depends_context("uid")
    def _compute_assignable_user_ids(self):
        """R6 in the salesperson's dropdown, in the opportunity's company. The
        users are filtered once per company and set on all its opportunities
        at once: a page of the list sets one value, not one per row."""
        assignable = self._assignable_users()
        by_company = defaultdict(list)
        for opportunity in self:
            by_company[opportunity.company_id].append(opportunity.id)
        for company, ids in by_company.items():
            self.browse(ids).assignable_user_ids = (
                assignable.filtered(lambda u, c=company: c in u.company_ids)
                if company
                else assignable
            )

    @api.depends("status_type")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        # As saved: choosing a lost status on the form must not lock the
        # reason it asks for before the save.
        is_admin = self._is_admin()
        for opportunity in self:
            opportunity.is_locked = not is_admin and opportunity._origin.status_type in (
                "won",
                "lost",
            )

    @api.depends("user_id")
    def _compute_team_id(self):
        for opportunity in self:
            if opportunity.user_id.sale_team_id:
                opportunity.team_id = opportunity.user_id.sale_team_id

    @api.depends("pipeline_id")
    def _compute_status_id(self):
        for opportunity in self:
            if opportunity.status_id.pipeline_id != opportunity.pipeline_id:
                opportunity.status_id = (
                    opportunity.pipeline_id and opportunity.pipeline_id._first_status()
                )

    @api.depends("status_id")
    def _compute_probability(self):
        # Entering a status sets its probability (D3, the status's default);
        # a write that sets the probability itself protects it from this.
        for opportunity in self:
            status = opportunity.status_id
            probability = status._opportunity_probability() if status else None
            if probability is not None:
                opportunity.probability = probability
            elif not opportunity._origin and not opportunity.probability:
                opportunity.probability = DEFAULT_PROBABILITY

    @api.depends("date_status_changed")
    def _compute_days_in_status(self):
        # Set per value for a page of the list, as the board's computes.
        now = fields.Datetime.now()
        days = defaultdict(list)
        for opportunity, changed in zip(self, self.mapped("date_status_changed"), strict=True):
            days[(now - changed).days if changed else 0].append(opportunity.id)
        for value, ids in days.items():
            self.browse(ids).days_in_status = value

    @api.depends("probability")
    def _compute_stars(self):
        # Assigned to each group of cards at once, as the other computes of
        # the board's cards: a page of 80 cards sets a few values, not 80.
        stars = defaultdict(list)
        for opportunity, probability in zip(self, self.mapped("probability"), strict=True):
            stars[str(min(5, max(0, (probability + 10) // 20)))].append(opportunity.id)
        for value, ids in stars.items():
            self.browse(ids).stars = value

    @api.depends("expected_revenue", "revenue_period")
    def _compute_annual_revenue(self):
        for opportunity in self:
            factor = PERIOD_FACTORS.get(opportunity.revenue_period, 1)
            opportunity.annual_revenue = opportunity.expected_revenue * factor

    @api.depends("expected_revenue", "probability")
    def _compute_weighted_revenue(self):
        for opportunity in self:
            opportunity.weighted_revenue = (
                opportunity.expected_revenue * opportunity.probability / 100.0
            )

    @api.depends("expected_revenue", "revenue_period")
    def _compute_period_revenues(self):
        for opportunity in self:
            period = opportunity.revenue_period
            revenue = opportunity.expected_revenue
            opportunity.one_time_revenue = revenue if period == "one_time" else 0.0
            opportunity.monthly_revenue = revenue if period == "monthly" else 0.0
            opportunity.yearly_revenue = revenue if period == "annual" else 0.0

    @api.depends("annual_revenue", "probability")
    def _compute_weighted_annual_revenue(self):
        for opportunity in self:
            opportunity.weighted_annual_revenue = (
                opportunity.annual_revenue * opportunity.probability / 100.0
            )

    @api.depends("date_deadline", "status_type")
    @api.depends_context("tz")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        near = {company: self._deadline_near_limit(company, today) for company in self.company_id}
        # One company, the usual case: no lookup of each card's company.
        same_near = next(iter(near.values())) if len(near) == 1 else None
        states = defaultdict(list)
        for opportunity, status_type, deadline in zip(
            self, self.mapped("status_type"), self.mapped("date_deadline"), strict=True
        ):
            if status_type != "active":
                state = "closed"
            elif not deadline:
                state = False
            elif deadline < today:
                state = "overdue"
            elif deadline <= (same_near or near.get(opportunity.company_id, today)):
                state = "near"
            else:
                state = "far"
            states[state].append(opportunity.id)
        for state, ids in states.items():
            self.browse(ids).deadline_state = state

    def _search_deadline_state(self, operator, value):
        scalar = operator in ("=", "!=")
        if operator not in ("=", "!=", "in", "not in") or (
            not scalar and not isinstance(value, (list, tuple, set))
        ):
            raise UserError(_("Unsupported search on Close Date State."))
        states = {value} if scalar else set(value)
        domain = expression.OR(
            [
                self._deadline_state_domain(state)
                for state in states & {"far", "near", "overdue", "closed"}
            ]
        )
        return domain if operator in ("=", "in") else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _deadline_near_limit(self, company, today):
        """The last close date whose calendar is yellow (B2): the one home of the
        company's "near" threshold."""
        return today + timedelta(days=company.partner_opportunity_near_days)

    @api.model
    def _deadline_state_domain(self, state):
        """The opportunities whose calendar has the colour ``state``: the same
        thresholds as the compute, per company."""
        if state == "closed":
            return [("status_type", "!=", "active")]
        today = fields.Date.context_today(self)
        if state == "overdue":
            return [("status_type", "=", "active"), ("date_deadline", "<", today)]
        return expression.OR(
            [
                ("status_type", "=", "active"),
                ("company_id", "=", company.id),
                ("date_deadline", ">=", today),
                (
                    "date_deadline",
                    "<=" if state == "near" else ">",
                    self._deadline_near_limit(company, today),
                ),
            ]
            for company in self.env.companies
        )

    def _read_group_groupby(self, groupby_spec, query):
        # The board's progress bar groups by the calendar colour, in SQL made
        # from the very domains the search and the filters use.
        if groupby_spec != "deadline_state":
            return super()._read_group_groupby(groupby_spec, query)
        self.check_field_access_rights("read", ["deadline_state"])
        cases = SQL(" ").join(
            SQL(
                "WHEN %s THEN %s",
                self._where_calc(self._deadline_state_domain(state)).where_clause,
                state,
            )
            for state in ("closed", "overdue", "near")
        )
        return SQL("CASE %s ELSE 'far' END", cases)

    @api.depends("status_type", "status_id.idle_days", "date_status_changed", "activity_ids")
    def _compute_is_idle(self):
        # The rule of _idle_domain on the cards in cache, with its one
        # threshold (_idle_limit): the board computes it for every card it
        # shows, faster than filtered_domain. The cheap tests first: the
        # status and activities only of open cards unchanged for long enough.
        limits = {status: self._idle_limit(status.idle_days) for status in self.status_id}
        latest = max(limits.values(), default=None)
        idle = []
        for opportunity, status_type, changed in zip(
            self, self.mapped("status_type"), self.mapped("date_status_changed"), strict=True
        ):
            if (
                status_type == "active"
                and changed
                and changed < latest
                and changed < limits[opportunity.status_id]
                and not opportunity.activity_ids
            ):
                idle.append(opportunity.id)
        self.browse(idle).is_idle = True
        (self - self.browse(idle)).is_idle = False

    def _search_is_idle(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Idle."))
        statuses = self.env["partner.opportunity.status"].search_fetch(
            [("idle_days", ">", 0)], ["idle_days"]
        )
        domain = self._idle_domain(statuses)
        return domain if (operator == "=") == value else ["!", *expression.normalize_domain(domain)]

    @api.model
    def _idle_limit(self, days):
        """The one threshold of idleness (F6): an open opportunity without
        planned activity is idle when its status last changed before this
        moment; ``days``: the status's own threshold, else the company's."""
        days = days or self.env.company.partner_opportunity_idle_days
        return fields.Datetime.now() - timedelta(days=days)

    @api.model
    def _idle_domain(self, statuses):
        """Idle as a search (F6), the rule of _compute_is_idle: open, no planned
        activity, and no status change since _idle_limit. ``statuses``: those
        whose own threshold may apply (the others have the company's); one
        leaf per threshold, so that the search stays one SQL query."""
        by_days = defaultdict(list)
        for status in statuses.filtered("idle_days"):
            by_days[status.idle_days].append(status.id)
        own = [status_id for ids in by_days.values() for status_id in ids]
        thresholds = [
            [("status_id", "not in", own), ("date_status_changed", "<", self._idle_limit(0))]
        ] + [
            [("status_id", "in", ids), ("date_status_changed", "<", self._idle_limit(days))]
            for days, ids in by_days.items()
        ]
        return expression.AND(
            [
                [("status_type", "=", "active"), ("activity_ids", "=", False)],
                expression.OR(thresholds),
            ]
        )

    # ------------------------------------------------------------
    # Constraints (D4)
    # ------------------------------------------------------------

    @api.constrains("expected_revenue")
    def _check_expected_revenue(self):
        if any(opportunity.expected_revenue < 0 for opportunity in self):
            raise ValidationError(
                _("Expected revenue: the amount cannot be negative (it must be 0 or more).")
            )

    @api.constrains("probability")
    def _check_probability(self):
        if any(not 0 <= opportunity.probability <= 100 for opportunity in self):
            raise ValidationError(_("Probability: it must be between 0 and 100 %."))

    @api.constrains("status_id", "pipeline_id")
    def _check_status_pipeline(self):
        for opportunity in self:
            if opportunity.status_id.pipeline_id != opportunity.pipeline_id:
                raise ValidationError(
                    _(
                        "Status: “%(status)s” belongs to the pipeline “%(other)s”, not "
                        "to “%(pipeline)s” of the opportunity “%(name)s”.",
                        status=opportunity.status_id.name,
                        other=opportunity.status_id.pipeline_id.name,
                        pipeline=opportunity.pipeline_id.name,
                        name=opportunity.name,
                    )
                )

    @api.constrains("contact_id", "partner_id")
    def _check_contact(self):
        for opportunity in self:
            contact = opportunity.contact_id
            if not opportunity._contact_of_customer():
                raise ValidationError(
                    _(
                        "Contact: %(contact)s is not a contact of the customer "
                        "%(customer)s. Choose the customer or one of its contacts.",
                        contact=contact.display_name,
                        customer=opportunity.partner_id.display_name,
                    )
                )

    def _contact_of_customer(self):
        """D4, the one rule of the contact: none, the customer, or one of the
        customer's contacts (the form's domain says the same)."""
        self.ensure_one()
        contact = self.contact_id
        return not contact or self.partner_id in (contact, contact.parent_id)

    @api.constrains("lost_reason_id", "status_id")
    def _check_lost_reason(self):
        if any(o.lost_reason_id and o.status_type != "lost" for o in self):
            raise ValidationError(
                _("Lost reason: only a lost opportunity has one. Mark it as lost instead.")
            )

    @api.constrains("user_id", "team_id")
    def _check_assignment(self):
        """R6: who may be the salesperson, and of which team, by the role of
        the user who assigns. Work done for another model (D2) runs as
        superuser and chooses its salesperson itself."""
        if self.env.su:
            return
        is_admin = self._is_admin()
        assignable = self._assignable_users()
        for opportunity in self:
            user = opportunity.user_id
            if not user._partner_opportunity_may_hold():
                raise ValidationError(
                    _(
                        "Salesperson: %(user)s has no opportunity role. Choose an agent, "
                        "a supervisor or an administrator of the opportunities.",
                        user=user.name,
                    )
                )
            if user not in assignable:
                raise ValidationError(
                    _(
                        "Salesperson: you may not assign %(user)s. Agents are the "
                        "salesperson of their own opportunities, supervisors assign the "
                        "members of their sales teams.",
                        user=user.name,
                    )
                )
            team = opportunity.team_id
            if team and not is_admin and team not in user.sudo()._partner_opportunity_teams():
                raise ValidationError(
                    _(
                        "Sales Team: %(user)s is not in the team %(team)s.",
                        user=user.name,
                        team=team.name,
                    )
                )

    @api.model
    def _assignable_users(self):
        """R6, the one list of whom the current user may make the salesperson:
        themselves for an agent; the members and leaders of their active
        sales teams for a supervisor (whose opportunities the record rules
        let them see); anyone with an opportunity role for an administrator."""
        Users = self.env["res.users"]
        if self._is_admin():
            agents = self.env.ref("partner_opportunity.group_agent")
            return Users.search([("share", "=", False), ("groups_id", "in", agents.ids)])
        user = self.env.user
        if user.has_group("partner_opportunity.group_supervisor"):
            user = user.sudo()._partner_opportunity_supervised_users().with_env(self.env)
        return user.filtered(lambda u: u._partner_opportunity_may_hold())

    def init(self):
        result = super().init()
        # What an agent or a supervisor sees (R1, R2) in the order of the board
        # and the list (_order), from an index, not by reading every
        # opportunity of their salespersons: a board column (its sums and
        # progress bar, its first cards, its count), and the list or a search
        # (its first rows in order, its count and summary), each read from
        # the index alone. For a supervisor's or an administrator's column
        # (many salespersons), the index by status: its first cards in order,
        # and its count, which the web client asks for a full column.
        amounts = SQL(", ").join(SQL.identifier(name) for name in SUMMARY_FIELDS)
        with_amounts = SQL("pipeline_id, company_id, status_type, %s", amounts)
        for name, key, include in (
            ("user_id_status_id_date_deadline", "user_id, status_id, date_deadline", with_amounts),
            ("user_id_date_deadline", "user_id, date_deadline, id DESC", with_amounts),
            (
                "status_id_date_deadline",
                "status_id, date_deadline, id DESC",
                SQL("pipeline_id, company_id, user_id"),
            ),
        ):
            index = f"{self._table}_{name}_index"
            if not index_exists(self.env.cr, index):
                self.env.cr.execute(
                    SQL(
                        "CREATE INDEX %s ON %s (%s) INCLUDE (%s)",
                        SQL.identifier(index),
                        SQL.identifier(self._table),
                        SQL(key),
                        include,
                    )
                )
        return result

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # R6: server values have no client defaults either.
            self = self.with_env(
                self.env(
                    context={
                        key: value
                        for key, value in self.env.context.items()
                        if key.removeprefix("default_") not in SERVER_FIELDS
                    }
                )
            )
        vals_list = self._create_values(vals_list)
        opportunities = (
            super(PartnerOpportunity, self.with_context(partner_opportunity_subscribe=SERVER))
            .create(vals_list)
            .with_env(self.env)
        )
        if not self.env.context.get("tracking_disable"):
            # As mail.thread: an import with "Track history" off (its
            # default) subscribes nobody.
            opportunities._subscribe_salespersons(notify=len(opportunities) == 1)
        return opportunities

    def _create_values(self, vals_list):
        """The values new opportunities will really have, whatever supplies
        them (form, context defaults, import, API): checked (D1, D4) and
        entering their status (D3), as write() does for a move."""
        Status = self.env["partner.opportunity.status"]
        context = self.env.context
        # A status chosen alone brings its pipeline.
        alone = [
            "pipeline_id" not in vals and not context.get("default_pipeline_id")
            for vals in vals_list
        ]
        vals_list = [self._add_missing_default_values(self._client_values(v)) for v in vals_list]
        check_values(self, vals_list)
        statuses = Status.browse({vals.get("status_id") for vals in vals_list} - {None, False})
        statuses = {status.id: status for status in statuses}
        Pipeline = self.env["partner.opportunity.pipeline"]
        result = []
        for vals, status_alone in zip(vals_list, alone, strict=True):
            status = statuses.get(vals.get("status_id"), Status)
            if status and status_alone:
                vals["pipeline_id"] = status.pipeline_id.id
            self._check_required(vals, self._fields)
            status = status or Pipeline.browse(vals["pipeline_id"])._first_status()
            result.append(status._entering(vals) if status else vals)
        return result

    @api.model
    def _check_required(self, vals, names):
        """D1, D4: the required fields among ``names`` that only a user fills
        in, checked on the values the record will have, with their names
        (the database would refuse them with an error naming a column)."""
        missing = [
            field._description_string(self.env)
            for field in map(self._fields.get, names)
            if field
            and field.required
            and field.store
            and not field.compute
            and field.type not in ("boolean", "integer", "float", "monetary")
            and vals.get(field.name) in (None, False, "")
        ]
        if missing:
            raise ValidationError(_("%(fields)s: a value is required.", fields=", ".join(missing)))

    def _client_values(self, vals):
        """R6: what the server computes follows its inputs, not a client.
        An empty cell of an optional number in an import is no value
        (test_rpc_rules: test_import_empty_probability_takes_default)."""
        if "probability" in vals and (vals["probability"] is None or vals["probability"] is False):
            vals = dict(vals)
            del vals["probability"]
        if self.env.su or SERVER_FIELDS.isdisjoint(vals):
            return dict(vals)
        return {key: value for key, value in vals.items() if key not in SERVER_FIELDS}

    def _load_records(self, data_list, update=False):
        if len(data_list) == 1:
            return super()._load_records(data_list, update=update)
        try:
            return super()._load_records(data_list, update=update)
        except UserError as error:
            # load() would report this error on the first row of the batch,
            # whichever row caused it; retried row by row, each error lands on
            # its own row.
            raise ImportBatchRetry() from error

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for opportunity, vals in zip(self, vals_list, strict=True):
            # A copy starts in the first status: a won or lost one's
            # probability does not come along (D1, D3).
            if opportunity.status_type != "active" and "probability" not in (default or {}):
                vals.pop("probability", None)
        return vals_list

    def _subscribe_salespersons(self, notify=False):
        """Salespersons follow their opportunities through mail's own
        auto-subscription of ``user_id`` (_message_auto_subscribe), run once
        per salesperson instead of once per opportunity as mail's create()
        does, so that imports and bulk creations stay fast. Only a single new
        opportunity sends its salesperson the assignment email."""
        batch = self if notify else self.with_context(mail_auto_subscribe_no_notify=True)
        for user in self.user_id:
            batch.filtered(lambda o, u=user: o.user_id == u)._message_auto_subscribe(
                {"user_id": user.id}
            )

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("partner_opportunity_subscribe") is SERVER:
            return True  # mail's create() would subscribe one by one: see create()
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    def write(self, vals):
        vals = self._client_values(vals)
        check_values(self, [vals])
        self._check_required(vals, vals)
        if "pipeline_id" in vals and "status_id" not in vals:
            pipeline = self.env["partner.opportunity.pipeline"].browse(vals["pipeline_id"])
            vals["status_id"] = pipeline._first_status().id
        self._check_closed_write(vals)
        if "status_id" not in vals:
            return super().write(vals)

        status = self.env["partner.opportunity.status"].browse(vals["status_id"])
        moved = self.filtered(lambda o: o.status_id != status)
        # Staying in its status is no entry: its probability stays as it is.
        stay_vals = {k: v for k, v in vals.items() if k != "status_id"}
        if not moved:
            return super().write(stay_vals)
        moves = [(o, o.status_id, o.date_status_changed) for o in moved]
        # One write for those that were open, one for those reopened from won
        # or lost: they enter the status with different values.
        reopened = moved.filtered(lambda o: o.status_type != "active")
        for opportunities, reopening in ((moved - reopened, False), (reopened, True)):
            if opportunities:
                super(PartnerOpportunity, opportunities).write(status._entering(vals, reopening))
        if self - moved:
            super(PartnerOpportunity, self - moved).write(stay_vals)
        self.env["partner.opportunity.interaction"].sudo()._record_status_changes(moves)
        return True

    @api.constrains("status_id")
    def _check_status_requirements(self):
        """What a status requires of the opportunities entering it: the
        fields the administrator chose, and a lost reason when the company
        asks for one. Refused naming both, like every constraint."""
        missing = []
        for opportunity in self.filtered(lambda o: o.status_id._has_entry_requirements()):
            status = opportunity.status_id
            labels = [
                field.field_description
                for field in status.sudo().required_field_ids
                if not opportunity[field.name]
            ]
            if (
                status.status_type == "lost"
                and opportunity.company_id.partner_opportunity_lost_reason_required
                and not opportunity.lost_reason_id
            ):
                labels.append(self._fields["lost_reason_id"]._description_string(self.env))
            if labels:
                missing.append(
                    _(
                        "“%(name)s” (%(status)s): %(fields)s",
                        name=opportunity.name,
                        status=status.name,
                        fields=", ".join(labels),
                    )
                )
        if missing:
            raise UserError(
                _(
                    "Fill in these fields before the opportunity enters its new status:\n%s",
                    "\n".join(missing[:10]),
                )
            )

    @api.model
    def _is_admin(self):
        """Whether the current user works every opportunity of their companies
        and reopens closed ones (R3, R4): an administrator, or the server."""
        return self.env.su or self.env.user.has_group("partner_opportunity.group_admin")

    def _check_closed_write(self, vals):
        """R4: only administrators change won and lost opportunities.

        The record rules refuse it too; this check says why, in words.
        """
        if self._is_admin():
            return
        closed = self.filtered(lambda o: o.status_type in ("won", "lost"))
        if not closed:
            return
        if "status_id" in vals and any(o.status_id.id != vals["status_id"] for o in closed):
            raise UserError(
                _(
                    "Won and lost opportunities can only be reopened by an "
                    "administrator (%(names)s).",
                    names=", ".join(closed.mapped("name")[:5]),
                )
            )
        raise UserError(
            _(
                "Won and lost opportunities can only be changed by an administrator (%(names)s).",
                names=", ".join(closed.mapped("name")[:5]),
            )
        )

    def _filtered_untouched(self):
        """The opportunities created for a new customer (D2) that nobody worked
        on since: not changed, no interaction, message or activity (X3)."""
        untouched = self.filtered(
            lambda o: (
                o.is_automatic
                and o.write_date == o.create_date
                and not o.interaction_ids
                and not o.activity_ids
            )
        )
        discussed = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", untouched.ids),
                    ("message_type", "in", ("comment", "email")),
                ],
                ["res_id"],
            )
        )
        return untouched - self.browse(res_id for (res_id,) in discussed)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_closed(self):
        if self._is_admin() or uninstalling(self.env):
            return
        if any(o.status_type in ("won", "lost") for o in self):
            raise UserError(
                _("Won and lost opportunities can only be deleted by an administrator.")
            )

    # ------------------------------------------------------------
    # Board
    # ------------------------------------------------------------

    def _compute_field_value(self, field):
        # The board reads mail's activity fields of every card it shows, most
        # of them without activity: their values are all empty, set at once
        # instead of computed card by card.
        if field.name not in ACTIVITY_FIELDS:
            return super()._compute_field_value(field)
        with_activities = self.filtered("activity_ids") if self.activity_ids else self.browse()
        without = self - with_activities
        for computed in self.pool.field_computed[field]:
            without[computed.name] = False
        if with_activities:
            super(PartnerOpportunity, with_activities)._compute_field_value(field)

    @api.model
    def _read_group_status_ids(self, statuses, domain):
        """Show every status of the board's pipeline, even empty ones."""
        pipeline_ids = set()
        if self.env.context.get("default_pipeline_id"):
            pipeline_ids.add(self.env.context["default_pipeline_id"])
        for leaf in domain:
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "pipeline_id":
                if leaf[1] == "=" and isinstance(leaf[2], int):
                    pipeline_ids.add(leaf[2])
                elif leaf[1] == "in" and isinstance(leaf[2], (list, tuple)):
                    pipeline_ids.update(v for v in leaf[2] if isinstance(v, int))
        search_domain = [("id", "in", statuses.ids)]
        if pipeline_ids:
            search_domain = ["|", ("pipeline_id", "in", list(pipeline_ids)), *search_domain]
        return statuses.search(search_domain, order="pipeline_id, sequence, id")

    # Read-only: served by the read replica (--db_replica_host) when there is one.
    @api.model
    @api.readonly
    def get_summary(self, domain):
        """Figures of the opportunities ``domain`` selects, shown above the
        board and the list (P2), in one grouped read with the user's rights:
        their count, and under ``totals`` and ``won`` (the won ones only) the
        sums of SUMMARY_FIELDS, which never add amounts of different periods."""
        aggregates = [f"{name}:sum" for name in SUMMARY_FIELDS]
        summary = {
            "count": 0,
            "currency_id": self.env.company.currency_id.id,
            "totals": dict.fromkeys(SUMMARY_FIELDS, 0.0),
            "won": dict.fromkeys(SUMMARY_FIELDS, 0.0),
        }
        with self._refuse_malformed_filter(domain):
            groups = self._read_group(domain, ["status_type"], ["__count", *aggregates])
        for status_type, count, *sums in groups:
            summary["count"] += count
            for key in ("totals", "won") if status_type == "won" else ("totals",):
                for name, value in zip(SUMMARY_FIELDS, sums, strict=True):
                    summary[key][name] += value
        return summary

    @api.model
    @contextmanager
    def _refuse_malformed_filter(self, domain):
        """Answers in words a ``domain`` sent by a client that the ORM cannot
        read while the block searches with it (D4): the ORM's own words are a
        traceback (test_rpc_rules: test_summary_with_a_malformed_filter,
        test_movement: test_movement_refuses_a_malformed_filter)."""
        try:
            yield
        except (ValueError, TypeError, KeyError, IndexError, AssertionError) as error:
            raise UserError(
                self.env._("Filter: %(domain)s is not a valid filter.", domain=repr(domain)[:100])
            ) from error

    @api.model
    def action_open_board(self):
        """The board of the pipeline in the URL (``active_id``, see
        _action_board), else of the company's default pipeline (menu entry)."""
        context = self.env.context
        pipeline = self.env["partner.opportunity.pipeline"]
        if context.get("active_model", pipeline._name) == pipeline._name and isinstance(
            context.get("active_id"), int
        ):
            # A link to a pipeline the user may not see opens their default board.
            pipeline = pipeline.search([("id", "=", context["active_id"])])
        return self._action_board(pipeline or self._default_pipeline())

    @api.model
    def _action_board(self, pipeline):
        """The board of ``pipeline``. The web client keeps the action's path
        and ``active_id`` in the URL and runs the server action again with them
        on a reload or a copied link: the board keeps its pipeline (B1, C1)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "partner_opportunity.partner_opportunity_action"
        )
        action["path"] = (
            self.env.ref("partner_opportunity.partner_opportunity_action_board").sudo().path
        )
        if pipeline:
            action["display_name"] = pipeline.name
            action["context"] = {
                "active_id": pipeline.id,
                "default_pipeline_id": pipeline.id,
                "search_default_pipeline_id": pipeline.id,
            }
        return action

    def action_mark_won(self):
        """Won from the form, once confirmed (R4): the first won status of the
        pipeline, through write() and its rules like a drop on the board."""
        for pipeline in self.pipeline_id:
            status = pipeline.status_ids.filtered(lambda s: s.status_type == "won")[:1]
            if not status:
                raise UserError(
                    _("The pipeline “%(pipeline)s” has no won status.", pipeline=pipeline.name)
                )
            self.filtered(lambda o, p=pipeline: o.pipeline_id == p).write({"status_id": status.id})
        return True

    @api.model
    def _action_report(self, xmlid):
        """A report opened on the company's default pipeline (P2): a funnel or
        a forecast mixing the statuses of several pipelines reads as nonsense.
        The pipeline is a facet of the search, so it can be removed or changed."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        pipeline = self._default_pipeline()
        if pipeline:
            action["context"] = {"search_default_pipeline_id": pipeline.id}
        return action

    def action_open_opportunity(self):
        """The pencil of a list row (B3): the opportunity's form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "target": "current",
        }
