"""A village's or community's own page (role unit): what it has to do, and its self-assessment
form. ``unit_todo`` lists, per own unit and period still open to it, the deadline, the items it
has not self-scored, the items whose proof the rules require and it has not given, and the
assessed values that differ from its self-score and wait for its reply; ``self_form`` is one
unit-period's applicable items with the self-score, the assessed value, the assessor's reason,
the reply and the number of proof files; ``save_self_form`` writes the form through the same
checks as a sheet of self-scores."""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.accounts.access import User
from scoring.app.entry import indicator_specs
from scoring.app.selfscore import as_typed, import_self_scores, last_reason_sql, side_by_side
from scoring.core.errors import refused
from scoring.core.frames import to_polars
from scoring.store.campaign import Campaign
from scoring.store.db import now
from scoring.workflow.locks import deadlines
from scoring.workflow.states import LOCKED, statuses, town_matrix

OPEN_TO_UNIT = ("open", "returned")  # the town's states in which a unit still self-assesses


def own_units(con: duckdb.DuckDBPyConnection, cid: str, user: User) -> pl.DataFrame:
    """unit_id, name, category, town of the campaign's units in the user's scope (units file order)."""
    units = to_polars(
        con.cursor().sql(
            "SELECT unit_id, name, category, coalesce(town, '') AS town FROM units "
            "WHERE campaign_id = $cid ORDER BY unit_no",
            params={"cid": cid},
        )
    )
    return units.filter(
        pl.Series([user.sees_unit(u, t) for u, t in units.select("unit_id", "town").iter_rows()])
    )


def self_form(campaign: Campaign, unit_id: str, period: str) -> pl.DataFrame:
    """indicator_id, name, unit, range, required (proof required by the rules), self_score,
    assessed, differs, reason, reply, files: one row per item that applies to the unit."""
    con, cid = campaign.con, campaign.id
    found = con.execute(
        "SELECT category FROM units WHERE campaign_id = ? AND unit_id = ?", [cid, unit_id]
    ).fetchall()
    if not found:
        raise refused("self", "unknown_unit", unit=unit_id)
    specs = indicator_specs(campaign.rules, found[0][0]).select("indicator_id", "name", "unit", "range")
    needs = {i.id for i in campaign.rules.indicators if i.needs_proof}
    cells = to_polars(
        con.cursor().sql(
            f"""
            SELECT i.indicator_id, s.value AS self_score, v.value AS assessed,
                   coalesce(s.value <> v.value, false) AS differs,
                   {last_reason_sql("$unit", "$period", "i.indicator_id")} AS reason,
                   r.text AS reply,
                   (SELECT count(*) FROM evidence e WHERE e.campaign_id = $cid AND e.unit_id = $unit
                      AND e.period = $period AND e.indicator_id = i.indicator_id
                      AND e.removed_at IS NULL) AS files
            FROM (SELECT unnest($ids) AS indicator_id) i
            LEFT JOIN self_scores s ON s.campaign_id = $cid AND s.unit_id = $unit AND s.period = $period
                 AND s.indicator_id = i.indicator_id
            LEFT JOIN indicator_values v ON v.campaign_id = $cid AND v.unit_id = $unit
                 AND v.period = $period AND v.indicator_id = i.indicator_id
            LEFT JOIN self_replies r ON r.campaign_id = $cid AND r.unit_id = $unit
                 AND r.period = $period AND r.indicator_id = i.indicator_id""",
            params={"cid": cid, "unit": unit_id, "period": period, "ids": specs["indicator_id"].to_list()},
        )
    )
    cells = cells.with_columns(as_typed(cells["self_score"]), as_typed(cells["assessed"]))
    return (
        specs.join(cells, on="indicator_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("indicator_id").is_in(list(needs)).alias("required"),
            pl.col("differs").fill_null(False),
            pl.col("files").fill_null(0),
        )
        .select(
            "indicator_id",
            "name",
            "unit",
            "range",
            "required",
            "self_score",
            "assessed",
            "differs",
            "reason",
            "reply",
            "files",
        )
    )


