"""Residents' surveys as people read them: per unit and period the respondents, the value and
its 95 % interval (a unit below ``min_responses`` listed as missing, with its count); the
distribution of answers by item; and a bootstrap over respondents that shows how far a close
race could be decided by a handful of answers.

Values and counts come from the stored answers through the same exact computation the import
used (``scoring.ingest.surveys``); the bootstrap resamples respondents with replacement inside
each (unit, period, indicator), rescoring the indicator by its rule and re-ranking the
category in DuckDB, draw by draw.
"""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.core.frames import register, to_polars
from scoring.engine.points import cell_points_sql, install_macros, value_points_sql
from scoring.engine.run import Run, check_current
from scoring.ingest.surveys import cell_surveys, cells_frame, respondent_scores
from scoring.store.campaign import Campaign

_ANSWERS = """
SELECT unit_id, period, indicator_id, respondent_id, item, answer, status FROM survey_answers
WHERE campaign_id = $cid AND ($unit IS NULL OR unit_id = $unit) ORDER BY source_row"""


def answers(con: duckdb.DuckDBPyConnection, cid: str, unit_id: str | None = None) -> pl.DataFrame:
    """The campaign's stored survey answers (one unit's, or all), in the file's order. A unit's
    profile reads its own in the database: the demo's 46,071 answers read whole and then filtered
    took a fifth of the profile's time on every view."""
    return to_polars(con.cursor().sql(_ANSWERS, params={"cid": cid, "unit": unit_id}))


def survey_results(camp: Campaign, unit_id: str | None = None) -> pl.DataFrame:
    """Per (unit, period, indicator) with answers: names, respondents, the value (empty below
    min_responses), its 95 % interval, the minimum and whether it is met."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    rows = answers(con, cid, unit_id)
    cells = cells_frame(cell_surveys(rows, rules)) if rows.height else cells_frame([])
    names = to_polars(
        con.cursor().sql(
            "SELECT unit_id, name AS unit_name, town FROM units WHERE campaign_id = $cid", params={"cid": cid}
        )
    )
    inds = pl.DataFrame(
        {
            "indicator_id": [s.indicator for s in rules.surveys],
            "indicator": [rules.indicator(s.indicator).name for s in rules.surveys],
            "min_responses": [s.min_responses for s in rules.surveys],
        },
        schema={"indicator_id": pl.String, "indicator": pl.String, "min_responses": pl.Int64},
    )
    order = {p: k for k, p in enumerate(rules.periods)}
    return (
        cells.join(names, on="unit_id", how="left")
        .join(inds, on="indicator_id", how="left")
        .with_columns(
            (pl.col("respondents") >= pl.col("min_responses")).alias("enough"),
            pl.col("low95").round(2),
            pl.col("high95").round(2),
            pl.col("period").replace_strict(order, return_dtype=pl.Int64).alias("_p"),
        )
        .sort("indicator_id", "_p", "unit_id")
        .select(
            "period",
            "unit_id",
            "unit_name",
            "town",
            "indicator",
            "respondents",
            "min_responses",
            "enough",
            "value",
            "low95",
            "high95",
            "satisfied",
            "excluded_rows",
        )
    )


def answer_distribution(
    con: duckdb.DuckDBPyConnection, cid: str, unit_id: str, period: str | None = None
) -> pl.DataFrame:
    """The unit's counted answers by indicator, item and answer: how many gave each answer."""
    rows = answers(con, cid, unit_id).filter(pl.col("status") != "excluded")
    if period is not None:
        rows = rows.filter(pl.col("period") == period)
    return (
        rows.group_by("indicator_id", "item", "answer")
        .len("count")
        .sort("indicator_id", "item", "answer")
        .with_columns(pl.col("answer").cast(pl.Float64))
    )


