"""kind: customer-asked — a channel given to a customer who asked how to reach someone is an answer."""

import json

import pytest
from helpers import write_rule

from cslint.engine.kinds import asked as asked_kind
from cslint.engine.kinds.asked import QUESTION_CLASSES, CustomerAsked
from cslint.engine.linter import Linter
from cslint.errors import RuleError
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules
from cslint.ruleset.loader import load_rule_file


def _chat(tmp_path, customer, agent):
    path = tmp_path / "chat.jsonl"
    conversation = {
        "id": "x",
        "channel": "chat",
        "turns": [{"speaker": "customer", "text": customer}, {"speaker": "agent", "text": agent}],
    }
    path.write_text(json.dumps(conversation) + "\n", encoding="utf-8")
    return path


def _rules_found(run_cli, path):
    result = run_cli("check", path, "--select", "runaround,brush-off", "--format", "json")
    return [f["rule"] for f in json.loads(result.output)["findings"]]


def test_a_channel_is_an_answer_when_the_customer_asked_for_it(run_cli, tmp_path):
    reply = "Please call our support line on 0800 123 456."
    assert _rules_found(run_cli, _chat(tmp_path, "How do I contact customer service?", reply)) == []
    assert _rules_found(run_cli, _chat(tmp_path, "Can I speak to a real person please", reply)) == []
    assert _rules_found(run_cli, _chat(tmp_path, "My order is two weeks late.", reply)) == ["runaround"]


# Unit tests of the kind itself: named question classes (``asked:``) and a rule's own ``patterns:``.

#: A question of each class, and one the class must not take for it.
CLASS_EXAMPLES = {
    "reach-someone": ("Can I speak to a real person please", "I can't reach customer service!"),
    "contact-details": ("What is your phone number?", "My number changed last week."),
    "leave-feedback": ("Where can I leave a complaint?", "I already complained twice."),
    "where-to": ("Where can I report a registration error?", "Why is there a registration error?"),
}


def _asked(name: str) -> str:
    """A rule's ``unless`` with the question class ``name``."""
    return f"unless:\n  - kind: customer-asked\n    asked: [{name}]\n"


def _findings(tmp_path, unless: str, customer: str) -> list[int]:
    write_rule(tmp_path, detect="  - kind: phrases\n    phrases: [call our helpline]", flag="x", extra=unless)
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    assert not linter.errors, linter.errors
    conversation = Conversation("c", "p", [Turn("customer", customer), Turn("agent", "Please call our helpline.")])
    return [f.turn for f in linter.lint_one(conversation)]


def test_every_question_class_is_documented_and_has_an_example():
    assert set(CLASS_EXAMPLES) == set(QUESTION_CLASSES)
    assert all(f"``{name}``" in (asked_kind.__doc__ or "") for name in QUESTION_CLASSES)


@pytest.mark.parametrize("name", sorted(CLASS_EXAMPLES))
def test_a_question_class_cancels_only_its_own_question(tmp_path, name):
    asked, other = CLASS_EXAMPLES[name]
    unless = _asked(name)
    assert _findings(tmp_path, unless, asked) == []
    assert _findings(tmp_path, unless, other) == [1]


@pytest.mark.parametrize(
    ("name", "asked"),
    [
        ("reach-someone", "What's the best way to contact a live person about my mail?"),
        ("contact-details", "What hours is customer service available?"),
        ("contact-details", "Need assistance... do you have a chat feature?"),
        ("contact-details", "i have the files you needed but i dont find any email adress to you guys"),
        ("contact-details", "I couldn't find a phone number on your site"),
        ("leave-feedback", "Would it be possible to leave feedback about a service?"),
        ("where-to", "where can i order some articles"),
        ("where-to", "Where is the claim form?"),
        ("where-to", "where do i notify of problems with payments"),
        ("where-to", "I do not know how I can notify of a payment problem"),
        ("where-to", "How do I report a missing parcel?"),
        ("reach-someone", "getting in touch with customer support"),
        ("reach-someone", "@acme contact a human agent please"),
        ("leave-feedback", "ya have a method to leave some feedback for ur services"),
    ],
)
def test_more_ways_to_ask_each_question(tmp_path, name, asked):
    unless = _asked(name)
    assert _findings(tmp_path, unless, asked) == []
    # Asking to be called back is not asking how to reach someone: the phone line is no answer.
    assert _findings(tmp_path, unless, "Can someone give me a call? I can't rebook online.") == [1]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        # A complaint about getting through, not a request to be put through.
        ("reach-someone", "Contacting customer support is a nightmare, I have waited three hours on hold!"),
        ("reach-someone", "Call me back please"),
        # How to get something done, not how to tell the company: the channel is no answer.
        ("where-to", "How do I get a refund for my late order?"),
        ("where-to", "I reported it twice and nothing happened."),
    ],
)
def test_what_the_new_ways_to_ask_do_not_take(tmp_path, name, said):
    unless = _asked(name)
    assert _findings(tmp_path, unless, said) == [1]


