"""A department's file as a table of text: CSV (UTF-8 or GBK) or an Excel workbook's first
sheet, a title above the table allowed (the header is the first row naming the unit column),
and its cells' numbers as departments write them (thousands separators, a percent sign, a dash
for no figure). A number cell of a sheet is read as Excel shows it."""

from __future__ import annotations

import csv
import io
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from scoring.core.errors import CampaignError, Problem
from scoring.core.text import decode_text
from scoring.rules.model import VALUE_SCALE, Source

HEADER_SEARCH_ROWS = 20
NO_FIGURE = frozenset({"-", "—", "——", "－", "/", "／"})  # a cell a clerk marks as having no figure
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def squeeze(text: object) -> str:
    """A header as compared: without any space or line break."""
    return re.sub(r"\s+", "", str(text or ""))


def trim(text: object) -> str:
    """A cell as compared: spaces (full-width ones too) trimmed from both ends."""
    return str(text or "").strip().strip("\u3000").strip()


class Table(NamedTuple):
    """A department's table: its header cells, its data rows (sheet row number, cells as text)
    and the text of the rows above the header (the title: 2023年10–12月…)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    title: str


def read_table(path: Path, file: str, source: Source) -> Table:
    """The header cells, the data rows and the title of a file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = decode_text(path.read_bytes(), file)
        reader = csv.reader(io.StringIO(text))
        try:
            lines = []
            for cells in reader:
                lines.append((reader.line_num, cells))
        except csv.Error as exc:
            raise CampaignError(
                [Problem(file, reader.line_num, None, "csv_malformed", {"detail": str(exc)})]
            ) from None
    elif suffix == ".xlsx":
        return _workbook_table(path, file, source)
    elif suffix in (".xls", ".et"):
        # the old binary workbook keeps no format the reader can see: a cell shown as 99.5 %
        # would be read as 0.995, silently a hundredth; saved as .xlsx it is read as shown
        raise CampaignError([Problem(file, None, None, "upload_old_excel", {})])
    else:
        raise CampaignError([Problem(file, None, None, "upload_type", {})])
    found = _header_at(lines, source)
    if found is None:
        raise _no_header(file, source, _blank(lines))
    header, data = _two_rows(lines, found, source)
    return Table([squeeze(c) for c in header], _with_rows(data, file), _title(lines[:found]))


def _title(above: list[tuple[int, list[str]]]) -> str:
    return " ".join(str(c).strip() for _, cells in above for c in cells if str(c or "").strip())


def _blank(lines: list[tuple[int, list[str]]]) -> bool:
    """Whether no row holds any text: the file is empty."""
    return not any(str(c or "").strip() for _, cells in lines for c in cells)


def _with_rows(data: list[tuple[int, list[str]]], file: str) -> list[tuple[int, list[str]]]:
    """The rows under the header, refused in words when there are none (a header alone)."""
    if _blank(data):
        raise CampaignError([Problem(file, None, None, "source_no_rows", {})])
    return data


