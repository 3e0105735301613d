"""The period workflow: open → submitted → approved (locked) → published (公示) → final.

A period is submitted once each of its towns is (``scoring.workflow.towns``: submitted town
by town, approved or returned town by town). Approving the period is the district's step: it
approves every town still waiting (four eyes, each) and locks the period's values. Publishing
pins the scoring run whose results are published and opens the objection window
(``campaign.objection_days`` calendar days, to the same local time in ``campaign.timezone``);
after the window, with no objection left pending, a period can be made final. Reopening takes
an admin and a reason, and opens every town again; a final period is never reopened. Every
move is appended to ``workflow_log``.

Who may do what (``scoring.accounts.access``): evaluators submit their towns; leaders and
admins approve and return towns and approve periods; admins publish, finalise, reopen, and
override a town with a reason.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import CampaignError, Problem, bounded, refused
from scoring.core.frames import to_polars
from scoring.core.localtime import add_local_days, show
from scoring.engine.recheck import refuse_unverified
from scoring.store.campaign import Campaign, stored_rules_hash
from scoring.store.db import now, transaction
from scoring.store.fingerprint import data_hash
from scoring.workflow.states import LOCKED, STATES, period_towns, statuses, write_period, write_town
from scoring.workflow.towns import four_eyes, may_submit, sync_period

__all__ = ["LOCKED", "MOVES", "STATES", "move", "statuses"]

MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("open",), "submitted"),
    "approve": (("submitted",), "approved"),
    "publish": (("approved",), "published"),
    "finalize": (("published",), "final"),
    # a final period is never reopened: its payouts are settled (final is final)
    "reopen": (("submitted", "approved", "published"), "open"),
}


def any_locked(con: duckdb.DuckDBPyConnection, cid: str) -> list[str]:
    frame = statuses(con, cid)
    return frame.filter(pl.col("status").is_in(LOCKED))["period"].to_list()


def all_final(con: duckdb.DuckDBPyConnection, cid: str) -> bool:
    frame = statuses(con, cid)
    return frame.height > 0 and bool((frame["status"] == "final").all())


def pending_objections(con: duckdb.DuckDBPyConnection, cid: str, period: str | None) -> int:
    """Objections received and not yet handled, for a period (None: the year)."""
    return int(
        con.execute(
            "SELECT count(*) FROM objections WHERE campaign_id = ? AND period IS NOT DISTINCT FROM ? "
            "AND outcome = 'pending'",
            [cid, period],
        ).fetchall()[0][0]
    )


def move(
    camp: Campaign,
    period: str,
    action: str,
    user: User,
    reason: str | None = None,
    at: datetime | None = None,
) -> str:
    """Take one workflow step for a period; returns the period's new status."""
    con, cid = camp.con, camp.id
    if action not in MOVES:
        raise refused("workflow", "bad_action", action=action, expected=", ".join(MOVES))
    require(user, action)
    bounded("workflow", "reason", reason)
    rules = camp.rules
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
    tz = rules.campaign.timezone
    row = statuses(con, cid).filter(pl.col("period") == period).row(0, named=True)
    sources, target = MOVES[action]
    if row["status"] not in sources:
        raise refused("workflow", "bad_transition", period=period, status=row["status"], action=action)
    if action == "reopen" and not (reason or "").strip():
        raise refused("workflow", "reopen_reason", period=period)
    run_id, ends = row["run_id"], row["objection_ends"]
    if action in ("submit", "approve"):  # once the data are scored, only a scored period moves on
        try:
            current: str | None = current_run(con, cid)
        except CampaignError:
            current = None
        if current is not None:
            _require_scored(con, current, period)
    towns = period_towns(con, cid, period)
    if action == "submit":
        return _submit(con, cid, period, towns, user, at)
    if action == "approve":
        four_eyes(con, cid, period, list(towns), user)
    if action == "publish":
        run_id = scored_run(con, cid, period)
        refuse_unverified(con, cid, run_id)  # what is published is what the rules make
        ends = add_local_days(at, rules.campaign.objection_days, tz)
    if action == "finalize":
        if ends is not None and at < ends:
            raise refused("workflow", "objection_open", period=period, until=show(ends, tz))
        if pending_objections(con, cid, period):
            raise refused(
                "workflow", "objections_pending", period=period, n=pending_objections(con, cid, period)
            )
        opened = con.execute(
            "SELECT count(*) FROM lock_exceptions WHERE campaign_id = ? AND period = ? AND closed_at IS NULL",
            [cid, period],
        ).fetchall()[0][0]
        if opened:  # final means no open door into the period
            raise refused("workflow", "exceptions_open", period=period, n=opened)
        run_id = scored_run(con, cid, period)
    if action == "reopen":
        run_id, ends = None, None
    with transaction(con):
        for town, trow in towns.items():
            if action == "approve" and trow["status"] == "submitted":
                write_town(con, cid, period, town, "submitted", "approved", user.username, at, None)
            if action == "reopen" and trow["status"] != "open":
                write_town(con, cid, period, town, trow["status"], "open", user.username, at, reason)
        write_period(con, cid, period, row["status"], target, user.username, at, reason, ends, run_id)
    return target


def _submit(
    con: duckdb.DuckDBPyConnection, cid: str, period: str, towns: dict[str, dict], user: User, at: datetime
) -> str:
    """Submit every town of the period this user may submit and has not yet; the period is
    submitted once all its towns are."""
    mine = [t for t, r in towns.items() if may_submit(user, t) and r["status"] in ("open", "returned")]
    if not mine:
        raise refused("workflow", "nothing_to_submit", period=period, user=user.username)
    with transaction(con):
        for town in mine:
            write_town(con, cid, period, town, towns[town]["status"], "submitted", user.username, at, None)
        return sync_period(con, cid, period, user.username, at)


def current_run(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The run that scored exactly the current rules and data; publishing pins it."""
    rules_hash = stored_rules_hash(con, cid)
    rows = con.execute(
        "SELECT run_id FROM runs WHERE campaign_id = ? AND rules_hash = ? "
        "AND data_hash = ? ORDER BY computed_at DESC LIMIT 1",
        [cid, rules_hash, data_hash(con, cid)],
    ).fetchall()
    if not rows:
        raise CampaignError([Problem("workflow", None, None, "not_scored_current", {"id": cid})])
    return str(rows[0][0])


def scored_run(con: duckdb.DuckDBPyConnection, cid: str, period: str) -> str:
    """The current run, which must have scored the period (spec step 3: a period not started,
    or lacking a value under ``missing: error``, is not scored and cannot be published)."""
    run_id = current_run(con, cid)
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
