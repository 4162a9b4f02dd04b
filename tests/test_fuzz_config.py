"""Hostile configuration never crashes or hangs cslint: a ``.cslint.yaml`` or a ``pyproject.toml``
``[tool.cslint]`` table with arbitrary or structurally odd content gives either settings or one
``ConfigError`` line naming the file — and settings that load can be used for a lint run."""

import json
import math
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cslint.config import load_settings
from cslint.config.keys import KEYS
from cslint.config.policy import RulePolicy, check_rule_references, configured_rules
from cslint.engine.linter import Linter
from cslint.errors import ConfigError
from cslint.model import Conversation, Turn

#: Rule ids and the option names their detectors read (from rule_options).
OPTION_RULES = {
    "slow-response": ["max_gap"],
    "wall-of-text": ["max_sentence_words", "max_turn_words", "max_turn_sentences"],
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        ["info", "warning", "error", "agent", "runaround", "all", "**", "*.md", "[", "5m", "2d", "0s", "-1h"]
    )
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=10)
            | st.sampled_from(["accept", "reject", "select", "ignore", "severity", "runaround", "chat", "default"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)
rule_options = st.dictionaries(
    st.sampled_from(sorted(OPTION_RULES)) | st.text(max_size=8),
    st.dictionaries(
        st.sampled_from(sorted({o for opts in OPTION_RULES.values() for o in opts})) | st.text(max_size=8),
        values,
        max_size=3,
    )
    | values,
    max_size=3,
)
# Known keys with values of any type; unknown keys now and then. ``rules`` (folders to walk)
# is left out: an arbitrary string there may name "/" or "~", which is a legitimate, slow request.
key_names = st.sampled_from(sorted(set(KEYS) - {"rules"})) | st.text(max_size=12).filter(lambda k: k != "rules")
documents = st.dictionaries(key_names, values, max_size=6) | st.builds(
    lambda d, o: {**d, "rule_options": o}, st.dictionaries(key_names, values, max_size=4), rule_options
)


def _toml_string(text: str) -> str:
    # TOML basic strings: escape quotes, backslashes and every control character (DEL too).
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_toml(value) -> str | None:
    """An inline TOML value, or None for what TOML cannot hold (null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if -(2**63) <= value < 2**63 else _toml_string(str(value))
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        items = [to_toml(v) for v in value]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    items = [(k, to_toml(v)) for k, v in value.items()]
    return "{" + ", ".join(f"{_toml_string(str(k))} = {v}" for k, v in items if v is not None) + "}"


def pyproject_text(document: dict) -> str:
    lines = ["[project]", 'name = "x"', "", "[tool.cslint]"]
    seen = set()
    for key, value in document.items():
        text = to_toml(value)
        if text is not None and str(key) not in seen:
            seen.add(str(key))
            lines.append(f"{_toml_string(str(key))} = {text}")
    return "\n".join(lines) + "\n"


def yaml_text(document: dict) -> str:
    import yaml

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def builtin_rules():
    from cslint.ruleset import load_rules

    return load_rules().rules


def load_or_config_error(path: Path):
    """Settings, or None after checking the ConfigError is one line naming the file."""
    try:
        return load_settings([str(path.parent)], {}, path)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and path.name in message and exc.message, message
        return None


def use_settings(settings, rules):
    """Everything a lint run does with the settings: rule references, options, per-path
    policy, a linter, and one conversation through it."""
    try:
        check_rule_references(settings, rules)
    except ConfigError as exc:
        assert "\n" not in str(exc)
        return
    configured = configured_rules(rules, settings)
    policy = RulePolicy(configured, settings)
    chosen = [configured[r] for r in OPTION_RULES if r in settings.rule_options] or policy.rules_to_run()[:2]
    linter = Linter(chosen, severity_overrides=dict(settings.severity), vocabulary=settings.vocabulary)
    for error in linter.errors:
        assert "\n" not in str(error)
    long_sentence = " ".join(["word"] * 60) + "."
    conversation = Conversation(
        "c",
        "replies/a.md",
        [
            Turn("customer", "Where is my order?", time="2024-03-01T10:00:00Z"),
            Turn("agent", long_sentence + " Please visit our website.", time="2024-03-04T10:00:00Z"),
        ],
        channel="chat",
    )
    for finding in policy.apply(conversation.path, linter.lint_one(conversation)):
        assert finding.rule in configured


@given(document=documents)
def test_odd_yaml_config(builtin_rules, document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".cslint.yaml"
        path.write_text(yaml_text(document), encoding="utf-8")
        settings = load_or_config_error(path)
        if settings is not None:
            use_settings(settings, builtin_rules)


@given(document=documents)
def test_odd_pyproject_config(builtin_rules, document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pyproject.toml"
        path.write_text(pyproject_text(document), encoding="utf-8")
        settings = load_or_config_error(path)
        if settings is not None:
            use_settings(settings, builtin_rules)


@given(text=st.text(max_size=300))
def test_arbitrary_text_as_config(text):
    with tempfile.TemporaryDirectory() as folder:
        for name in (".cslint.yaml", "pyproject.toml"):
            path = Path(folder) / name
            path.write_text(
                ("[tool.cslint]\n" if name == "pyproject.toml" else "") + text, encoding="utf-8", errors="surrogatepass"
            )
            load_or_config_error(path)


@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_as_config(data):
    with tempfile.TemporaryDirectory() as folder:
        for name in (".cslint.yaml", "pyproject.toml"):
            path = Path(folder) / name
            path.write_bytes(data)
            load_or_config_error(path)


BILLION_LAUGHS = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    + "select: *j\n"
)

HOSTILE_YAML = {
    "billion laughs": (BILLION_LAUGHS, "aliases"),
    "python object tag": ("select: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
    "custom tag": ("fail_on: !Ref warning\n", "tag"),
    "merge key": ("per_path:\n  x: {<<: {ignore: [runaround]}}\n", "merge keys"),
    "duplicate keys": ("fail_on: error\nfail_on: info\n", "duplicate key"),
    "duplicate nested keys": ("severity:\n  runaround: info\n  runaround: error\n", "duplicate key"),
    "deep nesting": ("rule_options: " + "[" * 5000 + "]" * 5000 + "\n", "nesting"),
    "deep block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n", "nesting"),
    "complex key": ("? [a, b]\n: c\n", "keys"),
    "not a mapping": ("- select\n- ignore\n", "mapping"),
    "huge string": ("select: [" + "x" * 3_000_000 + "]\n", "larger than"),
    "control character": ("fail_on: \x07error\n", "invalid YAML"),
    "wrong types": ("select: 3\nfail_on: [error]\nspeakers: {sam: 7}\n", "expected"),
    "int keys": ("severity: {1: error}\n", "not text"),
    "null key": ("per_path: {~: {ignore: [runaround]}}\n", "null"),
    "bool key": ("speakers: {true: agent}\n", "not text"),
    "bad glob": ("exclude: ['[']\n", ""),
    "empty glob": ("exclude: ['  ']\n", "empty glob"),
    "bad option type": ("rule_options: {wall-of-text: {max_sentence_words: lots}}\n", "max_sentence_words"),
    "bad option duration": ("rule_options: {slow-response: {max_gap: {chat: soon}}}\n", "max_gap"),
    "option not a mapping": ("rule_options: {slow-response: {max_gap: 5m}}\n", "max_gap"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_hostile_yaml_config_is_one_error_line(tmp_path, run_cli, name):
    text, expected = HOSTILE_YAML[name]
    (tmp_path / ".cslint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "reply.md").write_text("Please visit our website.\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("check", tmp_path / "reply.md")
    assert time.perf_counter() - started < 20
    assert_one_error_line_or_used(result, ".cslint.yaml", expected, name)


def assert_one_error_line_or_used(result, file_name, expected, name):
    """No traceback; either refused with one line naming the file and the problem, or (a
    value that is fine after all, ``expected`` empty) used."""
    assert "Traceback" not in result.output and "internal error" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    if result.exit_code == 2:
        assert errors and file_name in errors[0] and expected.lower() in result.output.lower(), result.output
    else:
        assert result.exit_code in (0, 1) and not expected, (name, result.output)


HOSTILE_TOML = {
    "not a table": ("[tool]\ncslint = 3\n", "table"),
    "invalid": ("[tool.cslint]\nselect = [\n", "invalid TOML"),
    "deep nesting": ("[tool.cslint]\nrule_options = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    "huge string": ("[tool.cslint]\nselect = ['" + "x" * 3_000_000 + "']\n", "rule or category"),
    "wrong types": ("[tool.cslint]\nfail_on = 3\n", "fail_on"),
    "duplicate keys": ("[tool.cslint]\nfail_on = 'error'\nfail_on = 'info'\n", "invalid TOML"),
    "bad option": ("[tool.cslint.rule_options.wall-of-text]\nmax_turn_words = -4\n", "max_turn_words"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TOML))
def test_hostile_pyproject_is_one_error_line(tmp_path, run_cli, name):
    text, expected = HOSTILE_TOML[name]
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    (tmp_path / "reply.md").write_text("Please visit our website.\n", encoding="utf-8")
    result = run_cli("check", "--config", tmp_path / "pyproject.toml", tmp_path / "reply.md")
    assert_one_error_line_or_used(result, "pyproject.toml", expected, name)


def test_pathological_globs_do_not_hang(tmp_path, run_cli):
    # Stars in a row compile to nested wildcards; a backtracking matcher would take hours on a
    # long file name that does not match.
    stars = "*" * 40 + "z"
    (tmp_path / ".cslint.yaml").write_text(
        json.dumps({"exclude": [stars, "**/" * 30 + "q"], "per_path": {"*a" * 30 + "b": {"ignore": ["runaround"]}}}),
        encoding="utf-8",
    )
    name = "a" * 200 + ".md"
    (tmp_path / name).write_text("Please visit our website.\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("check", "--fail-on", "info", tmp_path)
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1, result.output
