"""The rule format a QA lead writes: named word lists, thresholds in one place and named in
messages, and a catalogue that writes no word list or pattern list twice."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import write_rule

from cslint.engine.kinds.asked import QUESTION_CLASSES
from cslint.engine.linter import Linter
from cslint.errors import RuleError
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules
from cslint.ruleset.loader import builtin_rules_dir, load_rule_file

WORDS = """\
words:
  polite: [please, kindly]
  go: [visit, check]
"""


def lint(tmp_path, detect: str, text: str, extra: str = "", options: dict | None = None) -> list[str]:
    write_rule(tmp_path, "r", detect=detect, flag="x", extra=extra)
    rules = list(load_rules([tmp_path], include_builtin=False).rules.values())
    if options:
        rules[0].options.update(options)
    linter = Linter(rules)
    assert not linter.errors, linter.errors
    return [f"{f.text}|{f.message}" for f in linter.lint_one(Conversation("c", "p", [Turn("agent", text)]))]


def test_a_word_list_is_used_by_name_in_patterns_and_phrase_lists(tmp_path):
    detect = (
        "  - kind: pattern\n    patterns:\n      - [{LOWER: {IN: $polite}}, {LOWER: {IN: [$go, see]}}, {LOWER: our}]\n"
        "  - kind: phrases\n    phrases: [$go, your account]"
    )
    rule = load_rule_file(write_rule(tmp_path, "r", detect=detect, flag="x", extra=WORDS), "custom")
    assert rule.detect[0]["patterns"][0][:2] == [
        {"LOWER": {"IN": ["please", "kindly"]}},
        {"LOWER": {"IN": ["visit", "check", "see"]}},
    ]
    assert rule.detect[1]["phrases"] == ["visit", "check", "your account"]
    assert [f.split("|")[0] for f in lint(tmp_path, detect, "Kindly see our page.", extra=WORDS)] == ["Kindly see our"]


def test_an_unknown_word_list_names_the_file_line_and_the_known_lists(tmp_path):
    detect = "  - kind: pattern\n    patterns:\n      - [{LOWER: {IN: $polit}}]"
    path = write_rule(tmp_path, "r", detect=detect, flag="x", extra=WORDS)
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, "custom")
    assert "unknown word list $polit (word lists: go, polite)" in str(caught.value)
    assert caught.value.line == path.read_text().splitlines().index("      - [{LOWER: {IN: $polit}}]") + 1


def test_a_word_list_must_be_a_list_of_words(tmp_path):
    path = write_rule(tmp_path, "r", flag="x", extra="words:\n  polite: please\n")
    with pytest.raises(RuleError, match="words.polite"):
        load_rule_file(path, "custom")


def test_a_threshold_lives_in_options_and_the_message_names_it(tmp_path):
    detect = "  - kind: metric\n    measure: turn-words\n    message: Over {max} words; {unknown} stays."
    extra = "options:\n  max_turn_words: 3\n"
    assert lint(tmp_path, detect, "one two three four five", extra=extra) == [
        "one two three four five|Over 3 words; {unknown} stays."
    ]
    # A team's override changes the limit and the message together.
    assert lint(tmp_path, detect, "one two three four five", extra=extra, options={"max_turn_words": 4}) == [
        "one two three four five|Over 4 words; {unknown} stays."
    ]


def test_a_metric_without_a_limit_is_a_rule_error(tmp_path):
    write_rule(tmp_path, "r", detect="  - kind: metric\n    measure: turn-words", flag="x")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    assert len(linter.errors) == 1 and "needs a limit" in str(linter.errors[0])


def _lists(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("IN", "NOT_IN") and isinstance(item, list):
                yield tuple(item)
            else:
                yield from _lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _lists(item)


@pytest.mark.parametrize("path", sorted(builtin_rules_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_no_built_in_rule_writes_a_word_list_twice(path):
    """Lists of three or more words written out more than once belong in ``words:``."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    written = Counter(words for words in _lists([document.get("detect"), document.get("unless")]) if len(words) >= 3)
    assert {words: n for words, n in written.items() if n > 1} == {}


def _pattern_lists(value):
    """Every ``patterns:`` list (regex or token patterns) in a rule section, nested detectors too."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "patterns" and isinstance(item, list):
                yield item
            else:
                yield from _pattern_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _pattern_lists(item)


def pattern_lists_written_twice(rule_files) -> dict[str, int]:
    """Lists of two or more patterns written out more than once across ``rule_files`` (in one
    file or in several), keyed by the list as JSON: a shared question is a ``customer-asked``
    class, a shared list of words a ``words:`` list."""
    import json

    import yaml

    written: Counter[str] = Counter()
    for path in rule_files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for patterns in _pattern_lists([document.get("detect"), document.get("unless")]):
            if len(patterns) >= 2:
                written[json.dumps(patterns, sort_keys=True)] += 1
    return {patterns: n for patterns, n in written.items() if n > 1}


def test_no_pattern_list_is_written_twice_across_the_catalogue():
    assert pattern_lists_written_twice(sorted(builtin_rules_dir().glob("*.yaml"))) == {}


def test_a_list_copied_into_two_rule_files_is_caught(tmp_path):
    unless = "unless:\n  - kind: customer-asked\n    patterns: ['\\bhow do i call\\b', '\\bphone number\\b']\n"
    files = [write_rule(tmp_path, rule_id, flag="go away", extra=unless) for rule_id in ("a", "b")]
    assert list(pattern_lists_written_twice(files).values()) == [2]
    assert pattern_lists_written_twice(files[:1]) == {}


@pytest.mark.parametrize("path", sorted(builtin_rules_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_no_rule_copies_a_customer_asked_question_class(path):
    """A rule that needs a class's questions names it (``asked: [name]``) instead of copying them."""
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    written = {p for patterns in _pattern_lists(document.get("unless")) for p in patterns if isinstance(p, str)}
    assert [name for name, patterns in QUESTION_CLASSES.items() if written.issuperset(patterns)] == []


@pytest.mark.parametrize(
    "section",
    [
        "detect:\n  - kind: phrases\n    phrases: [x]\nunless:\n  - kind: phrases\n    min_turns: 2\n    phrases: [y]\n",
        "detect:\n  - kind: absence\n    of:\n      - kind: phrases\n        min_turns: 2\n        phrases: [y]\n",
    ],
    ids=["unless", "nested"],
)
def test_min_turns_is_refused_where_it_would_mean_nothing(tmp_path, section):
    path = write_rule(tmp_path, "r", flag="x")
    text = path.read_text().replace("detect:\n  - kind: phrases\n    phrases: [go away]\n", section)
    path.write_text(text)
    with pytest.raises(RuleError, match="'min_turns' counts the turns"):
        load_rule_file(path, "custom")
