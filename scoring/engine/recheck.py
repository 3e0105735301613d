"""A run's stored rows against a recomputation of the campaign's stored rules and data.

Each comparison is of multisets on every stored column (``EXCEPT ALL`` both ways): a row
duplicated, dropped or changed in any column is a difference. Publishing and finance's files
refuse a run whose rows differ (``refuse_unverified``); ``scoring.audit.verify`` compares the
runs the workflow log pinned the same way.
"""

from __future__ import annotations

import json
from fractions import Fraction

import duckdb

from scoring.core.errors import refused
from scoring.engine.awards import Totals
from scoring.engine.run import compute, current_run_id
from scoring.store.campaign import load_rules_from_db


def both_ways(con: duckdb.DuckDBPyConnection, fresh: str, stored: str, params: dict) -> int:
    """How many rows the two multisets do not share (each side's surplus counted)."""
    sql = f"SELECT count(*) FROM (({fresh} EXCEPT ALL {stored}) UNION ALL ({stored} EXCEPT ALL {fresh}))"
    return int(con.execute(sql, params).fetchall()[0][0])


PERIOD_FRESH = """SELECT period, category, unit_id, CAST(score_c AS DECIMAL(38,0)) * 0.01 AS score,
    rank, flag, vetoed FROM s_period_ranked WHERE period = $p"""
PERIOD_STORED = """SELECT period, category, unit_id, score, rank, flag, vetoed FROM period_results
    WHERE run_id = $run AND period = $p"""
ANNUAL_FRESH = """SELECT category, unit_id, CAST(annual_c AS DECIMAL(38,0)) * 0.01, annual_rank, stars,
    flags, vetoed, won FROM s_stars JOIN s_progress USING (unit_id)"""
ANNUAL_STORED = """SELECT category, unit_id, annual_score, annual_rank, stars, flags, vetoed, progress
    FROM annual_results WHERE run_id = $run"""
PAYOUTS_FRESH = """SELECT payee_type, payee_id, payee_name, gross_num, capped_num, final_fen, denominator
    FROM s_payouts"""
PAYOUTS_STORED = """SELECT payee_type, payee_id, payee_name, gross_num, capped_num, final_fen, denominator
    FROM payouts WHERE run_id = $run"""


DRAFT_PERIODS_FRESH = """SELECT period, category, unit_id, CAST(score_c AS DECIMAL(38,0)) * 0.01 AS score,
    rank, flag, vetoed FROM s_period_ranked"""
DRAFT_PERIODS_STORED = """SELECT period, category, unit_id, score, rank, flag, vetoed FROM period_results
    WHERE run_id = $run"""


def scored_current(con: duckdb.DuckDBPyConnection, cid: str) -> str | None:
    """The id of the run of the campaign's stored rules and data when it has been scored."""
    run = current_run_id(con, cid)
    return run if con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run]).fetchall() else None


def draft_differences(con: duckdb.DuckDBPyConnection, run: str, totals: Totals) -> int:
    """How many rows of the current run (every scored period, the year, the payouts, the
    summary) differ from the recomputation in the temporary tables (``compute`` just ran): a
    payout row added to a draft is found before it is published."""
    params = {"run": run}
    return (
        both_ways(con, DRAFT_PERIODS_FRESH, DRAFT_PERIODS_STORED, params)
        + both_ways(con, ANNUAL_FRESH, ANNUAL_STORED, params)
        + both_ways(con, PAYOUTS_FRESH, PAYOUTS_STORED, params)
        + summary_differences(con, run, totals)
    )


def unverified_rows(con: duckdb.DuckDBPyConnection, cid: str, run: str) -> int:
    """How many stored rows of the campaign's current run ``run`` differ from a recomputation."""
    _, totals, _ = compute(con, cid, load_rules_from_db(con, cid))
    return draft_differences(con, run, totals)


def refuse_unverified(con: duckdb.DuckDBPyConnection, cid: str, run: str) -> None:
    """Refuse to publish (or pay from) a run whose stored rows differ from a recomputation."""
    wrong = unverified_rows(con, cid, run)
    if wrong:
        raise refused("workflow", "run_unverified", run=run, n=wrong)


def summary_differences(con: duckdb.DuckDBPyConnection, run: str, totals: Totals) -> int:
    """The run's stored summary against the recomputed totals and the stored payouts' sum."""
    row = con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run]).fetchall()
    if not row:
        return 1
    summary = json.loads(row[0][0])
    paid = con.execute("SELECT coalesce(sum(final_fen), 0) FROM payouts WHERE run_id = ?", [run]).fetchall()
    paid_fen = int(paid[0][0])
    factor = totals.scale_factor
    expected = {
        "total_final": Fraction(totals.total_final_fen, 100),
        "community_total_final": Fraction(totals.community_final_fen, 100),
        "secretary_total_final": Fraction(totals.secretary_final_fen, 100),
        "scale_factor_fraction": Fraction(factor.numerator, factor.denominator),
    }
    wrong = sum(
        Fraction(str(summary.get(key))) != value if summary.get(key) is not None else 1
        for key, value in expected.items()
    )
    wrong += Fraction(str(summary.get("total_final", "0"))) != Fraction(paid_fen, 100)
    if summary.get("budget") is not None and summary.get("unallocated") is not None:
        wrong += Fraction(str(summary["budget"])) - Fraction(paid_fen, 100) != Fraction(
            str(summary["unallocated"])
        )
    return int(wrong)