def test_classes_and_own_patterns_add_up(tmp_path):
    unless = "unless:\n  - kind: customer-asked\n    asked: [contact-details]\n    patterns: ['\\bwhere is (the|your) shop\\b']\n"
    assert _findings(tmp_path, unless, "Where is your shop?") == []
    assert _findings(tmp_path, unless, "What's your phone number?") == []
    assert _findings(tmp_path, unless, "My parcel is late.") == [1]


def test_ignore_case_applies_to_the_classes_too(tmp_path):
    unless = "unless:\n  - kind: customer-asked\n    asked: [contact-details]\n    ignore_case: false\n"
    assert _findings(tmp_path, unless, "what is your phone number?") == []
    assert _findings(tmp_path, unless, "WHAT IS YOUR PHONE NUMBER?") == [1]


def test_an_unknown_question_class_is_an_error_at_its_line_with_a_suggestion(tmp_path):
    path = write_rule(tmp_path, flag="go away", extra="unless:\n  - kind: customer-asked\n    asked: [reach-somone]\n")
    with pytest.raises(RuleError, match="reach-somone.*did you mean 'reach-someone'") as caught:
        load_rule_file(path, "custom")
    assert caught.value.line == path.read_text().splitlines().index("    asked: [reach-somone]") + 1


def test_customer_asked_needs_classes_or_patterns(tmp_path):
    path = write_rule(tmp_path, flag="go away", extra="unless:\n  - kind: customer-asked\n    within: turn\n")
    with pytest.raises(RuleError, match="needs 'asked'.*or 'patterns'"):
        load_rule_file(path, "custom")


def test_the_class_patterns_are_valid_re2():
    for name, patterns in QUESTION_CLASSES.items():
        assert CustomerAsked.validate_spec({"patterns": list(patterns)}) is None, name


def test_channels_limit_the_condition_to_those_channels(tmp_path):
    unless = "unless:\n  - kind: customer-asked\n    channels: [social]\n    patterns: ['\\A[^@]*\\z']\n"
    write_rule(tmp_path, detect="  - kind: phrases\n    phrases: [call our helpline]", flag="x", extra=unless)
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    assert not linter.errors, linter.errors

    def flagged(channel, customer):
        turns = [Turn("customer", customer), Turn("agent", "Please call our helpline.")]
        return [f.turn for f in linter.lint_one(Conversation("c", "p", turns, channel))]

    assert flagged("social", "worst bank ever") == []  # tags nobody, on social media: cancelled
    assert flagged("social", "@acme worst bank ever") == [1]
    assert flagged("chat", "worst bank ever") == [1]  # another channel: the condition does not apply
    assert flagged(None, "worst bank ever") == [1]


def test_in_a_reply_thread_the_customer_message_is_the_one_answered(tmp_path):
    """Tweets of two customers interleave in one thread: the agent's reply answers Bo's tweet
    (``reply_to``), not Ann's, which comes just before it in time."""
    unless = "unless:\n  - kind: customer-asked\n    asked: [contact-details]\n"
    write_rule(tmp_path, detect="  - kind: phrases\n    phrases: [call our helpline]", flag="x", extra=unless)
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    turns = [
        Turn("customer", "@acme what is your phone number?", name="bo"),
        Turn("customer", "@acme my parcel is late", name="ann"),
        Turn("agent", "@bo Please call our helpline.", reply_to=0),
        Turn("agent", "@ann Please call our helpline.", reply_to=1),
    ]
    assert [f.turn for f in linter.lint_one(Conversation("c", "p", turns, "social"))] == [3]
