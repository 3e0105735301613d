"""The year's own 公示, and the register of objections.

Once every period is final, an admin publishes the year: the annual scores, ranks, stars and
awards of the run that scored the final values are pinned and open for objections for
``campaign.objection_days`` (to the same local time); after that window, with no objection
pending, the year is made final. Until then every payout export says draft.

An objection names the unit, who raised it, what it says and when it was received, and the
period it is against (none: the year). It is handled once: upheld (the correction made, with
its reason: a value corrected through a lock exception, audited, or a correction described) or
rejected (with why). Pending objections hold back making their period, or the year, final; the
notice counts them with their outcomes. Every step is an audit row.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import MAX_TEXT, bounded, refused
from scoring.core.frames import to_polars
from scoring.core.i18n import t
from scoring.core.localtime import add_local_days, show
from scoring.engine.recheck import refuse_unverified
from scoring.engine.run import year_complete
from scoring.store.campaign import Campaign
from scoring.store.db import now, transaction
from scoring.store.trail import record_step
from scoring.workflow.periods import current_run, pending_objections
from scoring.workflow.states import statuses, write_period, year_status

OUTCOMES = ("pending", "upheld", "rejected")


def year_final(con: duckdb.DuckDBPyConnection, cid: str) -> bool:
    return bool(year_status(con, cid)["status"] == "final")


def move_year(camp: Campaign, action: str, user: User, at: datetime | None = None) -> str:
    """``publish`` the year (every period final) or make it ``finalize``d (window over, no
    objection pending); returns the year's new status."""
    con, cid = camp.con, camp.id
    if action not in ("publish", "finalize"):
        raise refused("objection", "bad_action", action=action, expected="publish, finalize")
    require(user, f"{action}_year")
    rules = camp.rules
    tz = rules.campaign.timezone
    at = at or now()
    year = year_status(con, cid)
    expected = {"publish": "open", "finalize": "published"}[action]
    if year["status"] != expected:
        raise refused("objection", "bad_year_transition", status=year["status"], action=action)
    open_periods = statuses(con, cid).filter(pl.col("status") != "final")["period"].to_list()
    if open_periods:
        raise refused("objection", "year_periods_open", periods="、".join(open_periods))
    run_id = current_run(con, cid)
    if action == "publish":  # the year's 公示 shows what the rules make of the data
        refuse_unverified(con, cid, run_id)
    summary = con.execute("SELECT summary_json FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
    if not year_complete(json.loads(summary)):
        raise refused("objection", "year_not_scored", id=cid)
    ends = year["objection_ends"]
    target = "published"
    if action == "publish":
        ends = add_local_days(at, rules.campaign.objection_days, tz)
    else:
        if ends is not None and at < ends:
            raise refused("objection", "year_objection_open", until=show(ends, tz))
        pending = pending_objections(con, cid, None)
        if pending:
            raise refused("objection", "objections_pending", period="—", n=pending)
        target = "final"
    with transaction(con):
        write_period(con, cid, None, year["status"], target, user.username, at, None, ends, run_id)
    return target


def record_objection(
    camp: Campaign,
    unit_id: str,
    raised_by: str,
    text: str,
    user: User,
    period: str | None = None,
    received_at: datetime | None = None,
) -> int:
    """Register an objection received (its number); the period must be published or final,
    or (period None) the year published."""
    con, cid = camp.con, camp.id
    require(user, "record_objection")
    bounded("objection", "text", text, MAX_TEXT)
    bounded("objection", "raised_by", raised_by)
    rules = camp.rules
    if not con.execute(
        "SELECT 1 FROM units WHERE campaign_id = ? AND unit_id = ?", [cid, unit_id]
    ).fetchall():
        raise refused("objection", "unknown_unit", "unit_id", unit=unit_id)
    if not raised_by.strip() or not text.strip():
        raise refused("objection", "objection_empty", "text")
    at = now()
    received = received_at or at
    tz = rules.campaign.timezone
    if period is None:
        year = year_status(con, cid)
        if year["status"] == "open":
            raise refused("objection", "year_not_published", id=cid)
        _inside_window(year["status"], year["objection_ends"], received, t("year.label", "zh"), tz)
    else:
        if period not in rules.periods:
            raise refused(
                "objection", "unknown_period", "period", period=period, expected="、".join(rules.periods)
            )
        row = statuses(con, cid).filter(pl.col("period") == period).row(0, named=True)
        if row["status"] not in ("published", "final"):
            raise refused("objection", "period_not_published", "period", period=period)
        _inside_window(row["status"], row["objection_ends"], received, period, tz)
    with transaction(con):
        no = int(con.execute("SELECT nextval('objection_seq')").fetchall()[0][0])
        con.execute(
            "INSERT INTO objections (objection_no, campaign_id, period, unit_id, raised_by, text, "
            "received_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [no, cid, period, unit_id, raised_by.strip(), text.strip(), received, user.username, at],
        )
        record_step(
            con, cid, "objection", user.username, at, unit=unit_id, period=period,
            reason=text.strip(), detail=f"#{no} {raised_by.strip()}",
        )  # fmt: skip
    return no


def _inside_window(status: str, ends: datetime | None, received: datetime, scope: str, tz: str) -> None:
    """An objection is accepted only while its 公示 is open: published, received by its end."""
    if status != "published" or (ends is not None and received > ends):
        raise refused(
            "objection", "objection_window_closed", "received_at", scope=scope, until=show(ends, tz)
        )


def handle_objection(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    no: int,
    outcome: str,
    response: str,
    user: User,
    correction: str | None = None,
    at: datetime | None = None,
) -> None:
    """Record an objection's outcome once: ``upheld`` (``correction``: what was corrected) or
    ``rejected`` (``response``: why). The value itself is corrected through the entry path
    (``scoring.app.corrections``), which calls this in the same step."""
    require(user, "handle_objection")
    bounded("objection", "response", response, MAX_TEXT)
    bounded("objection", "correction", correction, MAX_TEXT)
    if outcome not in ("upheld", "rejected"):
        raise refused("objection", "bad_outcome", "outcome", outcome=outcome)
    if not (response or "").strip():
        raise refused("objection", "objection_response", "response", no=no)
    rows = con.execute(
        "SELECT outcome, unit_id, period FROM objections WHERE campaign_id = ? AND objection_no = ?",
        [cid, no],
    ).fetchall()
    if not rows:
        raise refused("objection", "unknown_objection", "objection_no", no=no)
    if rows[0][0] != "pending":
        raise refused("objection", "objection_handled", "objection_no", no=no, outcome=rows[0][0])
    at = at or now()
    with transaction(con):
        con.execute(
            "UPDATE objections SET outcome = ?, response = ?, correction = ?, handled_by = ?, handled_at = ? "
            "WHERE campaign_id = ? AND objection_no = ?",
            [outcome, response.strip(), correction, user.username, at, cid, no],
        )
        record_step(
            con, cid, f"objection_{outcome}", user.username, at, unit=rows[0][1], period=rows[0][2],
            reason=response.strip(), detail=f"#{no} {correction or ''}".strip(),
        )  # fmt: skip


def objections(con: duckdb.DuckDBPyConnection, cid: str) -> pl.DataFrame:
    """The register, newest first: number, period, unit, who raised it, text, received, outcome,
    response, correction, handled by and when."""
    return to_polars(
        con.cursor().sql(
            """
        SELECT o.objection_no, o.period, o.unit_id, u.name AS unit_name, o.raised_by, o.text,
               o.received_at, o.outcome, o.response, o.correction, o.handled_by, o.handled_at
        FROM objections o LEFT JOIN units u ON u.campaign_id = o.campaign_id AND u.unit_id = o.unit_id
        WHERE o.campaign_id = $cid ORDER BY o.objection_no DESC""",
            params={"cid": cid},
        )
    )


def objection_counts(con: duckdb.DuckDBPyConnection, cid: str, period: str | None = "*") -> dict[str, int]:
    """How many objections, by outcome (``period`` "*": all of them; None: the year's)."""
    frame = objections(con, cid)
    if period != "*":
        frame = frame.filter(pl.col("period").is_null() if period is None else pl.col("period") == period)
    counts = {o: 0 for o in OUTCOMES}
    for outcome, n in frame.group_by("outcome").len().iter_rows():
        counts[outcome] = n
    return counts | {"total": frame.height}
