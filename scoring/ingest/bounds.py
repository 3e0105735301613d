"""How large a file a person hands in may be, checked before any reader parses it.

A workbook is a zip of XML: a few megabytes can expand to gigabytes (an "xlsx bomb"), so its
entries are decompressed as a stream and counted, never trusted from the sizes the zip declares.
A table's header line and its rows are counted the same way, a chunk at a time. Every refusal
names the file and the limit, in Chinese by default; memory stays bounded whatever the file.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scoring.core.errors import CampaignError, Problem

MAX_EXPANDED_MB = 150  # everything a workbook's zip expands to
MAX_ENTRIES = 2_000  # entries of a workbook's zip
MAX_COLUMNS = 2_000  # columns of a table a person hands in
MAX_HEADER_BYTES = 1 << 20  # a header line longer than this is no header
MAX_ROWS = 1_000_000  # rows of an upload (a department's file, a survey export, a sheet of users)
CHUNK = 1 << 20


def _refuse(file: str, code: str, **params: object) -> CampaignError:
    return CampaignError([Problem(file, None, None, code, dict(params))])


def check_workbook(path: Path, file: str) -> None:
    """Refuse a workbook whose zip expands past ``MAX_EXPANDED_MB`` or holds too many entries."""
    limit = MAX_EXPANDED_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(path) as z:
            entries = z.infolist()
            if len(entries) > MAX_ENTRIES:
                raise _refuse(file, "file_too_many_parts", n=len(entries), limit=MAX_ENTRIES)
            total = 0
            for info in entries:
                with z.open(info) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _refuse(file, "file_expands_too_far", mb=MAX_EXPANDED_MB)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _refuse(file, "file_unreadable", detail=detail) from None


def check_table(path: Path, file: str, max_rows: int | None) -> None:
    """Refuse a CSV whose header holds more than ``MAX_COLUMNS`` columns (or is longer than a
    header can be) or, with ``max_rows``, that has more rows."""
    with path.open("rb") as fh:
        head = fh.readline(MAX_HEADER_BYTES + 1)
        if len(head) > MAX_HEADER_BYTES or head.count(b",") + 1 > MAX_COLUMNS:
            raise _refuse(file, "file_too_many_columns", limit=MAX_COLUMNS)
        if max_rows is None:
            return
        rows = 1
        while chunk := fh.read(CHUNK):
            rows += chunk.count(b"\n")
            if rows > max_rows + 1:
                raise _refuse(file, "file_too_many_rows", limit=max_rows)


def check_upload(path: Path, file: str, max_rows: int | None = 0) -> None:
    """The bound of a file's kind: a workbook's expansion, a table's columns and rows (at most
    ``max_rows``; 0: ``MAX_ROWS``; None: a campaign folder's own values, any number)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        check_workbook(path, file)
    elif suffix in (".csv", ".txt"):
        check_table(path, file, MAX_ROWS if max_rows == 0 else max_rows)


@contextmanager
def staged(
    data: bytes, name: str, stem: str, kinds: tuple[str, ...], max_rows: int | None = 0
) -> Iterator[Path]:
    """An upload written to a temporary file named ``stem`` with its own suffix, refused when
    its kind is not one of ``kinds`` or it is past its bounds; the file is gone afterwards."""
    suffix = Path(name).suffix.lower()
    if suffix not in kinds:
        raise _refuse(name, "upload_type")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        path.write_bytes(data)
        check_upload(path, name, max_rows)
        yield path
