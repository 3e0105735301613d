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

import os
import threading

import duckdb

from scoring.core.errors import CampaignError, Problem

DISABLED_OPTIMIZERS = ("partial_aggregate_pushdown",)


def threads() -> int | None:
    """DuckDB's worker threads: ``STARSCORE_THREADS`` (a whole number from 1), else None (DuckDB
    takes one per core). Processes that share the machine's cores, each with its own database
    (test workers, a server beside its benchmarks), run faster on fewer each than all of them
    asking for every core."""
    text = os.environ.get("STARSCORE_THREADS", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise CampaignError([Problem("STARSCORE_THREADS", None, None, "bad_threads", {"value": text})])
    return int(text)


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the product's settings to a new connection."""
    con.execute(f"SET disabled_optimizers = '{','.join(DISABLED_OPTIMIZERS)}'")
    if (n := threads()) is not None:
        con.execute("SET threads = ?", [n])


# the process's in-memory database for the checks, and the process it was started in
_CHECKS: tuple[int, duckdb.DuckDBPyConnection] | None = None
_CHECKS_LOCK = threading.Lock()


def checks_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory connection for the checks (their progress is shown per stage).

    Starting a DuckDB database costs 15-20 ms (its catalogue of functions is built); a new
    connection to a running one costs microseconds. So every check of a process connects to one
    in-memory database kept for the process. What a check creates is TEMP or registered, both
    its own connection's: two checks at once (two sessions of the dashboard) never see each
    other's tables, and a closed connection's are dropped. A forked child starts its own."""
    global _CHECKS
    with _CHECKS_LOCK:
        if _CHECKS is None or _CHECKS[0] != os.getpid():
            root = duckdb.connect()
            configure(root)
            _CHECKS = (os.getpid(), root)
        con = _CHECKS[1].cursor()
    configure(con)
    con.execute("SET enable_progress_bar = false")
    return con
