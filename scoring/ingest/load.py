"""Read the files of a campaign folder into all-text polars frames with row numbers.

Every cell is read as text, trimmed of surrounding spaces, and given the row number a
spreadsheet shows (the first line is row 1), so that the checks can name the row of each
problem. The header is the first row naming every required column, so a title or a note above
the table is not read as data.
CSV files may be UTF-8 (with or without the BOM Excel writes) or GBK/GB18030 as saved by
Excel on Chinese Windows; both are read right. Values may also come from the first sheet
of ``values.xlsx`` or from ``values.parquet``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import polars as pl

from scoring.core.errors import CampaignError, Problem
from scoring.core.text import decode_text
from scoring.ingest.bounds import check_upload
from scoring.ingest.headers import canonical, wanted
from scoring.ingest.xlsx import percent_rows

ROW = "_row"
MAX_ROWS_REPORTED = 2000

UNIT_COLUMNS = ("unit_id", "name", "category", "secretary_id", "secretary_name")
UNIT_OPTIONAL = ("town", "households")
VALUE_COLUMNS = ("unit_id", "period", "indicator_id", "value")
VALUE_OPTIONAL = ("entered_by", "note")
SECRETARY_COLUMNS = ("unit_id", "period", "secretary_id", "secretary_name")
VALUE_FILES = ("values.csv", "values.xlsx", "values.parquet")
NO_VALUES = ""  # the values file's name when a folder has none
SURVEY_COLUMNS = ("unit_id", "period", "indicator_id", "respondent_id", "item", "answer")
SURVEY_OPTIONAL = ("status",)
SURVEY_FILES = ("surveys.csv", "surveys.xlsx")
BASELINE_COLUMNS = ("unit_id", "annual_score", "annual_rank")
BASELINE_FILE = "baseline.csv"


@dataclass
class RawFolder:
    """The text of a campaign folder's tables, before any check."""

    yaml_text: str
    units: pl.DataFrame
    values: pl.DataFrame | Path  # a Parquet file is read by the checks themselves
    values_file: str
    secretaries: pl.DataFrame | None
    surveys: pl.DataFrame | None = None  # residents' answers (surveys.csv or .xlsx)
    surveys_file: str = "surveys.csv"
    baseline: pl.DataFrame | None = None  # last year's results (baseline.csv)


def _finish(
    frame: pl.DataFrame,
    file: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    header_row: int = 1,
) -> pl.DataFrame:
    """Trim names and cells, number the rows (the header on ``header_row``, each row after it
    the next), check the header, keep known columns."""
    names: dict[str, str] = {}
    for c in frame.columns:  # a Chinese header is read as its name, unless that is there too
        name = canonical(c)
        names[c] = name if name not in names.values() and (name == c or name not in frame.columns) else c
    frame = frame.rename(names)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CampaignError(
            [Problem(file, header_row, c, "column_missing", {"columns": wanted(required)}) for c in missing]
        )
    keep = [c for c in (*required, *optional) if c in frame.columns]
    frame = frame.select([pl.col(c).cast(pl.String).str.strip_chars() for c in keep]).with_row_index(
        ROW, offset=header_row + 1
    )
    # a row whose every cell is empty is a blank line in the sheet, not data
    blank = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c) == "") for c in keep])
    return frame.filter(~blank).with_columns(pl.col(ROW).cast(pl.Int64))


def _utf8(data: bytes, file: str) -> bytes:
    """The file's bytes as UTF-8: as they are when they already are (less the BOM), else
    re-encoded from GB18030 — one copy fewer of a big file than decoding to text and back."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        return decode_text(data, file).encode()


HEADER_SEARCH_ROWS = 20  # how far down a file or sheet its header row is looked for


def _names_all(cells: Iterable[object], required: tuple[str, ...]) -> bool:
    """Whether a row's cells name every required column (a header row)."""
    return {canonical(c) for c in cells if c is not None}.issuperset(required)


