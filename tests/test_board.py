"""The board: clock colours, stars, interactions, summary, idle and the cost of
a drag and drop (B1, B2, M5, P2, F6)."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged, warmup

from odoo.addons.partner_opportunity.models.partner_opportunity import SUMMARY_FIELDS

from .common import KANBAN_ACTIVITY_SPEC, KANBAN_SPEC, PartnerOpportunityCase


@tagged("post_install", "-at_install")
class TestBoard(PartnerOpportunityCase):
    # ------------------------------------------------------------
    # B2: card
    # ------------------------------------------------------------

    @freeze_time("2026-06-10 09:00:00")
    def test_clock_colours(self):
        def state(deadline, **vals):
            return self._opportunity(date_deadline=deadline, **vals).deadline_state

        self.assertEqual(self.company.partner_opportunity_near_days, 3, "default threshold")
        self.assertEqual(state(date(2026, 6, 20)), "far")
        self.assertEqual(state(date(2026, 6, 14)), "far")
        self.assertEqual(state(date(2026, 6, 13)), "near", "3 days ahead is near")
        self.assertEqual(state(date(2026, 6, 10)), "near", "today is near")
        self.assertEqual(state(date(2026, 6, 9)), "overdue")
        self.assertEqual(
            state(date(2026, 6, 9), status_id=self.status_won.id),
            "closed",
            "a closed card has no clock colour, even past its date",
        )
        self.assertEqual(state(date(2026, 6, 20), status_id=self.status_lost.id), "closed")

        self.company.partner_opportunity_near_days = 5
        opportunity = self._opportunity(date_deadline=date(2026, 6, 14))
        self.assertEqual(opportunity.deadline_state, "near", "the threshold is configurable")

    @freeze_time("2026-06-10 09:00:00")
    def test_clock_colours_grouped_and_searched(self):
        """The progress bar of the columns groups and filters by clock colour."""
        far = self._opportunity(date_deadline=date(2026, 6, 20))
        near = self._opportunity(date_deadline=date(2026, 6, 12))
        overdue = self._opportunity(date_deadline=date(2026, 6, 1))
        won = self._opportunity(date_deadline=date(2026, 6, 1), status_id=self.status_won.id)
        mine = [("id", "in", (far | near | overdue | won).ids)]
        for state, expected in (
            ("far", far),
            ("near", near),
            ("overdue", overdue),
            ("closed", won),
        ):
            self.assertEqual(
                self.Opportunity.search(mine + [("deadline_state", "=", state)]), expected
            )
        self.assertEqual(
            self.Opportunity.search(mine + [("deadline_state", "not in", ["far", "closed"])]),
            near | overdue,
        )
        bars = self.Opportunity.read_progress_bar(
            mine,
            "status_id",
            {
                "field": "deadline_state",
                "colors": {
                    "far": "success",
                    "near": "warning",
                    "overdue": "danger",
                    "closed": "200",
                },
            },
        )
        self.assertEqual(
            bars,
            {
                str(self.status_new.id): {"far": 1, "near": 1, "overdue": 1, "closed": 0},
                str(self.status_won.id): {"far": 0, "near": 0, "overdue": 0, "closed": 1},
            },
        )

    def test_clock_moves_with_time(self):
        opportunity = self._opportunity(date_deadline=date(2026, 6, 20))
        for today, expected in (
            ("2026-06-01", "far"),
            ("2026-06-18", "near"),
            ("2026-06-21", "overdue"),
        ):
            with freeze_time(today):
                opportunity.invalidate_recordset(["deadline_state"])
                self.assertEqual(opportunity.deadline_state, expected, today)

    def test_stars(self):
        expected = {
            0: "0",
            9: "0",
            10: "1",
            29: "1",
            30: "2",
            50: "3",
            69: "3",
            70: "4",
            89: "4",
            90: "5",
            100: "5",
        }
        opportunity = self._opportunity()
        for probability, stars in expected.items():
            opportunity.probability = probability
            self.assertEqual(opportunity.stars, stars, f"{probability} %")

    # ------------------------------------------------------------
    # M5: interactions
    # ------------------------------------------------------------

    def test_status_change_is_an_interaction(self):
        def end_transaction():
            # Tracking is written at commit, one message per record and commit.
            self.env.flush_all()
            self.env.cr.precommit.run()

        opportunity = self._opportunity()
        end_transaction()
        self.assertEqual(self.customer.partner_opportunity_interaction_count, 0)
        with freeze_time("2026-03-02 10:00:00"):
            opportunity.with_user(self.agent1).write({"status_id": self.status_demo.id})
            end_transaction()
        with freeze_time("2026-03-05 15:30:00"):
            opportunity.with_user(self.agent1).write({"status_id": self.status_won.id})
            end_transaction()

        self.assertRecordValues(
            opportunity.interaction_ids.sorted("date"),
            [
                {
                    "user_id": self.agent1.id,
                    "date": datetime(2026, 3, 2, 10, 0),
                    "partner_id": self.customer.id,
                    "status_from_id": self.status_new.id,
                    "status_to_id": self.status_demo.id,
                },
                {
                    "user_id": self.agent1.id,
                    "date": datetime(2026, 3, 5, 15, 30),
                    "partner_id": self.customer.id,
                    "status_from_id": self.status_demo.id,
                    "status_to_id": self.status_won.id,
                },
            ],
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.partner_opportunity_interaction_count, 2)
        self.assertEqual(
            self.customer.partner_opportunity_last_interaction, datetime(2026, 3, 5, 15, 30)
        )

        # The status changes are in the chatter too.
        opportunity.invalidate_recordset(["message_ids"])
        tracked = opportunity.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "status_id"
        )
        self.assertEqual(len(tracked), 2)

    def test_other_writes_are_no_interaction(self):
        opportunity = self._opportunity()
        opportunity.write({"expected_revenue": 5000, "status_id": self.status_new.id})
        self.assertFalse(opportunity.interaction_ids, "same status: nothing happened")

    def test_refused_move_logs_nothing(self):
        opportunity = self._opportunity(status_id=self.status_won.id)
        with self.assertRaises(UserError):
            opportunity.with_user(self.agent1).write({"status_id": self.status_new.id})
        self.assertEqual(opportunity.status_id, self.status_won)
        self.assertFalse(opportunity.interaction_ids)
        self.assertEqual(self.customer.partner_opportunity_interaction_count, 0)

    # ------------------------------------------------------------
    # P2: summary
    # ------------------------------------------------------------

    def test_summary_follows_filters_and_rights(self):
        self._opportunity(expected_revenue=1000, probability=40)
        self._opportunity(expected_revenue=400, status_id=self.status_won.id)
        self._opportunity(expected_revenue=300, status_id=self.status_lost.id)
        self._opportunity(user=self.agent2, expected_revenue=2000, probability=50)
        self._opportunity(user=self.agent3, expected_revenue=7000)

        def summary(user, domain):
            result = self.Opportunity.with_user(user).get_summary(domain)
            self.assertEqual(result["currency_id"], self.company.currency_id.id)
            return (
                result["count"],
                result["totals"]["annual_revenue"],
                result["totals"]["weighted_annual_revenue"],
                result["won"]["annual_revenue"],
            )

        self.assertEqual(
            summary(self.agent1, []),
            (3, 1700, 800, 400),
            "an agent's summary counts only their opportunities",
        )
        self.assertEqual(summary(self.agent1, [("status_type", "=", "active")]), (1, 1000, 400, 0))
        self.assertEqual(
            summary(self.supervisor, [("partner_id", "=", self.customer.id)]),
            (4, 3700, 1800, 400),
            "the supervisor sees the team, not Key Accounts",
        )
        self.assertEqual(summary(self.admin, [])[0], 5)
        self.assertEqual(summary(self.agent1, [("name", "ilike", "nothing such")])[0], 0)

    # ------------------------------------------------------------
    # F6: idle
    # ------------------------------------------------------------

    def test_idle(self):
        self.assertEqual(self.company.partner_opportunity_idle_days, 14)
        with freeze_time("2026-01-01 08:00:00"):
            quiet = self._opportunity(name="Quiet")
            planned = self._opportunity(name="Planned")
            planned.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=date(2026, 2, 1)
            )
            closed = self._opportunity(name="Closed", status_id=self.status_won.id)
            moved = self._opportunity(name="Moved")
        with freeze_time("2026-01-10 08:00:00"):
            moved.status_id = self.status_demo
        mine = [("id", "in", (quiet | planned | closed | moved).ids)]

        with freeze_time("2026-01-14 08:00:00"):
            self.assertFalse(self.Opportunity.search(mine + [("is_idle", "=", True)]))
        with freeze_time("2026-01-16 08:00:00"):
            self.assertEqual(self.Opportunity.search(mine + [("is_idle", "=", True)]), quiet)
            self.assertEqual(
                self.Opportunity.search(mine + [("is_idle", "=", False)]), planned | closed | moved
            )
            (quiet | planned | closed | moved).invalidate_recordset(["is_idle"])
            self.assertEqual(
                [o.is_idle for o in (quiet, planned, closed, moved)], [True, False, False, False]
            )
            self.company.partner_opportunity_idle_days = 30
            self.assertFalse(self.Opportunity.search(mine + [("is_idle", "=", True)]))

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------

    # Queries per role, with warm caches (@warmup runs each test twice and
    # counts the second run), reading back the fields the web client asks
    # for (KANBAN_SPEC, with the cards' properties, whose definition costs
    # the drop one query), and the status looked up (D4: it exists).
    DROP_QUERIES = {"po_agent1": 18, "po_supervisor": 20, "po_admin": 20}
    BOARD_QUERIES = {"po_agent1": 13, "po_supervisor": 15, "po_admin": 15}

    @warmup
    def test_drag_and_drop_query_count(self):
        """One drop = write + interaction + tracking + the card read back, at
        a fixed cost for every role and whatever the status reached."""
        statuses = [self.status_demo, self.status_proposal, self.status_won]

        def drop(opportunity, status):
            self.env["partner.opportunity"].browse(opportunity.id).web_save(
                {"status_id": status.id}, specification=KANBAN_SPEC
            )

        for login in self.DROP_QUERIES:
            opportunities = self._opportunity() | self._opportunity() | self._opportunity()
            with self.subTest(login=login), self.with_user(login):
                for opportunity, status in zip(opportunities, statuses, strict=True):
                    self.env.invalidate_all()
                    # Tracking values are written at the flush that ends the count.
                    with self.assertQueryCount(**self.DROP_QUERIES):
                        drop(opportunity, status)
            self.assertEqual(len(opportunities.interaction_ids), 3)

    @warmup
    def test_board_load_query_count_is_constant(self):
        """Grouped read + first page of every column + progress bars: no query
        per card, the same cost with 3 and with 60 cards."""
        domain = [("pipeline_id", "=", self.pipeline.id)]

        def load():
            Opportunity = self.env["partner.opportunity"]
            groups = Opportunity.web_read_group(
                domain,
                ["expected_revenue:sum", "weighted_revenue:sum"],
                ["status_id"],
                lazy=True,
            )["groups"]
            for group in groups:
                if group["status_id_count"]:
                    Opportunity.web_search_read(
                        group["__domain"], KANBAN_SPEC, limit=40, order="date_deadline, id desc"
                    )
            Opportunity.read_progress_bar(
                domain,
                "status_id",
                {
                    "field": "deadline_state",
                    "colors": {
                        "far": "success",
                        "near": "warning",
                        "overdue": "danger",
                        "closed": "200",
                    },
                },
            )

        def add_cards(count):
            self.Opportunity.create(
                [
                    {
                        "name": f"Card {i}",
                        "partner_id": self.customer.id,
                        "contact_id": self.contact.id,
                        "user_id": self.agent1.id,
                        "status_id": status.id,
                        "date_deadline": date(2026, 12, 31) - timedelta(days=i),
                        "expected_revenue": 100 * i,
                    }
                    for i in range(count)
                    for status in (self.status_new, self.status_demo, self.status_won)
                ]
            )

        for cards, count in ((3, 1), (60, 19)):
            add_cards(count)
            for login in self.BOARD_QUERIES:
                with self.subTest(cards=cards, login=login), self.with_user(login):
                    self.env.invalidate_all()
                    with self.assertQueryCount(**self.BOARD_QUERIES):
                        load()

    def test_kanban_spec_is_the_view(self):
        """KANBAN_SPEC, which the query counts read the cards with, is what the
        web client asks of the kanban view: its fields, the invisible
        many2ones without their name, and the activity widget's fields."""
        arch = self.Opportunity.with_user(self.agent1).get_views([(False, "kanban")])
        fields = {
            node.get("name"): node
            for node in etree.fromstring(arch["views"]["kanban"]["arch"]).iter("field")
        }
        self.assertEqual(set(fields), set(KANBAN_SPEC) - set(KANBAN_ACTIVITY_SPEC))
        self.assertEqual(fields["activity_ids"].get("widget"), "kanban_activity")
        for name, node in fields.items():
            if self.Opportunity._fields[name].type == "many2one":
                hidden = node.get("invisible") == "1"
                self.assertEqual(
                    KANBAN_SPEC[name], {"fields": {} if hidden else {"display_name": {}}}, name
                )

    # The agent's board as the web client loads it, on a cold ORM cache: the
    # columns and their sums, the progress bars, the statuses, the company,
    # the salesperson's name and the properties' definition; then for each of
    # the 7 open columns its page of cards and their activities (2 queries),
    # and the activities' details for a page that has some (3 more).
    AGENT_BOARD_QUERIES = 44

    def test_agent_board_query_count_does_not_grow(self):
        """The agent's board costs as many queries with 10 cards per column as
        with 60: each page of cards, its customers' names, salespersons and
        activities is read in a fixed number of queries."""
        statuses = self.pipeline.status_ids
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(12)]
        )
        contacts = self.env["res.partner"].create(
            [{"name": f"Contact {n}", "parent_id": c.id} for n, c in enumerate(customers)]
        )
        domain = [("pipeline_id", "=", self.pipeline.id)]
        Opportunity = self.Opportunity.with_user(self.agent1).with_context(
            default_pipeline_id=self.pipeline.id
        )
        sums = [f"{name}:sum" for name in SUMMARY_FIELDS]
        colors = {"far": "success", "near": "warning", "overdue": "danger", "closed": "200"}

        def add_cards(per_status):
            cards = self.Opportunity.with_context(tracking_disable=True).create(
                [
                    {
                        "name": f"Card {n}",
                        "partner_id": customers[n % 12].id,
                        "contact_id": contacts[n % 12].id if n % 3 else False,
                        "user_id": self.agent1.id,
                        "status_id": status.id,
                        "date_deadline": date(2026, 12, 31) - timedelta(days=n),
                        "expected_revenue": 100 * n,
                        "revenue_period": ("one_time", "monthly", "annual")[n % 3],
                    }
                    for status in statuses
                    for n in range(per_status)
                ]
            )
            # A card with an activity in each column, among cards without.
            for status in statuses:
                cards.filtered(lambda c, s=status: c.status_id == s)[:1].activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=date.today() + timedelta(days=7),
                    summary="Call back",
                    user_id=self.agent1.id,
                )

        def board():
            groups = Opportunity.web_read_group(domain, sums, ["status_id"], lazy=True)["groups"]
            Opportunity.read_progress_bar(
                domain, "status_id", {"field": "deadline_state", "colors": colors}
            )
            cards = {}
            for group in groups:
                if group["status_id_count"] and not group.get("__fold"):
                    page = Opportunity.web_search_read(group["__domain"], KANBAN_SPEC, limit=80)
                    cards[group["status_id"][0]] = page["records"]
            ids = [g["status_id"][0] for g in groups if g["status_id"]]
            self.env["partner.opportunity.status"].with_user(self.agent1).browse(ids).read(
                ["status_type"]
            )
            return cards

        for per_status in (10, 60):
            add_cards(per_status - (10 if per_status > 10 else 0))
            board()  # the registry's caches (rules, views, fields) are warm
            self.env.invalidate_all()
            with self.subTest(per_status=per_status):
                with self.assertQueryCount(self.AGENT_BOARD_QUERIES):
                    cards = board()
            open_columns = statuses.filtered(lambda s: not s.fold)
            self.assertEqual(set(cards), set(open_columns.ids))
            page = next(iter(cards.values()))
            self.assertEqual(len(page), per_status)
            with_activity = [card for card in page if card["activity_ids"]]
            self.assertEqual(len(with_activity), 1 if per_status == 10 else 2)
            for card in with_activity:
                self.assertEqual(card["activity_summary"], "Call back")
                self.assertEqual(card["activity_state"], "planned")
                self.assertTrue(card["activity_type_id"])
            without = [card for card in page if not card["activity_ids"]]
            self.assertFalse(any(card["activity_state"] for card in without))
            self.assertFalse(any(card["activity_type_id"] for card in without))
            names = {card["contact_name"] for card in page}
            self.assertTrue(names >= {"Customer 1, Contact 1", "Customer 3"}, names)

    def test_card_follows_customer_renames(self):
        """The card's name of the customer (its contact's, else its own) is
        stored and follows a rename of the customer, of the contact, and of
        the contact's company."""
        with_contact = self._opportunity(contact_id=self.contact.id)
        without = self._opportunity()
        self.assertEqual(with_contact.contact_name, "Minh Phat Trading, Lan Nguyen")
        self.assertEqual(without.contact_name, "Minh Phat Trading")
        self.customer.name = "Minh Phat Group"
        self.contact.name = "Lan Tran"
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(with_contact.contact_name, "Minh Phat Group, Lan Tran")
        self.assertEqual(without.contact_name, "Minh Phat Group")
        both = with_contact | without
        self.assertEqual(
            self.Opportunity.search(
                [("id", "in", both.ids), ("contact_name", "=", "Minh Phat Group")]
            ),
            without,
        )
        without.contact_id = self.contact
        self.assertEqual(without.contact_name, "Minh Phat Group, Lan Tran")


@tagged("post_install", "-at_install")
class TestBoardReadOnly(PartnerOpportunityCase):
    def test_summary_is_served_read_only(self):
        """The summary is marked read-only, so that Odoo serves it
        from the read replica when one is configured; and it writes nothing."""
        method = type(self.Opportunity).get_summary
        self.assertTrue(getattr(method, "_readonly", False))
        self._opportunity()
        self.Opportunity.get_summary([])  # warm the caches
        with self.assertQueryCount(1):
            self.Opportunity.get_summary([])
