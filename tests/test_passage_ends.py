"""Where a flagged passage ends: never inside a link or a placeholder that the tokenizer split,
nor on an opening bracket after a space; other words are left as the pattern found them."""

import pytest
from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules

#: The last token of each pattern is "any token": it takes the first piece of a split word.
DETECT = """  - kind: pattern
    patterns:
      - [{LOWER: contact}, {LOWER: us}, {LOWER: at}, {}]
      - [{LOWER: this}, {LOWER: thread}, {IS_PUNCT: true}, {}]
      - [{LOWER: this}, {LOWER: moment}, {IS_PUNCT: true}, {}]
      - [{LOWER: your}, {LOWER: ph}, {}]
"""


@pytest.fixture
def linter(tmp_path):
    write_rule(tmp_path, detect=DETECT, flag="please [[contact us at <tel_num>]] today")
    built = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    assert not built.errors, built.errors
    return built


def passages(linter, text):
    conversation = Conversation("c", "p", [Turn("customer", "Hello?"), Turn("agent", text)])
    return [f.text for f in linter.lint_one(conversation)]


@pytest.mark.parametrize(
    ("text", "passage"),
    [
        ("Please contact us at <tel_num>.", "contact us at <tel_num>"),
        ("Please contact us at [Phone Number] today.", "contact us at [Phone Number]"),
        ("We recommend this thread: https://t.co/v09x1teX9c.", "this thread: https://t.co/v09x1teX9c"),
        # A bracket that opens after the flagged words is not part of them.
        ("That is the best price at this moment. (1/2)", "this moment."),
        # Not a link or a placeholder: the passage stays as the pattern found it.
        ("Please send your ph #.1/2", "your ph #"),
    ],
)
def test_a_passage_ends_on_a_whole_link_or_placeholder(linter, text, passage):
    assert passages(linter, text) == [passage]
