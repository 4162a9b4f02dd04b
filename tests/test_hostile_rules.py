"""A bad or hostile custom rule is reported with its file and line and skipped; it never hangs
or stops the run, and every other rule still runs."""

import json
import time

import pytest
from helpers import write_rule

GOOD = "  - kind: phrases\n    phrases: [go away]"
A_LOT = "a" * 100_000 + "b"


def run_with(tmp_path, run_cli, detect: str, text: str = "please go away now\n", rule_id: str = "bad"):
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    write_rule(rules, "good", detect=GOOD)
    if detect is not None:
        write_rule(rules, rule_id, detect=detect, flag="[[x]]")
    (tmp_path / "reply.md").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    # --select all: a rule that fails to load cannot be named, yet the others must all run.
    result = run_cli("check", "--no-config", "--rules", rules, "--select", "all", "-f", "json", tmp_path / "reply.md")
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result, json.loads(result.stdout), elapsed


def rule_errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def test_catastrophic_regex_runs_in_linear_time(tmp_path, run_cli):
    result, document, elapsed = run_with(
        tmp_path, run_cli, "  - kind: regex\n    patterns: ['(a+)+$', '(x+x+)+y']", text=f"please go away now {A_LOT}\n"
    )
    assert elapsed < 10 and not rule_errors(result)
    assert {f["rule"] for f in document["findings"]} & {"good", "bad"} == {"good"}


def test_catastrophic_regex_in_a_token_pattern_runs_on_re2(tmp_path, run_cli):
    # spaCy tests REGEX with Python's backtracking re: (a+)+$ on one long token took forever.
    detect = "  - kind: pattern\n    patterns:\n      - [{TEXT: {REGEX: '(a+)+$'}}]\n      - [{LOWER: {REGEX: '^go$'}}, {LOWER: away}]"
    result, document, elapsed = run_with(tmp_path, run_cli, detect, text=f"please go away now {A_LOT}\n")
    assert elapsed < 10 and not rule_errors(result)
    assert {f["rule"] for f in document["findings"]} >= {"bad", "good"}


@pytest.mark.parametrize(
    "detect, expected",
    [
        ("  - kind: regex\n    patterns: ['(?<=please) go']", "RE2 syntax"),
        ("  - kind: regex\n    patterns: ['" + "a|" * 3000 + "b']", "at most 5,000"),
        ("  - kind: pattern\n    patterns:\n      - [{TEXT: {REGEX: '(?!x)y'}}]", "RE2 syntax"),
        (
            "  - kind: pattern\n    patterns:\n      - " + json.dumps([{"OP": "*"}] * 8 + [{"LOWER": "zzz"}]),
            "too costly",
        ),
        (
            "  - kind: pattern\n    patterns:\n      - " + json.dumps([{"OP": "?"}] * 20 + [{"LOWER": "zzz"}]),
            "too costly",
        ),
        ("  - kind: pattern\n    patterns:\n      - " + json.dumps([{"LOWER": "a"}] * 40), "at most 32"),
        ("  - kind: phrases\n    phrases: " + json.dumps([f"phrase {i}" for i in range(10_001)]), "at most 10,000"),
        ("  - kind: metric\n    measure: turn-words\n    max: 5\noptions: {max_turn_words: lots}", "max_turn_words"),
        ("  - kind: reply\n    max_gap: {chat: '" + " " * 50_000 + "x'}", "duration"),
    ],
    ids=[
        "look-behind",
        "huge-regex",
        "token-regex-look-ahead",
        "many-stars",
        "many-optionals",
        "long-pattern",
        "huge-phrase-list",
        "bad-option",
        "pathological-duration",
    ],
)
def test_bad_rule_is_reported_and_skipped(tmp_path, run_cli, detect, expected):
    result, document, elapsed = run_with(tmp_path, run_cli, detect)
    assert elapsed < 20
    assert result.exit_code == 2
    [error] = rule_errors(result)
    assert "bad.yaml:" in error and expected in error and len(error) < 700, error
    assert {f["rule"] for f in document["findings"]} & {"good", "bad"} == {"good"}  # the rest continues


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
            ),
            "aliases",
        ),
        ("id: bad\ntitle: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
        ("id: bad\nid: bad\n", "duplicate key"),
        ("id: bad\ndetect: " + "[" * 5000 + "]" * 5000 + "\n", "nesting"),
        ("id: bad\ntitle: '" + "x" * 2_200_000 + "'\n", "larger than"),
        ("\x00\x01binary", ""),
    ],
    ids=["billion-laughs", "python-tag", "duplicate-key", "deep-nesting", "huge-file", "binary"],
)
def test_hostile_rule_files_are_reported_and_skipped(tmp_path, run_cli, text, expected):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text(text, encoding="utf-8")
    write_rule(rules, "good", detect=GOOD)
    (tmp_path / "reply.md").write_text("please go away now\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("check", "--no-config", "--rules", rules, "--select", "good", "-f", "json", tmp_path / "reply.md")
    assert time.perf_counter() - started < 20
    [error] = rule_errors(result)
    assert "bad.yaml" in error and expected in error, error
    assert result.exit_code == 2
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["good"]
