"""Read models for the dashboard: leaderboards, unit profiles, payouts, rules, completeness.

Functions take a DuckDB connection and return polars frames; the dashboard never writes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from scoring.core.frames import query
from scoring.engine.awards import tenure_frame
from scoring.engine.run import Run, current_run_id, latest_run
from scoring.rules.model import Rules
from scoring.store.campaign import Campaign, open_campaign
from scoring.store.cells import cell_params, cells_sql, missing_cells_sql


def campaigns(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """campaign_id, name, year, imported_at, units, last scored run."""
    return query(
        con,
        """
        SELECT c.campaign_id, c.name, c.year, c.imported_at,
               (SELECT count(*) FROM units u WHERE u.campaign_id = c.campaign_id) AS units,
               (SELECT max(computed_at) FROM runs r WHERE r.campaign_id = c.campaign_id)
                 AS scored_at
        FROM campaigns c ORDER BY c.imported_at DESC""",
    )


@dataclass(frozen=True)
class CampaignState:
    """A campaign as a page shows it: its rules, its latest run, and whether the data have
    moved on since that run."""

    rules: Rules
    run: Run | None
    stale: bool  # the data changed since the latest run: its numbers are not the data's


def campaign(con: duckdb.DuckDBPyConnection, cid: str) -> CampaignState:
    run = latest_run(con, cid)
    return CampaignState(
        open_campaign(con, cid).rules, run, run is not None and current_run_id(con, cid) != run.run_id
    )


# audit actions that change what every period is scored from (rules, units, secretaries, a
# whole import) rather than one period's values
CAMPAIGN_WIDE = ("import", "rules_change", "unit_add", "unit_change", "unit_remove", "secretary_change")


def changed_since(con: duckdb.DuckDBPyConnection, run: Run, period: str | None) -> bool:
    """Whether the data ``run`` scored have changed for ``period`` (None: any period) since it
    was computed, as the audit trail says; a change the trail does not explain (the run is not
    the data's, yet no row was written since) counts for every period."""
    rows = (
        con.cursor()
        .execute(
            """SELECT count(*) FILTER (WHERE $period IS NULL OR period = $period
                                         OR list_contains($wide, action)),
                      count(*)
               FROM audit_log WHERE campaign_id = $cid AND logged_at > $at
                 AND action NOT IN ('objection', 'objection_rejected', 'deadline_set', 'exception_grant',
                                    'exception_close', 'campaign_remove', 'data_state',
                                    'evidence_add', 'evidence_remove', 'self_score', 'self_reply')""",
            {
                "cid": run.campaign_id,
                "at": run.summary.get("computed_at"),
                "period": period,
                "wide": list(CAMPAIGN_WIDE),
            },
        )
        .fetchall()[0]
    )
    return bool(rows[0]) or not rows[1]


def run_differences(con: duckdb.DuckDBPyConnection, run: Run) -> int:
    """How many stored rows of the run differ from a recomputation (0: finance may export it).
    A run the data have moved on from is not recomputed here: the page says it is stale."""
    from scoring.engine.recheck import unverified_rows

    if run.run_id != current_run_id(con, run.campaign_id):
        return 0
    return unverified_rows(con, run.campaign_id, run.run_id)


def baseline_count(con: duckdb.DuckDBPyConnection, cid: str) -> int:
    """How many units have last year's result (the progress award's baseline)."""
    return int(con.execute("SELECT count(*) FROM baselines WHERE campaign_id = ?", [cid]).fetchall()[0][0])


def units(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    return query(
        con,
        """SELECT unit_id, name, category, town, households, secretary_id,
                      secretary_name FROM units WHERE campaign_id = $cid ORDER BY rowid""",
        cid=cid,
    )


def leaderboard(
    camp: Campaign,
    run: Run,
    category: str,
    period: str | None,
    limit: int | None = None,
    offset: int = 0,
) -> pl.DataFrame:
    """One category's board for a period (or the year when period is None), ``limit`` rows
    from ``offset`` (all when None): the database does the paging, so a board of 200,000
    units costs what its page costs.

    Columns: rank, unit_id, unit_name, town, score, stars, flags, change, vetoed, progress (won
    the year's progress award), where
    ``change`` is the previous period's rank minus this one (positive = climbed); a period's
    board is whole before the year exists (stars are then empty).
    """
    con = camp.con
    params = {"cid": run.campaign_id, "run": run.run_id, "cat": category, "limit": limit, "offset": offset}
    if period is None:
        return query(
            con,
            """
            WITH page AS (
              SELECT * FROM annual_results WHERE run_id = $run AND category = $cat
              ORDER BY annual_rank NULLS LAST, unit_id LIMIT $limit OFFSET $offset)
            SELECT r.annual_rank AS rank, r.unit_id, u.name AS unit_name, u.town,
                   r.annual_score AS score, r.stars, r.flags, NULL::INTEGER AS change, r.vetoed,
                   coalesce(r.progress, false) AS progress
            FROM page r JOIN units u ON u.campaign_id = $cid AND u.unit_id = r.unit_id
            ORDER BY r.annual_rank NULLS LAST, r.unit_id""",
            **params,
        )
    return query(
        con,
        """
        WITH page AS (
          SELECT * FROM period_results WHERE run_id = $run AND category = $cat AND period = $period
          ORDER BY rank NULLS LAST, unit_id LIMIT $limit OFFSET $offset),
        prev_period AS (
          SELECT p0.period FROM periods p0 JOIN periods p1 ON p1.campaign_id = p0.campaign_id
          WHERE p0.campaign_id = $cid AND p1.period = $period AND p0.period_no = p1.period_no - 1)
        SELECT c.rank, c.unit_id, u.name AS unit_name, u.town, c.score, a.stars,
               c.flag::INTEGER AS flags, prev.rank - c.rank AS change, c.vetoed,
               coalesce(a.progress, false) AS progress
        FROM page c
        JOIN units u ON u.campaign_id = $cid AND u.unit_id = c.unit_id
        LEFT JOIN annual_results a ON a.run_id = $run AND a.category = $cat AND a.unit_id = c.unit_id
        LEFT JOIN period_results prev ON prev.run_id = $run AND prev.category = $cat
          AND prev.unit_id = c.unit_id AND prev.period = (SELECT period FROM prev_period)
        ORDER BY c.rank NULLS LAST, c.unit_id""",
        period=period,
        **params,
    )


def _board(run: Run, category: str, period: str | None) -> tuple[str, str, dict[str, str]]:
    """A board's rows: a FROM-and-WHERE over the run's stored results, its rank column and the
    parameters the FROM-and-WHERE names."""
    params = {"b_run": run.run_id, "b_cat": category}
    if period is None:
        return "annual_results WHERE run_id = $b_run AND category = $b_cat", "annual_rank", params
    where = "period_results WHERE run_id = $b_run AND category = $b_cat AND period = $b_period"
    return where, "rank", params | {"b_period": period}


def board_counts(camp: Campaign, run: Run, category: str, period: str | None) -> tuple[int, int]:
    """(ranked, vetoed) units on one category's board."""
    con = camp.con
    rows, _, params = _board(run, category, period)
    row = (
        con.cursor()
        .execute(
            f"SELECT count(*) FILTER (WHERE NOT vetoed), count(*) FILTER (WHERE vetoed) FROM {rows}", params
        )
        .fetchall()[0]
    )
    return int(row[0]), int(row[1])


def board_position(camp: Campaign, run: Run, category: str, period: str | None, unit_id: str) -> int | None:
    """The unit's 0-based row on the board (ordered as ``leaderboard``), None when absent."""
    con = camp.con
    rows, rank, params = _board(run, category, period)
    found = (
        con.cursor()
        .execute(
            f"""
            SELECT pos FROM (
              SELECT unit_id, row_number() OVER (ORDER BY {rank} NULLS LAST, unit_id) - 1 AS pos
              FROM {rows})
            WHERE unit_id = $unit""",
            {"unit": unit_id, **params},
        )
        .fetchall()
    )
    return int(found[0][0]) if found else None


def find_units(
    con: duckdb.DuckDBPyConnection, cid: str, text: str = "", category: str | None = None, limit: int = 50
) -> pl.DataFrame:
    """unit_id, name: up to ``limit`` units whose id or name contains ``text`` (by id)."""
    return query(
        con,
        """
        SELECT unit_id, name FROM units WHERE campaign_id = $cid
          AND ($cat IS NULL OR category = $cat)
          AND (unit_id ILIKE '%' || $text || '%' OR name ILIKE '%' || $text || '%')
        ORDER BY unit_id LIMIT $limit""",
        cid=cid,
        cat=category,
        text=text.strip(),
        limit=limit,
    )


def score_spread(camp: Campaign, run: Run, period: str | None = None) -> pl.DataFrame:
    """Per category: units, min, q1, median, q3, max of a period's scores, or the year's
    (``period`` None), not vetoed."""
    con = camp.con
    rows, _, params = _board(run, "", period)
    rows = rows.replace(" AND category = $b_cat", "")
    params.pop("b_cat")
    column = "annual_score" if period is None else "score"
    return query(
        con,
        f"""
        SELECT category, count(*) AS units, min(s)::DOUBLE AS lo, quantile_cont(s::DOUBLE, 0.25) AS q1,
               quantile_cont(s::DOUBLE, 0.5) AS median, quantile_cont(s::DOUBLE, 0.75) AS q3,
               max(s)::DOUBLE AS hi
        FROM (SELECT category, {column} AS s FROM {rows} AND NOT vetoed)
        GROUP BY category""",
        **params,
    )


def tenure(
    con: duckdb.DuckDBPyConnection, cid: str, unit_id: str | None = None, secretary_id: str | None = None
) -> pl.DataFrame:
    """Who held the secretary's post in each (unit, period) (see scoring.engine.awards)."""
    return tenure_frame(con, cid, unit_id, secretary_id)


def payouts(camp: Campaign, run: Run) -> pl.DataFrame:
    """Every payee: gross, capped (to the fen) and final, plus whether the cap bound."""
    from scoring.outputs.results import payouts_frame

    return payouts_frame(camp.con, run).with_columns(
        (pl.col("gross") > pl.col("capped")).alias("capped_bound")
    )


def explanations(camp: Campaign, run: Run, lang: str) -> list[Any]:
    """Every payee's derivation (see scoring.analysis.explain)."""
    from scoring.analysis.explain import explain_payouts

    return explain_payouts(camp, run, lang)


def completeness(con: duckdb.DuckDBPyConnection, cid: str, period: str | None = None) -> pl.DataFrame:
    """Per period and town: cells expected, entered, missing (applicable indicators only).

    Counted, not joined cell by cell: every stored value is a distinct applicable cell."""
    return query(
        con,
        f"""
        WITH n AS (SELECT category, count(*) AS k FROM applies WHERE campaign_id = $cid GROUP BY ALL),
        expected AS (
          SELECT p.period, p.period_no, coalesce(u.town, '') AS town, sum(n.k) AS expected
          FROM units u JOIN n USING (category) JOIN periods p ON p.campaign_id = u.campaign_id
          WHERE u.campaign_id = $cid AND ($period IS NULL OR p.period = $period) GROUP BY ALL),
        per_unit AS (SELECT unit_no, period_no, count(*) AS n FROM {cells_sql(period=period)} c
                     GROUP BY ALL),
        entered AS (
          SELECT c.period_no, coalesce(u.town, '') AS town, sum(c.n) AS entered
          FROM per_unit c JOIN units u ON u.campaign_id = $cid AND u.unit_no = c.unit_no GROUP BY ALL)
        SELECT e.period, e.town, e.expected::BIGINT AS expected, coalesce(d.entered, 0)::BIGINT AS entered,
               (e.expected - coalesce(d.entered, 0))::BIGINT AS missing
        FROM expected e LEFT JOIN entered d USING (period_no, town)
        ORDER BY e.period_no, e.town""",
        **cell_params(cid, period=period),
        period=period,
    )


def missing_count(con: duckdb.DuckDBPyConnection, cid: str) -> int:
    """How many applicable cells have no value: every stored value is a distinct applicable
    cell (the checks see to it), so this is a count, not a join of every cell."""
    row = (
        con.cursor()
        .execute(
            f"""
            SELECT (SELECT count(*) FROM units u JOIN applies a ON a.campaign_id = u.campaign_id
                      AND a.category = u.category JOIN periods p ON p.campaign_id = u.campaign_id
                    WHERE u.campaign_id = $cid)
                 - (SELECT count(*) FROM {cells_sql()})""",
            {"cid": cid},
        )
        .fetchall()
    )
    return int(row[0][0])


def missing_cells(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    period: str | None = None,
    town: str | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """period, town, unit_id, unit_name, indicator_id of applicable cells with no value."""
    return query(
        con,
        f"""
        SELECT period, town, unit_id, unit_name, indicator_id
        FROM {missing_cells_sql(period=period, town=town, first=limit)}
        ORDER BY period_no, unit_id, indicator_no LIMIT $limit""",
        **cell_params(cid, period=period, town=town),
        limit=limit,
    )


def towns(con: duckdb.DuckDBPyConnection, cid: str, category: str | None = None) -> list[str]:
    rows = (
        con.cursor()
        .execute(
            "SELECT DISTINCT town FROM units WHERE campaign_id = $cid AND town IS NOT NULL "
            "AND ($cat IS NULL OR category = $cat) ORDER BY town",
            {"cid": cid, "cat": category},
        )
        .fetchall()
    )
    return [r[0] for r in rows]


def unit_count(con: duckdb.DuckDBPyConnection, cid: str, category: str | None, town: str | None) -> int:
    return int(
        con.cursor()
        .execute(
            "SELECT count(*) FROM units WHERE campaign_id = $cid AND ($cat IS NULL OR category = $cat) "
            "AND ($town IS NULL OR town = $town)",
            {"cid": cid, "cat": category, "town": town},
        )
        .fetchall()[0][0]
    )


def entered_by(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    """Values entered per period and evaluator."""
    return query(
        con,
        f"""
        SELECT p.period, coalesce(e.entered_by, '') AS entered_by, sum(c.n)::BIGINT AS values
        FROM (SELECT period_no, entry_no, count(*) AS n FROM {cells_sql()} c GROUP BY ALL) c
        JOIN periods p ON p.campaign_id = $cid AND p.period_no = c.period_no
        LEFT JOIN value_entries e ON e.entry_no = c.entry_no
        GROUP BY ALL ORDER BY p.period, entered_by""",
        cid=cid,
    )


def robustness(camp: Campaign, run: Run, settings: Any) -> pl.DataFrame:
    """Rank intervals and stability under perturbed weights (see scoring.analysis.robustness)."""
    from scoring.analysis.robustness import robustness as analyse

    return analyse(camp, run, settings)


def survey_results(camp: Campaign, unit_id: str | None = None) -> pl.DataFrame:
    """Residents' surveys per unit and period (see scoring.analysis.surveys)."""
    from scoring.analysis.surveys import survey_results as results

    return results(camp, unit_id)


def answer_distribution(
    con: duckdb.DuckDBPyConnection, cid: str, unit_id: str, period: str | None = None
) -> pl.DataFrame:
    """How many residents gave each answer, by item (see scoring.analysis.surveys)."""
    from scoring.analysis.surveys import answer_distribution as distribution

    return distribution(con, cid, unit_id, period)


def survey_bootstrap(camp: Campaign, run: Run, draws: int, seed: int) -> pl.DataFrame:
    """Ranks when the surveys' respondents are drawn again (see scoring.analysis.surveys)."""
    from scoring.analysis.surveys import bootstrap

    return bootstrap(camp, run, draws, seed)
