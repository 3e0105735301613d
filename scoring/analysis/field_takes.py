"""What it takes on an indicator that compares a unit with its field (relative, rank_points).

On these kinds a unit's gain moves the field: catching the best can change the minimum a
min-max scale starts from, and a unit that climbs places pushes the units it passes down one.
So the headroom is worked out as a whole field: the unit's value set to the best of the
others, every unit's points recomputed by the spec's step 1, and both the unit's gain and
each other unit's change reported.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import duckdb
import polars as pl

from scoring.core.frames import to_polars
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.engine.field import field_points_sql
from scoring.engine.points import install_macros
from scoring.rules.model import Indicator, Rules
from scoring.store.cells import cell_params


def _round2(x: Fraction) -> Decimal:
    """Half away from zero to 2 decimals, exactly (Decimal's ROUND_HALF_UP rounds away)."""
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def field_points(ind: Indicator, values: list[Decimal]) -> list[Decimal]:
    """Step 1 of the spec for one field: each value's points, in the order given."""
    lower = ind.lower_is_better
    if ind.kind == "rank_points":
        places = ind.points_by_rank or []
        out = []
        for mine in values:
            place = 1 + sum(1 for o in values if (o < mine if lower else o > mine))
            out.append(_round2(Fraction(places[place - 1] if place <= len(places) else ind.rest or 0)))
        return out
    pts, lo, hi = Fraction(ind.points or 0), Fraction(min(values)), Fraction(max(values))
    out = []
    for value in values:
        v = Fraction(value)
        if ind.ratio and not lower:
            share = Fraction(0) if hi == 0 else v / hi
        elif ind.ratio:
            share = Fraction(1) if v == 0 else lo / v
        elif hi == lo:
            share = Fraction(1)
        else:
            share = ((hi - v) if lower else (v - lo)) / (hi - lo)
        out.append(_round2(pts * share))
    return out


def field_of(cur: duckdb.DuckDBPyConnection, cid: str, period: str, unit_id: str) -> dict[str, pl.DataFrame]:
    """Per field-kind indicator: the unit's field in that period (unit_id, name, value, points),
    the unit first."""
    install_macros(cur)
    rows = to_polars(
        cur.sql(
            f"""
            SELECT i.indicator_id, u.unit_id, u.name, f.value,
                   CAST(CAST(f.cents AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS points
            FROM {field_points_sql(period)} f
            JOIN units u ON u.campaign_id = $cid AND u.unit_no = f.unit_no
            JOIN indicators i ON i.campaign_id = $cid AND i.indicator_no = f.indicator_no
            WHERE f.category = (SELECT category FROM units WHERE campaign_id = $cid
                                AND unit_id = $me)
            ORDER BY i.indicator_no, u.unit_id <> $me, u.unit_no""",
            params=cell_params(cid, period=period) | {"me": unit_id},
        )
    )
    return {k[0]: g for k, g in rows.group_by("indicator_id", maintain_order=True)}


def field_headroom(
    cur: duckdb.DuckDBPyConnection, rules: Rules, cid: str, period: str, unit_id: str, lang: str
) -> list[dict[str, Any]]:
    """Each field-kind indicator where the unit is not yet the best: its gain from matching the
    best of the others, and what that does to the others' points, as a sentence."""
    out = []
    for indicator_id, fld in field_of(cur, cid, period, unit_id).items():
        if fld["unit_id"][0] != unit_id or fld.height < 2:
            continue
        ind = rules.indicator(indicator_id)
        values: list[Decimal] = fld["value"].to_list()
        others = values[1:]
        best = min(others) if ind.lower_is_better else max(others)
        if (values[0] <= best) if ind.lower_is_better else (values[0] >= best):
            continue
        now = field_points(ind, values)
        then = field_points(ind, [best, *others])
        gain = then[0] - now[0]
        if gain <= 0:
            continue
        names = fld["name"].to_list()
        moved = [
            f"{names[k]} {'+' if then[k] > now[k] else '−'}{plain(abs(then[k] - now[k]))}"
            for k in range(1, len(values))
            if then[k] != now[k]
        ]
        unit = ind.unit or ""
        effect = t("takes.field_moves", lang, who="、".join(moved)) if moved else t("takes.field_still", lang)
        out.append(
            {
                "indicator_id": ind.id,
                "available": gain,
                "sentence": t(
                    "takes.field",
                    lang,
                    name=ind.name,
                    value=plain(values[0]) + unit,
                    best=plain(best) + unit,
                    points=plain(then[0]),
                    gain=plain(gain),
                    effect=effect,
                ),
            }
        )
    return out
