"""Turn timestamps as dates, for trends per week.

Readers keep a turn's time as the text the export had (ISO 8601, RFC 2822, Twitter's
``Tue Oct 31 22:10:47 +0000 2017``, epoch seconds); ``cslint.timestamps`` is the one parser of
all of them. A time of day alone (chat logs' ``[10:02]``) has no date. Dates are taken in UTC,
so a conversation's week does not depend on where the report is made.
"""

from __future__ import annotations

import datetime as dt

from cslint.timestamps import parse_timestamp


def parse_date(text: str | None) -> dt.date | None:
    """The calendar date (UTC) of a timestamp, or None when it has none (or is not one we know)."""
    if not text or not isinstance(text, str):
        return None
    seconds = parse_timestamp(text)
    if seconds is None:
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None


def week_of(text: str | None) -> str | None:
    """The Monday of the ISO week of a timestamp, as ``YYYY-MM-DD`` (None without a date)."""
    day = parse_date(text)
    if day is None:
        return None
    return (day - dt.timedelta(days=day.weekday())).isoformat()
