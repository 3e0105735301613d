"""What the Excel reader cannot tell: which number cells of a sheet's value column are shown
as percentages.

A cell formatted as a percentage shows 85% and holds 0.85. Read as a number it would pass as
0.85, silently a hundredth of what the evaluator typed for an indicator measured in %. The
reader (fastexcel) gives no cell formats, so this reads them from the workbook itself, an
OOXML zip: the first sheet's cells, their styles, and the styles' number formats.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, fromstring, iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BUILTIN_PERCENT = {9, 10}  # Excel's built-in number formats 0% and 0.00%
CELL = re.compile(r"([A-Z]+)(\d+)")


def is_percent_format(code: str) -> bool:
    """Whether a number format code scales by 100 and shows a percent sign: a % outside
    quoted text ("…") and not escaped (\\%)."""
    return "%" in re.sub(r'"[^"]*"|\\.', "", code)


def _text(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{MAIN}t"))


def _sheet_path(z: zipfile.ZipFile, index: int = 0) -> str:
    """The path, inside the zip, of the workbook's sheet at ``index`` (in the workbook's order)."""
    book = fromstring(z.read("xl/workbook.xml"))
    sheets = book.findall(f"{MAIN}sheets/{MAIN}sheet")
    if index >= len(sheets):
        raise ValueError("the workbook has no such sheet")
    sheet = sheets[index]
    rid = sheet.get(f"{DOC_REL}id")
    rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target", "") for r in rels.iter(f"{RELS}Relationship") if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _percent_styles(z: zipfile.ZipFile) -> set[int]:
    """The indexes of the cell styles whose number format is a percentage."""
    if "xl/styles.xml" not in z.namelist():
        return set()
    styles = fromstring(z.read("xl/styles.xml"))
    codes = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iter(f"{MAIN}numFmt")}
    cell_xfs = styles.find(f"{MAIN}cellXfs")
    return {
        k
        for k, xf in enumerate(cell_xfs if cell_xfs is not None else [])
        if int(xf.get("numFmtId", 0)) in BUILTIN_PERCENT
        or is_percent_format(codes.get(int(xf.get("numFmtId", 0)), ""))
    }


def _header_column(
    z: zipfile.ZipFile, sheet: str, shared: list[str], header_row: int, column: str
) -> str | None:
    """The letters of the column headed ``column`` in ``header_row``: the sheet is parsed only
    as far as that row."""
    with z.open(sheet) as xml:
        for _, cell in iterparse(xml):
            if cell.tag != f"{MAIN}c":
                continue
            found = CELL.fullmatch(cell.get("r", ""))
            if found is None or int(found.group(2)) < header_row:
                continue
            if int(found.group(2)) > header_row:
                return None
            kind, value = cell.get("t", "n"), cell.find(f"{MAIN}v")
            if kind == "s" and value is not None:
                text = shared[int(value.text or 0)]
            elif kind == "inlineStr":
                text = _text(cell)
            else:
                text = value.text or "" if value is not None else ""
            if text.strip() == column:
                return found.group(1)
    return None


def percent_rows(path: Path, header_row: int, column: str = "value", sheet_index: int = 0) -> set[int]:
    """The sheet rows (numbered as the sheet shows them) below ``header_row`` whose cell in the
    column headed ``column`` is a number formatted as a percentage (in the first sheet, or the
    one at ``sheet_index``)."""
    with zipfile.ZipFile(path) as z:
        percent = _percent_styles(z)
        if not percent:
            return set()
        sheet = _sheet_path(z, sheet_index)
        letters = _header_column(z, sheet, _shared(z), header_row, column)
        if letters is None:
            return set()
        return {r for r in _percent_cells(z, sheet, percent).get(letters, {}) if r > header_row}


def percent_by_position(
    path: Path, sheet_index: int, header_row: int, header: list[str]
) -> dict[int, dict[int, str]]:
    """For each column of ``header`` (the header row's cells as the reader gives them, from the
    sheet's first used column), the sheet rows below ``header_row`` whose cell is a number
    formatted as a percentage, each with the number the file stores. The reader's first column
    is found by the header's first named cell, whose letters the sheet gives."""
    first = next((k for k, c in enumerate(header) if c.strip()), None)
    with zipfile.ZipFile(path) as z:
        percent = _percent_styles(z)
        if not percent or first is None:
            return {}
        sheet = _sheet_path(z, sheet_index)
        letters = _header_column(z, sheet, _shared(z), header_row, header[first].strip())
        if letters is None:
            return {}
        offset = _column_number(letters) - first
        found: dict[int, dict[int, str]] = {}
        for col, rows in _percent_cells(z, sheet, percent).items():
            below = {r: v for r, v in rows.items() if r > header_row}
            if below and 0 <= _column_number(col) - offset < len(header):
                found[_column_number(col) - offset] = below
        return found


def _column_number(letters: str) -> int:
    """A column's letters as a number from 0 (A → 0, Z → 25, AA → 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def _shared(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    return [_text(si) for si in fromstring(z.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")]


# a cell's stored value after its start tag: a formula (<f>…</f> or <f …/>) may come first
_VALUE = re.compile(
    rb"(?:\s|<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>)*<(?:\w+:)?v>([^<]*)</"
)


def _percent_cells(z: zipfile.ZipFile, sheet: str, percent: set[int]) -> dict[str, dict[int, str]]:
    """Per column letters, the rows of the number cells styled as a percentage, each with the
    number the file stores (its full ratio, 0.94277777777777783; empty when the cell has none)."""
    # every cell of the sheet through the XML parser takes seconds at 200,000 rows: only the
    # start tags of the cells with a percentage style are looked at (a <c> tag's attributes,
    # r, s and t, hold no ">"), with or without a namespace prefix
    styled = re.compile(
        rb'<(?:\w+:)?c\b[^>]*\bs="(?:' + b"|".join(str(k).encode() for k in sorted(percent)) + rb')"[^>]*>'
    )
    data = z.read(sheet)
    cells: dict[str, dict[int, str]] = {}
    for tag in styled.finditer(data):
        ref = re.search(rb'\br="([A-Z]+)(\d+)"', tag.group())
        kind = re.search(rb'\bt="(\w+)"', tag.group())
        if ref and (kind is None or kind.group(1) == b"n"):
            value = None if tag.group().endswith(b"/>") else _VALUE.match(data, tag.end())
            stored = value.group(1).decode().strip() if value else ""
            cells.setdefault(ref.group(1).decode(), {})[int(ref.group(2))] = stored
    return cells
