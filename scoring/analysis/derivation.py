"""How one unit's period score was made, item by item (spec steps 1-2): each item's value and
points, a count as count × rate (up to its limit), 不涉及 as not counted, and the period score as
the sum or, where an item does not apply, as B × M / A + E with the numbers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import polars as pl

from scoring.core.frames import to_polars
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.core.na import is_na, value_text
from scoring.engine.points import cell_points_sql, install_macros
from scoring.engine.run import Run, check_current
from scoring.rules.model import BASE_KINDS, Indicator
from scoring.store.campaign import Campaign
from scoring.store.cells import cell_params


@dataclass
class Derivation:
    """The items (indicator, value, points, derivation) and the lines that make the period score."""

    items: pl.DataFrame
    lines: list[str] = field(default_factory=list)


# a run's cells read once and kept (a run's points never change): one query of every cell
# costs what one unit's costs (about 45 ms on the demo, the query's size, not the data's), and
# a profile asks for a unit's cells several times. Campaigns up to this many cells are kept
# whole, for the last few runs; larger ones are read a unit at a time.
KEPT_CELLS = 250_000
_KEEP_RUNS = 3
_RUN_CELLS: OrderedDict[str, pl.DataFrame] = OrderedDict()
_LOCK = threading.Lock()


def _run_cells(con: duckdb.DuckDBPyConnection, run: Run) -> pl.DataFrame | None:
    """Every cell of the run (period, unit_id, indicator_id, value, points, in the campaign's
    order), kept; None for a campaign too large to keep. The run must be the data's current one
    (``unit_cells`` checks)."""
    with _LOCK:
        if run.run_id in _RUN_CELLS:
            _RUN_CELLS.move_to_end(run.run_id)
            return _RUN_CELLS[run.run_id]
    size = con.execute(
        "SELECT (SELECT count(*) FROM units WHERE campaign_id = $cid) "
        "* (SELECT count(*) FROM periods WHERE campaign_id = $cid) "
        "* (SELECT count(*) FROM indicators WHERE campaign_id = $cid)",
        {"cid": run.campaign_id},
    ).fetchall()[0][0]
    if size > KEPT_CELLS:
        return None
    install_macros(con)
    cells = to_polars(con.sql(cell_points_sql(ordered=True), params={"cid": run.campaign_id}))
    with _LOCK:
        _RUN_CELLS[run.run_id] = cells
        while len(_RUN_CELLS) > _KEEP_RUNS:
            _RUN_CELLS.popitem(last=False)
    return cells


def unit_cells(
    con: duckdb.DuckDBPyConnection, run: Run, unit_id: str, period: str | None = None
) -> pl.DataFrame:
    """period, indicator_id, value, points of one unit's applicable cells in one period (every
    period when None), under the run, in the rules' order. Points are computed from the stored
    values, so they are the run's only while it is the data's current one: a run the data have
    moved on from is refused, kept or not."""
    check_current(con, run)
    kept = _run_cells(con, run)
    if kept is not None:
        mine = kept.filter(pl.col("unit_id") == unit_id)
        if period is not None:
            mine = mine.filter(pl.col("period") == period)
        return mine.select("period", "indicator_id", "value", "points")
    install_macros(con)
    cells = cell_points_sql(unit_id, period, ordered=True)
    return to_polars(
        con.sql(
            f"SELECT period, indicator_id, value, points FROM ({cells}) x",
            params=cell_params(run.campaign_id, unit_id, period),
        )
    )


def _how(ind: Indicator, value: Decimal | None, points: Decimal | None, lang: str) -> str:
    if value is None:
        return t("dv.missing", lang)
    if is_na(value):
        return t("dv.na", lang)
    if ind.counted:
        assert ind.each is not None and ind.points is not None
        raw = ind.each * value
        key = "dv.count_capped" if raw > ind.points else "dv.count"
        return t(key, lang, n=plain(value), each=plain(ind.each), raw=plain(raw), cap=plain(ind.points))
    return t(f"kind.{ind.kind}", lang)


def period_derivation(camp: Campaign, run: Run, unit_id: str, period: str, lang: str = "zh") -> Derivation:
    """The unit's items in the period and how its score comes from them (the run must be the
    data's current one: the points are computed from the stored values)."""
    con = camp.con
    rules = camp.rules
    cur = con.cursor()
    cells = unit_cells(cur, run, unit_id, period)
    got = {r["indicator_id"]: r for r in cells.iter_rows(named=True)}
    score = cur.execute(
        "SELECT score FROM period_results WHERE run_id = ? AND unit_id = ? AND period = ?",
        [run.run_id, unit_id, period],
    ).fetchall()
    rows = []
    base = extra = whole = not_applying = Decimal(0)
    for ind in rules.indicators:
        if ind.id not in got:
            continue
        value, points = got[ind.id]["value"], got[ind.id]["points"]
        if ind.kind in BASE_KINDS:
            whole += ind.max_points
            if is_na(value):
                not_applying += ind.max_points
            else:
                base += points or 0
        else:
            extra += points or 0
        rows.append(
            {
                "indicator": ind.name,
                "value": value_text(value) if value is not None else "",
                "points": "" if points is None else plain(points),
                "derivation": _how(ind, value, points, lang),
            }
        )
    items = pl.DataFrame(rows, schema={k: pl.String for k in ("indicator", "value", "points", "derivation")})
    result = plain(score[0][0]) if score else "—"
    lines = []
    if not_applying:
        lines.append(
            t(
                "dv.rescaled",
                lang,
                b=plain(base),
                m=plain(whole),
                a=plain(whole - not_applying),
                e=plain(extra),
                score=result,
            )
        )
    else:
        lines.append(t("dv.sum", lang, b=plain(base), e=plain(extra), score=result))
    return Derivation(items, lines)
