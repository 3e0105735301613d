"""Steps 4-8 of the spec: period ranks, flags, annual scores, annual ranks, stars.

Ranks are competition ranks (1, 2, 2, 4) from DuckDB's RANK() over the category, with the
tie-break indicators' points as further ORDER BY keys; vetoed units sit in their own
partition and get no rank. Scores are integer cents throughout (see ``scoring.engine.points``).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from scoring.rules.model import Rules


def nano_int(x: Decimal) -> int:
    """A threshold as an exact integer of nano-units (thresholds have at most 9 decimals)."""
    return int(x.scaleb(9))


def _tb_keys(rules: Rules, prefix: str) -> str:
    return "".join(f", {prefix}{k} DESC" for k in range(1, len(rules.ranking.tie_break) + 1))


def _combine(rules: Rules, column: str) -> str:
    """Combine a per-period cents column across the campaign's periods (mean or sum)."""
    if rules.annual_score == "sum":
        return f"sum({column})::BIGINT"
    n = len(rules.periods)
    return f"div_half_away(sum({column})::HUGEINT, {n}::HUGEINT)::BIGINT"


def period_ranks(con: duckdb.DuckDBPyConnection, rules: Rules) -> None:
    """Steps 4-5: rank inside (category, period) by score, then tie-break points; flags.

    ``s_period`` carries each tie-break indicator's points as tb1, tb2, … (``scoring.engine.points``)."""
    flags = rules.flags
    if flags is None:
        flag_expr = "false"
    else:
        flag_expr = (
            f"(NOT vetoed AND rank <= {flags.top_n} "
            f"AND score_c::HUGEINT * 10000000 >= {nano_int(flags.min_score)})"
        )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_period_ranked AS
        SELECT *, coalesce({flag_expr}, false) AS flag FROM (
          SELECT p.*, CASE WHEN NOT p.vetoed THEN rank() OVER (
                   PARTITION BY p.category, p.period, p.vetoed
                   ORDER BY p.score_c DESC{_tb_keys(rules, "p.tb")}) END AS rank
          FROM s_period p)""")


def annual_ranks(con: duckdb.DuckDBPyConnection, rules: Rules, year_complete: bool = True) -> None:
    """Steps 6-7: annual score (mean or sum, rounded), veto for the year, annual rank. While a
    period is not scored the year does not exist: the tables are made empty."""
    n_tb = len(rules.ranking.tie_break)
    tb_cols = "".join(f", {_combine(rules, f'tb{k}')} AS atb{k}" for k in range(1, n_tb + 1))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_annual_scores AS
        SELECT unit_id, category, {_combine(rules, "score_c")} AS annual_c,
               bool_or(vetoed) AS vetoed, count(*) FILTER (WHERE flag)::INTEGER AS flags
               {tb_cols}
        FROM s_period_ranked {"" if year_complete else "WHERE false"} GROUP BY unit_id, category""")
    # the ranked count joins a GROUP BY: as a second window beside rank() DuckDB 2.0 takes
    # ~30 s at 700,000 units (benchmarked) instead of a fraction of a second
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_annual AS
        SELECT a.*, CASE WHEN NOT a.vetoed THEN rank() OVER (
                    PARTITION BY a.category, a.vetoed
                    ORDER BY a.annual_c DESC{_tb_keys(rules, "a.atb")}) END AS annual_rank,
               n.ranked_n
        FROM s_annual_scores a JOIN (
          SELECT category, count(*) FILTER (WHERE NOT vetoed) AS ranked_n FROM s_annual_scores
          GROUP BY category) n USING (category)""")


def stars(con: duckdb.DuckDBPyConnection, rules: Rules) -> None:
    """Step 8: from the most stars down, the first level whose score and quota the unit meets."""
    whens = []
    for level in rules.stars_by_level():
        conds = ["NOT vetoed"]
        if level.min_score is not None:
            conds.append(f"annual_c::HUGEINT * 10000000 >= {nano_int(level.min_score)}")
        if level.max_share is not None:
            share = format(Decimal(level.max_share), "f")
            conds.append(f"annual_rank <= floor(CAST('{share}' AS DECIMAL(38,18)) * ranked_n)::BIGINT")
        whens.append(f"WHEN {' AND '.join(conds)} THEN {level.stars}")
    expr = f"CASE {' '.join(whens)} ELSE 0 END" if whens else "0"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_stars AS
        SELECT *, ({expr})::INTEGER AS stars FROM s_annual""")
