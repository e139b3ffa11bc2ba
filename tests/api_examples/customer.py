"""A new customer and its automatic opportunity; an opportunity created by hand."""

from connect import connect

FIELDS = (
    "name partner_id user_id team_id pipeline_id status_id date_deadline probability"
    " expected_revenue weighted_revenue is_automatic"
).split()


def create_customer(url, db, login, password, values):
    """``values`` of res.partner, e.g. {"name": "Hoa Binh Solar", "is_company": True}."""
    call = connect(url, db, login, password)
    partner_id = call("res.partner", "create", values)
    # The server created its opportunity (D2), unless the company turned it off.
    opportunities = call(
        "partner.opportunity", "search_read", [("partner_id", "=", partner_id)], fields=FIELDS
    )
    return partner_id, opportunities


def create_opportunity(url, db, login, password, values):
    """``values`` needs name, partner_id, date_deadline and expected_revenue; the
    server fills in the rest (D1): pipeline, first status, 50 %, salesperson."""
    call = connect(url, db, login, password)
    opportunity_id = call("partner.opportunity", "create", values)
    [opportunity] = call("partner.opportunity", "read", [opportunity_id], FIELDS)
    return opportunity
