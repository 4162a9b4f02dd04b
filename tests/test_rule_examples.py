"""Every example in every built-in rule file is a test case: flagging examples must flag the
marked span, passing examples must not flag."""

import pytest

from cslint.ruleset import load_rules
from cslint.testing import check_example, examples_of

_RULES = load_rules().rules
_EXAMPLES = [ex for rule in sorted(_RULES.values(), key=lambda r: r.id) for ex in examples_of(rule)]


@pytest.mark.parametrize("example", _EXAMPLES, ids=[ex.name for ex in _EXAMPLES])
def test_rule_example(example, builtin_linter):
    result = check_example(builtin_linter, example)
    assert result.ok, f"{example.rule.path}:{example.line}: {result.detail}"


def test_every_rule_has_enough_examples():
    for rule in _RULES.values():
        assert len(rule.examples_flag) >= 4, rule.id
        assert len(rule.examples_pass) >= 4, rule.id
