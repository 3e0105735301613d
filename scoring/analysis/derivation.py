"""How one unit's period score was made, item by item (spec steps 1-2): each item's value and
points, a count as count × rate (up to its limit), 不涉及 as not counted, and the period score as
the sum or, where an item does not apply, as B × M / A + E with the numbers."""

from __future__ import annotations

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
from scoring.store.campaign import load_rules_from_db
from scoring.store.cells import cell_params


@dataclass
class Derivation:
    """The items (indicator, value, points, derivation) and the lines that make the period score."""

    items: pl.DataFrame
    lines: list[str] = field(default_factory=list)


def unit_cells(con: duckdb.DuckDBPyConnection, run: Run, unit_id: str, period: str) -> pl.DataFrame:
    """indicator_id, value, points of one unit's applicable cells in one period, under the run
    (which must be the data's current one: the points are computed from the stored values)."""
    install_macros(con)
    check_current(con, run)
    return to_polars(
        con.sql(
            f"SELECT indicator_id, value, points FROM ({cell_points_sql(unit_id, period)}) x",
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


def period_derivation(
    con: duckdb.DuckDBPyConnection, run: Run, unit_id: str, period: str, lang: str = "zh"
) -> Derivation:
    """The unit's items in the period and how its score comes from them (the run must be the
    data's current one: the points are computed from the stored values)."""
    rules = load_rules_from_db(con, run.campaign_id)
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
