"""An objection upheld with a corrected value, in one step an office can trust.

Two people make a correction: whoever upholds it is not who recorded the objection. The
objection's unit is opened for the one indicator (a lock exception, with the objection's
number in its reason), the value is changed through the entry path (checked, audited with the
reason, re-scored), the exception is closed (a published or final period then pins the run that
scored the corrected value) and the objection is recorded as upheld with the correction made.
A failure on the way leaves nothing open: the exception is closed again and the objection stays
pending.
"""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.accounts.access import User
from scoring.app.entry import save_values
from scoring.core.errors import CampaignError, Problem
from scoring.core.money import plain
from scoring.store.campaign import load_rules_from_db, open_campaign
from scoring.workflow.locks import close_exception, grant_exception
from scoring.workflow.year import handle_objection


def uphold_with_correction(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    no: int,
    indicator_id: str,
    value: str,
    response: str,
    user: User,
    period: str | None = None,
) -> str:
    """Uphold objection ``no`` by setting its unit's ``indicator_id`` to ``value`` (in the
    objection's period, or ``period`` for an objection to the year); returns the correction
    as recorded, the indicator by its name ("荣誉加分 2023Q1：1 → 2")."""
    rows = con.execute(
        "SELECT unit_id, period, outcome, recorded_by FROM objections "
        "WHERE campaign_id = ? AND objection_no = ?",
        [cid, no],
    ).fetchall()
    if not rows:
        raise CampaignError([Problem("objection", None, "objection_no", "unknown_objection", {"no": no})])
    unit_id, objected, outcome, recorded_by = rows[0]
    if recorded_by == user.username:  # a correction is two people's: who recorded it, who upholds it
        raise CampaignError(
            [Problem("objection", None, None, "correction_four_eyes", {"no": no, "user": user.username})]
        )
    if outcome != "pending":
        raise CampaignError(
            [Problem("objection", None, "objection_no", "objection_handled", {"no": no, "outcome": outcome})]
        )
    if not (response or "").strip():
        raise CampaignError([Problem("objection", None, "response", "objection_response", {"no": no})])
    target = objected or period
    if target is None:
        raise CampaignError([Problem("objection", None, "period", "period_needed", {})])
    old = con.execute(
        "SELECT value FROM indicator_values WHERE campaign_id = ? AND unit_id = ? AND period = ? "
        "AND indicator_id = ?",
        [cid, unit_id, target, indicator_id],
    ).fetchall()
    reason = f"#{no} {response.strip()}"
    exception = grant_exception(
        con,
        cid,
        target,
        user,
        reason,
        unit_id=unit_id,
        indicator_id=indicator_id,
        for_objection=objected is None,
    )
    change = pl.DataFrame(
        {
            "unit_id": [unit_id],
            "period": [target],
            "indicator_id": [indicator_id],
            "value": [value],
            "_row": [1],
        }
    )
    try:
        save_values(
            open_campaign(con, cid), change, user, file="objection", reason=reason, confirm_note=reason
        )
    except BaseException:
        close_exception(con, cid, exception, user, repin=False)
        raise
    close_exception(con, cid, exception, user)
    name = load_rules_from_db(con, cid).indicator(indicator_id).name  # in words, not the id
    correction = f"{name} {target}：{plain(old[0][0]) if old else '—'} → {value}"
    handle_objection(con, cid, no, "upheld", response, user, correction=correction)
    return correction
