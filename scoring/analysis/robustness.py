"""Robustness of ranks and awards under perturbed weights (as COINr's sensitivity analysis).

Each of N draws multiplies every indicator's points by a factor drawn uniformly from
[1 − spread, 1 + spread] (seeded: a hash of seed, draw and indicator, so the same seed gives
the same draws on any machine). Optionally, in half of the draws (also seeded), every linear
indicator is scored in K equal tiers instead of linearly. Each draw is scored like the real
run — period scores, flags, annual score, ranks, stars (as matrices: ``draws``), then capped
awards, secretary shares and budget scaling in DuckDB — and summarised per unit: the 5th–95th percentile
of its annual rank, the probability it keeps its star level and its flags (at least as many
as now), and the expected change of its community payout. Scores are not re-rounded and
tie-breaks are not applied within a draw; exact figures remain the real run's.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from scoring.analysis import draws
from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import register, to_polars
from scoring.engine.points import cell_points_sql, install_macros
from scoring.engine.run import Run, check_current, year_complete
from scoring.rules.model import Rules
from scoring.store.campaign import Campaign
from scoring.store.cells import cells_sql
from scoring.store.db import execute_script


@dataclass(frozen=True)
class Settings:
    draws: int = 1000
    spread: float = 0.10
    seed: int = 1
    linear_as_tiers: int | None = None  # K steps in half of the draws; None: never


# draws × scored cells one analysis may take: every draw re-scores every cell, so a province's
# millions of values allow tens of draws on one machine, not thousands (benchmarked: 84 M
# values × 1,000 draws ran out of memory)
MAX_DRAW_CELLS = 300_000_000


def max_draws(con: duckdb.DuckDBPyConnection, cid: str) -> int:
    """The most draws this campaign's size allows (``MAX_DRAW_CELLS``)."""
    cells = con.cursor().execute(f"SELECT count(*) FROM {cells_sql()}", {"cid": cid}).fetchall()[0][0]
    return MAX_DRAW_CELLS // max(int(cells), 1)


# draws × scored cells a first view computes before anyone asks for more (at most about a
# second on a 2-core machine: 1,000 draws of the demo's 10,560 cells take 0.24 s); a city of
# 2,000 units opens on 100 draws (0.65 s) instead of 1,000 (2.5 s), and its reader raises
# them when the intervals need it
QUICK_DRAW_CELLS = 12_000_000


def first_draws(con: duckdb.DuckDBPyConnection, cid: str, least: int = 100, most: int = 1000) -> int:
    """The draws the robustness page opens on: as many as ``QUICK_DRAW_CELLS`` allows, in
    hundreds, between ``least`` and ``most``."""
    cells = con.cursor().execute(f"SELECT count(*) FROM {cells_sql()}", {"cid": cid}).fetchall()[0][0]
    quick = QUICK_DRAW_CELLS // max(int(cells), 1) // least * least
    return max(least, min(most, quick))


def _u(*parts: str) -> str:
    """A seeded uniform number in [0, 1) from a hash of the parts (SQL)."""
    return f"(hash({', '.join(parts)}) % 1000000007)::DOUBLE / 1000000007.0"


def robustness(camp: Campaign, run: Run, settings: Settings = Settings()) -> pl.DataFrame:
    """Per unit: rank_p05, rank_p95, p_keep_stars, p_keep_flags, expected payout change."""
    con = camp.con
    if not year_complete(run.summary):  # no annual rank, star or award to draw again yet
        raise CampaignError([Problem("robustness", None, None, "robustness_year_incomplete", {})])
    rules = camp.rules
    most = max_draws(con, run.campaign_id)
    if settings.draws > most:
        raise CampaignError(
            [Problem("robustness", None, None, "too_many_draws", {"draws": settings.draws, "most": most})]
        )
    cur = con.cursor()
    install_macros(cur)
    check_current(cur, run)
    indicators = _period_scores(cur, run, settings)
    _score_draws(cur, rules, indicators)
    return _summarise(cur, rules, run)


