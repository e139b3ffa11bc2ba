"""Import customers in bulk with ``load``, as Odoo's import does: each gets its
automatic opportunity (D2). ``load`` imports all the rows or none of them."""

from connect import connect

COLUMNS = ["name", "is_company", "email", "user_id"]  # user_id: the salesperson's name


def import_customers(url, db, login, password, rows):
    """``rows``: lists of strings in the order of COLUMNS, as read from a CSV file."""
    call = connect(url, db, login, password)
    result = call("res.partner", "load", COLUMNS, rows)
    errors = [
        # "rows" counts from 0, the first row of ``rows``.
        {"row": message["rows"]["from"], "field": message.get("field"), "error": message["message"]}
        for message in result["messages"]
        if message["type"] == "error"
    ]
    if errors:
        errors.sort(key=lambda error: error["row"])
        return {"ids": [], "errors": errors, "opportunities": []}
    opportunities = call(
        "partner.opportunity",
        "search_read",
        [("partner_id", "in", result["ids"])],
        fields=["partner_id", "name", "user_id", "status_id", "date_deadline", "is_automatic"],
        order="partner_id",
    )
    return {"ids": result["ids"], "errors": [], "opportunities": opportunities}
