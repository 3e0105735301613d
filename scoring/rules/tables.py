"""The rules as small relational tables (polars), for set-based checks and scoring."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from scoring.rules.model import VALUE_SCALE, Rules

DEC = pl.Decimal(38, VALUE_SCALE)


@dataclass(frozen=True)
class RuleTables:
    periods: pl.DataFrame  # period, period_no (1-based, campaign order)
    categories: pl.DataFrame  # category, category_name, category_no
    indicators: pl.DataFrame  # indicator_id, name, area, unit, kind, points, floor, target, ...
    applies: pl.DataFrame  # indicator_id, category: which indicator applies to which category
    tiers: pl.DataFrame  # indicator_id, tier_no, tier_min, tier_max, tier_points
    tie_break: pl.DataFrame  # indicator_id, tb_no
    rank_points: pl.DataFrame  # indicator_id, place, place_points: rank_points' list


def _frame(data: Any, schema: dict[str, Any], orient: Literal["row"] | None = None) -> pl.DataFrame:
    """A frame whose decimal columns are built from each value's exact text (built from
    Decimal objects, polars would load numpy to convert them)."""
    exact = [k for k, v in schema.items() if v == DEC]

    def text(x: Decimal | None) -> str | None:
        return None if x is None else format(x, "f")

    if orient == "row":
        at = [n for n, k in enumerate(schema) if k in exact]
        data = [tuple(text(v) if n in at else v for n, v in enumerate(row)) for row in data]
    else:
        data = {k: [text(v) for v in col] if k in exact else col for k, col in data.items()}
    as_text = {k: pl.String if k in exact else v for k, v in schema.items()}
    return pl.DataFrame(data, schema=as_text, orient=orient).with_columns(pl.col(k).cast(DEC) for k in exact)


def rule_tables(rules: Rules) -> RuleTables:
    periods = pl.DataFrame(
        {"period": rules.periods, "period_no": list(range(1, len(rules.periods) + 1))},
        schema={"period": pl.String, "period_no": pl.Int32},
    )
    categories = pl.DataFrame(
        {
            "category": [c.id for c in rules.categories],
            "category_name": [c.name for c in rules.categories],
            "category_no": list(range(1, len(rules.categories) + 1)),
        },
        schema={"category": pl.String, "category_name": pl.String, "category_no": pl.Int32},
    )
    inds = rules.indicators
    indicators = _frame(
        {
            "indicator_id": [i.id for i in inds],
            "indicator_no": list(range(1, len(inds) + 1)),
            "name": [i.name for i in inds],
            "area": [i.area for i in inds],
            "unit": [i.unit for i in inds],
            "kind": [i.kind for i in inds],
            "points": [i.points for i in inds],
            "floor": [i.floor for i in inds],
            "target": [i.target for i in inds],
            "min_value": [i.min_value for i in inds],
            "max_value": [i.max_value for i in inds],
            "max_points": [i.max_points for i in inds],
            "method": [("ratio" if i.ratio else "minmax") if i.kind == "relative" else None for i in inds],
            "better": [("lower" if i.lower_is_better else "higher") if i.field_kind else None for i in inds],
            "rest": [(i.rest or Decimal(0)) if i.kind == "rank_points" else None for i in inds],
            "each": [i.each for i in inds],
            "na_allowed": [i.may_not_apply for i in inds],
        },
        schema={
            "indicator_id": pl.String,
            "indicator_no": pl.Int32,
            "name": pl.String,
            "area": pl.String,
            "unit": pl.String,
            "kind": pl.String,
            "points": DEC,
            "floor": DEC,
            "target": DEC,
            "min_value": DEC,
            "max_value": DEC,
            "max_points": DEC,
            "method": pl.String,
            "better": pl.String,
            "rest": DEC,
            "each": DEC,
            "na_allowed": pl.Boolean,
        },
    )
    applies = pl.DataFrame(
        [(i.id, c.id) for i in inds for c in rules.categories if i.applies_to(c.id)],
        schema={"indicator_id": pl.String, "category": pl.String},
        orient="row",
    )
    tiers = _frame(
        [(i.id, n, t.min, t.max, t.points) for i in inds for n, t in enumerate(i.tiers or [], start=1)],
        schema={
            "indicator_id": pl.String,
            "tier_no": pl.Int32,
            "tier_min": DEC,
            "tier_max": DEC,
            "tier_points": DEC,
        },
        orient="row",
    )
    tie_break = pl.DataFrame(
        {"indicator_id": rules.ranking.tie_break, "tb_no": list(range(1, len(rules.ranking.tie_break) + 1))},
        schema={"indicator_id": pl.String, "tb_no": pl.Int32},
    )
    rank_points = _frame(
        [(i.id, n, pts) for i in inds for n, pts in enumerate(i.points_by_rank or [], start=1)],
        schema={"indicator_id": pl.String, "place": pl.Int32, "place_points": DEC},
        orient="row",
    )
    return RuleTables(periods, categories, indicators, applies, tiers, tie_break, rank_points)