def _csv_header(data: bytes, required: tuple[str, ...]) -> tuple[int, int]:
    """Where a CSV's header is: (records before it, its line number). The first of the
    first rows with anything in them that names every required column, so that a title or a
    note typed above the table (as a sheet saved as CSV has it) is not taken for it; else the
    first line, whose missing columns the checks then name."""
    rows = csv.reader(io.StringIO(data[: 1 << 16].decode("utf-8", errors="ignore")))
    used = 0
    for k, row in enumerate(rows):
        if any(c.strip() for c in row):
            if _names_all(row, required):
                return k, rows.line_num
            used += 1
            if used >= HEADER_SEARCH_ROWS:
                break
    return 0, 1


def read_csv(
    path: Path, file: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> pl.DataFrame:
    data = _utf8(path.read_bytes(), file)
    skip, header_row = _csv_header(data, required)
    try:
        frame = pl.read_csv(
            data,
            infer_schema=False,
            truncate_ragged_lines=False,
            raise_if_empty=True,
            skip_rows=skip,
        )
    except pl.exceptions.NoDataError:
        raise CampaignError([Problem(file, 1, None, "file_empty", {})]) from None
    except (pl.exceptions.ComputeError, pl.exceptions.PolarsError) as exc:
        ragged = _ragged_rows(data.decode(), file, skip)
        raise CampaignError(
            ragged or [Problem(file, None, None, "csv_malformed", {"detail": str(exc).splitlines()[0]})]
        ) from None
    return _finish(frame, file, required, optional, header_row)


def _ragged_rows(text: str, file: str, skip: int = 0) -> list[Problem]:
    """Rows whose number of cells differs from the header's (often an unquoted 1,200), the
    header coming after ``skip`` records."""
    rows = csv.reader(io.StringIO(text))
    for _ in range(skip):
        next(rows, None)
    header = next(rows, [])
    found = []
    for row in rows:
        if row and len(row) != len(header):
            found.append(
                Problem(file, rows.line_num, None, "csv_fields", {"got": len(row), "expected": len(header)})
            )
            if len(found) == MAX_ROWS_REPORTED:
                break
    return found


def read_values(folder: Path) -> tuple[pl.DataFrame | Path, str]:
    """The values table: a text frame for CSV/Excel; for Parquet, its checked path (the checks
    read it in DuckDB directly, streaming, which matters at millions of rows)."""
    present = [f for f in VALUE_FILES if (folder / f).is_file()]
    if not present:  # the rules and units alone: a campaign whose values are entered later
        empty = {"_row": pl.Int64, **{c: pl.String for c in (*VALUE_COLUMNS, *VALUE_OPTIONAL)}}
        return pl.DataFrame(schema=empty), NO_VALUES
    if len(present) > 1:
        raise CampaignError(
            [Problem(present[1], None, None, "values_ambiguous", {"files": ", ".join(present)})]
        )
    file = present[0]
    path = folder / file
    if file == "values.csv":
        return read_csv(path, file, VALUE_COLUMNS, VALUE_OPTIONAL), file
    try:
        if file == "values.parquet":
            columns = list(pl.read_parquet_schema(path))
            missing = [c for c in VALUE_COLUMNS if c not in columns]
            if missing:
                raise CampaignError(
                    [
                        Problem(file, 1, c, "column_missing", {"columns": ", ".join(VALUE_COLUMNS)})
                        for c in missing
                    ]
                )
            return path, file
        frame, header_row = read_sheet(path)
    except CampaignError:
        raise
    except Exception as exc:  # the readers raise many types for a damaged file
        raise CampaignError(
            [Problem(file, None, None, "file_unreadable", {"detail": str(exc).splitlines()[0]})]
        ) from None
    return _finish(frame, file, VALUE_COLUMNS, VALUE_OPTIONAL, header_row), file


EXCEL_DIGITS = 15  # the significant digits Excel keeps of a number and shows


def _as_excel_shows(number: float) -> str:
    """A number cell's value as Excel shows it: its 15 significant digits, written plainly."""
    return format(Decimal(format(number, f".{EXCEL_DIGITS}g")), "f")


def _header_index(cells: pl.DataFrame, used: pl.Series, required: tuple[str, ...]) -> int:
    """The index of the header row: the first of the sheet's first used rows that names every
    required column, so that a title or a note written above the table (a merged
    "2025年第一季度指标录入表" row) is not taken for it; else the first used row, whose missing
    columns the checks then name."""
    for k in used.head(HEADER_SEARCH_ROWS).to_list():
        if _names_all(cells.row(int(k)), required):
            return int(k)
    return int(used[0])


def read_sheet(path: Path, required: tuple[str, ...] = VALUE_COLUMNS) -> tuple[pl.DataFrame, int]:
    """The first sheet of an Excel file as text, and the sheet row of its header: the first
    row naming every ``required`` column (rows above it, a title or a note, are not data),
    else the first row with anything in it. Every row after it is kept, so that a blank row
    still counts in the row numbers (the checks skip it, as a CSV's blank line).

    A number cell in the value column is read as Excel shows it, to 15 significant digits.
    The reader's own text of a number is rounded to 9 decimals: it would drop smaller digits
    (a cell of 1E-10 read as 0, where the checks refuse more than 9 decimals) and show the
    binary noise of large numbers (9235790.64 read as 9235790.640000001). So the column is
    read again as numbers, and once more as true/false, which only number cells (and
    true/false cells) answer: a text cell, "12.5", "85%" or "1,200", is kept as written."""
    import fastexcel

    reader = fastexcel.read_excel(path)

    def load(dtypes: Any, columns: list[str] | None = None) -> pl.DataFrame:
        """The sheet from its row 1, without taking any row as the header."""
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes=dtypes, use_columns=columns)
        return sheet.to_polars()

    cells = load("string")
    used = cells.select(pl.any_horizontal(pl.all().is_not_null())).to_series().arg_true()
    if used.len() == 0:
        return pl.DataFrame(), 1
    top = _header_index(cells, used, required)
    names: list[str] = []
    for k, v in enumerate(cells.row(top)):
        name = v if v is not None and v.strip() else f"__UNNAMED__{k}"
        names.append(name if name not in names else f"{name}__{k}")  # a repeated name kept apart
    text = cells.slice(top + 1).rename(dict(zip(cells.columns, names, strict=True)))
    index = next((k for k, c in enumerate(names) if canonical(c) == "value"), None)
    if index is None or text.height == 0:
        return text, top + 1
    name = names[index]

    def column(dtype: Literal["float", "boolean"]) -> pl.Series:
        # by the header-less read's own name for the column (__UNNAMED__k): a position would
        # count from the sheet's column A, while the read starts at its first used column
        raw = cells.columns[index]
        return load({raw: dtype}, [raw]).to_series().slice(top + 1)

    number, cell_kind = column("float"), column("boolean")
    as_read = text[name].str.strip_chars().cast(pl.Float64, strict=False)
    # a number cell: the text is the reader's rendering of its number (a true/false cell's
    # text, "true", is no number)
    is_number = cell_kind.is_not_null() & ((as_read - number).abs() <= 1e-9)
    # only where the text is not already the number's 15 digits: it reads as another number,
    # or it has more than 15 digits
    redo = (
        is_number & ((as_read != number) | (text[name].str.count_matches(r"\d") > EXCEL_DIGITS))
    ).fill_null(False)
    values = text[name]
    rows = redo.arg_true()
    if rows.len():
        shown = pl.Series([_as_excel_shows(x) for x in number.gather(rows).to_list()], dtype=pl.String)
        values = values.scatter(rows, shown)
    # a number cell shown as a percentage (85% holding 0.85) reads as the sheet shows it, "85%":
    # the checks refuse it as they refuse "85%" in a CSV, saying to write 85
    first = top + 2  # the sheet row of the first data row
    percent = [r - first for r in sorted(percent_rows(path, top + 1)) if 0 <= r - first < text.height]
    marked = [k for k in percent if is_number[k]]
    if marked:
        at = pl.Series(marked, dtype=pl.UInt32)
        values = values.scatter(at, [_as_percent(v) for v in values.gather(at).to_list()])
    return text.with_columns(values.alias(name)), top + 1


