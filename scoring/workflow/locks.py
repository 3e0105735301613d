"""Whether a value may change now: period and town locks, entry deadlines, and the exceptions an
admin grants to them.

A value of a period that is approved, published or final cannot change; nor one of a town whose
submission is approved; nor, for evaluators and leaders, one entered after the period's entry
deadline (``campaign.deadlines`` in campaign.yaml, or one an admin sets, which wins). Where a
town or the period is submitted, a change needs a reason. An admin can lift a lock for one
unit (or one unit's indicator) with a reason (a lock exception: everything else stays locked),
or let a town or a unit enter after the deadline; closing the exception locks it again, and for a
published or final period pins the run that scored the corrected values. Every grant, close and
deadline is an audit row.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.core.errors import CampaignError, Problem, bounded, refused
from scoring.core.frames import to_polars
from scoring.core.localtime import parse_deadline, show, show_deadline
from scoring.store.campaign import Campaign
from scoring.store.db import now, transaction
from scoring.store.trail import record_step
from scoring.workflow.periods import scored_run
from scoring.workflow.states import LOCKED, statuses, town_matrix, write_period, year_status


def deadlines(camp: Campaign) -> dict[str, datetime]:
    """period → when its entry closes (stored UTC): an admin's setting, else campaign.yaml's."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    tz = rules.campaign.timezone
    found = {p: parse_deadline(text, tz) for p, text in rules.campaign.deadlines.items()}
    for period, deadline in con.execute(
        "SELECT period, deadline FROM deadlines WHERE campaign_id = ?", [cid]
    ).fetchall():
        if deadline is None:
            found.pop(period, None)
        else:
            found[period] = deadline
    return found


def set_deadline(
    camp: Campaign,
    period: str,
    local: str | None,
    user: User,
    reason: str | None = None,
    at: datetime | None = None,
) -> datetime | None:
    """Set (``local`` "2026-04-10" or "2026-04-10 18:00", campaign time) or remove (None) a
    period's entry deadline; returns it as stored (UTC)."""
    con, cid = camp.con, camp.id
    require(user, "set_deadline")
    bounded("deadline", "reason", reason)
    rules = camp.rules
    if period not in rules.periods:
        raise refused(
            "workflow", "unknown_period", "period", period=period, expected="、".join(rules.periods)
        )
    deadline = None
    if local is not None and local.strip():
        try:
            deadline = parse_deadline(local, rules.campaign.timezone)
        except ValueError:
            raise refused("workflow", "deadline_format", "deadline", period=period, value=local) from None
    at = at or now()
    with transaction(con):
        con.execute("DELETE FROM deadlines WHERE campaign_id = ? AND period = ?", [cid, period])
        con.execute(
            "INSERT INTO deadlines VALUES (?, ?, ?, ?, ?, ?)",
            [cid, period, deadline, user.username, at, reason],
        )
        detail = show_deadline(deadline, rules.campaign.timezone) if deadline else "—"
        record_step(con, cid, "deadline_set", user.username, at, period=period, reason=reason, detail=detail)
    return deadline


def exceptions(con: duckdb.DuckDBPyConnection, cid: str, open_only: bool = True) -> pl.DataFrame:
    return to_polars(
        con.cursor().sql(
            "SELECT exception_no, period, town, unit_id, indicator_id, reason, granted_by, granted_at, "
            "closed_by, closed_at FROM lock_exceptions WHERE campaign_id = $cid "
            "AND (NOT $open OR closed_at IS NULL) ORDER BY exception_no",
            params={"cid": cid, "open": open_only},
        )
    )


def grant_exception(
    camp: Campaign,
    period: str,
    user: User,
    reason: str,
    unit_id: str | None = None,
    indicator_id: str | None = None,
    town: str | None = None,
    at: datetime | None = None,
    for_objection: bool = False,
    objection_no: int | None = None,
) -> int:
    """Let one unit (or one unit's indicator) of a locked period change, or a town or unit
    enter after the deadline; returns the exception's number. Refused once the year is final,
    and in a final period but for an objection to the year upheld while the year's 公示 is open
    (``for_objection``, the objection path's own call)."""
    con, cid = camp.con, camp.id
    require(user, "grant_exception")
    bounded("exception", "reason", reason)
    rules = camp.rules
    if period not in rules.periods:
        raise refused(
            "workflow", "unknown_period", "period", period=period, expected="、".join(rules.periods)
        )
    if not (reason or "").strip():
        raise refused("workflow", "exception_reason", "reason", period=period)
    units = dict(
        con.execute("SELECT unit_id, coalesce(town, '') FROM units WHERE campaign_id = ?", [cid]).fetchall()
    )
    if unit_id is not None and unit_id not in units:
        raise refused("workflow", "unknown_unit", "unit_id", unit=unit_id)
    if indicator_id is not None and indicator_id not in {i.id for i in rules.indicators}:
        raise refused("workflow", "unknown_indicator", "indicator_id", indicator=indicator_id)
    if indicator_id is not None and unit_id is None:
        raise refused("workflow", "exception_needs_unit", "unit_id", period=period)
    if town is not None and town not in set(units.values()):
        raise refused(
            "workflow", "unknown_town", "town", town=town, expected="、".join(sorted(set(units.values())))
        )
    status = statuses(con, cid).filter(pl.col("period") == period)["status"][0]
    year = year_status(con, cid)["status"]
    if year == "final":  # final is final: nothing that moves money opens again
        raise refused("workflow", "year_final_frozen", period=period)
    if status == "final" and not (year == "published" and for_objection):
        # a final period opens only for an objection to the year upheld inside the year's 公示
        raise refused("workflow", "period_final_frozen", period=period)
    if status in LOCKED and unit_id is None:  # one unit reopened, never the whole period
        raise refused("workflow", "exception_needs_unit", "unit_id", period=period)
    at = at or now()
    with transaction(con):
        no = int(con.execute("SELECT nextval('exception_seq')").fetchall()[0][0])
        con.execute(
            "INSERT INTO lock_exceptions (exception_no, campaign_id, period, town, unit_id, indicator_id, "
            "reason, granted_by, granted_at, objection_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [no, cid, period, town, unit_id, indicator_id, reason, user.username, at, objection_no],
        )
        record_step(
            con, cid, "exception_grant", user.username, at, unit=unit_id, period=period,
            indicator=indicator_id, reason=reason, detail=f"#{no} {town or ''}".strip(),
        )  # fmt: skip
    return no


