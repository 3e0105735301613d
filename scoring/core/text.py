"""Text read from users' files."""

from __future__ import annotations

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
