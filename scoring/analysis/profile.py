"""Read models for a unit's profile: its summary, points against its category, trend across
periods and campaigns, what it takes to climb, and how its award was reached.

Functions take a DuckDB connection and return plain values or polars frames, like
``scoring.app.service``; the dashboard caches them per run id (a run id names its rules and data).
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from scoring.analysis.derivation import Derivation, period_derivation, unit_cells
from scoring.core.frames import query, register, to_polars
from scoring.engine.field import field_points_sql
from scoring.engine.points import install_macros, value_points_sql
from scoring.engine.run import Run
from scoring.store.campaign import Campaign
from scoring.store.cells import cell_params, cells_sql


def unit_summary(camp: Campaign, run: Run, unit_id: str) -> dict[str, Any]:
    """The unit's annual line: category, town, score, rank, stars, flags, vetoed. While the
    year is in progress the annual figures are empty; flags and veto are those of the scored
    periods."""
    con = camp.con
    return query(
        con,
        """
        SELECT u.category, u.town, u.name, r.annual_score, r.annual_rank, r.stars,
               coalesce(r.flags, p.flags, 0) AS flags, coalesce(r.vetoed, p.vetoed, false) AS vetoed
        FROM units u
        LEFT JOIN annual_results r ON r.run_id = $run AND r.unit_id = u.unit_id
        LEFT JOIN (SELECT unit_id, count(*) FILTER (WHERE flag) AS flags, bool_or(vetoed) AS vetoed
                   FROM period_results WHERE run_id = $run AND unit_id = $unit GROUP BY unit_id) p
          ON p.unit_id = u.unit_id
        WHERE u.campaign_id = $cid AND u.unit_id = $unit""",
        cid=run.campaign_id,
        run=run.run_id,
        unit=unit_id,
    ).row(0, named=True)


def own_points(camp: Campaign, run: Run, unit_id: str, period: str | None) -> pl.DataFrame:
    """The unit's points per indicator (with its category).

    For the year (period None) an indicator's points are its mean (or sum) over the periods,
    as the campaign combines scores; a missing value counts as 0 points, as in scoring.
    """
    con = camp.con
    rules = camp.rules
    cur = con.cursor()
    category = cur.execute(
        "SELECT category FROM units WHERE campaign_id = ? AND unit_id = ?", [run.campaign_id, unit_id]
    ).fetchall()[0][0]
    per = len(rules.periods) if period is None and rules.annual_score == "mean" else 1
    register(cur, "_cells", unit_cells(cur, run, unit_id, period))
    me = to_polars(
        cur.sql(
            f"""
        SELECT indicator_id, sum(points) / {per} AS points,
               any_value(value) FILTER (WHERE period = $period) AS value
        FROM _cells p GROUP BY ALL""",
            params={"period": period},
        )
    )
    register(cur, "_me", me)
    return to_polars(
        cur.sql(
            """
        SELECT i.indicator_no, i.indicator_id, i.name AS indicator, coalesce(i.area, '') AS area,
               i.kind, i.unit, me.value, round(me.points, 2)::DOUBLE AS points,
               i.max_points::DOUBLE AS max_points
        FROM _me me JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = me.indicator_id
        ORDER BY i.indicator_no""",
            params={"cid": run.campaign_id},
        )
    ).with_columns(pl.lit(category).alias("category"))


def with_category(own: pl.DataFrame, stats: pl.DataFrame) -> pl.DataFrame:
    """A unit's points per indicator beside its category's average and best (``category_stats``)."""
    return own.join(stats, on="indicator_id", how="inner", maintain_order="left").select(
        "indicator_no",
        "indicator_id",
        "indicator",
        "area",
        "kind",
        "unit",
        "value",
        "points",
        "category_avg",
        "category_best",
        "max_points",
    )


def unit_points(camp: Campaign, run: Run, unit_id: str, period: str | None) -> pl.DataFrame:
    """The unit's points per indicator with its category's average and best."""
    own = own_points(camp, run, unit_id, period)
    return with_category(own, category_stats(camp, run, own["category"][0], period))


def category_stats(camp: Campaign, run: Run, category: str, period: str | None) -> pl.DataFrame:
    """indicator_id, category_avg, category_best: a category's mean and best points per
    indicator (per unit combined over the year as the campaign does; missing = 0 points),
    from the values and each distinct value's points — no table of every cell."""
    con = camp.con
    rules = camp.rules
    per = len(rules.periods) if period is None and rules.annual_score == "mean" else 1
    cur = con.cursor()
    install_macros(cur)
    cells = cells_sql(period=period, category=category)
    return to_polars(
        cur.sql(
            f"""
        WITH vals AS (SELECT * FROM {cells} x),
        vp AS ({value_points_sql("vals")}),
        -- one integer per (unit, indicator): DuckDB groups a single small key much faster
        per_unit AS (
          SELECT k, sum(c) AS c FROM (
            SELECT vals.unit_no::BIGINT * 65536 + vals.indicator_no AS k, vp.cents AS c FROM vals
            JOIN vp ON vp.indicator_no = vals.indicator_no AND vp.value = vals.value
            UNION ALL  -- relative and rank_points: the points their field gives
            SELECT f.unit_no::BIGINT * 65536 + f.indicator_no, f.cents
            FROM {field_points_sql(period)} f WHERE f.category = $cat) GROUP BY k),
        peers AS (SELECT count(*) AS n FROM units WHERE campaign_id = $cid AND category = $cat),
        agg AS (SELECT i.indicator_id, g.* FROM (
                  SELECT k % 65536 AS indicator_no, sum(c) AS total, max(c) AS best,
                         count(*) AS with_value FROM per_unit GROUP BY ALL) g
                JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = g.indicator_no)
        SELECT a.indicator_id,
               div_half_away(coalesce(g.total, 0)::HUGEINT, (peers.n * {per})::HUGEINT)::DOUBLE / 100
                 AS category_avg,
               (CASE WHEN coalesce(g.with_value, 0) < peers.n THEN greatest(coalesce(g.best, 0), 0)
                     ELSE g.best END / {per} / 100)::DOUBLE AS category_best
        FROM applies a CROSS JOIN peers LEFT JOIN agg g ON g.indicator_id = a.indicator_id
        WHERE a.campaign_id = $cid AND a.category = $cat""",
            params={"cat": category, **cell_params(run.campaign_id, period=period, category=category)},
        )
    )


