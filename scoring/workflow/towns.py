"""Town by town: each town's (street's, township's) submission of a period, and its approval.

DHIS2's approval levels are the model. Within a period every town moves on its own:

    open (填报中) --submit--> submitted (已提交) --approve--> approved (已审核)
    submitted / approved --return, with a message--> returned (已退回) --submit--> submitted
    any but approved --override, by an admin with a reason--> approved

Evaluators submit the towns they are assigned (one with no towns, every town); a leader or an
admin approves or returns a town; returning is possible until the district approves the period.
Four eyes: whoever entered, changed or submitted a town's values in the period cannot approve
it (an admin's override, with its reason, is the logged exception). Units without a town form
one town, "" (shown as 未分街镇). Every move appends a row to ``town_log``, hash-chained.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import CampaignError, Problem, bounded
from scoring.core.frames import to_polars
from scoring.store.db import now, transaction
from scoring.workflow.states import LOCKED, period_status, period_towns, write_period, write_town

TOWN_MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("open", "returned"), "submitted"),
    "approve": (("submitted",), "approved"),
    "return": (("submitted", "approved"), "returned"),
    "override": (("open", "submitted", "returned"), "approved"),
}
# the action each town move needs (access.ACTIONS)
TOWN_ACTION = {"submit": "submit", "approve": "approve", "return": "return_town", "override": "override"}


def hands(con: duckdb.DuckDBPyConnection, cid: str, period: str, town_list: list[str]) -> set[str]:
    """Everyone who entered, changed or submitted values of these towns in the period: the
    values' entered_by, the audit's changes, who imported the period's values (whatever the
    file's entered_by says) and who submitted."""
    rows = con.execute(
        """
        SELECT v.entered_by FROM indicator_values v
        JOIN units u ON u.campaign_id = v.campaign_id AND u.unit_id = v.unit_id
        WHERE v.campaign_id = $cid AND v.period = $period AND list_contains($towns, coalesce(u.town, ''))
        UNION
        SELECT a.who FROM audit_log a
        JOIN units u ON u.campaign_id = a.campaign_id AND u.unit_id = a.unit_id
        WHERE a.campaign_id = $cid AND a.period = $period AND a.action IN ('enter', 'change', 'delete')
          AND list_contains($towns, coalesce(u.town, ''))
        UNION
        SELECT who FROM audit_log WHERE campaign_id = $cid AND period = $period AND action = 'import_period'
        UNION
        SELECT who FROM town_log WHERE campaign_id = $cid AND period = $period
          AND to_status = 'submitted' AND list_contains($towns, town)""",
        {"cid": cid, "period": period, "towns": town_list},
    ).fetchall()
    return {r[0] for r in rows if r[0] is not None}


def four_eyes(
    con: duckdb.DuckDBPyConnection, cid: str, period: str, town_list: list[str], user: User
) -> None:
    """Refuse an approval by someone who had a hand in the values approved."""
    if user.username in hands(con, cid, period, town_list):
        towns_text = "、".join(t or "—" for t in town_list)
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    None,
                    "four_eyes",
                    {"user": user.username, "period": period, "towns": towns_text},
                )
            ]
        )


def may_submit(user: User, town: str) -> bool:
    return user.may("submit") and (not user.towns or town in user.towns)


def move_town(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    period: str,
    town: str,
    action: str,
    user: User,
    message: str | None = None,
    at: datetime | None = None,
) -> str:
    """One town's step in one period; returns its new status. ``message``: what a return tells
    the town's evaluators, or an override's reason (both required)."""
    bounded("workflow", "message", message)
    if action not in TOWN_MOVES:
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    None,
                    "bad_action",
                    {"action": action, "expected": ", ".join(TOWN_MOVES)},
                )
            ]
        )
    require(user, TOWN_ACTION[action])
    current = period_towns(con, cid, period)
    if not current:
        raise CampaignError(
            [Problem("workflow", None, "period", "unknown_period", {"period": period, "expected": ""})]
        )
    if town not in current:
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    "town",
                    "unknown_town",
                    {"town": town, "expected": "、".join(t or "—" for t in current)},
                )
            ]
        )
    if action == "submit" and not may_submit(user, town):
        raise CampaignError(
            [Problem("workflow", None, "town", "not_your_town", {"user": user.username, "town": town or "—"})]
        )
    status = current[town]["status"]
    sources, target = TOWN_MOVES[action]
    if period_status(con, cid, period) in LOCKED or status not in sources:
        raise CampaignError(
            [
                Problem(
                    "workflow",
                    None,
                    None,
                    "bad_town_transition",
                    {"period": period, "town": town or "—", "status": status, "action": action},
                )
            ]
        )
    if action in ("return", "override") and not (message or "").strip():
        raise CampaignError([Problem("workflow", None, None, f"{action}_message", {"town": town or "—"})])
    if action == "approve":
        four_eyes(con, cid, period, [town], user)
    at = at or now()
    with transaction(con):
        write_town(con, cid, period, town, status, target, user.username, at, message)
        sync_period(con, cid, period, user.username, at)
    return target


def sync_period(con: duckdb.DuckDBPyConnection, cid: str, period: str, who: str, at: datetime) -> str:
    """A period is submitted once every town is submitted or approved, and open again when a
    town is returned or reopened (inside the caller's transaction); returns its status."""
    status = period_status(con, cid, period)
    done = all(r["status"] in ("submitted", "approved") for r in period_towns(con, cid, period).values())
    if status == "open" and done:
        write_period(con, cid, period, status, "submitted", who, at, None)
        return "submitted"
    if status == "submitted" and not done:
        write_period(con, cid, period, status, "open", who, at, None)
        return "open"
    return status


def town_log(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    return to_polars(
        con.cursor().sql(
            "SELECT logged_at, period, town, from_status, to_status, who, message "
            "FROM town_log WHERE campaign_id = $cid ORDER BY seq DESC",
            params={"cid": cid},
        )
    )
