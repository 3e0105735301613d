"""Run the spec's steps 1-9 on a stored campaign and keep the results as one scoring run.

A run is keyed by the rules hash and the data hash: scoring the same rules and data again
gives the same run id and identical results.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb

from scoring import __version__
from scoring.core.errors import CampaignError, Problem
from scoring.core.money import dumps, fen_to_yuan, ratio_decimal
from scoring.engine.awards import Totals, awards
from scoring.engine.points import install_macros, missing_cells, period_scores
from scoring.engine.ranking import annual_ranks, period_ranks, stars
from scoring.rules.model import Rules
from scoring.store.db import RESULT_TABLES, load_rules_from_db, now, transaction
from scoring.store.fingerprint import data_hash


@dataclass(frozen=True)
class Run:
    run_id: str
    campaign_id: str
    summary: dict[str, Any]


MAX_MISSING_LISTED = 2000


# the stages of a run, in order, for progress reports: (catalogue key of its label)
STAGES = ("stage.points", "stage.ranks", "stage.awards", "stage.save")

OnStage = Callable[[int, int, str], None]  # (stages done, stages in all, next stage's key)


def compute(
    con: duckdb.DuckDBPyConnection, cid: str, on_stage: OnStage | None = None
) -> tuple[Rules, Totals, tuple[int, list]]:
    """Steps 1-9 into temporary tables (s_period, s_period_ranked, s_stars, s_payouts).

    Returns the rules, the award totals, and (how many values are missing, the first ones).
    ``on_stage`` is told as each stage starts (a progress bar)."""
    tell = on_stage or (lambda done, total, key: None)
    rules = load_rules_from_db(con, cid)
    install_macros(con)
    tell(0, len(STAGES), STAGES[0])
    period_scores(con, cid, rules.ranking.tie_break)
    n_missing, missing = missing_cells(con, cid, limit=MAX_MISSING_LISTED)
    if n_missing and rules.missing == "error":
        problems = [
            Problem("values", None, None, "missing_value", {"unit": u, "period": p, "indicator": i})
            for u, p, i in missing
        ]
        if n_missing > len(missing):
            problems.append(
                Problem(
                    "values",
                    None,
                    None,
                    "more_of_same",
                    {"code": "missing_value", "n": n_missing - len(missing)},
                )
            )
        raise CampaignError(problems)
    tell(1, len(STAGES), STAGES[1])
    period_ranks(con, rules)
    annual_ranks(con, rules)
    stars(con, rules)
    tell(2, len(STAGES), STAGES[2])
    totals = awards(con, rules, cid)
    return rules, totals, (n_missing, missing)


def score(con: duckdb.DuckDBPyConnection, cid: str, on_stage: OnStage | None = None) -> Run:
    """Score a stored campaign and store the run's results (replacing an identical run)."""
    rules_hash, dhash = _hashes(con, cid)
    run_id = run_id_of(cid, rules_hash, dhash)
    stored = con.execute(
        "SELECT summary_json FROM runs WHERE run_id = ? AND engine_version = ?", [run_id, __version__]
    ).fetchall()
    if stored:  # the same rules and data were scored by this engine: the results are these
        return Run(run_id, cid, json.loads(stored[0][0]))
    rules, totals, missing = compute(con, cid, on_stage)
    if on_stage is not None:
        on_stage(3, len(STAGES), STAGES[3])
    computed_at = now()
    summary = _summary(rules, totals, missing, rules_hash, dhash, run_id, computed_at.isoformat())
    try:
        _persist(con, run_id, cid, rules_hash, dhash, computed_at, summary)
    except (duckdb.TransactionException, duckdb.ConstraintException):
        # another session stored the same run (same rules and data) at the same moment
        existing = con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchall()
        if not existing:
            raise
    return Run(run_id, cid, json.loads(dumps(summary)))


