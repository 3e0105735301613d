"""Do the stored published results still match a recomputation from the stored rules and data,
and does the audit trail's hash chain hold?

Each comparison is of multisets on every stored column (``EXCEPT ALL`` both ways): a row
duplicated, dropped or changed in any column is a difference. Every published or final period
is checked against the run it pinned; once every period is, the year too, against the run the
year's 公示 is pinned to (before it, the run pinned last): annual results, payouts (payee names and the
exact fractions included) and the run's summary, whose totals must equal the recomputed ones and
the sum of the stored payouts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction

import duckdb

from scoring.engine.awards import Totals
from scoring.engine.run import compute
from scoring.integrity.workflow import statuses
from scoring.store.seal import ChainCheck, check_chain


@dataclass(frozen=True)
class Check:
    scope: str  # a period, or "annual" / "payouts" / "summary" once the year is published
    run_id: str
    differences: int

    @property
    def ok(self) -> bool:
        return self.differences == 0


def _both_ways(con: duckdb.DuckDBPyConnection, fresh: str, stored: str, params: dict) -> int:
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


def verify(con: duckdb.DuckDBPyConnection, cid: str) -> list[Check]:
    """Recompute (nothing is written) and compare with every pinned published run."""
    status = statuses(con, cid)
    pinned = [
        r for r in status.iter_rows(named=True) if r["status"] in ("published", "final") and r["run_id"]
    ]
    if not pinned:
        return []
    _, totals, _ = compute(con, cid)
    checks = []
    for r in pinned:
        params = {"p": r["period"], "run": r["run_id"]}
        checks.append(Check(r["period"], r["run_id"], _both_ways(con, PERIOD_FRESH, PERIOD_STORED, params)))
    year = con.execute(
        "SELECT run_id FROM year_status WHERE campaign_id = ? AND status IN ('published', 'final')", [cid]
    ).fetchall()
    every = status.height > 0 and len(pinned) == status.height
    if (year and year[0][0]) or every:
        # the run the year's 公示 is pinned to; before it, the run pinned last (a correction
        # re-pins its period to the run that scored it, which holds the other periods' values too)
        run = year[0][0] if year and year[0][0] else max(pinned, key=lambda r: r["changed_at"])["run_id"]
        params = {"run": run}
        checks.append(Check("annual", run, _both_ways(con, ANNUAL_FRESH, ANNUAL_STORED, params)))
        checks.append(Check("payouts", run, _both_ways(con, PAYOUTS_FRESH, PAYOUTS_STORED, params)))
        checks.append(Check("summary", run, _summary_differences(con, run, totals)))
    return checks


def _summary_differences(con: duckdb.DuckDBPyConnection, run: str, totals: Totals) -> int:
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


def verify_chain(con: duckdb.DuckDBPyConnection) -> ChainCheck:
    """The audit trail's hash chain (see scoring.store.seal)."""
    return check_chain(con)
