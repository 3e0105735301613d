"""What an evaluator has to do: the periods due in their towns, each town's state and the
message of a return, the entry deadline, and how many values are still missing."""

from __future__ import annotations

import polars as pl

from scoring.accounts.access import User
from scoring.core.frames import to_polars
from scoring.store.campaign import Campaign
from scoring.store.cells import missing_cells_sql
from scoring.store.db import now
from scoring.workflow.locks import deadlines
from scoring.workflow.states import statuses, town_matrix


def todo(camp: Campaign, user: User) -> pl.DataFrame:
    """period, town, period_status, status, changed_by, message, deadline (stored UTC), overdue,
    missing: one row per period and town of the user's (every town for one with none assigned),
    the periods not yet approved first; ``missing`` counts the town's applicable values with none."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    matrix = town_matrix(con, cid)
    if user.towns:
        matrix = matrix.filter(pl.col("town").is_in(list(user.towns)))
    missing = to_polars(
        con.cursor().sql(
            f"SELECT period, coalesce(town, '') AS town, count(*)::BIGINT AS missing "
            f"FROM {missing_cells_sql()} GROUP BY ALL",
            params={"cid": cid},
        )
    )
    due = deadlines(camp)
    at = now()
    periods = statuses(con, cid).select("period", pl.col("status").alias("period_status"))
    order = {p: k for k, p in enumerate(rules.periods)}
    frame = (
        matrix.join(periods, on="period", how="left")
        .join(missing, on=["period", "town"], how="left")
        .with_columns(
            pl.col("missing").fill_null(0),
            pl.col("period")
            .replace_strict(due, default=None, return_dtype=pl.Datetime("us"))
            .alias("deadline"),
            pl.col("period").replace_strict(order, return_dtype=pl.Int64).alias("_order"),
        )
        .with_columns(
            (pl.col("deadline").is_not_null() & (pl.col("deadline") <= at)).alias("overdue"),
            pl.col("period_status").is_in(["open", "submitted"]).alias("_due"),
        )
    )
    return frame.sort(["_due", "_order"], descending=[True, False]).select(
        "period", "town", "period_status", "status", "changed_by", "message", "deadline", "overdue", "missing"
    )
