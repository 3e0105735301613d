"""An objection upheld with a corrected value, in one step an office can trust.

Two people make a correction: whoever upholds it is not who recorded the objection. The
objection's unit is opened for the one indicator (a lock exception, with the objection's
number in its reason), the value is changed through the entry path (checked, audited with the
reason, re-scored), the exception is closed (a published or final period then pins the run that
scored the corrected value) and the objection is recorded as upheld with the correction made.
A failure on the way leaves nothing open: the exception is closed again and the objection stays
pending. Closing the exception and upholding the objection are one commit; a correction killed
between its steps (the process ended, the machine stopped) is finished or undone by
``finish_corrections``, which the next objection step and the objections page run first.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from scoring.accounts.access import User
from scoring.app.entry import save_values
from scoring.core.errors import CampaignError, Problem
from scoring.core.money import plain
from scoring.engine.recheck import scored_current
from scoring.engine.run import score
from scoring.store.campaign import Campaign
from scoring.store.db import transaction
from scoring.workflow.locks import close_exception, grant_exception
from scoring.workflow.year import handle_objection


def uphold_with_correction(
    camp: Campaign,
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
    con, cid = camp.con, camp.id
    finish_corrections(camp)  # one killed on its way is finished (or undone) first
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
        camp,
        target,
        user,
        reason,
        unit_id=unit_id,
        indicator_id=indicator_id,
        for_objection=objected is None,
        objection_no=no,
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
        save_values(camp, change, user, file="objection", reason=reason, confirm_note=reason)
    except BaseException:
        close_exception(con, cid, exception, user, repin=False)
        raise
    correction = _said(camp, indicator_id, target, old[0][0] if old else None, value)
    with transaction(con):  # locked again, re-pinned and upheld: one commit
        close_exception(con, cid, exception, user)
        handle_objection(con, cid, no, "upheld", response, user, correction=correction)
    return correction


def _said(
    camp: Campaign,
    indicator_id: str,
    period: str,
    old: Decimal | None,
    new: Decimal | str | None,
) -> str:
    """A correction as recorded, the indicator by its name ("荣誉加分 2023Q1：1 → 2")."""
    name = camp.rules.indicator(indicator_id).name
    after = "—" if new is None else new if isinstance(new, str) else plain(new)
    return f"{name} {period}：{'—' if old is None else plain(old)} → {after}"


def finish_corrections(camp: Campaign) -> int:
    """Finish or undo every correction killed on its way (an objection's exception still open):
    where the corrected value was saved, the period is scored if it is not yet, the exception
    closed (re-pinning the run that scored it) and the objection upheld, in the name of whoever
    began it; where it was not, the exception is closed and the objection stays pending. Returns
    how many were found. Cheap when there are none (one query)."""
    con, cid = camp.con, camp.id
    open_ = con.execute(
        """SELECT e.exception_no, e.period, e.unit_id, e.indicator_id, e.reason, e.granted_by,
                  e.granted_at, e.objection_no
           FROM lock_exceptions e JOIN objections o
             ON o.campaign_id = e.campaign_id AND o.objection_no = e.objection_no
           WHERE e.campaign_id = ? AND e.closed_at IS NULL AND o.outcome = 'pending'
           ORDER BY e.exception_no""",
        [cid],
    ).fetchall()
    for exception, period, unit_id, indicator_id, reason, granted_by, granted_at, no in open_:
        user = User(granted_by, "admin")  # the step is theirs: it finishes as they began it
        saved = con.execute(
            """SELECT old_value, new_value FROM audit_log WHERE campaign_id = ? AND unit_id = ?
               AND period = ? AND indicator_id = ? AND reason = ? AND logged_at >= ?
               AND action IN ('enter', 'change', 'delete')
               ORDER BY seq DESC LIMIT 1""",
            [cid, unit_id, period, indicator_id, reason, granted_at],
        ).fetchall()
        if not saved:
            close_exception(con, cid, exception, user, repin=False)
            continue
        if scored_current(con, cid) is None:  # saved, not yet scored
            score(con, cid)
        response = reason.split(" ", 1)[1] if " " in reason else reason
        correction = _said(camp, indicator_id, period, saved[0][0], saved[0][1])
        with transaction(con):
            close_exception(con, cid, exception, user)
            handle_objection(con, cid, no, "upheld", response, user, correction=correction)
    return len(open_)