def bootstrap(camp: Campaign, run: Run, draws: int = 200, seed: int = 1) -> pl.DataFrame:
    """Per (period, unit): how its rank moves when each surveyed cell's respondents are drawn
    again with replacement (the other values as they are): rank now, 5th and 95th percentile,
    and the share of draws that keep the unit's flag (or keep it without one). Ranks are by
    score alone (no tie-break) and a draw's survey value is rounded as the import rounds it.
    Indicators of the field kinds are not resampled (their points depend on every unit's
    value)."""
    con = camp.con
    rules = camp.rules
    cur = con.cursor()
    install_macros(cur)
    check_current(cur, run)
    resampled = [s for s in rules.surveys if not rules.indicator(s.indicator).field_kind]
    rows = answers(con, run.campaign_id)
    if not resampled or rows.height == 0:
        return pl.DataFrame()
    per = respondent_scores(rows).filter(pl.col("indicator_id").is_in([s.indicator for s in resampled]))
    specs = pl.DataFrame(
        {
            "indicator_id": [s.indicator for s in resampled],
            "measure": [s.measure for s in resampled],
            "low": [float(s.low) for s in resampled],
            "high": [float(s.high) for s in resampled],
            "sat_from": [float(s.satisfied_from or 0) for s in resampled],
            "min_n": [s.min_responses for s in resampled],
        }
    )
    register(
        cur,
        "_resp",
        per.with_columns((pl.col("total").cast(pl.Float64) / pl.col("k")).alias("score")).select(
            "unit_id", "period", "indicator_id", "score"
        ),
    )
    register(cur, "_specs", specs)
    flags = rules.flags
    flag = (
        "false"
        if flags is None
        else f"rank <= {int(flags.top_n)} AND score_c >= {int(flags.min_score * 100)}"
    )
    cur.execute(
        """
        CREATE OR REPLACE TEMP TABLE _b_resp AS
        SELECT r.*, row_number() OVER (PARTITION BY unit_id, period, indicator_id ORDER BY score) AS k,
               count(*) OVER (PARTITION BY unit_id, period, indicator_id) AS n
        FROM _resp r"""
    )
    cur.execute(
        """
        CREATE OR REPLACE TEMP TABLE _b_pick AS
        SELECT d, unit_id, period, indicator_id, n,
               1 + (hash(d, unit_id, period, indicator_id, j, $seed) % n) AS k
        FROM (SELECT d.range AS d, c.*, unnest(range(c.n)) AS j
              FROM range($draws) d
              CROSS JOIN (SELECT DISTINCT unit_id, period, indicator_id, n FROM _b_resp) c)""",
        {"draws": int(draws), "seed": int(seed)},
    )
    cur.execute(
        """
        CREATE OR REPLACE TEMP TABLE _b_value AS
        SELECT p.d, p.unit_id, p.period, p.indicator_id,
               CAST(round(CASE WHEN s.measure = 'share'
                          THEN 100.0 * avg(CASE WHEN r.score >= s.sat_from THEN 1 ELSE 0 END)
                          ELSE 100.0 * (avg(r.score) - s.low) / (s.high - s.low) END, 2)
                    AS DECIMAL(38,9)) AS value, any_value(p.n) >= any_value(s.min_n) AS enough
        FROM _b_pick p JOIN _b_resp r USING (unit_id, period, indicator_id, k)
        JOIN _specs s USING (indicator_id)
        GROUP BY p.d, p.unit_id, p.period, p.indicator_id, s.measure, s.sat_from, s.low, s.high"""
    )
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _b_points AS
        WITH vals AS (SELECT i.indicator_no, b.value FROM _b_value b
                      JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = b.indicator_id
                      WHERE b.enough),
        vp AS ({value_points_sql("vals")})
        SELECT b.d, b.unit_id, b.period, b.indicator_id, coalesce(vp.cents, 0) AS cents
        FROM _b_value b JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = b.indicator_id
        LEFT JOIN vp ON vp.indicator_no = i.indicator_no AND vp.value = b.value AND b.enough""",
        {"cid": run.campaign_id},
    )
    return to_polars(
        cur.sql(
            f"""
            WITH base AS (
              SELECT r.period, r.unit_id, r.category, r.rank AS rank_now, r.flag AS flag_now,
                     r.vetoed, CAST(r.score * 100 AS BIGINT) AS score_c FROM period_results r
              WHERE r.run_id = $run),
            own AS (  -- the points the run gave the resampled indicators
              SELECT p.period, p.unit_id, sum(CAST(p.points * 100 AS BIGINT)) AS cents
              FROM ({cell_points_sql(with_missing=False)}) p
              WHERE p.indicator_id IN (SELECT indicator_id FROM _specs) GROUP BY ALL),
            drawn AS (
              SELECT d.d, b.period, b.unit_id, b.category, b.vetoed, b.rank_now, b.flag_now,
                     b.score_c - coalesce(o.cents, 0) + coalesce(x.cents, 0) AS score_c
              FROM base b CROSS JOIN range($draws) d(d)
              LEFT JOIN own o USING (period, unit_id)
              LEFT JOIN (SELECT d, period, unit_id, sum(cents) AS cents FROM _b_points GROUP BY ALL) x
                ON x.d = d.d AND x.period = b.period AND x.unit_id = b.unit_id),
            ranked AS (
              SELECT *, rank() OVER (PARTITION BY d, period, category ORDER BY score_c DESC) AS rank
              FROM drawn WHERE NOT vetoed)
            SELECT period, unit_id, any_value(rank_now) AS rank_now,
                   quantile_disc(rank, 0.05) AS rank_p05, quantile_disc(rank, 0.95) AS rank_p95,
                   avg(CASE WHEN ({flag}) = flag_now THEN 1.0 ELSE 0.0 END) AS p_same_flag
            FROM ranked GROUP BY ALL ORDER BY period, unit_id""",
            params={"run": run.run_id, "draws": int(draws), "cid": run.campaign_id},
        )
    )
