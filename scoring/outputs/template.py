"""The entry template as an office fills it in: one sheet, units down and indicators across.

Row 1 is the title (campaign, period, town); row 2, hidden, carries the period and the
indicator ids the sheet is read back by; row 3 the Chinese headers (单位编号, 单位名称, 街镇, then
each indicator's name and unit); row 4 what each indicator takes (its range, 0/1, tiers); the
units from row 5, pre-filled with the current values. The sheet is protected: only the value
cells of indicators that apply to the unit can be typed in, the unit columns are locked; a
veto has a 0/1 drop-down, an item that may not apply a 不涉及 drop-down, a count a check of
≥ 0 and a bounded indicator a range check, each with its hint as the cell's input message.
``scoring.ingest.template`` reads it back.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from scoring.core.frames import to_polars
from scoring.core.i18n import t
from scoring.core.money import plain
from scoring.core.na import NA_TEXT, value_text
from scoring.ingest.template import FIRST_DATA_ROW, MARKER
from scoring.store.campaign import Campaign
from scoring.store.cells import applicable_cells_sql, cell_params


def wide_template(
    camp: Campaign,
    period: str,
    category: str | None,
    town: str | None = None,
    lang: str = "zh",
) -> bytes:
    """The wide entry sheet of one period (and category, and town), pre-filled."""
    con, cid = camp.con, camp.id
    rules = camp.rules
    cells = to_polars(
        con.cursor().sql(
            f"""
        SELECT unit_id, unit_name, coalesce(town, '') AS town, unit_no, indicator_id, indicator_no, value
        FROM {applicable_cells_sql(period=period, town=town, category=category)}
        ORDER BY unit_no, indicator_no""",
            params=cell_params(cid, period=period, town=town, category=category),
        )
    )
    used = set(cells["indicator_id"].to_list())
    indicators = [i for i in rules.indicators if i.id in used]
    units = cells.select("unit_id", "unit_name", "town", "unit_no").unique("unit_id").sort("unit_no")
    values = {(r["unit_id"], r["indicator_id"]): r["value"] for r in cells.iter_rows(named=True)}
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet(t("tpl.sheet", lang))
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "locked": True}
    )
    hint = book.add_format({"italic": True, "font_color": "#555555", "border": 1, "text_wrap": True})
    fixed = book.add_format({"bg_color": "#F2F2F2", "border": 1, "locked": True})
    entry = book.add_format({"border": 1, "locked": False})
    closed = book.add_format({"bg_color": "#BFBFBF", "border": 1, "locked": True})
    place = town or t("tpl.all_towns", lang)
    sheet.write_string(0, 0, t("tpl.title", lang, name=rules.campaign.name, period=period, town=place), title)
    sheet.write_row(1, 0, [MARKER, period, ""] + [i.id for i in indicators])
    sheet.set_row(1, None, None, {"hidden": True})
    headers = [t("tpl.unit_id", lang), t("tpl.unit_name", lang), t("tpl.town", lang)]
    count = t("tpl.count", lang)
    headers += [i.name + (f"（{i.unit}）" if i.unit else count if i.counted else "") for i in indicators]
    sheet.write_row(2, 0, headers, head)
    hints = [_hint(i, lang) for i in indicators]
    sheet.write_row(3, 0, ["", "", t("tpl.hint", lang), *hints], hint)
    for r, unit in enumerate(units.iter_rows(named=True), start=FIRST_DATA_ROW - 1):
        sheet.write_string(r, 0, unit["unit_id"], fixed)
        sheet.write_string(r, 1, unit["unit_name"] or "", fixed)
        sheet.write_string(r, 2, unit["town"], fixed)
        for c, ind in enumerate(indicators, start=3):
            key = (unit["unit_id"], ind.id)
            if key not in values:  # the indicator does not apply to this unit's category
                sheet.write_string(r, c, "—", closed)
            else:
                value = values[key]
                sheet.write_string(r, c, value_text(value), entry)
    last = FIRST_DATA_ROW - 2 + units.height
    for c, ind in enumerate(indicators, start=3):
        rule = _validation(ind, hints[c - 3], lang)
        if rule is not None and units.height:
            sheet.data_validation(FIRST_DATA_ROW - 1, c, last, c, rule)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 2 + len(indicators), 14)
    sheet.freeze_panes(FIRST_DATA_ROW - 1, 3)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})
    book.close()
    return buf.getvalue()


def _hint(ind: Any, lang: str) -> str:
    """What a cell takes, in words; where the item may not apply, that 不涉及 may be written."""
    said = _takes(ind, lang)
    return f"{said}；{t('spec.may_not_apply', lang)}" if ind.may_not_apply else said


def _takes(ind: Any, lang: str) -> str:
    if ind.counted:
        return t(f"spec.count_{ind.kind}", lang, each=plain(ind.each), points=plain(ind.points))
    if ind.kind == "veto":
        return t("tpl.veto", lang)
    if ind.kind in ("score", "bonus", "penalty"):
        return t("tpl.range", lang, lo="0", hi=plain(ind.points))
    lo = "" if ind.min_value is None else plain(ind.min_value)
    hi = "" if ind.max_value is None else plain(ind.max_value)
    if lo or hi:
        return t("tpl.range", lang, lo=lo or "…", hi=hi or "…")
    return t(f"kind.{ind.kind}", lang)


def _validation(ind: Any, hint: str, lang: str) -> dict[str, Any] | None:
    """Excel's own check of a cell: a 0/1 drop-down for a veto, a range where the rule has one;
    the hint shown as the cell's input message either way."""
    message = {"input_title": ind.name[:32], "input_message": hint[:255], "error_title": ind.name[:32]}
    if ind.kind == "veto":
        return {"validate": "list", "source": ["0", "1"], **message, "error_message": hint[:255]}
    if ind.may_not_apply:  # a drop-down offering 不涉及; a number is typed as before, unchecked
        return {"validate": "list", "source": [NA_TEXT], "show_error": False, **message}
    if ind.counted:  # a count: any number from 0
        return {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "error_type": "warning", "error_message": hint[:255], **message,
        }  # fmt: skip
    if ind.kind in ("score", "bonus", "penalty"):
        lo, hi = 0, ind.points
    elif ind.min_value is not None and ind.max_value is not None:
        lo, hi = ind.min_value, ind.max_value
    else:
        return {"validate": "any", **message}
    # a typed number between the bounds; the checks on upload still refuse anything else
    return {
        "validate": "decimal", "criteria": "between", "minimum": float(lo), "maximum": float(hi),
        "error_type": "warning", "error_message": hint[:255], **message,
    }  # fmt: skip
