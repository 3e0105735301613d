"""The audit trail as people read it, on the terminal and the dashboard alike: what was done in
words, indicators by name, the application's own words (an import, a save from the grid) in the
reader's language, exact values as written, times in the campaign's zone with the zone named."""

from __future__ import annotations

import polars as pl

from scoring.core.frames import each
from scoring.core.i18n import t
from scoring.core.localtime import label, local_columns
from scoring.core.na import value_text
from scoring.store.campaign import Campaign
from scoring.store.trail import ACTIONS, OTHER_ACTIONS, SOURCES


def audit_view(camp: Campaign, rows: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """``rows`` of ``scoring.store.trail.history`` as read: headers stay column names (the
    catalogue's ``col.*`` names them), but the time's header names its zone."""
    rules = camp.rules
    tz = rules.campaign.timezone
    names = {i.id: i.name for i in rules.indicators}
    actions = {a: t(f"au.action.{a}", lang) for a in (*ACTIONS, *OTHER_ACTIONS)}
    own = {s: t(f"au.source.{s}", lang) for s in SOURCES}
    shown = rows.with_columns(
        pl.col("action").replace(actions),
        pl.col("indicator_id").replace(names),
        *(pl.col(c).replace(own) for c in ("reason", "source")),
        *(each(rows, c, value_text) for c in ("old_value", "new_value")),
    )
    when = t("wcol.when", lang, zone=label(tz, lang))
    return local_columns(shown, tz, seconds=True).rename({"logged_at": when})
