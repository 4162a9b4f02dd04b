"""Mapping offsets in decoded text back to the file, once per string, not once per finding.

A JSON string literal or a quoted CSV field differs from its decoded text only at escapes
(``\\n``, ``\\u00e9``, ``""``); between two escapes, one character is one character. So one pass
over the literal records where each escape ends (in decoded and in raw offsets), and every
later lookup is a binary search. Rescanning the literal from its start for each finding made a
turn with thousands of findings quadratic (100 s for 200 KB).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable


class EscapeMap:
    """Decoded offset -> raw index for one literal: ``decoded[k]`` characters of text start at
    raw index ``raw[k]`` and continue one for one up to the next escape."""

    __slots__ = ("decoded", "raw", "end")

    def __init__(self, decoded: list[int], raw: list[int], end: int) -> None:
        self.decoded = decoded
        self.raw = raw
        self.end = end

    def raw_index(self, offset: int) -> int:
        k = bisect.bisect_right(self.decoded, offset) - 1
        return min(self.raw[k] + (offset - self.decoded[k]), self.end)


def _json_escape_length(document: str, i: int) -> int:
    """Length of the JSON escape at ``document[i] == "\\\\"``."""
    if document[i + 1 : i + 2] != "u":
        return 2
    digits = document[i + 2 : i + 6]
    code = int(digits, 16) if _is_hex(digits) else 0
    # A surrogate pair is two escapes but one decoded character.
    if 0xD800 <= code < 0xDC00 and document[i + 6 : i + 8] == "\\u":
        return 12
    return 6


def _is_hex(text: str) -> bool:
    return len(text) == 4 and all(c in "0123456789abcdefABCDEF" for c in text)


def _scan(
    document: str, start: int, find_escape: Callable[[int], int], escape_length: Callable[[int], int]
) -> EscapeMap:
    """The map of the literal whose text starts at ``start``; ``find_escape(i)`` is the index
    of the next escape at or after ``i`` before the literal ends, or -1."""
    decoded, raw = [0], [start]
    i, n = start, 0
    while True:
        escape = find_escape(i)
        if escape == -1:
            return EscapeMap(decoded, raw, len(document))
        n += escape - i + 1
        i = escape + escape_length(escape)
        decoded.append(n)
        raw.append(i)


def json_string_map(document: str, quote: int) -> EscapeMap:
    """The map of the JSON string literal whose opening quote is at ``quote``."""

    def find_escape(i: int) -> int:
        backslash = document.find("\\", i)
        closing = document.find('"', i)
        return backslash if backslash != -1 and (closing == -1 or backslash < closing) else -1

    return _scan(document, quote + 1, find_escape, lambda i: _json_escape_length(document, i))


def quoted_field_map(record: str, start: int, quoted: bool) -> EscapeMap:
    """The map of a CSV field whose text starts at ``start``; in a quoted field ``""`` is one
    quote, and the field ends at a lone quote."""
    if not quoted:
        return EscapeMap([0], [start], len(record))

    def find_escape(i: int) -> int:
        while True:
            q = record.find('"', i)
            if q == -1:
                return -1
            return q if record[q + 1 : q + 2] == '"' else -1

    return _scan(record, start, find_escape, lambda i: 2)
