"""Hostile input never crashes or hangs cslint: arbitrary bytes and odd documents give either
conversations or one-line errors naming the file, for every registered reader."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cslint.errors import RuleError
from cslint.model import Conversation, InputError, Turn
from cslint.readers import READERS, ReadOptions, Source, read_source
from cslint.ruleset.loader import load_rule_file

READER_NAMES = sorted(READERS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(["id", "turns", "speaker", "text", "role", "content", "messages", "x"])
            | st.text(max_size=8),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


def read_all(path: Path, reader: str | None = None):
    return list(read_source(Source(str(path)), ReadOptions(input_format=reader)))


def assert_well_formed(results, path):
    # Every input shows up: as conversations (maybe without turns) or as an error, never nothing.
    assert results, f"{path}: read to nothing"
    for item in results:
        assert isinstance(item, (Conversation, InputError)), item
        if isinstance(item, InputError):
            assert item.path and "\n" not in item.message and item.message
        else:
            for turn in item.turns:
                assert isinstance(turn.text, str)
                turn.source.locate(len(turn.text) // 2)


@pytest.mark.parametrize("reader", READER_NAMES)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_any_reader(reader, data):
    extension = READERS[reader].extensions[0] if READERS[reader].extensions else ".txt"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(data)
        assert_well_formed(read_all(path, reader), path)
        assert_well_formed(read_all(path), path)


@given(value=json_values)
def test_odd_json_documents(value):
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("a.json", json.dumps(value)), ("a.jsonl", json.dumps(value) + "\n" + json.dumps(value))):
            path = Path(folder) / name
            path.write_text(text)
            assert_well_formed(read_all(path), path)


def test_deeply_nested_json(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100000 + "]" * 100000)
    [error] = read_all(path)
    assert isinstance(error, InputError)


def test_zero_turn_and_empty_inputs(tmp_path, builtin_linter):
    for name, text in (
        ("e.json", ""),
        ("e.jsonl", ""),
        ("e.txt", ""),
        ("e.md", "   \n"),
        ("z.json", '{"id": "z", "turns": []}'),
    ):
        path = tmp_path / name
        path.write_text(text)
        results = read_all(path)
        assert_well_formed(results, path)
        for item in results:
            if isinstance(item, Conversation):
                assert builtin_linter.lint_one(item) == []


@given(text=st.text(max_size=600))
def test_linter_accepts_any_text(builtin_linter, text):
    conv = Conversation("c", "p", [Turn("customer", text), Turn("agent", text), Turn("agent", text)], channel="chat")
    for finding in builtin_linter.lint_one(conv):
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.text == text[finding.start : finding.end]


def test_huge_single_turn_is_linted_in_part_with_a_notice(builtin_linter):
    text = "Please visit our website. " * 2_000_000  # 52 MB
    conv = Conversation("c", "p", [Turn("agent", text)])
    findings = builtin_linter.lint_one(conv)
    assert findings and all(f.end <= 1_000_000 for f in findings)
    assert "only the first 1,000,000 were linted" in builtin_linter.notices[-1]


@given(document=st.text(max_size=400))
def test_rule_loader_only_raises_rule_errors(document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.yaml"
        path.write_text(document)
        try:
            load_rule_file(path, "custom")
        except RuleError as exc:
            assert "\n" not in str(exc).strip()


@given(data=st.binary(max_size=500))
def test_cli_on_arbitrary_stdin(data, run_cli_bytes):
    result = run_cli_bytes("check", "-", input=data)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


def test_regression_unprintable_keys_stay_on_one_line(tmp_path):
    """Found by the fuzz suite: a key with a line break made a two-line error message."""
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"\n": None, "x\ty": 1}))
    [error] = read_all(path)
    assert isinstance(error, InputError) and "\n" not in error.message and "\\n" in error.message
