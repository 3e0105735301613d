"""Reading values.xlsx: number cells as Excel shows them, the sheet's own row numbers, the
header below a title, and percentage-formatted cells refused like a percent sign."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from tests.ingest.test_validation import folder, problems, values_csv


def test_xlsx_bad_value_names_sheet_row(tmp_path):
    frame = pl.read_csv(values_csv({("u1", "Q1", "pb"): "高"}).encode(), infer_schema=False)
    path = folder(tmp_path)
    (path / "values.csv").unlink()
    frame.write_excel(path / "values.xlsx")
    (p,) = problems(path)
    assert (p.file, p.row, p.code) == ("values.xlsx", 2, "not_a_number")


def _sheet(path: Path, rows: list[tuple[int, list[object]]], header_row: int = 1) -> None:
    """values.xlsx with the header in ``header_row`` and each (sheet row, cells) as given: a
    str is written as a text cell, a float or int as a number cell, ("=", formula, result) as
    a formula with its result."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(header_row - 1, 0, ["unit_id", "period", "indicator_id", "value"])
    for row, cells in rows:
        for col, cell in enumerate(cells):
            if isinstance(cell, tuple):
                sheet.write_formula(row - 1, col, cell[1], None, cell[2])
            elif isinstance(cell, str):
                sheet.write_string(row - 1, col, cell)
            else:
                sheet.write_number(row - 1, col, cell)
    book.close()


def test_xlsx_number_cells_read_as_excel_shows_them(tmp_path):
    """A number cell is its 15 significant digits: no binary noise on large numbers, no
    rounding of small ones to 9 decimals; a text cell is read as written."""
    from scoring.ingest.load import read_values

    path = tmp_path / "x"
    path.mkdir()
    _sheet(
        path / "values.xlsx",
        [
            (2, ["u2", "Q1", "inc", 9235790.64]),
            (3, ["u2", "Q2", "inc", 123456789.123]),
            (4, ["u1", "Q1", "pb", 13]),
            (5, ["u1", "Q2", "pb", ("=", "=0.1+0.2", 0.1 + 0.2)]),
            (6, ["u1", "Q1", "area", 1e-10]),
            (7, ["u1", "Q2", "area", "123456789.122999996"]),
            (8, ["u1", "Q1", "veto", "85%"]),
            (9, ["u2", "Q1", "pb", "12.50"]),
        ],
    )
    frame, _ = read_values(path)
    assert frame["value"].to_list() == [
        "9235790.64",
        "123456789.123",
        "13",
        "0.3",
        "0.0000000001",
        "123456789.122999996",
        "85%",
        "12.50",
    ]


def test_xlsx_rows_count_blank_rows_and_refuse_tiny_numbers(tmp_path):
    """A blank sheet row counts in the row numbers (as a CSV's blank line does); a number
    cell with more than 9 decimals is refused, not rounded to 0."""
    good = pl.read_csv(values_csv().encode(), infer_schema=False)
    path = folder(tmp_path)
    (path / "values.csv").unlink()
    rows = [(2 + k + (k >= 3), list(r)) for k, r in enumerate(good.iter_rows())]  # row 5 blank
    rows[5] = (rows[5][0], [*rows[5][1][:3], "高"])
    rows[8] = (rows[8][0], [*rows[8][1][:3], 1e-10])
    _sheet(path / "values.xlsx", rows)
    found = {(p.file, p.row, p.column, p.code) for p in problems(path)}
    assert found == {
        ("values.xlsx", rows[5][0], "value", "not_a_number"),
        ("values.xlsx", rows[8][0], "value", "too_many_decimals"),
    }
    assert rows[5][0] == 8 and rows[8][0] == 11