def _as_percent(shown: str) -> str:
    """A number shown as a percentage, as the sheet shows it: 0.855 → "85.5%"."""
    return format(Decimal(shown).scaleb(2).normalize(), "f") + "%"


def read_surveys(folder: Path) -> tuple[pl.DataFrame | None, str]:
    """The survey answers as an all-text frame with row numbers, or None without a file."""
    present = [f for f in SURVEY_FILES if (folder / f).is_file()]
    if not present:
        return None, SURVEY_FILES[0]
    if len(present) > 1:
        raise CampaignError(
            [Problem(present[1], None, None, "values_ambiguous", {"files": ", ".join(present)})]
        )
    file = present[0]
    if file.endswith(".csv"):
        return read_csv(folder / file, file, SURVEY_COLUMNS, SURVEY_OPTIONAL), file
    try:
        frame, header_row = read_sheet(folder / file, SURVEY_COLUMNS)
    except Exception as exc:  # the readers raise many types for a damaged file
        raise CampaignError(
            [Problem(file, None, None, "file_unreadable", {"detail": str(exc).splitlines()[0]})]
        ) from None
    return _finish(frame, file, SURVEY_COLUMNS, SURVEY_OPTIONAL, header_row), file


def read_folder(folder: Path) -> RawFolder:
    """Read every file of the folder, collecting the problems of all of them."""
    if not folder.is_dir():
        raise CampaignError([Problem(str(folder), None, None, "folder_missing", {})])
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):  # bounded before any reader parses them
        if path.is_file() and path.suffix.lower() in (".xlsx", ".csv"):
            try:
                check_upload(path, path.name, max_rows=None)
            except CampaignError as exc:
                problems += exc.problems
    if problems:
        raise CampaignError(problems)
    yaml_text = ""
    units = pl.DataFrame()
    values: pl.DataFrame | Path = pl.DataFrame()
    values_file = "values.csv"
    secretaries = None
    try:
        path = folder / "campaign.yaml"
        if not path.is_file():
            raise CampaignError([Problem("campaign.yaml", None, None, "file_missing", {})])
        yaml_text = decode_text(path.read_bytes(), "campaign.yaml")
    except CampaignError as exc:
        problems += exc.problems
    try:
        if not (folder / "units.csv").is_file():
            raise CampaignError([Problem("units.csv", None, None, "file_missing", {})])
        units = read_csv(folder / "units.csv", "units.csv", UNIT_COLUMNS, UNIT_OPTIONAL)
    except CampaignError as exc:
        problems += exc.problems
    try:
        values, values_file = read_values(folder)
    except CampaignError as exc:
        problems += exc.problems
    if (folder / "secretaries.csv").is_file():
        try:
            secretaries = read_csv(folder / "secretaries.csv", "secretaries.csv", SECRETARY_COLUMNS)
        except CampaignError as exc:
            problems += exc.problems
    surveys, surveys_file = None, "surveys.csv"
    try:
        surveys, surveys_file = read_surveys(folder)
    except CampaignError as exc:
        problems += exc.problems
    baseline = None
    if (folder / BASELINE_FILE).is_file():
        try:
            baseline = read_csv(folder / BASELINE_FILE, BASELINE_FILE, BASELINE_COLUMNS)
        except CampaignError as exc:
            problems += exc.problems
    if problems:
        raise CampaignError(problems)
    return RawFolder(yaml_text, units, values, values_file, secretaries, surveys, surveys_file, baseline)
