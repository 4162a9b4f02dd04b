"""The ``min_count`` and ``max_words`` options every turn-level detector accepts."""

import pytest

from cslint.engine.linter import Linter
from cslint.model import Conversation, SourceMap, Turn
from cslint.ruleset import load_rules

RULE = """\
id: filler
title: Filler
category: tone
severity: info
message: Filler.
description: {{what: w, why: w, fix: w}}
links: [https://example.org]
detect:
  - kind: {kind}
    {option}
    {key}: [thank you for your patience, do not hesitate]
examples:
  flag: ["[[Thank you for your patience]]."]
  pass: ["Hello."]
"""


def lint(tmp_path, option, text, kind="phrases"):
    key = "phrases" if kind == "phrases" else "patterns"
    (tmp_path / "filler.yaml").write_text(RULE.format(kind=kind, option=option, key=key))
    loaded = load_rules([tmp_path], include_builtin=False)
    assert not loaded.errors, loaded.errors
    linter = Linter(list(loaded.rules.values()))
    turn = Turn(speaker="agent", text=text, name=None, source=SourceMap())
    return linter.lint_one(Conversation(id="c", path="t", turns=[turn]))


LONG = "Your refund was approved this morning and the money should reach your card within three to five working days."


@pytest.mark.parametrize("kind", ["phrases", "regex"])
def test_min_count_needs_that_many_matches(tmp_path, kind):
    one = f"{LONG} Thank you for your patience."
    two = f"{LONG} Please do not hesitate to ask. Thank you for your patience."
    assert lint(tmp_path, "min_count: 2", one, kind) == []
    assert [f.text.lower() for f in lint(tmp_path, "min_count: 2", two, kind)] == [
        "do not hesitate",
        "thank you for your patience",
    ]
    assert len(lint(tmp_path, "", one, kind)) == 1


def test_max_words_skips_longer_turns(tmp_path):
    short = "@sam Sorted now. Thank you for your patience! ^JB"
    assert len(lint(tmp_path, "max_words: 8", short)) == 1
    assert lint(tmp_path, "max_words: 8", f"{LONG} Thank you for your patience.") == []


def test_options_are_validated(tmp_path):
    (tmp_path / "filler.yaml").write_text(RULE.format(kind="phrases", option="min_count: 0", key="phrases"))
    errors = load_rules([tmp_path], include_builtin=False).errors
    assert errors and "min_count" in str(errors[0]) and "filler.yaml:" in str(errors[0])
