"""A department's own export (一套表) read as the campaign's values, as its source declares.

The file is read as the department sends it: CSV (UTF-8 or GBK) or the sheet of an Excel
file that holds the table, a title above it allowed (the header is the first row naming the
unit column), wide (one row per unit, a column per indicator) or long (a row per unit and
indicator). Headers
are matched ignoring spaces and line breaks. A unit is named by its id or by its name, matched
exactly once spaces (full-width ones too) are trimmed, or by one of the source's aliases; a
total row (合计, 总计, 小计) is passed over. A value is a number, written with thousands
separators or a percent sign if need be (85% is read as 85), multiplied by its column's factor
exactly. A period comes from a column or is given for the whole upload, or the months are
columns (a ``{month}`` header: 1月, 2月…); monthly values are kept by month, and
``scoring.ingest.source_gather`` makes a period's value from its months once they are all there
(for ``last``, once its last month is). The table itself, and its numbers, are
``scoring.ingest.source_table``'s.

Nothing is refused silently: every problem names the file, the row and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from scoring.core.errors import CampaignError, Problem
from scoring.core.money import plain
from scoring.ingest.source_match import PeriodMatcher, UnitMatcher
from scoring.ingest.source_repeats import repeated_sheets
from scoring.ingest.source_table import NO_FIGURE, figure, number, read_table, squeeze, trim
from scoring.rules.model import MONTH_SLOT, Rules, Source, SourceColumn
from scoring.rules.months import label_months, parse_month

# a total or subtotal row, by any of its cells: 合计, 小计, 总计, 本页小计, 全区合计, 全区, 全镇…
_TOTAL = re.compile(
    r"^(本页|本表|本月|全区|全镇|全乡|全街道|全县|全市|全部)?(合计|小计|总计|累计|汇总)[:：]?$|^全(区|镇|乡|街道|县|市)$"
)
# a signature or note line below (or above) the table, by any of its cells: 制表人：…, 注：…
_NOTE = re.compile(
    r"^(制表人|制表|填表人|填报人|审核人|审核|审批人|负责人|分管领导|领导签字|联系人|联系电话|"
    r"填报日期|填表日期|制表日期|报送日期|日期|填报单位|单位|注\d*|说明|备注|数据来源|盖章|签字)"
    r"\s*[:：]"
)
# a survey tool's columns of the sender's address and the time sent (问卷星, 腾讯问卷), read for
# possible repeated sheets where the source does not name its own
IP_HEADERS = frozenset({"来源IP", "IP地址", "IP", "填写IP", "来自IP"})
TIME_HEADERS = frozenset({"提交答卷时间", "提交时间", "答卷时间", "填写时间"})
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
ROW_COLUMNS = {
    "_row": pl.Int64,
    "unit_text": pl.String,
    "unit_id": pl.String,
    "matched": pl.String,  # how the unit was found: id, name, alias, office (the name as offices write it)
    "period": pl.String,
    "month": pl.String,
    "indicator_id": pl.String,
    "column": pl.String,
    "raw": pl.String,
    "value": pl.String,
    "respondent": pl.String,  # a survey export's answer sheet (its number, else its row)
    "status": pl.String,  # a survey export's sheet: counted or excluded
}


@dataclass
class SourceRows:
    """What a file supplies, row by row, before any value is stored."""

    rows: pl.DataFrame  # ROW_COLUMNS: one row per file row and indicator
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row, unit as written, why)
    problems: list[Problem] = field(default_factory=list)
    repeats: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # row → (first row, minutes)


def read_source(
    rules: Rules,
    units: pl.DataFrame,
    source: Source,
    path: Path,
    file: str,
    period: str | None = None,
    any_year: bool = False,
) -> SourceRows:
    """The file's rows as value rows of the campaign (monthly rows still by month), with every
    problem by row. ``period`` is the upload's period (or month) where the file has no period
    column; ``any_year``: the district says the file is the campaign's whatever year its title
    or name says."""
    problems: list[Problem] = []
    header, lines, title = read_table(path, file, source)
    if not period and not any_year:  # the file's own period: its title and name say the campaign's year
        _refuse_other_year(rules, file, title)
    found = UnitMatcher(units, source, problems)
    periods = PeriodMatcher(rules, source)
    fixed: tuple[str | None, str | None] = (None, None)
    if source.period_column is None and not source.months_across:
        if not period:
            raise CampaignError([Problem(file, None, None, "source_period_needed", {"source": source.id})])
        fixed = periods.find(trim(period))
        if fixed[0] is None:
            raise CampaignError(
                [
                    Problem(
                        file,
                        None,
                        None,
                        "source_period_unknown",
                        {"value": period, "periods": "、".join(rules.periods)},
                    )
                ]
            )

    def at(name: str | None) -> int | None:
        if name is None:
            return None
        return next((k for k, h in enumerate(header) if h == squeeze(name)), None)

    unit_at, period_at, town_at = at(source.unit_column), at(source.period_column), at(source.town_column)
    respondent_at, status_at = at(source.respondent_column), at(source.status_column)
    ip_at, time_at = at(source.ip_column), at(source.time_column)
    if source.shape == "survey" and source.ip_column is None:  # a survey tool's own columns
        ip_at = next((k for k, h in enumerate(header) if h in IP_HEADERS), None)
        time_at = next((k for k, h in enumerate(header) if h in TIME_HEADERS), None)
    needed = [
        c
        for c in (
            source.period_column,
            source.respondent_column,
            source.status_column,
            source.town_column,
            source.ip_column,
            source.time_column,
        )
        if c
    ]
    mapped = {squeeze(c.column): c for c in source.columns}
    # (the column's place, what it supplies, its month when the months are across)
    columns: list[tuple[int | None, SourceColumn, str | None]] = []
    if source.shape == "long":
        needed += [source.indicator_column or "", source.value_column or ""]
    elif source.months_across:
        columns = _month_columns(header, source, periods, rules.campaign.year)
        needed += [c.column for c in source.columns if not any(c is col for _, col, _ in columns)]
    else:
        columns = [(k, mapped[h], None) for k, h in enumerate(header) if h in mapped]
        needed += [c.column for c in source.columns if squeeze(c.column) not in header]
    missing = [c for c in needed if at(c) is None]
    if missing:
        shown = "、".join(h for h in header if h)
        raise CampaignError(
            [Problem(file, None, c, "source_column_missing", {"column": c, "found": shown}) for c in missing]
        )
    ind_at, val_at = at(source.indicator_column), at(source.value_column)
    value_at = [val_at] if source.shape == "long" else [k for k, _, _ in columns]  # the figures' columns
    # a dash is a figure (0) with dash: zero, and a month delivered with none when the period is
    # made from the months present
    keeps_dash = source.dash == "zero" or (source.monthly and source.incomplete == "present")
    survey = source.shape == "survey"
    excluded = {w.strip().lower() for w in source.excluded}
    counted = {w.strip().lower() for w in source.counted}
    rows: list[dict[str, object]] = []
    skipped: list[tuple[int, str, str]] = []
    sheets: list[dict[str, object]] = []  # a survey's sheets, for the repeated ones
    for line, cells in lines:

        def cell(k: int | None, cells: list[str] = cells) -> str:
            return trim(cells[k]) if k is not None and k < len(cells) else ""

        if not any(trim(c) for c in cells):
            continue
        unit_text = cell(unit_at)
        texts = [squeeze(c) for c in cells]
        if any(_TOTAL.match(c) for c in texts if c):  # in the unit's column, 序号 or merged across
            skipped.append((line, unit_text or _first_text(cells), "total"))
            continue
        if (not unit_text or _NOTE.match(squeeze(unit_text))) and any(_NOTE.match(c) for c in texts if c):
            # 制表人：…  审核人：…  日期：2024-04-05, spread along the row under the figures
            skipped.append((line, _first_text(cells), "note"))
            continue
        if not any(figure(cell(k)) or (keeps_dash and cell(k) in NO_FIGURE) for k in value_at):
            # no figure in any of the source's columns: a note, a signature line (填表人：…) or a
            # spacer, as tables carry below their data; it makes nothing, so it cannot be wrong
            skipped.append((line, unit_text, "blank"))
            continue
        if not unit_text and not survey and not any(number(cell(k)) is not None for k in value_at):
            skipped.append((line, _first_text(cells), "blank"))  # words below the table, no number
            continue
        if not unit_text:
            problems.append(Problem(file, line, source.unit_column, "source_unit_empty", {}))
            continue
        town = cell(town_at) if town_at is not None else None
        uid, could_be, how = found.find(unit_text, town)
        if uid is None and how == "town":
            problems.append(
                Problem(
                    file,
                    line,
                    source.town_column,
                    "source_unit_town",
                    {"unit": unit_text, "town": town, "id": could_be[0]},
                )
            )
            continue
        if uid is None and could_be:
            problems.append(
                Problem(
                    file,
                    line,
                    source.unit_column,
                    "source_unit_ambiguous",
                    {"unit": unit_text, "ids": "、".join(could_be)},
                )
            )
            continue
        if uid is None:
            if source.unmatched == "skip":
                skipped.append((line, unit_text, "unit"))
            else:
                problems.append(
                    Problem(file, line, source.unit_column, "source_unit_unknown", {"unit": unit_text})
                )
            continue
        if period_at is not None:
            written = cell(period_at)
            per, month = periods.find(written)
            if per is None:
                code = "source_month_unknown" if periods.monthly else "source_period_unknown"
                problems.append(
                    Problem(
                        file,
                        line,
                        source.period_column,
                        code,
                        {"value": written, "periods": "、".join(rules.periods)},
                    )
                )
                continue
        else:
            per, month = fixed
        if source.shape == "long":
            label = cell(ind_at)
            col = mapped.get(squeeze(label))
            if col is None:
                if source.unmatched == "skip":
                    skipped.append((line, unit_text, "indicator"))
                else:
                    problems.append(
                        Problem(
                            file,
                            line,
                            source.indicator_column,
                            "source_label_unknown",
                            {"value": label, "known": "、".join(c.column for c in source.columns)},
                        )
                    )
                continue
            picks: list[tuple[int | None, SourceColumn, str | None]] = [(val_at, col, None)]
        else:
            picks = columns
        sheet = (cell(respondent_at) or str(line)) if survey else None
        status = None
        if survey:
            word = cell(status_at).lower()
            if word not in excluded and word not in counted:
                known = "、".join(w for w in (*source.counted, *source.excluded) if w)
                problems.append(
                    Problem(
                        file,
                        line,
                        source.status_column,
                        "source_status_word",
                        {"value": word, "known": known},
                    )
                )
                continue
            status = "excluded" if word in excluded else "counted"
        answers: list[str] = []
        for k, col, across in picks:
            if across is not None:  # the month is the column's
                per, month = periods.of_month[across], across
            raw = figure(cell(k))
            if raw == "" and keeps_dash and cell(k) in NO_FIGURE and (source.dash == "zero" or month):
                raw = "0" if source.dash == "zero" else "—"
            if raw == "" or (sheet is not None and raw in source.no_answer):
                continue  # nothing supplied in this cell (empty, a dash, or a survey's 不了解)
            if raw == "—":  # a month delivered with no figure: the period is made without it
                x = None
            else:
                x = source.answers.get(raw) if raw in source.answers else number(raw)
                if x is None:
                    words = "、".join(source.answers)
                    code, params = (
                        ("source_answer_word", {"value": raw, "known": words})
                        if words
                        else ("not_a_number", {"value": raw})
                    )
                    problems.append(Problem(file, line, col.column, code, params))
                    continue
            answers.append(f"{col.column}={raw}")
            rows.append(
                {
                    "_row": line,
                    "unit_text": unit_text,
                    "unit_id": uid,
                    "matched": how,
                    "period": per,
                    "month": month,
                    "indicator_id": col.indicator,
                    "column": col.column,
                    "raw": raw,
                    "value": None if x is None else plain(x * col.factor),
                    "respondent": sheet,
                    "status": status,
                }
            )
        if survey and status == "counted":
            sheets.append(
                {
                    "_row": line,
                    "unit_id": uid,
                    "period": per,
                    "ip": cell(ip_at),
                    "time": cell(time_at),
                    "answers": "|".join(answers),
                }
            )
    frame = pl.DataFrame(rows, schema=ROW_COLUMNS)
    problems += _twice(frame, file, periods.monthly, survey)
    repeats = repeated_sheets(sheets, source, time_at is not None) if survey and ip_at is not None else {}
    return SourceRows(frame, skipped, problems, repeats)


def _first_text(cells: list[str]) -> str:
    """The row's first words, as the dry run names a row that names no unit."""
    return next((trim(c) for c in cells if trim(c)), "")[:40]


