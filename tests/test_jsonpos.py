"""Locating a string value of a JSON document by walking its path gives the same line:col as
re-parsing the whole document with a position-recording decoder (the former method)."""

import json
import json.decoder
import json.scanner

from hypothesis import given
from hypothesis import strategies as st

from cslint.model import Location
from cslint.readers._support.jsonpos import JsonDocumentPositions, raw_offset


class _RecordingDecoder(json.JSONDecoder):
    """Reference: records where every string value starts (by object identity)."""

    def __init__(self):
        super().__init__()
        self.starts = {}

        def parse_string(s, end, strict=True):
            value, new_end = json.decoder.scanstring(s, end, strict)
            self.starts[id(value)] = end - 1
            return value, new_end

        self.parse_string = parse_string
        self.scan_once = json.scanner.py_make_scanner(self)


def reference(document, path, offset, first_line=1):
    decoder = _RecordingDecoder()
    value = decoder.decode(document)
    for key in path:
        value = value[key]
    quote = decoder.starts[id(value)]
    index = raw_offset(document, quote, offset)
    line_starts = [0] + [i + 1 for i, c in enumerate(document) if c == "\n"]
    line = max(n for n, start in enumerate(line_starts) if start <= index)
    return Location(first_line + line, index - line_starts[line] + 1)


def string_paths(value, at=()):
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from string_paths(child, at + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from string_paths(child, at + (i,))


# Strings of two or more characters: CPython shares one object for each 1-character string,
# which the identity-based reference cannot tell apart.
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=2, max_size=12)
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(documents, st.sampled_from([None, 0, 2]), st.booleans(), st.data())
def test_walk_matches_full_reparse(document, indent, ascii_only, data):
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    positions = JsonDocumentPositions(text, first_line=5)
    for path, value in string_paths(document):
        offset = data.draw(st.integers(0, len(value)))
        assert positions.locate(path, offset) == reference(text, path, offset, first_line=5)


def test_last_duplicate_key_wins_as_in_json_loads():
    text = '{"text": "first one", "text": "second one"}'
    assert json.loads(text)["text"] == "second one"
    assert JsonDocumentPositions(text).locate(("text",), 0) == Location(1, 32)


def test_bad_paths_fall_back_to_the_document_start():
    text = '{"turns": [{"text": "hi there"}], "n": 5}'
    positions = JsonDocumentPositions(text, first_line=7)
    for path in [("turns", 3, "text"), ("turns", "x"), ("n",), ("missing",), ("turns", 0, "text", 0), ("turns", True)]:
        assert positions.locate(path, 0) == Location(7, 1)
    assert positions.locate(("turns", 0, "text"), 3) == Location(7, 25)


def test_bulky_siblings_are_skipped_not_parsed_in_python():
    events = [{"type": "viewed", "at": f"2024-01-{i:02d}"} for i in range(1, 29)] * 200
    text = json.dumps({"events": events, "turns": [{"speaker": "agent", "text": "Please check our FAQ."}]})
    assert JsonDocumentPositions(text).locate(("turns", 0, "text"), 7) == reference(text, ("turns", 0, "text"), 7)
