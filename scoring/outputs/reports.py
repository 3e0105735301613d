"""Finance exports of a run's payouts: Excel (a sheet per payee type) and CSV.

Both are safe against spreadsheet formula injection: a text cell that begins with
``= + - @`` (or a tab / carriage return) is written with a leading apostrophe in CSV and
always as a string, never a formula, in Excel.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl
import xlsxwriter

from scoring.core.frames import each
from scoring.core.localtime import DEFAULT_ZONE, show
from scoring.engine.run import Run

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY = ("gross", "capped", "final")


def safe_text(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column's cells made safe for a spreadsheet (numbers stay numbers)."""
    starts = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(starts)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def safe_csv(frame: pl.DataFrame) -> bytes:
    """A CSV a spreadsheet opens as data: UTF-8 with a BOM (Excel then reads it right), text
    cells that would run as a formula neutralised."""
    return ("\ufeff" + safe_frame(frame).write_csv()).encode("utf-8")


def payouts_csv(payouts: pl.DataFrame, labels: dict[str, str] | None = None, draft: bool = False) -> bytes:
    """payee_type, payee_id, payee_name, gross, capped, final — text cells made safe. With
    ``labels`` (the export labels of the reader's language), as finance opens it in Excel:
    headers and payee types in words, and a status column saying draft until the year is final."""
    from scoring.core.money import plain

    frame = payouts.select("payee_type", "payee_id", "payee_name", *MONEY)
    frame = frame.with_columns(each(frame, c, plain) for c in MONEY)
    if labels is not None:
        frame = frame.with_columns(
            pl.col("payee_type").replace({t: labels[t] for t in ("community", "secretary")}),
            pl.lit(labels["draft"] if draft else labels["final_status"]).alias("status"),
        ).rename({c: labels[c] for c in ("payee_type", "payee_id", "payee_name", *MONEY, "status")})
    return safe_csv(frame)  # amounts are never negative: their text is never taken for a formula


def payouts_excel(
    payouts: pl.DataFrame,
    run: Run,
    labels: dict[str, str],
    draft: bool = False,
    explanations: list[Any] | None = None,
    tz: str = DEFAULT_ZONE,
) -> bytes:
    """One sheet per payee type, a header block (campaign, hashes, time) and a totals row;
    with ``explanations`` (scoring.analysis.explain), a sheet deriving every payee's final amount."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    s = run.summary
    header = [
        (labels["campaign"], f"{s['campaign_id']} {s.get('campaign_name', '')}"),
        (labels["rules_hash"], s["rules_hash"]),
        (labels["data_hash"], s["data_hash"]),
        (labels["computed_at"], show(datetime.fromisoformat(s["computed_at"]), tz, seconds=True)),
        (labels["scale_factor"], f"{s['scale_factor']} ({s['scale_factor_fraction']})"),
        (labels["status"], labels["draft"] if draft else labels["final_status"]),
    ]
    for payee_type in ("community", "secretary"):
        sheet = book.add_worksheet(labels[payee_type])
        for r, (k, v) in enumerate(header):
            sheet.write_string(r, 0, k, bold)
            sheet.write_string(r, 1, str(safe_text(v)))
        top = len(header) + 1
        cols = ["payee_id", "payee_name", *MONEY]
        for c, name in enumerate(cols):
            sheet.write_string(top, c, labels[name], bold)
        rows = payouts.filter(pl.col("payee_type") == payee_type)
        totals = {m: Decimal(0) for m in MONEY}
        for r, row in enumerate(rows.iter_rows(named=True), start=top + 1):
            sheet.write_string(r, 0, str(safe_text(row["payee_id"])))
            sheet.write_string(r, 1, str(safe_text(row["payee_name"] or "")))
            for c, m in enumerate(MONEY, start=2):
                sheet.write_number(r, c, float(row[m]), money)
                totals[m] += row[m]
        end = top + 1 + rows.height
        sheet.write_string(end, 0, labels["total"], bold)
        for c, m in enumerate(MONEY, start=2):
            sheet.write_number(end, c, float(totals[m]), money_bold)
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, 4, 14)
    if explanations:
        sheet = book.add_worksheet(labels["explain"])
        for c, name in enumerate(("payee_type", "payee_id", "payee_name", "step", "final")):
            sheet.write_string(0, c, labels[name], bold)
        at = 1
        for e in explanations:
            for step_no, line in enumerate(e.lines, start=1):
                sheet.write_string(at, 0, labels[e.payee_type])
                sheet.write_string(at, 1, str(safe_text(e.payee_id)))
                sheet.write_string(at, 2, str(safe_text(e.payee_name or "")))
                sheet.write_string(at, 3, f"{step_no}. {safe_text(line)}")
                if step_no == len(e.lines):
                    sheet.write_number(at, 4, float(e.final), money)
                at += 1
        sheet.set_column(0, 2, 16)
        sheet.set_column(3, 3, 70)
    book.close()
    return buf.getvalue()