def close_exception(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    no: int,
    user: User,
    at: datetime | None = None,
    repin: bool = True,
) -> None:
    """Lock again what an exception opened; a published or final period then pins the current
    run, which must have scored the corrected values, and so does the year while its 公示 is
    open (``repin`` False: nothing was changed)."""
    require(user, "grant_exception")
    rows = con.execute(
        "SELECT period, unit_id, indicator_id FROM lock_exceptions WHERE campaign_id = ? "
        "AND exception_no = ? AND closed_at IS NULL",
        [cid, no],
    ).fetchall()
    if not rows:
        raise refused("workflow", "unknown_exception", "exception_no", no=no)
    period, unit_id, indicator_id = rows[0]
    row = statuses(con, cid).filter(pl.col("period") == period).row(0, named=True)
    run_id = scored_run(con, cid, period) if repin and row["status"] in ("published", "final") else None
    # during the year's 公示 the year's results are re-pinned too: the public page then shows
    # the corrected stars and awards inside the window, not first at finalisation
    year = year_status(con, cid)
    year_run = run_id if repin and year["status"] == "published" else None
    at = at or now()
    with transaction(con):
        con.execute(
            "UPDATE lock_exceptions SET closed_by = ?, closed_at = ? "
            "WHERE campaign_id = ? AND exception_no = ?",
            [user.username, at, cid, no],
        )
        record_step(
            con, cid, "exception_close", user.username, at, unit=unit_id, period=period,
            indicator=indicator_id, detail=f"#{no}",
        )  # fmt: skip
        if run_id is not None and run_id != row["run_id"]:
            write_period(
                con, cid, period, row["status"], row["status"], user.username, at,
                f"#{no}", row["objection_ends"], run_id,
            )  # fmt: skip
        if year_run is not None and year_run != year["run_id"]:
            write_period(
                con, cid, None, "published", "published", user.username, at, f"#{no}", year["objection_ends"],
                year_run,
            )  # fmt: skip


def refuse_closed_periods(con: duckdb.DuckDBPyConnection, cid: str, periods: list[str], file: str) -> None:
    """Refuse a file before anything is compared when it holds values of a locked period that
    no open exception opens (a final period's file is refused at its preview, not at writing)."""
    opened = set(exceptions(con, cid)["period"].to_list())
    closed = statuses(con, cid).filter(
        pl.col("period").is_in(periods) & pl.col("status").is_in(LOCKED) & ~pl.col("period").is_in(opened)
    )
    if closed.height:
        raise CampaignError(
            [
                Problem(
                    file, None, "period", "period_closed_file", {"period": r["period"], "status": r["status"]}
                )
                for r in closed.iter_rows(named=True)
            ]
        )


