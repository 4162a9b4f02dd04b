"""A turn runs only the matchers that something reads on it (engine/matching/readers.py)."""

import pytest
from helpers import write_rule

from cslint.engine.linter import Linter, reader_of
from cslint.engine.matching import ANY_TURN
from cslint.engine.matching.service import MatchingService
from cslint.engine.nlp import build_pipeline
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def test_a_turn_gets_the_matches_of_its_readers_only(nlp):
    service = MatchingService(nlp)
    phrases = service.for_reader("agent-rule").phrases(["a refund"])
    patterns = service.for_reader("agent-rule").patterns([[{"LOWER": "refund"}]])
    anyone = service.for_reader(ANY_TURN).phrases(["refund"], "lemma")
    doc = nlp("I want a refund, refunds are late")
    everything = service.run(doc)
    assert set(everything) == {phrases.key, patterns.key, anyone.key}
    assert service.selection(frozenset()) == {anyone.key}
    assert service.run(doc, service.selection(frozenset())) == {anyone.key: everything[anyone.key]}
    assert service.run(doc, service.selection(frozenset({"other-rule"}))) == {anyone.key: everything[anyone.key]}
    assert service.run(doc, service.selection(frozenset({"agent-rule"}))) == everything


def rules_in(folder):
    loaded = load_rules([folder], include_builtin=False)
    assert not loaded.errors, loaded.errors
    return sorted(loaded.rules.values(), key=lambda rule: rule.id)


def test_the_same_text_is_matched_for_each_speaker_that_reads_it(tmp_path):
    write_rule(tmp_path, "agents-only", extra="scope:\n  speakers: [agent]\n")
    write_rule(tmp_path, "customers-only", extra="scope:\n  speakers: [customer]\n", flag="x")
    linter = Linter(rules_in(tmp_path))
    turns = [Turn("customer", "go away"), Turn("agent", "go away"), Turn("customer", "go away")]
    conversations = [Conversation(f"c{i}", "p", turns) for i in range(2)]  # the second from the cache
    for _conv, findings in linter.lint(conversations):
        assert [(f.rule, f.turn) for f in findings] == [
            ("customers-only", 0),
            ("agents-only", 1),
            ("customers-only", 2),
        ]


def test_readers_follow_the_kind(tmp_path):
    write_rule(tmp_path, "turn-level")
    [rule] = rules_in(tmp_path)
    assert reader_of(rule, rule.detect[0]) == "turn-level"
    assert reader_of(rule, {"kind": "phrases", "phrases": ["x"]}) == "turn-level"
    assert reader_of(rule, {"kind": "said-before"}) is ANY_TURN
    assert reader_of(rule, {"kind": "repetition"}) is ANY_TURN


ASKED_AND_REPLIED = """\
  - kind: already-given
    values:
      - name: order number
        given: ['#\\d+']
        asked: [{kind: pattern, patterns: [[{LOWER: order}, {LOWER: number}]]}]
  - kind: reply
    to: [{kind: phrases, phrases: [angry]}]
    has: [{kind: pattern, patterns: [[{LOWER: calm}, {LOWER: down}]]}]
"""


def test_conversation_kinds_say_which_nested_lists_only_the_rules_turns_read(tmp_path):
    """already-given reads ``asked`` and reply reads ``has`` on the rule's turns only; reply's
    ``to`` is read on the customer's turns."""
    write_rule(tmp_path, "nested", detect=ASKED_AND_REPLIED, flag="x", extra="scope:\n  speakers: [agent]\n")
    linter = Linter(rules_in(tmp_path))
    assert not linter.errors, linter.errors
    service = linter.matching
    elsewhere, on_rule_turns = service.selection(frozenset()), service.selection(frozenset({"nested"}))
    assert len(elsewhere) == 1 and len(on_rule_turns) == 3 and elsewhere < on_rule_turns
    turns = [Turn("customer", "I am angry, order #123"), Turn("agent", "Calm down and send the order number")]
    [(_conv, findings)] = list(linter.lint([Conversation("c", "p", turns)]))
    assert sorted(f.text for f in findings) == ["Calm down", "order number"]


def test_a_turn_scans_the_regular_expressions_of_its_readers_only(nlp):
    """A turn's one RE2 pass covers its rules' expressions and those any turn may read."""
    service = MatchingService(nlp)
    mine = service.for_reader("agent-rule").regexes([r"\brefund\b"])
    anyone = service.for_reader(ANY_TURN).regexes([r"\blate\b"])
    text = "my refund is late"
    assert service.regexes_in(text) == {*mine.ids, *anyone.ids}
    assert service.regex_selection(frozenset({"agent-rule"})) is None  # all of them: the full set
    customers = service.regex_selection(frozenset())
    assert customers == frozenset(anyone.ids)
    assert service.regexes_in(text, customers) == set(anyone.ids)
    assert service.regexes_in(text, frozenset()) == set()


def test_asking_about_an_expression_outside_the_selection_scans_them_all(nlp):
    """A wrong tag may cost a second scan, never a match."""
    from cslint.engine.matching import Trigger
    from cslint.engine.views import TurnView

    service = MatchingService(nlp)
    mine = service.for_reader("agent-rule").regexes([r"\brefund\b"])
    anyone = service.for_reader(ANY_TURN).regexes([r"\blate\b"])
    text = "my refund is late"
    turn = Turn("customer", text)
    view = TurnView(0, turn, nlp(text), {}, service, service.regex_selection(frozenset()))
    assert view.occurs(Trigger(frozenset(), frozenset(anyone.ids)))
    assert view.regex_ids is not None  # covered: no second scan
    assert view.regex_spans(mine) == [(3, 9)]
    assert view.regex_ids is None
    view = TurnView(0, turn, nlp(text), {}, service, service.regex_selection(frozenset()))
    assert view.occurs(Trigger(frozenset(), frozenset(mine.ids)))
