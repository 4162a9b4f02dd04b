"""Where a string value of a JSON document sits in the file, computed only when needed.

The standard ``json`` module does not report positions. Most turns never produce a finding,
so we parse with the fast C decoder and, only when a finding must be located, walk the
document (or the one JSONL line) along the finding's path (``turns`` -> 3 -> ``text``): the
members of each object or array on the way are skipped over with the C scanner (through the
public ``JSONDecoder.raw_decode``, which decodes one value at an index), once per container, and the offset inside the decoded string is mapped back through its escape
sequences. Helpdesk exports carry bulky metadata next to the turns (audit logs, attachments);
re-parsing all of it in Python for every located finding made locating cost more than linting.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from cslint.model import Location
from cslint.readers.offsets import EscapeMap, json_string_map

#: JSON's insignificant whitespace (RFC 8259: space, tab, line feed, carriage return). Typed
#: Any: ``match`` of a pattern that may be empty never returns None.
_WHITESPACE: Any = re.compile(r"[ \t\n\r]*")
#: (value, end index) of the JSON value at an index, by the C scanner ``json.loads`` uses.
_decode_at = json.JSONDecoder().raw_decode


def _members(document: str, start: int) -> dict[str, int] | list[int] | None:
    """Where each member's value starts, for the object or array at ``start``. Like
    ``json.loads``, the last of duplicate keys wins."""
    opening = document[start : start + 1]
    if opening not in ("{", "["):
        return None
    is_object = opening == "{"
    found: dict[str, int] | list[int] = {} if is_object else []
    i = _WHITESPACE.match(document, start + 1).end()
    if document[i : i + 1] == ("}" if is_object else "]"):
        return found
    while True:
        if is_object:
            if document[i : i + 1] != '"':
                raise ValueError("expected a key")
            key, i = _decode_at(document, i)
            i = _WHITESPACE.match(document, i).end()
            if document[i : i + 1] != ":":
                raise ValueError("expected ':'")
            i = _WHITESPACE.match(document, i + 1).end()
            found[key] = i
        else:
            found.append(i)  # type: ignore[union-attr]
        try:
            _, i = _decode_at(document, i)
        except json.JSONDecodeError:
            raise ValueError("expected a value") from None
        i = _WHITESPACE.match(document, i).end()
        separator = document[i : i + 1]
        if separator == ",":
            i = _WHITESPACE.match(document, i + 1).end()
            continue
        if separator == ("}" if is_object else "]"):
            return found
        raise ValueError("expected ',' or a closing bracket")


def raw_offset(document: str, quote: int, decoded_offset: int) -> int:
    """Index in ``document`` of character ``decoded_offset`` of the string literal at ``quote``."""
    return json_string_map(document, quote).raw_index(decoded_offset)


class JsonDocumentPositions:
    """Locates string values of one JSON document (a whole file, or one JSONL line)."""

    def __init__(self, document: str, first_line: int = 1) -> None:
        self.document = document
        self.first_line = first_line
        #: container start index -> where its members' values start (walked once each)
        self._containers: dict[int, dict[str, int] | list[int] | None] = {}
        self._line_starts: list[int] | None = None
        #: opening quote -> the escapes of that string (scanned once, however many findings)
        self._strings: dict[int, EscapeMap] = {}

    def _quote(self, path: tuple) -> int | None:
        """Index of the opening quote of the string at ``path``, or None."""
        document = self.document
        index = _WHITESPACE.match(document, 0).end()
        for key in path:
            if index not in self._containers:
                self._containers[index] = _members(document, index)
            members = self._containers[index]
            if isinstance(members, dict) and isinstance(key, str):
                index = members.get(key)
            elif (
                isinstance(members, list)
                and isinstance(key, int)
                and not isinstance(key, bool)
                and 0 <= key < len(members)
            ):
                index = members[key]
            else:
                return None
            if index is None:
                return None
        return index if document[index : index + 1] == '"' else None

    def locate(self, path: tuple, offset: int) -> Location:
        """Location of character ``offset`` of the string at ``path`` (keys and indices)."""
        try:
            quote = self._quote(path)
        except (ValueError, RecursionError, IndexError):
            # The fast parser read it, so this cannot really fail; never let locating break a run.
            quote = None
        if quote is None:
            return Location(self.first_line, 1)
        if self._line_starts is None:
            starts = [0]
            find = self.document.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        if quote not in self._strings:
            self._strings[quote] = json_string_map(self.document, quote)
        index = self._strings[quote].raw_index(offset)
        line = bisect.bisect_right(self._line_starts, index) - 1
        return Location(self.first_line + line, index - self._line_starts[line] + 1)
