"""The workflow's current state as stored: each period's status, each town's within a period,
and the writes that change them, each appended to its hash-chained log in the same transaction
(``workflow_log`` for periods and the year, ``town_log`` for towns)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from scoring.core.frames import to_polars
from scoring.store.seal import seal

STATES = ("open", "submitted", "approved", "published", "final")
TOWN_STATES = ("open", "submitted", "approved", "returned")
LOCKED = ("approved", "published", "final")


def statuses(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    """period, status, changed_by, changed_at, reason, objection_ends, run_id (every period)."""
    return to_polars(
        con.cursor().sql(
            """
        SELECT p.period, coalesce(s.status, 'open') AS status, s.changed_by, s.changed_at,
               s.reason, s.objection_ends, s.run_id
        FROM periods p LEFT JOIN period_status s
          ON s.campaign_id = p.campaign_id AND s.period = p.period
        WHERE p.campaign_id = $cid ORDER BY p.period_no""",
            params={"cid": cid},
        )
    )


def year_status(con: duckdb.DuckDBPyConnection, cid: str) -> dict:
    """status (open, published, final), changed_by, changed_at, objection_ends, run_id."""
    rows = con.execute(
        "SELECT status, changed_by, changed_at, objection_ends, run_id FROM year_status "
        "WHERE campaign_id = ?",
        [cid],
    ).fetchall()
    keys = ("status", "changed_by", "changed_at", "objection_ends", "run_id")
    return dict(zip(keys, rows[0], strict=True)) if rows else dict.fromkeys(keys) | {"status": "open"}


def due_period(con: duckdb.DuckDBPyConnection, cid: str, entry: bool = False) -> str | None:
    """The period that is due: the earliest not yet final (None once every period is); for
    entering values (``entry``), the earliest still open for entry (not approved, published or
    final), else the earliest not final."""
    frame = statuses(con, cid).filter(pl.col("status") != "final")
    open_ = frame.filter(~pl.col("status").is_in(LOCKED)) if entry else frame
    frame = open_ if open_.height else frame
    return str(frame["period"][0]) if frame.height else None


def towns(con: duckdb.DuckDBPyConnection, cid: str) -> list[str]:
    """The campaign's towns in the order their first unit appears ("" for units without one)."""
    rows = con.execute(
        "SELECT coalesce(town, '') AS t, min(unit_no) AS first FROM units WHERE campaign_id = ? "
        "GROUP BY t ORDER BY first NULLS LAST, t",
        [cid],
    ).fetchall()
    return [r[0] for r in rows]


def town_matrix(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    """period, town, status, changed_by, changed_at, message: every period × every town (read on
    the connection itself, so that inside a transaction it sees the transaction's writes)."""
    return to_polars(
        con.sql(
            """
        WITH t AS (SELECT coalesce(town, '') AS town, min(unit_no) AS first FROM units
                   WHERE campaign_id = $cid GROUP BY 1)
        SELECT p.period, t.town, coalesce(s.status, 'open') AS status, s.changed_by,
               s.changed_at, s.message
        FROM periods p CROSS JOIN t
        LEFT JOIN town_status s ON s.campaign_id = p.campaign_id AND s.period = p.period
             AND s.town = t.town
        WHERE p.campaign_id = $cid ORDER BY p.period_no, t.first NULLS LAST, t.town""",
            params={"cid": cid},
        )
    )


def period_towns(con: duckdb.DuckDBPyConnection, cid: str, period: str) -> dict[str, dict]:
    """town → its row of the matrix, for one period."""
    frame = town_matrix(con, cid).filter(pl.col("period") == period)
    return {r["town"]: r for r in frame.iter_rows(named=True)}


def period_status(con: duckdb.DuckDBPyConnection, cid: str, period: str) -> str:
    rows = con.execute(
        "SELECT status FROM period_status WHERE campaign_id = ? AND period = ?", [cid, period]
    ).fetchall()
    return str(rows[0][0]) if rows else "open"


def write_period(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    period: str | None,
    old: str,
    new: str,
    who: str,
    at: datetime,
    reason: str | None,
    ends: datetime | None = None,
    run_id: str | None = None,
) -> None:
    """Set a period's status (``period`` None: the year's) and log the move, inside the
    caller's transaction."""
    if period is None:
        con.execute("DELETE FROM year_status WHERE campaign_id = ?", [cid])
        con.execute("INSERT INTO year_status VALUES (?, ?, ?, ?, ?, ?)", [cid, new, who, at, ends, run_id])
    else:
        con.execute("DELETE FROM period_status WHERE campaign_id = ? AND period = ?", [cid, period])
        con.execute(
            "INSERT INTO period_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [cid, period, new, who, at, reason, ends, run_id],
        )
    con.execute(
        "INSERT INTO workflow_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, period, old, new, who, at, reason, run_id],
    )
    seal(con)


def write_town(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    period: str,
    town: str,
    old: str,
    new: str,
    who: str,
    at: datetime,
    message: str | None,
) -> None:
    """Set a town's status and log the move (inside the caller's transaction)."""
    con.execute(
        "INSERT INTO town_status VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, period, town) "
        "DO UPDATE SET status = excluded.status, changed_by = excluded.changed_by, "
        "changed_at = excluded.changed_at, message = excluded.message",
        [cid, period, town, new, who, at, message],
    )
    con.execute(
        "INSERT INTO town_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, period, town, old, new, who, at, message],
    )
    seal(con)
