"""Matching what a department's file writes to the campaign: a unit by its id, or by its name
(trimmed, full-width spaces too) or one of the source's aliases; a period by the campaign's
label, another label of the same months (2023年第一季度 for 2023Q1), or for monthly rows a month
inside a period."""

from __future__ import annotations

import polars as pl

from scoring.core.errors import Problem
from scoring.ingest.source_table import trim
from scoring.rules.model import Rules, Source
from scoring.rules.months import label_months, parse_month, period_months


class UnitMatcher:
    """Finding a unit by what the file writes: its id, or its name or one of its aliases."""

    def __init__(self, units: pl.DataFrame, source: Source, problems: list[Problem]) -> None:
        self.by_id = source.unit_by == "id"
        self.ids = set(units["unit_id"].to_list())
        self.names: dict[str, list[str]] = {}
        for uid, name in zip(units["unit_id"].to_list(), units["name"].to_list(), strict=True):
            self.names.setdefault(trim(name), []).append(uid)
        self.aliases: dict[str, str] = {}
        for alias, target in source.aliases.items():
            found = target if target in self.ids else None
            if found is None and len(self.names.get(trim(target), [])) == 1:
                found = self.names[trim(target)][0]
            if found is None:
                problems.append(
                    Problem(
                        "campaign.yaml",
                        None,
                        f"sources.{source.id}.aliases",
                        "source_alias_unknown",
                        {"alias": alias, "unit": target},
                    )
                )
            else:
                self.aliases[trim(alias)] = found

    def find(self, text: str) -> tuple[str | None, list[str]]:
        """The unit's id, or None with the ids it could be (none: unmatched; several: ambiguous)."""
        if text in self.aliases:
            return self.aliases[text], []
        if self.by_id:
            return (text, []) if text in self.ids else (None, [])
        ids = self.names.get(text, [])
        return (ids[0], []) if len(ids) == 1 else (None, ids)


class PeriodMatcher:
    """A period as a department writes it: the campaign's label, another label of the same
    months (2023年第一季度 for 2023Q1), or for monthly rows a month inside a period."""

    def __init__(self, rules: Rules, source: Source) -> None:
        self.rules, self.monthly = rules, source.monthly
        self.months = {p: m for p, m in period_months(rules.periods, source.period_months).items() if m}
        self.of_month = {m: p for p, ms in self.months.items() for m in ms}

    def find(self, text: str) -> tuple[str | None, str | None]:
        """(period, month) for a cell; period None when it names none of the campaign's."""
        if self.monthly:
            month = parse_month(text, self.rules.campaign.year)
            return (self.of_month.get(month) if month else None), month
        if text in self.rules.periods:
            return text, None
        said = label_months(text)
        return next((p for p, m in self.months.items() if said and m == said), None), None
