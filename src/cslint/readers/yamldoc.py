"""YAML documents: saved-reply collections (osTicket canned responses, e-mail templates, macro
lists) and anything else the JSON shapes recognise (native conversations, helpdesk exports).

Loading is safe (no aliases, tags or duplicate keys; see ``yamlsource``). YAML does not keep
where inside a scalar a character came from, so a position is found by looking for the text's
line in the file from the line where the value starts: exact for block scalars (``|``) and
single-line values, the value's first line otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cslint.errors import ReaderError
from cslint.model import InputError, Location
from cslint.readers.base import Reader, ReadOptions, ReadResult, Source, register
from cslint.readers.jsonshapes import JsonContext, read_json_document
from cslint.yamlsource import Positions, load_yaml


class YamlPositions:
    def __init__(self, text: str, data: Any, positions: Positions) -> None:
        self.lines = text.split("\n")
        self.data = data
        self.positions = positions

    def locate(self, path: tuple, offset: int) -> Location:
        start = self.positions.line(path) or 1
        value: Any = self.data
        try:
            for key in path:
                value = value[key]
        except (KeyError, IndexError, TypeError):
            return Location(start, 1)
        if not isinstance(value, str):
            return Location(start, 1)
        line_start = value.rfind("\n", 0, offset) + 1
        line_end = value.find("\n", offset)
        piece = value[line_start : line_end if line_end != -1 else len(value)]
        probe = piece.strip()[:60]
        if probe:
            lead = len(piece) - len(piece.lstrip())
            # Search from the value's first line, not past the lines the value can span.
            for number in range(start, min(len(self.lines), start + value.count("\n") + 3) + 1):
                column = self.lines[number - 1].find(probe)
                if column != -1:
                    return Location(number, column + 1 + max(offset - line_start - lead, 0))
        return Location(start, 1)


@register
class YamlReader(Reader):
    name = "yaml"
    extensions = (".yaml", ".yml")
    description = "YAML: saved replies / canned responses (title + body), or conversations as in JSON"

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            text = source.read_text(options.encoding)
            if not text.strip():
                yield InputError(source.display, "empty file")
                return
            data, positions = load_yaml(text, source.display, ReaderError)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        if data is None:
            yield InputError(source.display, "empty YAML document")
            return
        locator = YamlPositions(text, data, positions)
        yield from read_json_document(data, JsonContext(source, options, locator.locate))
