"""A survey export's possible repeated sheets: one unit's sheets sent from the same address (IP)
with the same answers, within minutes of each other (``repeat_minutes``; any time apart when
the export has no time column or a time cannot be read). They are listed, never dropped: a
family sharing one connection answers alike honestly, and only the district decides."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from scoring.rules.model import Source

_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


def sent_at(text: str) -> datetime | None:
    """A sheet's time as the survey tool writes it (2024/3/15 10:23:45, 2024-03-15 10:23…)."""
    written = text.strip().split(".")[0]
    for fmt in _FORMATS:
        try:
            return datetime.strptime(written, fmt)
        except ValueError:
            continue
    return None


def repeated_sheets(
    sheets: list[dict[str, object]], source: Source, timed: bool
) -> dict[int, tuple[int, int | None]]:
    """Each repeated sheet's row → (the row of the sheet it repeats, minutes apart or None);
    ``timed``: the sheets carry the time they were sent."""
    groups: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for s in sheets:
        if str(s["ip"]).strip():
            groups.setdefault((s["unit_id"], s["period"], str(s["ip"]).strip(), s["answers"]), []).append(s)
    found: dict[int, tuple[int, int | None]] = {}
    limit = source.repeat_minutes * 60
    for group in groups.values():
        if len(group) < 2:
            continue
        for before, s in pairwise(group):  # each sheet against the one before
            at = sent_at(str(s["time"])) if timed else None
            was = sent_at(str(before["time"])) if timed else None
            if at is not None and was is not None:
                gap = abs((at - was).total_seconds())
                if gap <= limit:
                    found[int(str(s["_row"]))] = (int(str(before["_row"])), round(gap / 60))
            else:
                found[int(str(s["_row"]))] = (int(str(before["_row"])), None)
    return found
