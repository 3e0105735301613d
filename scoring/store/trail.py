"""The audit trail: every value entered, changed or deleted, with who, when, old, new, why.

``audit_log`` is append-only: this module only ever INSERTs into it and SELECTs from it
(a test scans the code for any UPDATE or DELETE of the table).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from scoring.core.frames import register, to_polars
from scoring.store.cells import CELL_KEY, cells_sql, stored_at_sql
from scoring.store.seal import seal

# what an audit row records: a campaign's first import of its values (one row), and each
# value entered, changed or deleted after it
ACTIONS = ("import", "enter", "change", "delete")
# what else a campaign's audit rows record: master data, and the office's steps on values
OTHER_ACTIONS = (
    "import_period",
    "campaign_remove",
    "rules_change",
    "sources_change",
    "source_delivery",
    "unit_add",
    "unit_change",
    "unit_remove",
    "secretary_change",
    "exception_grant",
    "exception_close",
    "deadline_set",
    "objection",
    "objection_upheld",
    "objection_rejected",
    "evidence_add",
    "evidence_remove",
    "self_score",
    "self_reply",
)
# where a change came from, as recorded: a re-import of the folder, or a save (the entry grid,
# an upload, ``starscore set``); a first import records its file instead
SOURCES = ("import", "entry")

# The stored values that differ from table ``{new}`` (ids, value, entered_by): the new rows are
# given the stored keys of their ids and joined to the stored cells by those small integers;
# only the differences are turned back into ids.
DIFF_SQL = """
WITH n AS (
  SELECT n.unit_id, n.period, n.indicator_id, n.value, n.entered_by, u.unit_no, p.period_no,
         i.indicator_no
  FROM {new} n
  LEFT JOIN units u ON u.campaign_id = $cid AND u.unit_id = n.unit_id
  LEFT JOIN periods p ON p.campaign_id = $cid AND p.period = n.period
  LEFT JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = n.indicator_id),
d AS (
  SELECT n.unit_id, n.period, n.indicator_id, o.unit_no, o.period_no, o.indicator_no,
         o.value AS old_value, n.value AS new_value, n.entered_by
  FROM (SELECT *, {key} AS k FROM n) n FULL JOIN (SELECT *, {key} AS k FROM {cells}) o ON o.k = n.k
  WHERE o.value IS DISTINCT FROM n.value)
SELECT coalesce(d.unit_id, u.unit_id) AS unit_id, coalesce(d.period, p.period) AS period,
       coalesce(d.indicator_id, i.indicator_id) AS indicator_id, d.old_value, d.new_value,
       CASE WHEN d.old_value IS NULL THEN 'enter' WHEN d.new_value IS NULL THEN 'delete'
            ELSE 'change' END AS action,
       coalesce(d.entered_by, $who) AS who
FROM d
LEFT JOIN units u ON u.campaign_id = $cid AND u.unit_no = d.unit_no
LEFT JOIN periods p ON p.campaign_id = $cid AND p.period_no = d.period_no
LEFT JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = d.indicator_no
"""


def value_diff(con: duckdb.DuckDBPyConnection, cid: str, new: str, who: str) -> pl.DataFrame:
    """What replacing the campaign's stored values by table ``new`` changes, value by value."""
    sql = DIFF_SQL.format(new=new, cells=cells_sql(), key=CELL_KEY)
    return to_polars(con.sql(sql, params={"cid": cid, "who": who}))


def record(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    diff: pl.DataFrame,
    at: datetime,
    reason: str | None,
    source: str,
) -> None:
    """Append one audit row per changed value (inside the caller's transaction)."""
    if diff.height == 0:
        return
    if "reason" not in diff.columns:  # a row's own reason (a confirmed outlier's) wins
        diff = diff.with_columns(pl.lit(None, dtype=pl.String).alias("reason"))
    register(con, "_diff", diff)
    try:
        con.execute(
            """
            INSERT INTO audit_log
            SELECT nextval('audit_seq'), $cid, unit_id, period, indicator_id, old_value,
                   new_value, action, who, $logged_at, coalesce(reason, $reason), $source FROM _diff""",
            {"cid": cid, "logged_at": at, "reason": reason, "source": source},
        )
    finally:
        con.unregister("_diff")
    seal(con)


