"""A unit's proof (佐证材料) as a file: its kind told by its content, never by its name, and
its size bounded, before anything is kept.

Taken: photos (JPEG, PNG), PDF, and Office files (DOCX, XLSX) without macros. A file whose
bytes are none of these is refused, whatever it is called: an executable renamed .pdf, an SVG
(an image that runs script), an HTML page, a macro workbook (.xlsm, or an .xlsx holding
``vbaProject.bin``). An Office file is a zip: it is refused when it holds more than
``MAX_PARTS`` parts, expands past ``MAX_EXPANDED`` bytes or more than ``MAX_RATIO`` times its
size (a zip bomb), or names a part outside itself (``../``).
"""

from __future__ import annotations

import io
import re
import zipfile

from scoring.core.errors import refused

MAX_FILE = 10 * 1024 * 1024  # one file
MAX_UNIT_PERIOD = 50 * 1024 * 1024  # a unit's files of one period, together
MAX_PARTS = 1_000
MAX_EXPANDED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_NAME = 120
KINDS = ("jpg", "png", "pdf", "docx", "xlsx")
_OFFICE = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_MACRO = re.compile(r"(^|/)vbaProject\.bin$|macroEnabled", re.IGNORECASE)


def file_name(name: str) -> str:
    """The name a file is kept under: its last path part, control characters out, bounded."""
    last = re.split(r"[\\/]", name or "")[-1]
    clean = "".join(ch for ch in last if ch.isprintable()).strip().lstrip(".")
    return clean[-MAX_NAME:] or "file"


def kind_of(data: bytes, name: str) -> str:
    """The file's kind (one of ``KINDS``) by its bytes; refused in words otherwise."""
    if not data:
        raise refused(name, "evidence_empty")
    if len(data) > MAX_FILE:
        raise refused(name, "evidence_too_big", mb=MAX_FILE // 1024 // 1024)
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office(data, name)
    raise refused(name, "evidence_kind", kinds="、".join(KINDS))


def _office(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
            if len(parts) > MAX_PARTS:
                raise refused(name, "evidence_bomb")
            expanded = sum(p.file_size for p in parts)
            if expanded > MAX_EXPANDED or expanded > MAX_RATIO * max(len(data), 1):
                raise refused(name, "evidence_bomb")
            names = [p.filename for p in parts]
            if any(n.startswith("/") or ".." in n.split("/") for n in names):
                raise refused(name, "evidence_kind", kinds="、".join(KINDS))
            types = (
                z.read("[Content_Types].xml").decode("utf-8", "replace")
                if "[Content_Types].xml" in names
                else ""
            )
    except zipfile.BadZipFile:
        raise refused(name, "evidence_kind", kinds="、".join(KINDS)) from None
    if any(_MACRO.search(n) for n in names) or _MACRO.search(types):
        raise refused(name, "evidence_macro")
    found = next((kind for part, kind in _OFFICE.items() if part in names), None)
    if found is None or not types:
        raise refused(name, "evidence_kind", kinds="、".join(KINDS))
    return found
