"""Months and the campaign's periods: which calendar months a period holds, and a month as a
department's file writes it (2023-01, 2023/1, 202301, 2023年1月, 2023.01, an Excel date).

A period's months come from its label when the label says them (2023Q1, 2023-Q1, 2023年第一季度,
2023H1, 2023上半年, 2023-01, 2023), else from the source's ``period_months``.
"""

from __future__ import annotations

import re

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"^(\d{4})\s*(?:[-_/ ]?\s*[Qq]([1-4])|年?\s*第?([一二三四1-4])季度?)$")
_HALF = re.compile(r"^(\d{4})\s*(?:[-_/ ]?\s*[Hh]([12])|年?\s*([上下])半年)$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))(?:[-/.]\d{1,2}(?:[ T].*)?|\s*日?.*)?$")
_YEAR = re.compile(r"^(\d{4})\s*年?(?:度)?$")


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def label_months(label: str) -> list[str] | None:
    """The months a period label says it holds, or None when it says none."""
    text = label.strip()
    if m := _QUARTER.match(text):
        year, q = int(m.group(1)), _CN_DIGIT[m.group(2) or m.group(3)]
        return [month_text(year, 3 * (q - 1) + k) for k in (1, 2, 3)]
    if m := _HALF.match(text):
        year = int(m.group(1))
        first = 1 if (m.group(2) == "1" or m.group(3) == "上") else 7
        return [month_text(year, first + k) for k in range(6)]
    if (month := parse_month(text)) is not None:
        return [month]
    if m := _YEAR.match(text):
        return [month_text(int(m.group(1)), k) for k in range(1, 13)]
    return None


def parse_month(cell: str, year: int | None = None) -> str | None:
    """A month as YYYY-MM, or None when the text is not one. ``1月`` alone takes ``year``."""
    text = cell.strip()
    if m := _MONTH.match(text):
        y, mo = int(m.group(1)), int(m.group(2) or m.group(3))
        return month_text(y, mo) if 1 <= mo <= 12 else None
    if year is not None and (m := re.match(r"^(\d{1,2})\s*月(?:份)?$", text)):
        mo = int(m.group(1))
        return month_text(year, mo) if 1 <= mo <= 12 else None
    return None


def period_months(periods: list[str], declared: dict[str, list[str]]) -> dict[str, list[str] | None]:
    """Each period's months: as declared for it, else as its label says (None: unknown)."""
    out: dict[str, list[str] | None] = {}
    for p in periods:
        if p in declared:
            months = [parse_month(m) for m in declared[p]]
            out[p] = None if any(m is None for m in months) else [m for m in months if m]
        else:
            out[p] = label_months(p)
    return out
