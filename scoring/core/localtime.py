"""Times as a district reads them: kept in UTC, shown and counted in the campaign's time zone.

The store keeps every time as naive UTC. A campaign names its zone (``campaign.timezone``,
default Asia/Shanghai); an objection window of N days ends at the same local clock time N
calendar days later, and a deadline given as a date alone ends when that local day ends.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

DEFAULT_ZONE = "Asia/Shanghai"
_LABELS = {"zh": {"Asia/Shanghai": "北京时间"}, "en": {"Asia/Shanghai": "Beijing time"}}


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_local(ts: datetime, tz: str) -> datetime:
    """A stored (naive UTC) time as the campaign's local time, without tzinfo."""
    return ts.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def to_utc(local: datetime, tz: str) -> datetime:
    """A local wall-clock time of the campaign as a stored (naive UTC) time."""
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


def add_local_days(ts: datetime, days: int, tz: str) -> datetime:
    """``days`` calendar days after ``ts`` at the same local clock time (UTC in, UTC out)."""
    return to_utc(to_local(ts, tz) + timedelta(days=days), tz)


def label(tz: str, lang: str = "zh") -> str:
    """How the notice names the zone: 北京时间 for Asia/Shanghai, else the zone's name."""
    return _LABELS.get(lang, _LABELS["zh"]).get(tz, tz)


def show(ts: datetime | None, tz: str, lang: str = "zh", seconds: bool = False) -> str:
    """A stored time as people read it: local date and time with the zone named
    ("2026-12-07 13:22 北京时间"); empty for no time."""
    if ts is None:
        return ""
    fmt = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return f"{to_local(ts, tz).strftime(fmt)} {label(tz, lang)}"


def show_deadline(ts: datetime | None, tz: str, lang: str = "zh") -> str:
    """A deadline as it was written: one at local midnight is the end of the day before
    ("2026-04-10 24:00 北京时间" for a deadline typed 2026-04-10), never the next day's 00:00."""
    if ts is None:
        return ""
    local = to_local(ts, tz)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"{(local - timedelta(days=1)).strftime('%Y-%m-%d')} 24:00 {label(tz, lang)}"
    return show(ts, tz, lang)


def parse_deadline(text: str, tz: str) -> datetime:
    """A deadline as written ("2026-04-10" or "2026-04-10 18:00", local) as stored UTC: a date
    alone means the end of that local day (entry closes at the next midnight)."""
    text = text.strip()
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"), tz)
    return to_utc(day + timedelta(days=1), tz)


def local_columns(frame: pl.DataFrame, tz: str, seconds: bool = False) -> pl.DataFrame:
    """Every time column of a frame of stored (UTC) times as local text, to the minute (or the
    second, for an audit trail): what a person reads or exports (the caller names the zone in
    the header, ``label``)."""
    fmt = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    times = [c for c, d in frame.schema.items() if isinstance(d, pl.Datetime)]
    return frame.with_columns(
        pl.col(c).dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.strftime(fmt) for c in times
    )
