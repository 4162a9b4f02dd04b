"""Two linters in one process, with different rules, do not affect each other: everything a
linter compiles (matchers, token filter, RE2 predicates, analysis cache, per-conversation
answers) is its own."""

from __future__ import annotations

from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules

TEXTS = [
    "Please calm down, order 12345 is on its way.",
    "Ticket ABC-42 was escalated; see our FAQ or call 0800 123 456.",
    "We need your invoice number INV-7 before we can refund you.",
] * 6  # more turns than the token filter's warm-up, so both matching paths run


def linter_for(folder, rules: dict[str, str]) -> Linter:
    folder.mkdir()
    for rule_id, detect in rules.items():
        write_rule(folder, rule_id, detect=detect, flag="x")
    loaded = load_rules([folder], include_builtin=False)
    linter = Linter(list(loaded.rules.values()))
    assert not linter.errors, linter.errors
    return linter


def findings(linter: Linter) -> list[tuple[str, int, int, int]]:
    conversations = [Conversation(f"c{i}", "p", [Turn("agent", text)]) for i, text in enumerate(TEXTS)]
    return [(f.rule, int(f.conversation[1:]), f.start, f.end) for _, found in linter.lint(conversations) for f in found]


def test_two_linters_with_different_rules_do_not_affect_each_other(tmp_path):
    digits = "  - kind: pattern\n    patterns:\n      - [{TEXT: {REGEX: '^\\d{5}$'}}]"
    reference = "  - kind: pattern\n    patterns:\n      - [{TEXT: {REGEX: '^[A-Z]+-\\d+$'}}]"
    first = linter_for(tmp_path / "a", {"digits": digits, "calm": "  - kind: phrases\n    phrases: [calm down]"})
    alone = findings(first)
    assert {rule for rule, *_ in alone} == {"digits", "calm"}

    second = linter_for(tmp_path / "b", {"reference": reference, "faq": "  - kind: regex\n    patterns: ['\\bFAQ\\b']"})
    other = findings(second)
    assert {rule for rule, *_ in other} == {"reference", "faq"}

    # The first linter finds exactly what it found before the second one existed and ran ...
    assert findings(first) == alone
    # ... and a third linter with the first one's rules finds the same.
    assert (
        findings(linter_for(tmp_path / "c", {"digits": digits, "calm": "  - kind: phrases\n    phrases: [calm down]"}))
        == alone
    )


def test_builtin_and_custom_linters_keep_their_own_rules(tmp_path, builtin_linter):
    conversation = Conversation("c", "p", [Turn("agent", "Please calm down, that is our policy.")])
    before = [f.rule for f in builtin_linter.lint_one(conversation)]
    custom = linter_for(tmp_path / "custom", {"only-calm": "  - kind: phrases\n    phrases: [calm down]"})
    assert [f.rule for f in custom.lint_one(conversation)] == ["only-calm"]
    assert [f.rule for f in builtin_linter.lint_one(conversation)] == before


def test_linters_with_different_models_keep_their_own(tmp_path):
    """The learned kinds read models through their linter's own store: a linter with a team's
    model and one with the built-in model only, in one process, each answer with theirs."""
    from test_learning import conversations_and_labels, write_jsonl

    from cslint.learning import training
    from cslint.learning.data import read_conversations, read_labels

    raw, labels = conversations_and_labels()
    gold = read_labels(str(write_jsonl(tmp_path / "l.jsonl", labels)))
    training.train(read_conversations(str(write_jsonl(tmp_path / "c.jsonl", raw))), gold).save(tmp_path / "model")
    folder = tmp_path / "rules"
    folder.mkdir()
    write_rule(folder, "sendaway", detect="  - kind: model\n    threshold: 0.5", flag="x")
    rules = list(load_rules([folder], include_builtin=False).rules.values())
    team = Linter(rules, models=str(tmp_path / "model"))
    builtin = Linter(rules)
    assert team.model_store is not builtin.model_store
    turns = [Turn("customer", "My card was declined."), Turn("agent", "Sorry, you should phone the hotline.")]
    chat = Conversation("n", "p", turns, channel="chat")
    assert [f.rule for f in team.lint_one(chat)] == ["sendaway"]
    # The built-in model has no "sendaway" label: silent, and the team's model did not leak in.
    assert builtin.lint_one(chat) == []
    assert [f.rule for f in team.lint_one(chat)] == ["sendaway"]
