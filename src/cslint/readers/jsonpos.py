"""Where a string value of a JSON document sits in the file, computed only when needed.

The standard ``json`` module does not report positions. Most turns never produce a finding,
so we parse with the fast C decoder and, only when a finding must be located, parse the
document (or the one JSONL line) again with a decoder that records where each string value
starts, then map an offset inside the decoded string back through its escape sequences.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from typing import Any

from cslint.model import Location


class _PositionDecoder(json.JSONDecoder):
    """A JSON decoder that records the index of the opening quote of every string value."""

    def __init__(self) -> None:
        super().__init__()
        self.starts: dict[int, int] = {}
        scanstring = json.decoder.scanstring

        def parse_string(s: str, end: int, strict: bool = True) -> tuple[str, int]:
            value, new_end = scanstring(s, end, strict)
            self.starts[id(value)] = end - 1
            return value, new_end

        self.parse_string = parse_string
        self.scan_once = json.scanner.py_make_scanner(self)


def raw_offset(document: str, quote: int, decoded_offset: int) -> int:
    """Index in ``document`` of character ``decoded_offset`` of the string literal at ``quote``."""
    i = quote + 1
    n = 0
    length = len(document)
    while n < decoded_offset and i < length:
        if document[i] == "\\":
            if document[i + 1 : i + 2] == "u":
                digits = document[i + 2 : i + 6]
                code = int(digits, 16) if _is_hex(digits) else 0
                # A surrogate pair is two escapes but one decoded character.
                if 0xD800 <= code < 0xDC00 and document[i + 6 : i + 8] == "\\u":
                    i += 12
                else:
                    i += 6
            else:
                i += 2
        else:
            i += 1
        n += 1
    return i


def _is_hex(text: str) -> bool:
    return len(text) == 4 and all(c in "0123456789abcdefABCDEF" for c in text)


class JsonDocumentPositions:
    """Locates string values of one JSON document (a whole file, or one JSONL line)."""

    def __init__(self, document: str, first_line: int = 1) -> None:
        self.document = document
        self.first_line = first_line
        self._parsed: Any = None
        self._starts: dict[int, int] | None = None
        self._line_starts: list[int] | None = None

    def _parse(self) -> None:
        decoder = _PositionDecoder()
        self._parsed = decoder.decode(self.document)
        self._starts = decoder.starts
        starts = [0]
        find = self.document.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def locate(self, path: tuple, offset: int) -> Location:
        """Location of character ``offset`` of the string at ``path`` (keys and indices)."""
        if self._starts is None:
            try:
                self._parse()
            except (ValueError, RecursionError):
                # The fast parser read it, so this cannot really fail; never let locating break a run.
                self._starts, self._parsed, self._line_starts = {}, None, [0]
        value: Any = self._parsed
        try:
            for key in path:
                value = value[key]
        except (KeyError, IndexError, TypeError):
            return Location(self.first_line, 1)
        quote = self._starts.get(id(value)) if isinstance(value, str) else None
        if quote is None:
            return Location(self.first_line, 1)
        index = raw_offset(self.document, quote, offset)
        line = bisect.bisect_right(self._line_starts, index) - 1
        return Location(self.first_line + line, index - self._line_starts[line] + 1)
