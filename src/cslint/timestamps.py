"""Timestamps from input files, as one parser for every reader and every timing rule.

Exports write times in many ways: ISO 8601 (``2024-03-01T10:00:00Z``), Twitter's
``Tue Oct 31 22:10:47 +0000 2017``, RFC 2822 (``Tue, 31 Oct 2017 22:10:47 +0000``),
``01/03/2024 10:00``, epoch seconds or milliseconds. ISO text goes through the standard
library's C parser (most inputs; cheap on every turn); anything else through
python-dateutil. A value is only taken as a full timestamp when it names a year: dateutil
reads a lone ``5`` as "the 5th of this month", which no export means.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from typing import Any

#: No timestamp is longer; longer values are not parsed at all (a bound on the work per field).
MAX_TIME_CHARS = 64
_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
#: Epoch values above this are milliseconds (Intercom and Front write either).
_MILLISECONDS = 1e11


def epoch_seconds(value: float) -> float:
    return value / 1000 if value > _MILLISECONDS else float(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> float | None:
    if _EPOCH.match(text):
        return epoch_seconds(float(text))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        if not _YEAR.search(text):
            return None
        from dateutil import parser as dateutil_parser  # here: ISO-only inputs never need it

        try:
            moment = dateutil_parser.parse(text)
        except (ValueError, OverflowError, TypeError):  # dateutil's ParserError is a ValueError
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def parse_timestamp(value: Any) -> float | None:
    """Epoch seconds for a timestamp (text, or epoch seconds/milliseconds as a number), or None.
    Times without a zone are taken as UTC."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return epoch_seconds(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_TIME_CHARS:
        return None
    return _parse_text(text)
