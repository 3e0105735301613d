"""A unit's self-assessment (自评) beside the assessed value (考评): the unit's own value per
cell, imported for a period; the assessed value that differs from it needs a reason when it is
saved (``differs_without_reason``, checked by the entry's save); the unit may reply once per
cell until its town is submitted; and the cells as read side by side (self, assessed, the
reason the assessor gave, the unit's reply, how many proof files the cell has)."""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import MAX_REASON, CampaignError, Problem, bounded, refused
from scoring.core.frames import register, to_polars
from scoring.core.money import plain
from scoring.ingest.validate import check_values
from scoring.store.campaign import Campaign
from scoring.store.db import now, transaction
from scoring.store.trail import record, record_step
from scoring.workflow.locks import refuse_closed_periods
from scoring.workflow.states import town_matrix

KEYS = ["unit_id", "period", "indicator_id"]


def import_self_scores(campaign: Campaign, period: str, rows: pl.DataFrame, file: str, user: User) -> int:
    """A period's self-scores (unit_id, indicator_id, value; text, with ``_row``), checked as
    values are (unit, indicator, range, kind), all or none; they replace the cells' earlier
    self-scores (an empty value takes the cell's self-score away). A locked period takes none,
    nor a unit whose town has been submitted (the assessment is then made); a unit account
    self-scores only its own units. Each self-score that changes is an audit row
    (``self_score``, old → new). Returns how many cells changed."""
    require(user, "self_assess")
    con, cid, rules = campaign.con, campaign.id, campaign.rules
    if period not in rules.periods:
        raise refused(file, "unknown_period", period=period, expected="、".join(rules.periods))
    refuse_closed_periods(con, cid, [period], file)
    units = to_polars(
        con.cursor().sql(
            "SELECT unit_id, name, category, town FROM units WHERE campaign_id = $cid", params={"cid": cid}
        )
    )
    frame = rows.with_columns(pl.lit(period).alias("period"))
    blank = pl.col("value").is_null() | (pl.col("value").cast(pl.String).str.strip_chars() == "")
    cleared = frame.filter(blank).select("unit_id", "indicator_id", "_row")
    typed, _ = check_values(
        rules, units, frame.filter(~blank).select("unit_id", "period", "indicator_id", "value", "_row"), file
    )
    towns = dict(units.select("unit_id", "town").iter_rows())
    given = frame.filter(pl.col("unit_id").is_in(list(towns))).select("unit_id", "_row")
    if given.height:
        outside = given.filter(pl.Series([not user.sees_unit(u, towns.get(u)) for u in given["unit_id"]]))
        if outside.height:
            raise CampaignError(
                [
                    Problem(
                        file,
                        r["_row"],
                        "unit_id",
                        "evidence_forbidden",
                        {"user": user.username, "unit": r["unit_id"]},
                    )
                    for r in outside.iter_rows(named=True)
                ]
            )
        _refuse_submitted(
            con, cid, period, units.filter(pl.col("unit_id").is_in(given["unit_id"].to_list())), file
        )
    at = now()
    written = typed.select(*KEYS, "value").with_columns(
        pl.lit(user.username).alias("entered_by"), pl.lit(at).alias("entered_at")
    )
    with transaction(con):
        register(con, "_self", written)
        register(con, "_gone", cleared.select("unit_id", "indicator_id"))
        try:
            # each self-score that changes is an audit row (old → new), the cell's 自评 history
            diff = to_polars(
                con.sql(
                    """
                    WITH given AS (SELECT unit_id, indicator_id, CAST(value AS DECIMAL(38,9)) AS value
                                   FROM _self UNION ALL
                                   SELECT unit_id, indicator_id, NULL FROM _gone)
                    SELECT g.unit_id, $period AS period, g.indicator_id, s.value AS old_value,
                           g.value AS new_value, 'self_score' AS action, $who AS who
                    FROM given g LEFT JOIN self_scores s ON s.campaign_id = $cid AND s.unit_id = g.unit_id
                         AND s.period = $period AND s.indicator_id = g.indicator_id
                    WHERE s.value IS DISTINCT FROM g.value""",
                    params={"cid": cid, "period": period, "who": user.username},
                )
            )
            con.execute(
                "INSERT OR REPLACE INTO self_scores SELECT $cid, unit_id, period, indicator_id, "
                "CAST(value AS DECIMAL(38,9)), entered_by, entered_at FROM _self",
                {"cid": cid},
            )
            con.execute(
                "DELETE FROM self_scores WHERE campaign_id = $cid AND period = $period "
                "AND (unit_id, indicator_id) IN (SELECT (unit_id, indicator_id) FROM _gone)",
                {"cid": cid, "period": period},
            )
        finally:
            con.unregister("_self")
            con.unregister("_gone")
        record(con, cid, diff, at, None, file)
    return diff.height


def _refuse_submitted(
    con: duckdb.DuckDBPyConnection, cid: str, period: str, units: pl.DataFrame, file: str
) -> None:
    """Refuse self-scores for units whose town is past open/returned in the period."""
    states = town_matrix(con, cid).filter(pl.col("period") == period)
    shut = dict(
        states.filter(~pl.col("status").is_in(["open", "returned"])).select("town", "status").iter_rows()
    )
    for unit_id, town in units.select("unit_id", pl.col("town").fill_null("")).iter_rows():
        if town in shut:
            raise refused(file, "self_score_closed", unit=unit_id, period=period, status=shut[town])


