"""The settings every DuckDB connection of the product gets (the database file's and the
checks' in-memory ones).

DuckDB 2.0's ``partial_aggregate_pushdown`` (eager aggregation: part of a GROUP BY moved below
a join) is gated by estimates drawn from the tables' statistics, and those change from one
opening of a file to the next. On a campaign reopened from its file it grouped every value by
all its keys before joining the values to their points: the period scores took 2.5–2.75 s
instead of 0.42–0.52 s at province size and 35 s instead of 3.3–4.3 s at national size, on
most openings but not all (docs/performance.md, *plans*).
The product's SQL already aggregates where it should (points once per distinct value, then
one GROUP BY), so the rule is off on every connection and each query keeps one plan.
"""

from __future__ import annotations

import duckdb

DISABLED_OPTIMIZERS = ("partial_aggregate_pushdown",)


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the product's settings to a new connection."""
    con.execute(f"SET disabled_optimizers = '{','.join(DISABLED_OPTIMIZERS)}'")


def checks_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory connection for the checks (their progress is shown per stage)."""
    con = duckdb.connect()
    configure(con)
    con.execute("SET enable_progress_bar = false")
    return con
