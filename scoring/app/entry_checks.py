"""The checks of a save that look at who saves and what is stored, not at the values
themselves: cells outside the user's towns, areas or department, cells a survey supplies,
cells someone else changed since they were loaded; and problems named by the cell a person
sees in the grid."""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.accounts.access import User
from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import register
from scoring.core.na import value_text
from scoring.rules.model import Rules
from scoring.store.cells import stored_at_sql


def at_cells(exc: CampaignError, changes: pl.DataFrame, rules: Rules, units: pl.DataFrame) -> CampaignError:
    """Problems of grid edits named by the cell a person sees: the unit (name and id) and the
    indicator's name, rather than a change number or a grid row."""
    if "grid_row" not in changes.columns:
        return exc
    names = dict(zip(units["unit_id"].to_list(), units["name"].to_list(), strict=True))
    indicators = {i.id: i.name for i in rules.indicators}
    cells = {
        r["_row"]: (f"{names.get(r['unit_id']) or ''}（{r['unit_id']}）", indicators.get(r["indicator_id"]))
        for r in changes.iter_rows(named=True)
    }
    return CampaignError(
        Problem(cells[p.row][0], None, cells[p.row][1], p.code, p.params) if p.row in cells else p
        for p in exc.problems
    )


def forbidden_cells(
    rules: Rules, units: pl.DataFrame, changes: pl.DataFrame, user: User, file: str
) -> list[Problem]:
    """Cells outside the evaluator's assigned towns/streets and indicator areas, and for a
    department's evaluator, indicators none of the department's sources supply."""
    if not (user.towns or user.areas or user.departments):
        return []
    town = dict(zip(units["unit_id"].to_list(), units["town"].to_list(), strict=True))
    area = {i.id: i.area for i in rules.indicators}
    theirs = department_indicators(rules, user)
    problems = []
    for r in changes.iter_rows(named=True):
        if theirs is not None and r["indicator_id"] not in theirs:
            params = {"user": user.username, "indicator": r["indicator_id"]}
            problems.append(Problem(file, r["_row"], "indicator_id", "forbidden_indicator", params))
        elif not user.may_edit(town.get(r["unit_id"]), area.get(r["indicator_id"])):
            params = {"user": user.username, "unit": r["unit_id"], "indicator": r["indicator_id"]}
            problems.append(Problem(file, r["_row"], "indicator_id", "forbidden_cell", params))
    return problems


def department_indicators(rules: Rules, user: User) -> set[str] | None:
    """The indicators a department's evaluator may enter: those their sources supply (None:
    the user has no department, and is limited by towns and areas only)."""
    if not user.departments:
        return None
    return {c.indicator for s in rules.sources if s.department in user.departments for c in s.columns}


def surveyed_cells(
    con: duckdb.DuckDBPyConnection, cid: str, changes: pl.DataFrame, file: str
) -> list[Problem]:
    """Cells whose value residents' survey answers supply: changed by re-importing the survey,
    never by hand (the answers and the value would disagree)."""
    register(con, "_changed", changes.select("unit_id", "period", "indicator_id", "_row"))
    try:
        rows = con.execute(
            """SELECT c._row, c.unit_id, c.period, c.indicator_id FROM _changed c
               WHERE EXISTS (SELECT 1 FROM survey_answers s WHERE s.campaign_id = $cid
                 AND s.unit_id = c.unit_id AND s.period = c.period AND s.indicator_id = c.indicator_id)
               ORDER BY c._row""",
            {"cid": cid},
        ).fetchall()
    finally:
        con.unregister("_changed")
    return [
        Problem(file, row, "value", "survey_cell", {"unit": unit, "period": period, "indicator": ind})
        for row, unit, period, ind in rows
    ]


def stale_cells(con: duckdb.DuckDBPyConnection, cid: str, changes: pl.DataFrame, file: str) -> list[Problem]:
    """Cells someone else changed after this user loaded them: refuse, naming who."""
    register(con, "_loaded", changes.select("unit_id", "period", "indicator_id", "old", "_row"))
    try:
        rows = con.execute(
            f"""
            SELECT l._row, l.unit_id, l.indicator_id, l.old, v.value, v.entered_by,
                   strftime(v.entered_at, '%Y-%m-%d %H:%M:%S')
            FROM _loaded l LEFT JOIN {stored_at_sql("_loaded")} v
                 ON v.unit_id = l.unit_id AND v.period = l.period
                 AND v.indicator_id = l.indicator_id""",
            {"cid": cid},
        ).fetchall()
    finally:
        con.unregister("_loaded")
    return [
        Problem(
            file,
            row,
            "value",
            "stale_edit",
            {
                "unit": unit,
                "indicator": ind,
                "old": old or "",
                "current": value_text(cur),
                "who": who or "",
                "at": at or "",
            },
        )
        for row, unit, ind, old, cur, who, at in rows
        if (old or "") != value_text(cur)
    ]
