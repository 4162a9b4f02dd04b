"""Turn times and durations, as rules and configuration write them: when a turn was said and
how long the customer waited.

Times are full timestamps in any format the readers accept (ISO 8601, Twitter's ``Tue Oct 31
22:10:47 +0000 2017``, RFC 2822, epoch seconds; see ``cslint.timestamps``) or times of day
(``10:02``, ``10:02:30``, ``3:15 PM``; a reply earlier than its message is taken to be the next
day). Durations are ``90s``, ``5m``, ``1h30m``, ``2d``.
"""

from __future__ import annotations

import re

from cslint.timestamps import MAX_TIME_CHARS, parse_timestamp

# Each part starts with a digit and takes the spaces after it, so there is one way to match
# any text: linear time. (With a free-standing ``\s*`` between optional parts, a value of a
# few hundred spaces took seconds and a thousand took hours: these strings come from rule and
# config files and from the time fields of inputs.)
_DURATION = re.compile(r"^(?:(\d+)\s*d\s*)?(?:(\d+)\s*h\s*)?(?:(\d+)\s*m(?:in)?\s*)?(?:(\d+)\s*s\s*)?$", re.I)
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?$")


def parse_duration(text: str) -> int | None:
    """Seconds in '90s', '5m', '1h30m', '2d'; None if not a duration."""
    text = str(text)
    if len(text) > MAX_TIME_CHARS:
        return None
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        return None
    d, h, m, s = (int(g) if g else 0 for g in match.groups())
    return ((d * 24 + h) * 60 + m) * 60 + s


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or f"{seconds}s"


def parse_time(text: str | None) -> tuple[str, float] | None:
    """("abs", epoch seconds) for a full timestamp, ("day", seconds since midnight) for a time
    of day, or None."""
    if not text or not isinstance(text, str) or len(text) > MAX_TIME_CHARS:
        return None
    text = text.strip()
    match = _TIME_OF_DAY.match(text)
    if match:
        hour, minute, second, half = match.groups()
        hour = int(hour) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(hour)
        return "day", hour * 3600 + int(minute) * 60 + int(second or 0)
    stamp = parse_timestamp(text)
    return ("abs", stamp) if stamp is not None else None


def gap_seconds(earlier: tuple[str, float], later: tuple[str, float]) -> float | None:
    if earlier[0] != later[0]:
        return None
    gap = later[1] - earlier[1]
    if earlier[0] == "day" and gap < 0:
        gap += 86400
    return gap if gap >= 0 else None