def _persist(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    cid: str,
    rules_hash: str,
    dhash: str,
    computed_at: object,
    summary: dict[str, Any],
) -> None:
    """Replace the stored results of this run id with the temporary tables' (one transaction).

    Results are stored in board order (period, category, rank), so that DuckDB's per-block
    min/max skip everything but the one board a leaderboard query reads."""
    with transaction(con):
        for table in (*RESULT_TABLES, "runs"):
            con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
        con.execute(
            """
            INSERT INTO period_results SELECT $run, period, category, unit_id,
                   CAST(score_c AS DECIMAL(38,0)) * 0.01, rank, flag, vetoed
            FROM s_period_ranked ORDER BY period_no, category, rank NULLS LAST, unit_id""",
            {"run": run_id},
        )
        con.execute(
            """
            INSERT INTO annual_results SELECT $run, category, unit_id,
                   CAST(annual_c AS DECIMAL(38,0)) * 0.01, annual_rank, stars, flags, vetoed,
                   won
            FROM s_stars JOIN s_progress USING (unit_id)
            ORDER BY category, annual_rank NULLS LAST, unit_id""",
            {"run": run_id},
        )
        con.execute(
            """
            INSERT INTO payouts SELECT $run, payee_type, payee_id, payee_name, gross_num,
                   capped_num, final_fen, denominator, NULL FROM s_payouts""",
            {"run": run_id},
        )
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [run_id, cid, rules_hash, dhash, __version__, computed_at, dumps(summary)],
        )


def _summary(
    rules: Rules,
    totals: Totals,
    missing: tuple[int, list[tuple[str, str, str]]],
    rules_hash: str,
    dhash: str,
    run_id: str,
    computed_at: str,
) -> dict[str, Any]:
    budget = rules.awards.budget
    factor: Fraction = totals.scale_factor
    total_final = fen_to_yuan(totals.total_final_fen)
    return {
        "campaign_id": rules.id,
        "campaign_name": rules.campaign.name,
        "run_id": run_id,
        "budget": None if budget is None else Decimal(budget),
        "total_before_scaling": ratio_decimal(totals.total_num, totals.denominator * 100, 2),
        "scale_factor": ratio_decimal(factor.numerator, factor.denominator, 12),
        "scale_factor_fraction": f"{factor.numerator}/{factor.denominator}",
        "scaled": totals.scaled,
        "total_final": total_final,
        "community_total_final": fen_to_yuan(totals.community_final_fen),
        "secretary_total_final": fen_to_yuan(totals.secretary_final_fen),
        "unallocated": None if budget is None else Decimal(budget) - total_final,
        "rounding": rules.awards.rounding,
        "missing_values": missing[0],
        "missing": [{"unit_id": u, "period": p, "indicator_id": i} for u, p, i in missing[1][:1000]],
        "rules_hash": rules_hash,
        "data_hash": dhash,
        "engine_version": __version__,
        "computed_at": computed_at,
    }


def run_id_of(cid: str, rules_hash: str, data_hash: str) -> str:
    """A run's id: the campaign and the first 12 hex digits of its rules and data hashes."""
    return f"{cid}@{rules_hash[:12]}-{data_hash[:12]}"


def _hashes(con: duckdb.DuckDBPyConnection, cid: str) -> tuple[str, str]:
    return load_rules_from_db(con, cid).rules_hash(), data_hash(con, cid)


def current_run_id(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The id a run of the campaign's stored rules and data has (scored or not)."""
    return run_id_of(cid, *_hashes(con, cid))


def _current_or_none(con: duckdb.DuckDBPyConnection, cid: str) -> str | None:
    try:
        return current_run_id(con, cid)
    except CampaignError:  # no such campaign: no run either
        return None


def check_current(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Cell points are computed from the stored rules and values, so they are the run's only
    while those are the run's: refuse a run whose rules or data have changed since."""
    if current_run_id(con, run.campaign_id) != run.run_id:
        raise CampaignError([Problem("database", None, None, "run_stale", {"run": run.run_id})])


def latest_run(con: duckdb.DuckDBPyConnection, cid: str) -> Run | None:
    """The run of the campaign's current rules and data when it has been scored (whenever that
    was: the same rules and data give the same run), else the most recently computed run."""
    rows = con.execute(
        "SELECT run_id, summary_json FROM runs WHERE campaign_id = ? ORDER BY run_id = ? DESC, "
        "computed_at DESC LIMIT 1",
        [cid, _current_or_none(con, cid)],
    ).fetchall()
    if not rows:
        return None
    return Run(rows[0][0], cid, json.loads(rows[0][1]))