def differs_without_reason(
    con: duckdb.DuckDBPyConnection, cid: str, changes: pl.DataFrame, reason: str | None, file: str
) -> list[Problem]:
    """The saved cells (value rows as given, text, with ``_row``) whose value differs from the
    unit's self-score while no reason is given: an assessor says why the 考评 is not the 自评
    (the unit reads it, and may reply). A cell emptied is not compared."""
    if reason and reason.strip():
        return []
    cur = con.cursor()
    saved = changes if "_row" in changes.columns else changes.with_row_index("_row", offset=1)
    register(
        cur, "_saved", saved.select(*KEYS, pl.col("value").cast(pl.String), pl.col("_row").cast(pl.Int64))
    )
    try:
        rows = cur.execute(
            """SELECT n._row, n.unit_id, n.indicator_id, CAST(s.value AS VARCHAR) FROM _saved n
               JOIN self_scores s ON s.campaign_id = $cid AND s.unit_id = n.unit_id
                 AND s.period = n.period AND s.indicator_id = n.indicator_id
               WHERE TRY_CAST(n.value AS DECIMAL(38,9)) IS NOT NULL
                 AND s.value IS DISTINCT FROM TRY_CAST(n.value AS DECIMAL(38,9))""",
            {"cid": cid},
        ).fetchall()
    finally:
        cur.unregister("_saved")
    return [
        Problem(
            file,
            row,
            "value",
            "self_score_reason",
            {"unit": unit, "indicator": ind, "self": own.rstrip("0").rstrip(".")},
        )
        for row, unit, ind, own in rows
    ]


def reply(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    unit_id: str,
    period: str,
    indicator_id: str,
    text: str,
    user: User,
) -> None:
    """The unit's one reply to an assessed value that differs from its self-score, until its
    town is submitted (a unit account for its own units only)."""
    require(user, "reply")
    bounded("reply", "text", text, MAX_REASON)
    if not (text or "").strip():
        raise refused("reply", "reply_empty")
    town = con.execute(
        "SELECT coalesce(town, '') FROM units WHERE campaign_id = ? AND unit_id = ?", [cid, unit_id]
    ).fetchall()
    if not town:
        raise refused("reply", "unknown_unit", unit=unit_id)
    if not user.sees_unit(unit_id, town[0][0]):
        raise refused("reply", "evidence_forbidden", user=user.username, unit=unit_id)
    state = town_matrix(con, cid).filter((pl.col("period") == period) & (pl.col("town") == town[0][0]))[
        "status"
    ]
    if state.len() and state[0] not in ("open", "returned"):
        raise refused("reply", "reply_closed", period=period, status=state[0])
    if con.execute(
        "SELECT 1 FROM self_replies WHERE campaign_id = ? AND unit_id = ? AND period = ? "
        "AND indicator_id = ?",
        [cid, unit_id, period, indicator_id],
    ).fetchall():
        raise refused("reply", "reply_twice", unit=unit_id, period=period, indicator=indicator_id)
    at = now()
    with transaction(con):
        con.execute(
            "INSERT INTO self_replies VALUES (?, ?, ?, ?, ?, ?, ?)",
            [cid, unit_id, period, indicator_id, text.strip(), user.username, at],
        )
        record_step(
            con, cid, "self_reply", user.username, at, unit=unit_id, period=period, indicator=indicator_id,
            reason=text.strip(),
        )  # fmt: skip


def last_reason_sql(unit: str, period: str, indicator: str) -> str:
    """The SQL of a cell's last assessment reason (its latest entry or change's reason, NULL
    when that one gave none), for the cell named by these SQL expressions (``$cid`` bound)."""
    return f"""(SELECT a.reason FROM audit_log a WHERE a.campaign_id = $cid AND a.unit_id = {unit}
                  AND a.period = {period} AND a.indicator_id = {indicator}
                  AND a.action IN ('enter', 'change') ORDER BY a.seq DESC LIMIT 1)"""


def side_by_side(
    con: duckdb.DuckDBPyConnection, cid: str, period: str, unit_id: str | None = None
) -> pl.DataFrame:
    """Each self-scored cell of the period: unit, indicator, the self-score, the assessed value,
    whether they differ, the assessor's last reason, the unit's reply, and its proof files."""
    rows = to_polars(
        con.cursor().sql(
            f"""
            SELECT s.unit_id, s.indicator_id, s.value AS self_score,
                   v.value AS assessed, s.value IS DISTINCT FROM v.value AS differs,
                   {last_reason_sql("s.unit_id", "s.period", "s.indicator_id")} AS reason,
                   r.text AS reply,
                   (SELECT count(*) FROM evidence e WHERE e.campaign_id = s.campaign_id
                      AND e.unit_id = s.unit_id AND e.period = s.period
                      AND e.indicator_id = s.indicator_id AND e.removed_at IS NULL) AS files
            FROM self_scores s
            LEFT JOIN indicator_values v ON v.campaign_id = s.campaign_id AND v.unit_id = s.unit_id
                 AND v.period = s.period AND v.indicator_id = s.indicator_id
            LEFT JOIN self_replies r ON r.campaign_id = s.campaign_id AND r.unit_id = s.unit_id
                 AND r.period = s.period AND r.indicator_id = s.indicator_id
            WHERE s.campaign_id = $cid AND s.period = $period AND ($unit IS NULL OR s.unit_id = $unit)
            ORDER BY s.unit_id, s.indicator_id""",
            params={"cid": cid, "period": period, "unit": unit_id},
        )
    )
    return rows.with_columns(as_typed(rows["self_score"]), as_typed(rows["assessed"]))


def as_typed(values: pl.Series) -> pl.Series:
    """Stored decimals as a person typed them (15, not 15.000000000); empty stays empty."""
    return pl.Series(
        values.name, [None if v is None else plain(v) for v in values.to_list()], dtype=pl.String
    )
