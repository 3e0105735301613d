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
from typing import Any, cast

import duckdb

from scoring import __version__
from scoring.core.errors import CampaignError, Problem
from scoring.core.money import dumps, fen_to_yuan, ratio_decimal
from scoring.engine.awards import Totals, awards
from scoring.engine.points import (
    PeriodState,
    install_macros,
    keep_periods,
    missing_cells,
    period_scores,
    period_states,
)
from scoring.engine.ranking import annual_ranks, period_ranks, stars
from scoring.engine.summary import RunSummary
from scoring.rules.model import Rules
from scoring.store.campaign import load_rules_from_db, stored_rules_hash
from scoring.store.db import now, transaction
from scoring.store.fingerprint import data_hash
from scoring.store.schema import RESULT_TABLES


@dataclass(frozen=True)
class Run:
    run_id: str
    campaign_id: str
    summary: RunSummary

    @classmethod
    def by_id(cls, run_id: str, campaign_id: str) -> Run:
        """A stored run known by its id alone: its rows are read by the id, its summary not."""
        return cls(run_id, campaign_id, cast("RunSummary", {}))


MAX_MISSING_LISTED = 2000


# the stages of a run, in order, for progress reports: (catalogue key of its label)
STAGES = ("stage.points", "stage.ranks", "stage.awards", "stage.save")

OnStage = Callable[[int, int, str], None]  # (stages done, stages in all, next stage's key)


@dataclass(frozen=True)
class Missing:
    """Step 3's report: the periods' states, how many values the started periods lack, and
    the first of those (unit, period, indicator)."""

    periods: list[PeriodState]
    count: int
    first: list[tuple[str, str, str]]


def compute(
    con: duckdb.DuckDBPyConnection, cid: str, rules: Rules, on_stage: OnStage | None = None
) -> tuple[Rules, Totals, Missing]:
    """Steps 1-9 into temporary tables (s_period, s_period_ranked, s_stars, s_payouts).

    Step 3: a period with no value has not started; under ``missing: error`` a started period
    lacking a value is incomplete; the other periods are scored, ranked and flagged. The year
    (annual scores, ranks, stars, awards) is computed only when every period is scored; until
    then its tables are empty. Returns the rules, the award totals and what is missing.
    ``on_stage`` is told as each stage starts (a progress bar)."""
    tell = on_stage or (lambda done, total, key: None)
    install_macros(con)
    tell(0, len(STAGES), STAGES[0])
    period_scores(con, cid, rules.ranking.tie_break)
    states = period_states(con)
    started = [p.period_no for p in states if p.started]
    n_missing, first = missing_cells(con, cid, MAX_MISSING_LISTED, started)
    scored = [p.period_no for p in states if p.status(rules.missing) == "scored"]
    year_complete = len(scored) == len(rules.periods)
    if not year_complete:
        keep_periods(con, scored)
    tell(1, len(STAGES), STAGES[1])
    period_ranks(con, rules)
    annual_ranks(con, rules, year_complete)
    stars(con, rules)
    tell(2, len(STAGES), STAGES[2])
    totals = awards(con, rules, cid)
    return rules, totals, Missing(states, n_missing, first)


def year_complete(summary: RunSummary) -> bool:
    """Whether a run's year exists (every period scored); runs made before periods were
    scored one by one always scored the whole year."""
    return bool(summary.get("year_complete", True))


def scored_periods(summary: RunSummary, rules: Rules) -> list[str]:
    """The periods a run scored, in campaign order."""
    periods = summary.get("periods")
    if periods is None:  # a run made before periods were scored one by one: all of them
        return list(rules.periods)
    return [p["period"] for p in periods if p["status"] == "scored"]


def score(con: duckdb.DuckDBPyConnection, cid: str, on_stage: OnStage | None = None) -> Run:
    """Score a stored campaign and store the run's results (replacing an identical run)."""
    stored_rules = load_rules_from_db(con, cid)  # what is stored is what is scored: read once
    rules_hash, dhash = stored_rules.rules_hash(), data_hash(con, cid)
    run_id = run_id_of(cid, rules_hash, dhash)
    stored = con.execute(
        "SELECT summary_json FROM runs WHERE run_id = ? AND engine_version = ?", [run_id, __version__]
    ).fetchall()
    if stored:  # the same rules and data were scored by this engine: the results are these
        return Run(run_id, cid, json.loads(stored[0][0]))
    rules, totals, missing = compute(con, cid, stored_rules, on_stage)
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
    missing: Missing,
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
        "missing_rule": rules.missing,
        "missing_values": missing.count,
        "missing": [{"unit_id": u, "period": p, "indicator_id": i} for u, p, i in missing.first[:1000]],
        "year_complete": all(p.status(rules.missing) == "scored" for p in missing.periods),
        "periods": [
            {"period": p.period, "status": p.status(rules.missing), "values": p.values, "missing": p.missing}
            for p in missing.periods
        ],
        "rules_hash": rules_hash,
        "data_hash": dhash,
        "engine_version": __version__,
        "computed_at": computed_at,
    }


def run_id_of(cid: str, rules_hash: str, data_hash: str) -> str:
    """A run's id: the campaign and the first 12 hex digits of its rules and data hashes."""
    return f"{cid}@{rules_hash[:12]}-{data_hash[:12]}"


def _hashes(con: duckdb.DuckDBPyConnection, cid: str) -> tuple[str, str]:
    return stored_rules_hash(con, cid), data_hash(con, cid)


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
