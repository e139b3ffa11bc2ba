"""The forecast (P1): per salesperson and close month, the total and expected
value of the open and won opportunities, and the revenue won. Lost ones are
left out, as in the Forecast report."""

from connect import connect


def read_forecast(url, db, login, password, pipeline_name):
    call = connect(url, db, login, password)
    groups = call(
        "partner.opportunity",
        "read_group",
        [("pipeline_id.name", "=", pipeline_name), ("status_type", "!=", "lost")],
        ["expected_revenue:sum", "weighted_revenue:sum"],
        ["user_id", "date_deadline:month", "status_type"],
        lazy=False,
    )
    rows = {}
    for group in groups:
        # The label of a month ("January 2030") is in the user's language: use its range.
        month = group["__range"]["date_deadline:month"]["from"][:7]
        key = (*group["user_id"], month)  # salesperson id, name and month
        row = rows.setdefault(key, {"count": 0, "total": 0.0, "expected": 0.0, "won": 0.0})
        row["count"] += group["__count"]
        row["total"] += group["expected_revenue"]
        row["expected"] += group["weighted_revenue"]
        if group["status_type"] == "won":
            row["won"] += group["expected_revenue"]
    return [
        {"salesperson_id": user_id, "salesperson": name, "month": month, **row}
        for (user_id, name, month), row in sorted(rows.items())
    ]