def unit_trend(camp: Campaign, run: Run, unit_id: str) -> pl.DataFrame:
    """period, score, rank, flag, vetoed, category size, category average — by period."""
    con = camp.con
    return query(
        con,
        """
        SELECT r.period, p.period_no, r.score, r.rank, r.flag, r.vetoed,
               (SELECT count(*) FROM period_results x WHERE x.run_id = r.run_id
                  AND x.period = r.period AND x.category = r.category) AS category_units,
               (SELECT round(avg(x.score), 2) FROM period_results x WHERE x.run_id = r.run_id
                  AND x.period = r.period AND x.category = r.category) AS category_avg
        FROM period_results r JOIN periods p ON p.campaign_id = $cid AND p.period = r.period
        WHERE r.run_id = $run AND r.unit_id = $unit ORDER BY p.period_no""",
        cid=run.campaign_id,
        run=run.run_id,
        unit=unit_id,
    )


def trends(con: duckdb.DuckDBPyConnection, unit_id: str) -> pl.DataFrame:
    """The unit's annual result in every stored campaign that has it (latest run of each),
    oldest first: campaign, year, category, score, rank of how many, stars, flags."""
    return query(
        con,
        """
        WITH latest AS (
          SELECT campaign_id, arg_max(run_id, computed_at) AS run_id FROM runs GROUP BY ALL)
        SELECT c.campaign_id, c.name AS campaign_name, c.year, a.category, a.annual_score,
               a.annual_rank,
               (SELECT count(*) FROM annual_results x WHERE x.run_id = a.run_id
                  AND x.category = a.category AND NOT x.vetoed) AS ranked_units,
               a.stars, a.flags, a.vetoed
        FROM latest l JOIN campaigns c USING (campaign_id)
        JOIN annual_results a ON a.run_id = l.run_id AND a.unit_id = $unit
        ORDER BY c.year NULLS FIRST, c.imported_at""",
        unit=unit_id,
    )


def takes(camp: Campaign, run: Run, unit_id: str, lang: str) -> dict[str, Any]:
    """What it takes for the unit to climb (see scoring.analysis.explain)."""
    from scoring.analysis.explain import what_it_takes

    return what_it_takes(camp, run, unit_id, lang)


def unit_explanations(camp: Campaign, run: Run, unit_id: str, payees: list[str], lang: str) -> list[Any]:
    """The derivations of one unit's award and of its secretaries' (``payees``)."""
    from scoring.analysis.explain import explain_payouts

    return [e for p in payees for e in explain_payouts(camp, run, lang, payee=p)]


def derivation(camp: Campaign, run: Run, unit_id: str, period: str, lang: str) -> Derivation:
    """How the unit's period score was made, item by item (``scoring.analysis.derivation``)."""
    return period_derivation(camp, run, unit_id, period, lang)