def test_xlsx_header_below_empty_rows_keeps_sheet_row_numbers(tmp_path):
    """The header is the sheet's first row with anything in it; rows are named as the sheet
    numbers them, and a missing column on that header's row."""
    good = pl.read_csv(values_csv().encode(), infer_schema=False)
    path = folder(tmp_path)
    (path / "values.csv").unlink()
    rows = [(4 + k, list(r)) for k, r in enumerate(good.iter_rows())]
    rows[2] = (rows[2][0], [*rows[2][1][:3], "高"])
    _sheet(path / "values.xlsx", rows, header_row=3)
    assert [(p.row, p.code) for p in problems(path)] == [(6, "not_a_number")]
    book = tmp_path / "no_value"
    book.mkdir()
    import xlsxwriter

    with xlsxwriter.Workbook(str(book / "values.xlsx")) as wb:
        wb.add_worksheet().write_row(1, 0, ["unit_id", "period", "indicator_id", "分值"])
    from scoring.ingest.load import read_values

    with pytest.raises(CampaignError) as info:
        read_values(book)
    assert {(p.row, p.column, p.code) for p in info.value.problems} == {(2, "value", "column_missing")}


def test_xlsx_title_and_notes_above_the_header_are_not_data(tmp_path):
    """A sheet as offices lay them out: a title row and a note above the table. The header is
    the first row naming every required column; rows keep the sheet's numbers."""
    import xlsxwriter

    good = pl.read_csv(values_csv().encode(), infer_schema=False)
    path = folder(tmp_path)
    (path / "values.csv").unlink()
    rows = [list(r) for r in good.iter_rows()]
    rows[1] = [*rows[1][:3], "高"]
    with xlsxwriter.Workbook(str(path / "values.xlsx")) as book:
        sheet = book.add_worksheet()
        sheet.merge_range(0, 0, 0, 3, "2025年第一季度指标录入表")
        sheet.write_row(1, 0, ["填报说明：数值一栏只填数字", "value"])
        sheet.write_row(3, 0, list(good.columns))
        for k, row in enumerate(rows):
            sheet.write_row(4 + k, 0, row)
    assert [(p.file, p.row, p.code) for p in problems(path)] == [("values.xlsx", 6, "not_a_number")]
    rows[1] = list(good.row(1))
    (path / "values.xlsx").unlink()
    with xlsxwriter.Workbook(str(path / "values.xlsx")) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["2025年第一季度指标录入表"])
        sheet.write_row(1, 0, list(good.columns))
        for k, row in enumerate(rows):
            sheet.write_row(2 + k, 0, row)
    assert read_campaign(path).values.height == good.height


def test_xlsx_percent_cells_are_refused_like_a_percent_sign(tmp_path):
    """A number cell formatted as a percentage shows 85% and holds 0.85: it is refused, as
    "85%" in a CSV is, naming 85 to write. A format with a quoted "%" shows the number itself.
    The sheet may start anywhere: here at C3."""
    import xlsxwriter

    from scoring.ingest.load import read_values

    good = pl.read_csv(values_csv().encode(), infer_schema=False)
    path = folder(tmp_path)
    (path / "values.csv").unlink()
    with xlsxwriter.Workbook(str(path / "values.xlsx")) as book:
        sheet = book.add_worksheet()
        percent, literal = book.add_format({"num_format": "0.0%"}), book.add_format({"num_format": '0"%"'})
        sheet.write_row(2, 2, ["unit_id", "period", "indicator_id", "value"])
        for k, (unit, period, indicator, value) in enumerate(good.iter_rows(), start=3):
            sheet.write_row(k, 2, [unit, period, indicator])
            if (unit, period, indicator) == ("u2", "Q1", "inc"):
                sheet.write_number(k, 5, 0.095, percent)  # shows 9.5%
                inc_row = k + 1
            elif (unit, period, indicator) == ("u2", "Q2", "inc"):
                sheet.write_number(k, 5, 9.5, literal)  # shows 9.5%, holds 9.5
            else:
                sheet.write_number(k, 5, float(value))
    frame, _ = read_values(path)
    assert frame.filter(pl.col("indicator_id") == "inc")["value"].to_list() == ["9.5%", "9.5"]
    (p,) = problems(path)
    assert (p.row, p.code, p.params["suggestion"]) == (inc_row, "value_percent", "9.5")


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("0%", True),
        ("0.00%", True),
        ("#,##0.0%;[Red]-0.0%", True),
        ('0"%"', False),
        ("0\\%", False),
        ("0.00", False),
    ],
)
def test_percent_formats(code, percent):
    from scoring.ingest.xlsx import is_percent_format

    assert is_percent_format(code) is percent
