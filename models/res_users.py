from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from .partner_opportunity_values import SERVER

BOARD_FIGURES = [
    ("annual", "Annual value"),
    ("period", "Value by period"),
    ("weighted", "Expected value"),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    partner_opportunity_led_team_ids = fields.One2many(
        "crm.team", "user_id", string="Led Sales Teams"
    )
    partner_opportunity_board_figure = fields.Selection(
        BOARD_FIGURES,
        string="Opportunity Figures",
        required=True,
        default="annual",
        help="What the column headers and the summary line of the opportunities show: "
        "the annualised value, the value of each period type summed on its own, or the "
        "expected (probability-weighted) annualised value.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["partner_opportunity_board_figure"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["partner_opportunity_board_figure"]

    @api.model
    def partner_opportunity_set_board_figure(self, figure):
        """The switch of the board's header (B1): the current user's choice of
        figures, kept for their next visit."""
        if figure not in dict(BOARD_FIGURES):
            field = self._fields["partner_opportunity_board_figure"]
            raise UserError(
                _(
                    "%(field)s: %(value)s is not valid, expected one of %(values)s.",
                    field=field._description_string(self.env),
                    value=repr(figure)[:50],
                    values=", ".join(dict(BOARD_FIGURES)),
                )
            )
        self.env.user.write({"partner_opportunity_board_figure": figure})
        return True

    def _partner_opportunity_teams(self):
        """The active sales teams the user belongs to or leads."""
        self.ensure_one()
        return (self.crm_team_ids | self.partner_opportunity_led_team_ids).filtered("active")

    def _partner_opportunity_supervised_users(self):
        """R2, R6: the salespersons whose opportunities the user sees and
        assigns as a supervisor: themselves, and the members and leaders of the
        active sales teams they lead or belong to. The supervisors' record
        rules call it (their domain is cached until a team changes), and so
        does every list and form (the users one may assign): its answer is
        cached too, and cleared with the rules' on a change of teams."""
        self.ensure_one()
        return self.browse(self._partner_opportunity_supervised_user_ids())

    @tools.ormcache("self.id", "self.env.su", "tuple(self.env.companies.ids)")
    def _partner_opportunity_supervised_user_ids(self):
        teams = self._partner_opportunity_teams()
        return tuple((self | teams.member_ids | teams.user_id).ids)

    def _partner_opportunity_may_hold(self, company=None):
        """R6: whether the user may be the salesperson of opportunities (of
        ``company``): an active internal user with an opportunity role."""
        self.ensure_one()
        user = self.sudo()
        return bool(
            user.active
            and not user.share
            and user.has_group("partner_opportunity.group_agent")
            and (not company or company in user.company_ids)
        )

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a user is not a customer (D2, X3). Odoo creates it
        # (_inherits) before the user, when _partner_opportunity_customers
        # cannot tell it from a customer yet: its creation skips D2.
        return super(ResUsers, self.with_context(partner_opportunity_no_auto=SERVER)).create(
            vals_list
        )
