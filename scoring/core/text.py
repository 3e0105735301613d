"""Text read from users' files, and text shown on a terminal."""

from __future__ import annotations

import re

from scoring.core.errors import CampaignError, Problem


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (BOM accepted), else GB18030 (a superset of GBK); else a clear refusal."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CampaignError([Problem(file, None, None, "encoding", {})]) from None


# what a terminal obeys instead of showing: C0 controls but newline and tab (which lay output
# out), DEL, C1 controls, and the bidirectional overrides and isolates (U+202A-E, U+2066-9)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_CELL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, cell: bool = False) -> str:
    """``text`` with every character a terminal would act on written as an escape (ESC as
    ``\\x1b``, U+202E as ``\\u202e``), so a stored name can neither recolour, move or hide the
    output nor reverse it. ``cell``: one table cell, whose newlines and tabs are escaped too."""
    return (_UNSAFE_IN_CELL if cell else _UNSAFE).sub(_escaped, text)