# a cell's points and a draw's weights as whole numbers of these parts: their products are
# exact integers (points have 6 places once cast, weights 9), summed without rounding
_PT, _W = 10**6, 10**9


def _period_scores(cur: duckdb.DuckDBPyConnection, run: Run, settings: Settings) -> int:
    """What the draws are scored from: ``r_cells``, every scored cell's points (and tiered
    points) as whole numbers with its unit's, category's, period's and indicator's numbers;
    ``r_weights``, one row per draw with its weight per indicator (columns named by the
    indicators' positions, never their ids) and whether it scores linear indicators in tiers;
    ``r_keys``, the units' numbers. The weights are drawn here, in SQL, so that a seed gives
    the draws it always gave. Returns the number of indicators."""
    k = settings.linear_as_tiers
    n = int(
        cur.execute("SELECT count(*) FROM indicators WHERE campaign_id = ?", [run.campaign_id]).fetchall()[0][
            0
        ]
    )
    plain = "CAST(p.points AS DOUBLE)"
    tiered = (
        plain
        if not k
        else f"CASE WHEN i.kind = 'linear' THEN floor({plain} / CAST(i.points AS DOUBLE) * {k}) / {k} "
        f"* CAST(i.points AS DOUBLE) ELSE {plain} END"
    )
    whole = "CAST(CAST(CAST(({x}) AS DECIMAL(18,6)) AS DECIMAL(38,6)) * {PT} AS BIGINT)"
    weight_cols = ", ".join(f"any_value(w) FILTER (WHERE k = {j}) AS w{j}" for j in range(n))
    coin = _u("d.range", str(settings.seed), "'method'")
    execute_script(
        cur,
        f"""
CREATE OR REPLACE TEMP TABLE r_ind AS
SELECT indicator_id, kind, points, CAST(row_number() OVER (ORDER BY indicator_id) - 1 AS INTEGER) AS k
FROM indicators WHERE campaign_id = $cid;
CREATE OR REPLACE TEMP TABLE r_cells AS
SELECT p.unit_id, r.category, r.vetoed, i.k,
       CAST(dense_rank() OVER (ORDER BY p.unit_id) AS INTEGER) AS u,
       CAST(dense_rank() OVER (ORDER BY r.category) AS INTEGER) AS c,
       CAST(dense_rank() OVER (ORDER BY p.period) AS INTEGER) AS p,
       {whole.format(x=plain, PT=_PT)} AS pt, {whole.format(x=tiered, PT=_PT)} AS tt
FROM ({cell_points_sql()}) p JOIN r_ind i USING (indicator_id)
JOIN period_results r ON r.run_id = $run AND r.unit_id = p.unit_id AND r.period = p.period;
CREATE OR REPLACE TEMP TABLE r_weights AS
SELECT d, any_value(tier) AS tier, {weight_cols} FROM (
  SELECT d.range AS d, i.k, {"false" if not k else f"{coin} < 0.5"} AS tier,
         CAST(CAST(CAST(1 + $spread * (2 * {_u("d.range", "i.indicator_id", str(settings.seed))} - 1)
              AS DECIMAL(18,9)) AS DECIMAL(38,9)) * {_W} AS BIGINT) AS w
  FROM range($draws) d, r_ind i) GROUP BY d;
CREATE OR REPLACE TEMP TABLE r_keys AS SELECT DISTINCT u, unit_id, category FROM r_cells""",
        {"draws": settings.draws, "spread": settings.spread, "cid": run.campaign_id, "run": run.run_id},
    )
    return n


def _score_draws(cur: duckdb.DuckDBPyConnection, rules: Rules, n: int) -> None:
    """``r_annual``: every draw's rank, flags and stars of every unit (``draws.scored``) over
    ``n`` indicators."""
    cells = cur.execute("SELECT u, c, p, vetoed, k, pt, tt FROM r_cells ORDER BY u, p").fetchnumpy()
    weights = cur.execute("SELECT * FROM r_weights ORDER BY d").fetchnumpy()
    register(cur, "_drawn", draws.scored(cells, weights, n, rules))
    try:
        cur.execute(
            """CREATE OR REPLACE TEMP TABLE r_annual AS
               SELECT a.d, k.unit_id, k.category, a.vetoed, a.rank, a.n, a.flags, a.stars
               FROM _drawn a JOIN r_keys k USING (u)"""
        )
    finally:
        cur.unregister("_drawn")