def open_periods(con: duckdb.DuckDBPyConnection, cid: str, town: str) -> list[str]:
    """The periods in which the town's units still self-assess: the period not locked and the
    town open or returned."""
    return _open_by_town(con, cid).get(town, [])


def _open_by_town(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str, list[str]]:
    """town → the periods still open to its units (in the campaign's order)."""
    locked = set(statuses(con, cid).filter(pl.col("status").is_in(list(LOCKED)))["period"].to_list())
    found: dict[str, list[str]] = {}
    for period, town, status in town_matrix(con, cid).select("period", "town", "status").iter_rows():
        if status in OPEN_TO_UNIT and period not in locked:
            found.setdefault(town, []).append(period)
    return found


def unit_todo(campaign: Campaign, user: User) -> pl.DataFrame:
    """unit_id, name, period, deadline (stored UTC), overdue, items, unscored, unproved,
    to_reply: per own unit and period still open to it, what it has not done yet (read in a
    few queries for all the units at once: an administrator's scope is the whole district)."""
    con, cid, rules = campaign.con, campaign.id, campaign.rules
    units = own_units(con, cid, user)
    ids = units["unit_id"].to_list()
    params = {"cid": cid, "units": ids}
    cur = con.cursor()
    scored = set(
        cur.execute(
            "SELECT unit_id, period, indicator_id FROM self_scores "
            "WHERE campaign_id = $cid AND list_contains($units, unit_id)",
            params,
        ).fetchall()
    )
    proved = set(
        cur.execute(
            "SELECT DISTINCT unit_id, period, indicator_id FROM evidence "
            "WHERE campaign_id = $cid AND removed_at IS NULL AND list_contains($units, unit_id)",
            params,
        ).fetchall()
    )
    waiting = dict(  # assessed otherwise than self-scored, with the assessor's reason, no reply yet
        ((u, p), n)
        for u, p, n in cur.execute(
            f"""
            WITH d AS (SELECT s.unit_id, s.period, s.indicator_id FROM self_scores s
                       JOIN indicator_values v ON v.campaign_id = s.campaign_id AND v.unit_id = s.unit_id
                            AND v.period = s.period AND v.indicator_id = s.indicator_id
                       WHERE s.campaign_id = $cid AND list_contains($units, s.unit_id) AND s.value <> v.value)
            SELECT d.unit_id, d.period, count(*) FROM d
            WHERE {last_reason_sql("d.unit_id", "d.period", "d.indicator_id")} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM self_replies r WHERE r.campaign_id = $cid
                            AND r.unit_id = d.unit_id AND r.period = d.period
                            AND r.indicator_id = d.indicator_id)
            GROUP BY ALL""",
            params,
        ).fetchall()
    )
    applying = {
        c: [i.id for i in rules.indicators if i.applies_to(c)] for c in (k.id for k in rules.categories)
    }
    required = {i.id for i in rules.indicators if i.needs_proof}
    opened = _open_by_town(con, cid)
    due = deadlines(campaign)
    at = now()
    rows = []
    for unit_id, name, category, town in units.iter_rows():
        items = applying.get(category, [])
        for period in opened.get(town, []):
            deadline = due.get(period)
            rows.append(
                {
                    "unit_id": unit_id,
                    "name": name,
                    "period": period,
                    "deadline": deadline,
                    "overdue": deadline is not None and deadline <= at,
                    "items": len(items),
                    "unscored": sum((unit_id, period, i) not in scored for i in items),
                    "unproved": sum(i in required and (unit_id, period, i) not in proved for i in items),
                    "to_reply": waiting.get((unit_id, period), 0),
                }
            )
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "unit_id": pl.String,
        "name": pl.String,
        "period": pl.String,
        "deadline": pl.Datetime("us"),
        "overdue": pl.Boolean,
        "items": pl.Int64,
        "unscored": pl.Int64,
        "unproved": pl.Int64,
        "to_reply": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def save_self_form(
    campaign: Campaign, unit_id: str, period: str, values: dict[str, str | None], user: User
) -> int:
    """The unit's self-scores of a period as typed in its form (indicator → text, empty to take
    a self-score away), checked and written as a sheet of self-scores is. Returns the cells
    written."""
    rows = pl.DataFrame(
        {
            "unit_id": [unit_id] * len(values),
            "indicator_id": list(values),
            "value": [None if v is None or not str(v).strip() else str(v).strip() for v in values.values()],
            "_row": list(range(1, len(values) + 1)),
        },
        schema={"unit_id": pl.String, "indicator_id": pl.String, "value": pl.String, "_row": pl.Int64},
    )
    return import_self_scores(campaign, period, rows, "自评表", user)


