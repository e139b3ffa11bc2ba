"""The board of a pipeline: its opportunities and the totals of each column."""

from connect import connect

CARD_FIELDS = "name partner_id user_id status_id date_deadline expected_revenue probability".split()


def read_board(url, db, login, password, pipeline_name):
    call = connect(url, db, login, password)
    [pipeline] = call(
        "partner.opportunity.pipeline", "search_read", [("name", "=", pipeline_name)], fields=[]
    )
    domain = [("pipeline_id", "=", pipeline["id"])]
    # One group per status of the pipeline, in the board's order, empty ones too.
    groups = call(
        "partner.opportunity",
        "read_group",
        domain,
        ["expected_revenue:sum", "weighted_revenue:sum"],
        ["status_id"],
    )
    columns = [
        {
            "status_id": group["status_id"][0],
            "status": group["status_id"][1],
            "count": group["status_id_count"],
            "expected_revenue": group["expected_revenue"],
            "expected_value": group["weighted_revenue"],
        }
        for group in groups
    ]
    cards = call(
        "partner.opportunity", "search_read", domain, fields=CARD_FIELDS, order="date_deadline, id"
    )
    # The line above the board: count, revenue, expected value and won revenue.
    summary = call("partner.opportunity", "get_summary", domain)
    return {"columns": columns, "cards": cards, "summary": summary}