def _refuse_other_year(rules: Rules, file: str, title: str) -> None:
    """A file whose title rows or name say years, none of them the campaign's, is last year's
    (2023年10–12月 in a 2024 campaign): refused, naming both, unless its period is given."""
    own = _campaign_years(rules)
    named = sorted({int(y) for y in _YEAR.findall(f"{title} {file}")})
    if own and named and not own & set(named):
        params = {"named": "、".join(map(str, named)), "year": "、".join(map(str, sorted(own)))}
        raise CampaignError([Problem(file, None, None, "source_other_year", params)])


def _campaign_years(rules: Rules) -> set[int]:
    years = {rules.campaign.year} if rules.campaign.year else set()
    for p in rules.periods:
        years |= {int(m[:4]) for m in label_months(p) or []}
    return years


def _month_columns(
    header: list[str], source: Source, periods: PeriodMatcher, year: int | None
) -> list[tuple[int | None, SourceColumn, str | None]]:
    """The columns of a table with its months across: each header a ``{month}`` column of the
    source matches, with the month it names (1月 takes the campaign's year). A month outside the
    campaign's periods (last December, shown for comparison) is not read."""
    found: list[tuple[int | None, SourceColumn, str | None]] = []
    for col in source.columns:
        before, after = squeeze(col.column).split(MONTH_SLOT, 1)
        pattern = re.compile(re.escape(before) + "(.+?)" + re.escape(after))
        for k, h in enumerate(header):
            if (m := pattern.fullmatch(h)) and (month := parse_month(m.group(1), year)) in periods.of_month:
                found.append((k, col, month))
    return found


def _twice(frame: pl.DataFrame, file: str, monthly: bool, survey: bool = False) -> list[Problem]:
    """A cell (a month's, for monthly rows) given twice in the file, or for a survey export an
    answer sheet's number given twice for a unit and period: the later row is refused."""
    keys = ["unit_id", "indicator_id", "month" if monthly else "period"]
    keys += ["respondent", "column"] if survey else []
    first = frame.group_by(keys).agg(pl.col("_row").min().alias("_first"))
    again = frame.join(first, on=keys).filter(pl.col("_row") != pl.col("_first"))
    code = "source_respondent_twice" if survey else "source_twice_in_file"
    return [
        Problem(
            file,
            r["_row"],
            r["column"],
            code,
            {
                "unit": r["unit_text"],
                "first": r["_first"],
                "respondent": r["respondent"],
                "period": r["period"],
            },
        )
        for r in again.sort("_row").iter_rows(named=True)
    ]
