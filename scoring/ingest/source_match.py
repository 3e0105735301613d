"""Matching what a department's file writes to the campaign: a unit by its id, or by its name
(trimmed, full-width spaces too) or one of the source's aliases, then by its name as offices
write it (``office_name``); a period by the campaign's label, another label of the same months
(2023年第一季度 for 2023Q1), or for monthly rows a month inside a period."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from scoring.core.errors import Problem
from scoring.ingest.source_table import trim
from scoring.rules.model import Rules, Source
from scoring.rules.months import label_months, parse_month, period_months

# what offices add to a unit's name: the committee's title, longest first (居民委员会 before 委员会)
_COMMITTEE = re.compile(r"(居民委员会|村民委员会|居委会|村委会|委员会)$")
_BRACKETED = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_BARE = re.compile(r"(社区|村)$")


def office_name(text: str) -> tuple[str, str]:
    """A unit's name as compared when the file's spelling differs: full-width letters, digits and
    brackets made half-width (NFKC), spaces and bracketed notes taken out, a committee's title
    (居委会, 村民委员会…) dropped; and that without a last 社区 or 村 (龙江村民委员会 is 龙江村)."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\s+", "", _BRACKETED.sub("", text))
    named = _COMMITTEE.sub("", text) or text
    return named, _BARE.sub("", named) or named


_TOWN_TITLE = re.compile(r"(街道办事处|街道办|街道|镇人民政府|镇|乡人民政府|乡)$")


def town_name(text: object) -> str:
    """A town as compared: NFKC, without spaces, without its title (街道, 镇, 乡)."""
    bare = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    return _TOWN_TITLE.sub("", bare) or bare


class UnitMatcher:
    """Finding a unit by what the file writes: its id, or its name or one of its aliases; where
    the source declares a town column, the row's town tells apart units sharing a name."""

    def __init__(self, units: pl.DataFrame, source: Source, problems: list[Problem]) -> None:
        self.by_id = source.unit_by == "id"
        self.ids = set(units["unit_id"].to_list())
        self.town = dict(
            zip(units["unit_id"].to_list(), [town_name(t) for t in units["town"].to_list()], strict=True)
        )
        self.names: dict[str, list[str]] = {}
        for uid, name in zip(units["unit_id"].to_list(), units["name"].to_list(), strict=True):
            self.names.setdefault(trim(name), []).append(uid)
        # the names as offices write them: each unit under its name without a committee's title,
        # and under its bare name (no 社区 or 村), where only it has that name
        self.office: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
        for uid, name in zip(units["unit_id"].to_list(), units["name"].to_list(), strict=True):
            for table, key in zip(self.office, office_name(name), strict=True):
                table.setdefault(key, []).append(uid)
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

    def find(self, text: str, town: str | None = None) -> tuple[str | None, list[str], str]:
        """The unit's id and how it was found (id, name, alias, office: the name as offices write
        it), or None with the ids it could be (none: unmatched; several: ambiguous). With
        ``town``, a name several units share is the one in that town, and a unit found in
        another town is not that unit (its id alone in the could-be list, how ``town``)."""
        if text in self.aliases:
            return self._in_town(self.aliases[text], "alias", town)
        if self.by_id:
            return self._in_town(text, "id", town) if text in self.ids else (None, [], "")
        steps = [(self.names.get(text, []), "name")]
        steps += [(t.get(k, []), "office") for t, k in zip(self.office, office_name(text), strict=True)]
        for ids, how in steps:  # 山旺社区居委会, 龙江村村委会, ＪＪ社区 (全角): the name offices write
            if town is not None and len(ids) > 1:
                ids = [u for u in ids if self.town.get(u) == town_name(town)] or ids
            if len(ids) == 1:
                return self._in_town(ids[0], how, town)
            if ids:
                return None, ids, ""
        return None, [], ""

    def _in_town(self, uid: str, how: str, town: str | None) -> tuple[str | None, list[str], str]:
        if town is None or not town_name(town) or self.town.get(uid) in ("", town_name(town)):
            return uid, [], how
        return None, [uid], "town"


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
