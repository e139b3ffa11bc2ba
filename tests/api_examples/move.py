"""Move an opportunity to another status, and read the interaction it made."""

from connect import connect

FIELDS = "name status_id status_type probability date_closed lost_reason_id".split()
INTERACTION_FIELDS = ["date", "user_id", "partner_id", "status_from_id", "status_to_id"]


def move_opportunity(url, db, login, password, opportunity_id, status_id):
    """``status_id``: a status of the opportunity's pipeline (see the board's columns)."""
    call = connect(url, db, login, password)
    call("partner.opportunity", "write", [opportunity_id], {"status_id": status_id})
    [opportunity] = call("partner.opportunity", "read", [opportunity_id], FIELDS)
    # Every status change is an interaction with the customer (M5), newest first.
    interactions = call(
        "partner.opportunity.interaction",
        "search_read",
        [("opportunity_id", "=", opportunity_id)],
        fields=INTERACTION_FIELDS,
        limit=1,
    )
    return opportunity, interactions[0]


def mark_lost(url, db, login, password, opportunity_ids, reason_name=None):
    """The "Mark as Lost" action: each opportunity goes to the first lost status
    of its pipeline, with the lost reason named ``reason_name``."""
    call = connect(url, db, login, password)
    reasons = call(
        "partner.opportunity.lost.reason", "search_read", [("name", "=", reason_name)], fields=[]
    )
    wizard_id = call(
        "partner.opportunity.lost",
        "create",
        {
            "opportunity_ids": [(6, 0, opportunity_ids)],
            "lost_reason_id": reasons[0]["id"] if reasons else False,
        },
    )
    call("partner.opportunity.lost", "action_apply", [wizard_id])
    return call("partner.opportunity", "read", opportunity_ids, FIELDS)
