"""Turn timestamps as dates, for trends per week.

Readers keep a turn's time as the text the export had: ISO 8601 (most helpdesk exports and
what the JSON readers produce from epoch seconds), RFC 2822 (e-mail ``Date:``), or Twitter's
``Tue Oct 31 22:10:47 +0000 2017``. A time of day alone (chat logs' ``[10:02]``) has no date.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

_TWITTER = "%a %b %d %H:%M:%S %z %Y"


def parse_date(text: str | None) -> dt.date | None:
    """The calendar date of a timestamp, or None when it has none (or is not one we know)."""
    if not text or not isinstance(text, str):
        return None
    value = text.strip()
    if len(value) < 8:  # "10:02", "9:15 AM": no date
        return None
    for parse in (_iso, _twitter, _rfc2822):
        try:
            parsed = parse(value)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        if parsed is not None:
            return parsed
    return None


def week_of(text: str | None) -> str | None:
    """The Monday of the ISO week of a timestamp, as ``YYYY-MM-DD`` (None without a date)."""
    day = parse_date(text)
    if day is None:
        return None
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def _iso(value: str) -> dt.date:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def _twitter(value: str) -> dt.date:
    return dt.datetime.strptime(value, _TWITTER).date()


def _rfc2822(value: str) -> dt.date | None:
    parsed = parsedate_to_datetime(value)
    return parsed.date() if parsed is not None else None
