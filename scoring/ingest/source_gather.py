"""A monthly source's months gathered into the campaign's periods: a period's value once its
months are there (``last``: its last month), exact; with ``incomplete: present`` from the
months that have a figure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from scoring.core.money import plain
from scoring.rules.model import VALUE_SCALE, Rules, Source
from scoring.rules.months import period_months


def gather(rules: Rules, source: Source, months: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Monthly values (unit_id, indicator_id, month, value, _row) as the periods' values: a
    period's value once its months are all there (``last``: once its last month is), exact; a
    mean is rounded half up to the values' 9 decimals. A month delivered with no figure (value
    None, a dash) is, with ``incomplete: present``, there but passed over: the period is made
    from the months that have one. Returns (values: unit_id, period, indicator_id, value, _row,
    months; pending: unit_id, period, indicator_id, have, missing, where missing is empty when
    every month is there and none has a figure)."""
    how = {c.indicator: source.how(c) for c in source.columns}
    present = source.incomplete == "present"
    of_period = {p: m for p, m in period_months(rules.periods, source.period_months).items() if m}
    got: dict[tuple[str, str, str], dict[str, tuple[Decimal | None, int]]] = {}
    for r in months.iter_rows(named=True):
        per = next((p for p, ms in of_period.items() if r["month"] in ms), None)
        if per is not None and (present or r["value"] is not None):
            got.setdefault((r["unit_id"], per, r["indicator_id"]), {})[r["month"]] = (
                None if r["value"] is None else Decimal(r["value"]),
                r["_row"],
            )
    values, pending = [], []
    for (uid, per, ind), have in sorted(got.items()):
        needed = of_period[per]
        rule = how.get(ind, "sum")
        wanted = needed[-1:] if rule == "last" else needed
        missing = [m for m in wanted if m not in have]
        # with incomplete: present, the months delivered with no figure (a dash) are passed over
        xs = [have[m][0] for m in (needed if present else wanted) if m in have and have[m][0] is not None]
        if missing or not xs:
            pending.append(
                {
                    "unit_id": uid,
                    "period": per,
                    "indicator_id": ind,
                    "have": len(have),
                    "missing": "、".join(missing),  # empty: every month there, none with a figure
                }
            )
            continue
        total = sum((x for x in xs if x is not None), Decimal(0))
        x = total if rule == "sum" else xs[-1] if rule == "last" else total / len(xs)
        assert x is not None
        x = x.quantize(Decimal(1).scaleb(-VALUE_SCALE), rounding=ROUND_HALF_UP)
        values.append(
            {
                "unit_id": uid,
                "period": per,
                "indicator_id": ind,
                "value": plain(x),
                "_row": max(have[m][1] for m in needed if m in have),
                "months": len(xs),
            }
        )
    return (
        pl.DataFrame(
            values,
            schema={
                "unit_id": pl.String,
                "period": pl.String,
                "indicator_id": pl.String,
                "value": pl.String,
                "_row": pl.Int64,
                "months": pl.Int64,
            },
        ),
        pl.DataFrame(
            pending,
            schema={
                "unit_id": pl.String,
                "period": pl.String,
                "indicator_id": pl.String,
                "have": pl.Int64,
                "missing": pl.String,
            },
        ),
    )