def record_import(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    who: str,
    at: datetime,
    reason: str | None,
    source: str,
    period: str | None = None,
) -> None:
    """Append one audit row for a campaign's first import of values: which file, how many
    (each value also carries its file's entry time in the values table); with ``period``, the
    values of that period it brought."""
    con.execute(
        """
        INSERT INTO audit_log VALUES (nextval('audit_seq'), $cid, NULL, $period, NULL, NULL, NULL,
               $action, $who, $logged_at, $reason, $source)""",
        {
            "cid": cid,
            "period": period,
            "action": "import" if period is None else "import_period",
            "who": who,
            "logged_at": at,
            "reason": reason or "import",
            "source": source,
        },
    )
    seal(con)


def history(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    unit: str | None = None,
    period: str | None = None,
    indicator: str | None = None,
    limit: int = 10000,
) -> pl.DataFrame:
    """The audit rows of a campaign, newest first, optionally for one unit/period/indicator
    (the sealed states of its data, which only ``verify`` reads, left out)."""
    return to_polars(
        con.cursor().sql(
            """
        SELECT seq, logged_at, who, action, unit_id, period, indicator_id, old_value, new_value,
               reason, source
        FROM audit_log WHERE campaign_id = $cid AND action <> 'data_state'
          AND (action = 'import' AND unit_id IS NULL
               OR ($unit IS NULL OR unit_id = $unit) AND ($period IS NULL OR period = $period)
                  AND ($indicator IS NULL OR indicator_id = $indicator))
        ORDER BY seq DESC LIMIT $limit""",
            params={"cid": cid, "unit": unit, "period": period, "indicator": indicator, "limit": limit},
        )
    )


def cell_diff(
    con: duckdb.DuckDBPyConnection, cid: str, typed: pl.DataFrame, emptied: pl.DataFrame, who: str
) -> pl.DataFrame:
    """What writing ``typed`` values and clearing ``emptied`` cells changes, cell by cell."""
    keys = pl.concat(
        [
            typed.select("unit_id", "period", "indicator_id"),
            emptied.select("unit_id", "period", "indicator_id"),
        ]
    )
    register(con, "_keys", keys)
    register(con, "_typed", typed.select("unit_id", "period", "indicator_id", "value"))
    try:
        return to_polars(
            con.sql(
                f"""
            SELECT k.unit_id, k.period, k.indicator_id, o.value AS old_value,
                   n.value AS new_value,
                   CASE WHEN o.value IS NULL THEN 'enter' WHEN n.value IS NULL THEN 'delete'
                        ELSE 'change' END AS action, $who AS who
            FROM (SELECT DISTINCT * FROM _keys) k
            LEFT JOIN {stored_at_sql("_keys")} o ON o.unit_id = k.unit_id
                 AND o.period = k.period AND o.indicator_id = k.indicator_id
            LEFT JOIN _typed n ON n.unit_id = k.unit_id AND n.period = k.period
                 AND n.indicator_id = k.indicator_id
            WHERE o.value IS DISTINCT FROM n.value""",
                params={"who": who, "cid": cid},
            )
        )
    finally:
        con.unregister("_keys")
        con.unregister("_typed")


def record_step(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    action: str,
    who: str,
    at: datetime,
    *,
    unit: str | None = None,
    period: str | None = None,
    indicator: str | None = None,
    reason: str | None = None,
    detail: str | None = None,
) -> None:
    """One audit row for a step of the office that is not a value (a lock exception granted or
    closed, a deadline set, an objection recorded or handled), inside the caller's transaction."""
    con.execute(
        "INSERT INTO audit_log (seq, campaign_id, unit_id, period, indicator_id, action, who, "
        "logged_at, reason, source) VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, unit, period, indicator, action, who, at, reason, detail],
    )
    seal(con)
