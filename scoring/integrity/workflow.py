"""The period workflow: open → submitted → approved (locked) → published (公示) → final.

Approving locks a period's values; publishing pins the scoring run whose results are
published and opens the objection window (``campaign.objection_days``, default 5); after
the window a period can be made final. Reopening takes an admin and a reason. Every move
is appended to ``workflow_log``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import duckdb
import polars as pl

from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import to_polars
from scoring.integrity.access import User, require
from scoring.store.db import load_rules_from_db, now, transaction
from scoring.store.fingerprint import data_hash
from scoring.store.seal import seal

STATES = ("open", "submitted", "approved", "published", "final")
LOCKED = ("approved", "published", "final")
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("open",), "submitted"),
    "approve": (("submitted",), "approved"),
    "publish": (("approved",), "published"),
    "finalize": (("published",), "final"),
    "reopen": (("submitted", "approved", "published", "final"), "open"),
}


def statuses(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    """period, status, changed_by, changed_at, reason, objection_ends, run_id (every period)."""
    return to_polars(
        con.cursor().sql(
            """
        SELECT p.period, coalesce(s.status, 'open') AS status, s.changed_by, s.changed_at,
               s.reason, s.objection_ends, s.run_id
        FROM periods p LEFT JOIN period_status s
          ON s.campaign_id = p.campaign_id AND s.period = p.period
        WHERE p.campaign_id = $cid ORDER BY p.period_no""",
            params={"cid": cid},
        )
    )


def _fmt(ts: datetime | None) -> str:
    return "" if ts is None else ts.strftime("%Y-%m-%d %H:%M")


def lock_problem(row: dict, file: str = "workflow") -> Problem:
    """Why a period's values cannot be changed, naming who locked it and when."""
    status = row["status"]
    params = {
        "period": row["period"],
        "who": row["changed_by"] or "",
        "at": _fmt(row["changed_at"]),
        "until": _fmt(row["objection_ends"]),
    }
    return Problem(file, None, None, f"period_{status}", params)


def check_entry(
    con: duckdb.DuckDBPyConnection, cid: str, periods: set[str], reason: str | None, file: str = "workflow"
) -> None:
    """Refuse changes in locked periods; a change in a submitted period needs a reason."""
    problems = []
    for row in statuses(con, cid).iter_rows(named=True):
        if row["period"] not in periods:
            continue
        if row["status"] in LOCKED:
            problems.append(lock_problem(row, file))
        elif row["status"] == "submitted" and not (reason or "").strip():
            problems.append(Problem(file, None, None, "reason_required", {"period": row["period"]}))
    if problems:
        raise CampaignError(problems)


def any_locked(con: duckdb.DuckDBPyConnection, cid: str) -> list[str]:
    frame = statuses(con, cid)
    return frame.filter(pl.col("status").is_in(LOCKED))["period"].to_list()


def all_final(con: duckdb.DuckDBPyConnection, cid: str) -> bool:
    frame = statuses(con, cid)
    return frame.height > 0 and bool((frame["status"] == "final").all())


def move(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    period: str,
    action: str,
    user: User,
    reason: str | None = None,
    at: datetime | None = None,
) -> str:
    """Take one workflow step for a period; returns the new status."""
    if action not in MOVES:
        raise CampaignError(
            [Problem("workflow", None, None, "bad_action", {"action": action, "expected": ", ".join(MOVES)})]
        )
    require(user, action)
    rules = load_rules_from_db(con, cid)
    if period not in rules.periods:
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    "period",
                    "unknown_period",
                    {"period": period, "expected": ", ".join(rules.periods)},
                )
            ]
        )
    at = at or now()
    row = statuses(con, cid).filter(pl.col("period") == period).row(0, named=True)
    sources, target = MOVES[action]
    if row["status"] not in sources:
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    None,
                    "bad_transition",
                    {"period": period, "status": row["status"], "action": action},
                )
            ]
        )
    if action == "reopen" and not (reason or "").strip():
        raise CampaignError([Problem("workflow", None, None, "reopen_reason", {"period": period})])
    run_id, ends = row["run_id"], row["objection_ends"]
    if action in ("submit", "approve"):  # once the data are scored, only a scored period moves on
        try:
            current: str | None = _current_run(con, cid)
        except CampaignError:
            current = None
        if current is not None:
            _require_scored(con, current, period)
    if action == "publish":
        run_id = _scored_run(con, cid, period)
        ends = at + timedelta(days=rules.campaign.objection_days)
    if action == "finalize" and ends is not None and at < ends:
        raise CampaignError(
            [Problem("workflow", None, None, "objection_open", {"period": period, "until": _fmt(ends)})]
        )
    if action == "finalize":
        run_id = _scored_run(con, cid, period)
    if action == "reopen":
        run_id, ends = None, None
    with transaction(con):
        con.execute("DELETE FROM period_status WHERE campaign_id = ? AND period = ?", [cid, period])
        con.execute(
            "INSERT INTO period_status VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [cid, period, target, user.username, at, reason, ends, run_id],
        )
        con.execute(
            "INSERT INTO workflow_log VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
            [cid, period, row["status"], target, user.username, at, reason, run_id],
        )
        seal(con)
    return target


def _current_run(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The run that scored exactly the current rules and data; publishing pins it."""
    rules_hash = load_rules_from_db(con, cid).rules_hash()
    rows = con.execute(
        "SELECT run_id FROM runs WHERE campaign_id = ? AND rules_hash = ? "
        "AND data_hash = ? ORDER BY computed_at DESC LIMIT 1",
        [cid, rules_hash, data_hash(con, cid)],
    ).fetchall()
    if not rows:
        raise CampaignError([Problem("workflow", None, None, "not_scored_current", {"id": cid})])
    return str(rows[0][0])


def _scored_run(con: duckdb.DuckDBPyConnection, cid: str, period: str) -> str:
    """The current run, which must have scored the period (spec step 3: a period not started,
    or lacking a value under ``missing: error``, is not scored and cannot be published)."""
    run_id = _current_run(con, cid)
    _require_scored(con, run_id, period)
    return run_id


def _require_scored(con: duckdb.DuckDBPyConnection, run_id: str, period: str) -> None:
    summary = json.loads(
        con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
    )
    state = next((p for p in summary.get("periods", []) if p["period"] == period), None)
    if state is not None and state["status"] != "scored":
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    None,
                    f"period_{state['status']}",
                    {"period": period, "n": state["missing"]},
                )
            ]
        )


def log(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    return to_polars(
        con.cursor().sql(
            "SELECT logged_at, period, from_status, to_status, who, reason, run_id "
            "FROM workflow_log WHERE campaign_id = $cid ORDER BY seq DESC",
            params={"cid": cid},
        )
    )
