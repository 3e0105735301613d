"""What each department has delivered, per period: on time, late, some months of a monthly
source, overdue (past the period's deadline with nothing) or not yet due; by whom and when; and
how many of the cells its indicators supply have a value."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from scoring.core.frames import each, register, to_polars
from scoring.core.i18n import t
from scoring.core.localtime import label, local_columns, show_deadline
from scoring.rules.model import Rules
from scoring.rules.months import period_months
from scoring.store.campaign import Campaign
from scoring.store.db import now
from scoring.workflow.locks import deadlines

STATES = ("delivered", "late", "partial", "overdue", "due")


def status(camp: Campaign, at: datetime | None = None) -> pl.DataFrame:
    """Per source and period: its department, whether it is delivered (on time, late), partly
    (monthly: some months), or not, and by whom and when; the period's deadline; and how many
    of the cells it supplies have a value. ``state``: delivered, late, partial, overdue, due."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    due = deadlines(camp)
    at = at or now()
    got = to_polars(
        con.cursor().sql(
            """SELECT source_id, period, min(delivered_at) AS first_at, max(delivered_at) AS last_at,
                      arg_max(delivered_by, delivered_at) AS last_by, count(*) AS deliveries,
                      list_distinct(flatten(list(months))) AS months
               FROM source_deliveries WHERE campaign_id = $cid GROUP BY ALL""",
            params={"cid": cid},
        )
    )
    filled = _filled(con, cid, rules)
    rows = []
    for src in rules.sources:
        of_period = period_months(rules.periods, src.period_months)
        for period in rules.periods:
            hit = got.filter((pl.col("source_id") == src.id) & (pl.col("period") == period))
            deadline = due.get(period)
            months_needed = len(of_period.get(period) or []) if src.monthly else 0
            months_have = len(hit["months"][0]) if hit.height and hit["months"][0] is not None else 0
            if hit.height and months_needed and months_have < months_needed:
                state = "partial"
            elif hit.height:
                state = "late" if deadline is not None and hit["first_at"][0] > deadline else "delivered"
            else:
                state = "overdue" if deadline is not None and at > deadline else "due"
            cells, have = filled.get((src.id, period), (0, 0))
            rows.append(
                {
                    "source_id": src.id,
                    "source": src.name,
                    "department": src.department,
                    "period": period,
                    "state": state,
                    "deadline": deadline,
                    "delivered_at": hit["last_at"][0] if hit.height else None,
                    "delivered_by": hit["last_by"][0] if hit.height else None,
                    "deliveries": int(hit["deliveries"][0]) if hit.height else 0,
                    "months": f"{months_have}/{months_needed}" if months_needed else "",
                    "cells": cells,
                    "filled": have,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "source_id": pl.String,
            "source": pl.String,
            "department": pl.String,
            "period": pl.String,
            "state": pl.String,
            "deadline": pl.Datetime,
            "delivered_at": pl.Datetime,
            "delivered_by": pl.String,
            "deliveries": pl.Int64,
            "months": pl.String,
            "cells": pl.Int64,
            "filled": pl.Int64,
        },
    )


def status_view(camp: Campaign, lang: str = "zh") -> pl.DataFrame:
    """``status`` as people read it, on the terminal and the dashboard alike: states in words,
    the deadline as written (a day's end as 24:00), delivery times local with the zone named."""
    tz = camp.zone
    table = status(camp)
    zone = label(tz, lang)
    return local_columns(
        table.with_columns(
            each(table, "state", lambda s: t(f"src.state.{s}", lang)),
            each(table, "deadline", lambda d: show_deadline(d, tz, lang)),
        ),
        tz,
    ).rename({"delivered_at": t("src.delivered_at", lang, zone=zone)})


# the cells a source's indicators apply to (table _supplied: source_id, indicator_id), with
# their value if any
_CELLS = """
SELECT s.source_id, p.period, u.unit_id, u.name, u.town, s.indicator_id, v.value
FROM _supplied s
JOIN units u ON u.campaign_id = $cid
JOIN periods p ON p.campaign_id = $cid
JOIN applies a ON a.campaign_id = $cid AND a.indicator_id = s.indicator_id AND a.category = u.category
LEFT JOIN indicator_values v ON v.campaign_id = $cid AND v.unit_id = u.unit_id
     AND v.period = p.period AND v.indicator_id = s.indicator_id"""


def _supplied(rules: Rules, source_id: str | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"source_id": s.id, "indicator_id": c.indicator}
            for s in rules.sources
            if source_id is None or s.id == source_id
            for c in s.columns
        ],
        schema={"source_id": pl.String, "indicator_id": pl.String},
    ).unique(maintain_order=True)  # a survey export's items answer one indicator


def _filled(con: duckdb.DuckDBPyConnection, cid: str, rules: Rules) -> dict[tuple[str, str], tuple[int, int]]:
    """(source, period) → (the cells its indicators apply to, how many of them have a value)."""
    pairs = _supplied(rules)
    if pairs.height == 0:
        return {}
    cur = con.cursor()
    register(cur, "_supplied", pairs)
    try:
        found = cur.execute(
            f"SELECT source_id, period, count(*), count(value) FROM ({_CELLS}) GROUP BY ALL", {"cid": cid}
        ).fetchall()
    finally:
        cur.unregister("_supplied")
    return {(sid, period): (int(n), int(have)) for sid, period, n, have in found}


def missing(camp: Campaign, source_id: str, period: str) -> pl.DataFrame:
    """The cells a source supplies that still have no value in a period: unit_id, name, town,
    indicator (its name), by unit id and in the indicators' order."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    cur = con.cursor()
    register(cur, "_supplied", _supplied(rules, source_id))
    try:
        frame = to_polars(
            cur.sql(
                f"""SELECT c.unit_id, c.name, c.town, i.name AS indicator FROM ({_CELLS}) c
                    JOIN indicators i ON i.campaign_id = $cid AND i.indicator_id = c.indicator_id
                    WHERE c.value IS NULL AND c.period = $period
                    ORDER BY c.unit_id, i.indicator_no""",
                params={"cid": cid, "period": period},
            )
        )
    finally:
        cur.unregister("_supplied")
    return frame