def _summarise(cur: duckdb.DuckDBPyConnection, rules: Rules, run: Run) -> pl.DataFrame:
    aw = rules.awards
    star_amount = " ".join(f"WHEN {lvl} THEN {amt}" for lvl, amt in aw.stars.items())
    star_expr = f"CASE stars {star_amount} ELSE 0 END" if star_amount else "0"
    cap = "gross" if aw.community_cap is None else str(aw.community_cap)
    sec_cap = "g" if aw.secretary_cap is None else str(aw.secretary_cap)
    n_periods = len(rules.periods)
    budget = "NULL" if aw.budget is None else str(aw.budget)
    from scoring.engine.awards import TENURE_SQL

    execute_script(
        cur,
        f"""
CREATE OR REPLACE TEMP TABLE r_tenure AS
SELECT unit_id, secretary_id, count(*) AS held FROM ({TENURE_SQL}) t
WHERE secretary_id IS NOT NULL GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE r_award AS
SELECT d, unit_id, CASE WHEN vetoed THEN 0 ELSE least(gross, {cap}) END AS award FROM (
  SELECT d, unit_id, vetoed, ({star_expr}) + {aw.flag} * flags AS gross FROM r_annual);
CREATE OR REPLACE TEMP TABLE r_factor AS
SELECT d, CASE WHEN {budget} IS NOT NULL AND total > {budget} THEN {budget} / total
          ELSE 1 END AS factor FROM (
  SELECT a.d, a.c + coalesce(s.s, 0) AS total FROM
    (SELECT d, sum(award) AS c FROM r_award GROUP BY d) a
    LEFT JOIN (SELECT d, sum(least(g, {sec_cap})) AS s FROM (
        SELECT a.d, t.secretary_id,
               sum(a.award * {aw.secretary_share} * t.held) / {n_periods} AS g
        FROM r_award a JOIN r_tenure t USING (unit_id) GROUP BY ALL) GROUP BY d) s
    USING (d))""",
        {"cid": run.campaign_id},
    )
    return to_polars(
        cur.sql(
            """
        SELECT x.unit_id, u.name AS unit_name, x.category, r.annual_rank AS rank, r.stars,
               r.flags, quantile_disc(x.rank, 0.05) AS rank_p05,
               quantile_disc(x.rank, 0.95) AS rank_p95,
               avg(CASE WHEN x.stars >= r.stars THEN 1.0 ELSE 0.0 END) AS p_keep_stars,
               avg(CASE WHEN x.flags >= r.flags THEN 1.0 ELSE 0.0 END) AS p_keep_flags,
               round(sum(CAST(a.award * f.factor AS DECIMAL(38,4))) / count(*)
                     - coalesce(any_value(p.final), 0), 2) AS award_at_risk
        FROM r_annual x
        JOIN annual_results r ON r.run_id = $run AND r.unit_id = x.unit_id
        JOIN units u ON u.campaign_id = $cid AND u.unit_id = x.unit_id
        JOIN r_award a ON a.d = x.d AND a.unit_id = x.unit_id
        JOIN r_factor f ON f.d = x.d
        LEFT JOIN (SELECT payee_id, CAST(final_fen AS DOUBLE) / 100 AS final FROM payouts
                   WHERE run_id = $run AND payee_type = 'community') p ON p.payee_id = x.unit_id
        GROUP BY x.unit_id, u.name, x.category, r.annual_rank, r.stars, r.flags
        ORDER BY x.category, r.annual_rank NULLS LAST, x.unit_id""",
            params={"run": run.run_id, "cid": run.campaign_id},
        )
    )