def check_entry(
    camp: Campaign,
    cells: pl.DataFrame,
    reason: str | None,
    file: str = "workflow",
    user: User | None = None,
    at: datetime | None = None,
) -> None:
    """Refuse changes of these cells (``unit_id, period, indicator_id[, _row]``) that a lock or
    a deadline forbids; where a town or the period is submitted, a change needs a reason.
    ``user`` None: an import by the office, which no deadline binds (as none binds an admin)."""
    con, cid = camp.con, camp.id
    if cells.height == 0:
        return
    if year_status(con, cid)["status"] == "final":  # final is final, whatever exception is open
        raise CampaignError([Problem(file, None, None, "year_final_frozen", {"period": "—"})])
    rules = camp.rules
    tz = rules.campaign.timezone
    touched = set(cells["period"].unique().to_list())
    periods = statuses(con, cid).filter(pl.col("period").is_in(touched))
    towns = town_matrix(con, cid).filter(pl.col("period").is_in(touched) & (pl.col("status") != "open"))
    bound = user is not None and user.role != "admin"
    at = at or now()
    due = {p: d for p, d in deadlines(camp).items() if p in touched and bound and at >= d}
    if (periods["status"] == "open").all() and towns.height == 0 and not due:
        return
    units = to_polars(
        con.cursor().sql(
            "SELECT unit_id, coalesce(town, '') AS town FROM units WHERE campaign_id = $cid",
            params={"cid": cid},
        )
    )
    if "_row" not in cells.columns:  # an import's changes: named by period and town, not row
        cells = cells.with_columns(pl.lit(None, dtype=pl.Int64).alias("_row"))
    frame = (
        cells.select("_row", "unit_id", "period", "indicator_id")
        .with_columns(pl.col("_row").cast(pl.Int64))
        .with_row_index("_k")
        .join(units, on="unit_id", how="left")
        .with_columns(pl.col("town").fill_null(""))
        .join(periods.select("period", pl.col("status").alias("p_status")), on="period", how="left")
        .join(
            towns.select("period", "town", pl.col("status").alias("t_status"), "changed_by", "changed_at"),
            on=["period", "town"],
            how="left",
        )
    )
    frame = _with_exceptions(frame, exceptions(con, cid))
    problems: list[Problem] = []
    locked = frame.filter(pl.col("p_status").is_in(LOCKED) & ~pl.col("unit_excepted"))
    for row in periods.filter(pl.col("period").is_in(locked["period"].unique().to_list())).iter_rows(
        named=True
    ):
        first = locked.filter(pl.col("period") == row["period"]).row(0, named=True)
        problems.append(
            lock_problem(row, file, tz, first["_row"], len(locked.filter(pl.col("period") == row["period"])))
        )
    free = frame.filter(~pl.col("p_status").is_in(LOCKED))
    # an approved town's values open only for an exception naming the unit (a town's exception
    # lets a late town enter after the deadline; it never unlocks what was approved)
    approved = free.filter((pl.col("t_status") == "approved") & ~pl.col("unit_excepted"))
    for (period, town), group in approved.group_by(["period", "town"], maintain_order=True):
        first = group.row(0, named=True)
        params = {
            "period": period,
            "town": town or "—",
            "who": first["changed_by"] or "",
            "at": show(first["changed_at"], tz),
            "n": group.height,
        }
        problems.append(Problem(file, first["_row"], None, "town_approved", params))
    late = free.filter(pl.col("period").is_in(list(due)) & ~pl.col("excepted"))
    for (period,), group in late.group_by(["period"], maintain_order=True):
        params = {"period": period, "deadline": show_deadline(due[period], tz), "n": group.height}
        problems.append(Problem(file, group["_row"][0], None, "deadline_passed", params))
    if not (reason or "").strip():
        waiting = free.filter((pl.col("p_status") == "submitted") | (pl.col("t_status") == "submitted"))
        for (period,), group in waiting.group_by(["period"], maintain_order=True):
            problems.append(Problem(file, group["_row"][0], None, "reason_required", {"period": period}))
    if problems:
        raise CampaignError(problems)


def _with_exceptions(frame: pl.DataFrame, open_exceptions: pl.DataFrame) -> pl.DataFrame:
    """Mark the cells an open exception covers: ``excepted`` (any exception matches) and
    ``unit_excepted`` (one naming the cell's unit, the only kind a locked period honours)."""
    if open_exceptions.height == 0:
        return frame.with_columns(pl.lit(False).alias("excepted"), pl.lit(False).alias("unit_excepted"))
    exc = open_exceptions.select(
        "period",
        pl.col("town").alias("e_town"),
        pl.col("unit_id").alias("e_unit"),
        pl.col("indicator_id").alias("e_indicator"),
    )
    hits = (
        frame.select("_k", "period", "town", "unit_id", "indicator_id")
        .join(exc, on="period", how="inner")
        .filter(
            (pl.col("e_town").is_null() | (pl.col("e_town") == pl.col("town")))
            & (pl.col("e_unit").is_null() | (pl.col("e_unit") == pl.col("unit_id")))
            & (pl.col("e_indicator").is_null() | (pl.col("e_indicator") == pl.col("indicator_id")))
        )
        .group_by("_k")
        .agg(pl.len().gt(0).alias("excepted"), pl.col("e_unit").is_not_null().any().alias("unit_excepted"))
    )
    return frame.join(hits, on="_k", how="left").with_columns(
        pl.col("excepted").fill_null(False), pl.col("unit_excepted").fill_null(False)
    )


def lock_problem(row: dict, file: str, tz: str, at_row: int | None = None, n: int = 0) -> Problem:
    """Why a period's values cannot be changed, naming who locked it and when (local time)."""
    params = {
        "period": row["period"],
        "who": row["changed_by"] or "",
        "at": show(row["changed_at"], tz),
        "until": show(row["objection_ends"], tz),
        "n": n,
    }
    return Problem(file, at_row, None, f"period_{row['status']}", params)