def self_cells(campaign: Campaign, period: str, units: list[str]) -> pl.DataFrame:
    """unit_id, indicator_id, self_score (text, trailing zeros off), files: the period's cells of
    these units that have a self-score or proof files (for the entry grid's 自评 beside 考评)."""
    cells = to_polars(
        campaign.con.cursor().sql(
            """
            WITH s AS (SELECT unit_id, indicator_id, value FROM self_scores
                       WHERE campaign_id = $cid AND period = $period AND list_contains($units, unit_id)),
                 e AS (SELECT unit_id, indicator_id, count(*)::BIGINT AS files FROM evidence
                       WHERE campaign_id = $cid AND period = $period AND removed_at IS NULL
                         AND list_contains($units, unit_id) GROUP BY ALL)
            SELECT unit_id, indicator_id, s.value AS self_score, coalesce(e.files, 0) AS files
            FROM s FULL JOIN e USING (unit_id, indicator_id) ORDER BY ALL""",
            params={"cid": campaign.id, "period": period, "units": units},
        )
    )
    return cells.with_columns(as_typed(cells["self_score"]))


def approval_counts(campaign: Campaign, period: str) -> pl.DataFrame:
    """town, differing, unproved: per town of the period, the assessed cells that differ from the
    unit's self-score and the applicable cells without proof where the rules require it."""
    con, cid = campaign.con, campaign.id
    needs = [i.id for i in campaign.rules.indicators if i.needs_proof]
    differing = to_polars(
        con.cursor().sql(
            """SELECT coalesce(u.town, '') AS town, count(*)::BIGINT AS differing
               FROM self_scores s JOIN indicator_values v USING (campaign_id, unit_id, period, indicator_id)
               JOIN units u ON u.campaign_id = s.campaign_id AND u.unit_id = s.unit_id
               WHERE s.campaign_id = $cid AND s.period = $period AND s.value IS DISTINCT FROM v.value
               GROUP BY 1""",
            params={"cid": cid, "period": period},
        )
    )
    unproved = []
    if needs:
        units = to_polars(
            con.cursor().sql(
                "SELECT unit_id, category, coalesce(town, '') AS town FROM units WHERE campaign_id = $cid",
                params={"cid": cid},
            )
        )
        proved = {
            (u, i)
            for u, i in con.execute(
                "SELECT DISTINCT unit_id, indicator_id FROM evidence WHERE campaign_id = ? AND period = ? "
                "AND removed_at IS NULL",
                [cid, period],
            ).fetchall()
        }
        rules = campaign.rules
        for unit_id, category, town in units.iter_rows():
            for ind in needs:
                spec = rules.indicator(ind)
                if spec is not None and spec.applies_to(category) and (unit_id, ind) not in proved:
                    unproved.append(town)
    lacking = pl.DataFrame({"town": unproved}, schema={"town": pl.String}).group_by("town").len("unproved")
    towns = town_matrix(con, cid).filter(pl.col("period") == period).select("town")
    return (
        towns.join(differing, on="town", how="left")
        .join(lacking.with_columns(pl.col("unproved").cast(pl.Int64)), on="town", how="left")
        .with_columns(pl.col("differing").fill_null(0), pl.col("unproved").fill_null(0))
    )


__all__ = [
    "approval_counts",
    "open_periods",
    "own_units",
    "save_self_form",
    "self_cells",
    "self_form",
    "side_by_side",
    "unit_todo",
]