def _two_rows(
    lines: list[tuple[int, list[str]]], at: int, source: Source
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows below it. A header of two rows (a merged 12345热线 above its
    办件量 and 满意率) is read as one: the row below the header is a second header row when its
    unit cell is empty and it has words and no number; a column then heads as 12345热线/满意率
    (the upper cell carried across the merged ones), or as the upper row says where the lower
    cell is empty."""
    header = lines[at][1]
    below = lines[at + 1][1] if at + 1 < len(lines) else []
    unit_at = next(k for k, c in enumerate(header) if squeeze(c) == squeeze(source.unit_column))
    words = [c.strip() for c in below if c.strip()]
    if (
        not words
        or (unit_at < len(below) and below[unit_at].strip())
        or any(number(w) is not None for w in words)
    ):
        return header, lines[at + 1 :]
    joined, upper = [], ""
    for k, cell in enumerate(header):
        upper = cell if cell.strip() else upper
        lower = below[k].strip() if k < len(below) else ""
        joined.append(f"{upper}/{lower}" if lower else cell)
    return joined, lines[at + 2 :]


def _header_at(lines: list[tuple[int, list[str]]], source: Source) -> int | None:
    """The index of the header row: the first of the top rows naming the unit column."""
    wanted = squeeze(source.unit_column)
    return next(
        (
            k
            for k, (_, cells) in enumerate(lines[: HEADER_SEARCH_ROWS * 2])
            if any(squeeze(c) == wanted for c in cells)
        ),
        None,
    )


def _no_header(file: str, source: Source, empty: bool = False) -> CampaignError:
    """No row names the unit column; or, ``empty``, the file holds nothing at all."""
    if empty:
        return CampaignError([Problem(file, None, None, "file_empty", {})])
    return CampaignError(
        [Problem(file, None, source.unit_column, "source_no_header", {"column": source.unit_column})]
    )


def _workbook_table(path: Path, file: str, source: Source) -> Table:
    """The first sheet whose top rows name the unit column (a workbook may open on a sheet of
    instructions), its rows numbered as the sheet numbers them; a number cell's binary noise
    (9235790.640000001) is read as Excel shows it, a percent cell as it is shown."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(path)
        empty = True
        for index in range(len(reader.sheet_names)):
            # skip_rows=0: from the sheet's row 1, so that the rows keep the sheet's numbers
            cells = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string").to_polars()
            lines = [
                (k + 1, ["" if c is None else _as_shown(c) for c in row])
                for k, row in enumerate(cells.iter_rows())
            ]
            empty = empty and _blank(lines)
            found = _header_at(lines, source)
            if found is not None:
                header, data = _two_rows(lines, found, source)
                _as_percent_shown(path, index, lines[found][0], lines[found][1], data)
                return Table([squeeze(c) for c in header], _with_rows(data, file), _title(lines[:found]))
    except CampaignError:
        raise
    except Exception as exc:  # the reader raises many types for a damaged file
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CampaignError([Problem(file, None, None, "file_unreadable", {"detail": detail})]) from None
    raise _no_header(file, source, empty)


def _as_percent_shown(
    path: Path, sheet: int, header_row: int, header: list[str], data: list[tuple[int, list[str]]]
) -> None:
    """A number cell formatted as a percentage (0.85 shown as 85%) read as a percent: 85. Its
    full ratio is read (a formula's 3394/3600 is 94.277777778, to the 9 decimals values keep,
    half up), not the reader's text of it (9 decimals of the ratio) nor the figure as shown
    (94.28, whose decimals depend on the cell's format)."""
    from scoring.ingest.xlsx import percent_by_position

    at = {line: cells for line, cells in data}
    for j, rows in percent_by_position(path, sheet, header_row, header).items():
        for r, stored in rows.items():
            cells = at.get(r)
            if cells is None or j >= len(cells):
                continue
            x = _stored_number(stored) if stored else None
            x = number(cells[j]) if x is None else x
            if x is not None:
                x = x.scaleb(2).quantize(Decimal(1).scaleb(-VALUE_SCALE), rounding=ROUND_HALF_UP)
                cells[j] = format(x.normalize(), "f")


def _stored_number(text: str) -> Decimal | None:
    """The number a cell stores, as the shortest decimal of its binary value (0.94277777777777783
    is 0.9427777777777778): a formula's cached value without binary noise."""
    try:
        x = float(text)
    except ValueError:
        return None
    return Decimal(repr(x)) if math.isfinite(x) else None


def _as_shown(text: str) -> str:
    digits = sum(ch.isdigit() for ch in text)
    if digits > 15 and re.fullmatch(r"[-+]?\d+\.\d+", text):
        return format(Decimal(format(float(text), ".15g")), "f")
    return text


def figure(text: str) -> str:
    """A value cell's text, empty when the clerk marked it as having no figure (a dash, a slash)."""
    return "" if text in NO_FIGURE else text


def number(raw: str) -> Decimal | None:
    """A cell as a number: thousands separators and a trailing percent sign allowed."""
    text = raw.strip().replace("，", ",")
    if text.endswith(("%", "％")):
        text = text[:-1].strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        x = Decimal(text)
    except InvalidOperation:
        return None
    return x if x.is_finite() else None
