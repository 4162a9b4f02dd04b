"""The conversation-level detector kinds, each on small conversations."""

import pytest
from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.errors import RuleError
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules
from cslint.ruleset.loader import load_rule_file
from cslint.vocabulary import Vocabulary


def linter_for(tmp_path, detect, extra="", vocabulary=None):
    write_rule(tmp_path, detect=detect, extra=extra, flag="x")
    rules = list(load_rules([tmp_path], include_builtin=False).rules.values())
    linter = Linter(rules, vocabulary=vocabulary or Vocabulary())
    assert not linter.errors, linter.errors
    return linter


def run(linter, *turns, channel=None):
    conv = Conversation(
        "c", "p", [Turn(s, t, time=tm) for s, t, *rest in turns for tm in [rest[0] if rest else None]], channel=channel
    )
    return [(f.turn, f.text, f.message) for f in linter.lint_one(conv)]


REPLY = """\
  - kind: reply
    to:
      - kind: phrases
        phrases: [ridiculous, unacceptable]
    lacks:
      - kind: phrases
        phrases: [sorry, apologise, understand]
"""


def test_reply_lacks_acknowledgement(tmp_path):
    linter = linter_for(tmp_path, REPLY)
    found = run(
        linter, ("customer", "This is ridiculous, third time!"), ("agent", "Please send your order number. Thanks.")
    )
    assert [(t, text) for t, text, _ in found] == [(1, "Please send your order number.")]
    assert (
        run(linter, ("customer", "This is ridiculous!"), ("agent", "I'm so sorry. Could you send the order number?"))
        == []
    )
    # Neutral customer: no trigger, no finding.
    assert run(linter, ("customer", "Hi, a question."), ("agent", "Please send your order number.")) == []


def test_reply_block_is_judged_as_a_whole(tmp_path):
    linter = linter_for(tmp_path, REPLY)
    turns = [
        ("customer", "Unacceptable service."),
        ("agent", "I understand, that's frustrating. 1/2"),
        ("agent", "Send me the number please. 2/2"),
    ]
    assert run(linter, *turns) == []


def test_reply_overlap_none(tmp_path):
    detect = "  - kind: reply\n    to:\n      - kind: regex\n        patterns: ['[?]']\n    overlap: none\n"
    linter = linter_for(tmp_path, detect)
    assert run(linter, ("customer", "When will my refund arrive?"), ("agent", "Your refund arrives Friday.")) == []
    found = run(linter, ("customer", "When will my refund arrive?"), ("agent", "Have a great day!"))
    assert [t for t, _, _ in found] == [1]


def test_reply_needs_a_condition(tmp_path):
    path = write_rule(
        tmp_path, detect="  - kind: reply\n    to:\n      - kind: phrases\n        phrases: [x]", flag="x"
    )
    with pytest.raises(RuleError, match="needs 'lacks', 'has', 'overlap' or 'max_gap'"):
        load_rule_file(path, "custom")


def test_nested_detector_errors_point_inside(tmp_path):
    detect = "  - kind: reply\n    lacks:\n      - kind: phrases\n        phrase: [x]"
    path = write_rule(tmp_path, detect=detect, flag="x")
    with pytest.raises(RuleError, match=r"unknown key 'phrase'.*did you mean 'phrases'") as err:
        load_rule_file(path, "custom")
    assert err.value.line == 15


GIVEN = """\
  - kind: already-given
    values:
      - name: order number
        given: ['\\d{5,}']
        asked:
          - kind: pattern
            patterns:
              - [{LOWER: {IN: [your, the]}}, {LOWER: order}, {LOWER: {IN: [number, "no"]}}]
"""


def test_already_given(tmp_path):
    linter = linter_for(tmp_path, GIVEN)
    found = run(linter, ("customer", "Order 123456 never came."), ("agent", "Sorry! What is your order number?"))
    assert found == [(1, "your order number", "Asks for the order number the customer already gave in turn 0.")]
    assert run(linter, ("customer", "My order never came."), ("agent", "Sorry! What is your order number?")) == []
    # Given after the request: fine.
    assert run(linter, ("agent", "What is your order number?"), ("customer", "123456")) == []


TYPED = """\
  - kind: already-given
    values:
      - type: phone-number
      - type: order-number
        asked:
          - kind: phrases
            phrases: [that number again]
"""


def test_already_given_matches_the_type_of_value(tmp_path):
    linter = linter_for(tmp_path, TYPED)
    ask_phone = ("agent", "Sorry! Could you send us your phone number?")
    # An order number is no phone number, however many digits it has.
    assert run(linter, ("customer", "Order 405-6829914-837231 never came."), ask_phone) == []
    found = run(linter, ("customer", "Call me: 07700 900123"), ask_phone)
    assert found == [(1, "send us your phone number", "Asks for the phone number the customer already gave in turn 0.")]
    # A type's own asked detectors add to its built-in shapes.
    found = run(linter, ("customer", "Order #4821377 is late"), ("agent", "Can you give me that number again?"))
    assert [text for _, text, _ in found] == ["that number again"]


def test_customer_mood_cancels_on_the_message_the_reply_answers(tmp_path):
    linter = linter_for(
        tmp_path,
        "  - kind: phrases\n    phrases: [noted]",
        extra="unless:\n  - kind: customer-mood\n    mood: positive\n",
    )
    assert run(linter, ("customer", "Love the new app, great work!"), ("agent", "Noted, thanks.")) == []
    assert run(linter, ("customer", "The issue is resolved now, thanks a lot"), ("agent", "Noted, thanks.")) == []
    # Positive words with an open problem, a question or frustration: not a happy closing.
    for said in (
        "Thanks, but it still doesn't work",
        "Great, so when does it arrive?",
        "Third time asking!!",
        "Thanks, there is an error on the page",
        "Great service as always :(",
    ):
        assert [t for _, t, _ in run(linter, ("customer", said), ("agent", "Noted, thanks."))] == ["Noted"], said
    # The mood of an earlier exchange does not count.
    turns = [("customer", "Love it!"), ("agent", "Thanks!"), ("customer", "The app crashed."), ("agent", "Noted.")]
    assert [t for _, t, _ in run(linter, *turns)] == ["Noted"]


def test_customer_mood_not_frustrated_keeps_a_match_only_after_an_upset_customer(tmp_path):
    """``mood: not-frustrated`` cancels the match unless the customer's message reads upset, so a
    trigger word in a cheerful or neutral message ("come on") does not stand."""
    linter = linter_for(
        tmp_path,
        "  - kind: phrases\n    phrases: [noted]",
        extra="unless:\n  - kind: customer-mood\n    mood: not-frustrated\n",
    )
    for said in (
        "Come on, put the new season up for me!",
        "I won a code in your competition, is there a time limit to redeem it? Thanks.",
    ):
        assert run(linter, ("customer", said), ("agent", "Noted.")) == [], said
    # Angry emoji read upset too, though the word lexicon cannot read them.
    for said in (
        "Third time asking and nobody answers!!",
        "This is ridiculous, the worst service ever",
        "Charged for a cancelled ride 😡😡😡",
    ):
        assert [t for _, t, _ in run(linter, ("customer", said), ("agent", "Noted."))] == ["Noted"], said


def test_mood_in_a_reply_detector_flags_only_replies_to_an_upset_customer(tmp_path):
    """``kind: mood`` matches a whole turn that reads in the mood: nested in ``reply``'s ``to:``,
    the same bare "See DM" is flagged after frustration and passes after a calm question."""
    linter = linter_for(
        tmp_path,
        "  - kind: reply\n    to:\n      - kind: mood\n        mood: frustrated\n"
        "    has:\n      - kind: regex\n        at: whole-turn\n        patterns: ['\\bsee dm\\b']",
    )
    reply = ("agent", "See DM")
    for said in (
        "Third time I'm asking and nobody answers!!",
        # Exasperation reads upset although the words alone score neutral or positive.
        "Which means no credit? As expected",
        "So my number will be off for 7 days, are you serious?",
        "what language do you people understand",
        "The issue is recurrent, I better switch.",
    ):
        assert [t for _, t, _ in run(linter, ("customer", said), reply)] == ["See DM"], said
    for said in ("When will the refund for my jacket arrive?", "Seriously, you guys are the best!"):
        assert run(linter, ("customer", said), reply) == [], said


def test_small_talk_needs_a_calm_customer_and_a_reply_in_kind(tmp_path):
    linter = linter_for(
        tmp_path,
        "  - kind: phrases\n    phrases: [noted]",
        extra="unless:\n  - kind: customer-mood\n    mood: small-talk\n",
    )
    reply = ("agent", "@116203 Noted, nicely done, I love it! -Becky")
    for said in (
        "@ChipotleTweets got my boorito 🎃 https://t.co/QB4ljLjSxx",
        "Dressed up as the chicken I'm about to get in my bowl @ChipotleTweets",
        "🎃",
    ):
        assert run(linter, ("customer", said), reply) == [], said
    # Something open or wrong on the customer's side is not small talk, however warm the reply.
    for said in (
        "Is the $3 deal on today?",
        "My flight is delayed",
        "Any news on order 40921?",
        "Ordered 3 bowls, order 4812339",
        "Amazonで頼んだ商品が届かない",
        "This is the worst",
    ):
        assert [t for _, t, _ in run(linter, ("customer", said), reply)] == ["Noted"], said
    # Nor is a reply that apologises or reads neutral.
    said = ("customer", "Dressed up as the chicken I'm about to get in my bowl")
    for text in ("Noted, love it, sorry about the wait.", "Noted."):
        assert [t for _, t, _ in run(linter, said, ("agent", text))] == ["Noted"], text


def test_repetition(tmp_path):
    linter = linter_for(tmp_path, "  - kind: repetition\n    min_words: 5")
    text = "Thanks for reaching out, we will look into this for you."
    found = run(
        linter,
        ("agent", text),
        ("customer", "hello?"),
        ("agent", "@bob " + text.upper() + " ^MW"),
        ("agent", "Thanks!"),
        ("agent", "Thanks!"),
    )
    assert [(t, m.startswith("Repeats the text of turn 0")) for t, _, m in found] == [(2, True)]


def test_min_turns_flags_from_the_nth_turn_that_matches(tmp_path):
    detect = "  - kind: phrases\n    min_turns: 3\n    message: Hand-off {min_turns}.\n    phrases: [transfer you]"
    linter = linter_for(tmp_path, detect)
    turns = [
        ("agent", "I'll transfer you."),
        ("customer", "ok"),
        ("agent", "Let me transfer you."),
        ("agent", "I need to transfer you again, I'll transfer you now."),
    ]
    # One count per turn; from the third turn on, its first match carries the detector's message.
    assert [(t, m) for t, _, m in run(linter, *turns)] == [(3, "Hand-off 3.")]
    assert run(linter, *turns[:3]) == []


def test_timing_per_channel(tmp_path):
    detect = "  - kind: reply\n    max_gap: {default: 1h, chat: 5m}"
    linter = linter_for(tmp_path, detect)
    turns = [
        ("customer", "Hi?", "2024-03-01T10:00:00Z"),
        ("customer", "Hello??", "2024-03-01T10:20:00Z"),
        ("agent", "Sorry for the wait. How can I help?", "2024-03-01T10:30:00Z"),
    ]
    found = run(linter, *turns, channel="chat")
    assert found == [(2, "Sorry for the wait.", "The customer waited 30m for this reply (target for chat: 5m).")]
    assert run(linter, *turns, channel="email") == []
    day = [("customer", "Hi", "23:50"), ("agent", "Hello!", "00:10")]
    assert [m for _, _, m in run(linter, *day, channel="chat")] == [
        "The customer waited 20m for this reply (target for chat: 5m)."
    ]
    assert run(linter, ("customer", "Hi"), ("agent", "Hello!"), channel="chat") == []


def test_timing_options_override(tmp_path):
    detect = "  - kind: reply\n    max_gap: {default: 1h}"
    linter = linter_for(tmp_path, detect, extra="options:\n  max_gap: {default: 10m}\n")
    assert len(run(linter, ("customer", "Hi", "10:00"), ("agent", "Hello", "10:30"))) == 1


def test_timing_rejects_bad_duration(tmp_path):
    path = write_rule(tmp_path, detect="  - kind: reply\n    max_gap: {chat: soon}", flag="x")
    with pytest.raises(RuleError, match="max_gap"):
        load_rule_file(path, "custom")


def test_metric_sentence_and_turn_words(tmp_path):
    linter = linter_for(tmp_path, "  - kind: metric\n    measure: sentence-words\n    max: 5")
    found = run(linter, ("agent", "Short one. This sentence has far too many words in it. Ok."))
    assert [text for _, text, _ in found] == ["This sentence has far too many words in it."]
    linter = linter_for(tmp_path, "  - kind: metric\n    measure: turn-words\n    max: 5")
    assert len(run(linter, ("agent", "one two three four five six"))) == 1
    assert run(linter, ("agent", "one two three four five")) == []


def test_absence_in_last_agent_turn(tmp_path):
    detect = "  - kind: absence\n    turn: last\n    of:\n      - kind: phrases\n        phrases: [by friday, tomorrow, i will]"
    linter = linter_for(tmp_path, detect)
    found = run(
        linter,
        ("agent", "Hi."),
        ("customer", "Help"),
        ("agent", "We are looking at it. Thanks for waiting."),
        ("customer", "ok"),
    )
    assert found == [(2, "Thanks for waiting.", "Flagged for testing.")]
    assert run(linter, ("agent", "Hi."), ("agent", "I will call you tomorrow.")) == []


def test_absence_reads_a_reply_split_over_posts_as_one(tmp_path):
    detect = "  - kind: absence\n    turn: last\n    of:\n      - kind: phrases\n        phrases: [by friday, tomorrow, i will]"
    linter = linter_for(tmp_path, detect)
    split = [
        ("customer", "My order hasn't arrived."),
        ("agent", "I will chase it by Friday. 1/2"),
        ("agent", "Thanks! 2/2"),
    ]
    assert run(linter, *split) == []
    # A customer turn in between: the last reply is a reply of its own, and has no next step.
    answered = [split[0], split[1], ("customer", "ok"), ("agent", "Thanks for waiting. 2/2")]
    assert [ti for ti, _, _ in run(linter, *answered)] == [3]


NEXT_STEP_TO = """\
  - kind: absence
    turn: last
    to:
      - kind: mood
        mood: not-enquiring
    of:
      - kind: phrases
        phrases: [by friday, tomorrow, i will]
"""


@pytest.mark.parametrize(
    "said, flagged",
    [
        ("Which train should I get to Stoke from Manchester?", False),  # a plain question: answered
        ("@GWR is extra legroom included in first class", False),  # opens as a question
        ("When will the next train to Stoke leave?", True),  # about when: the answer needs a time
        ("Why is my train to Stoke cancelled again?", True),  # a complaint asked as a question
        ("Won't the 18:15 stop at Stoke?", True),  # a negation
        ("My train to Stoke was cancelled and nobody told me.", True),  # not a question
    ],
)
def test_absence_to_reads_the_customer_message(tmp_path, said, flagged):
    linter = linter_for(tmp_path, NEXT_STEP_TO)
    found = run(linter, ("customer", said), ("agent", "There's an 18:15 from platform 3."))
    assert bool(found) is flagged


def test_absence_to_without_a_customer_message_judges_the_reply_alone(tmp_path):
    linter = linter_for(tmp_path, NEXT_STEP_TO)
    assert len(run(linter, ("agent", "There's an 18:15 from platform 3."))) == 1


def test_absence_to_reads_the_message_the_reply_answers_past_a_bot(tmp_path):
    # The same customer message customer-mood reads: a bot's holding line in between is skipped.
    linter = linter_for(tmp_path, NEXT_STEP_TO)
    said = ("customer", "Which train should I get to Stoke from Manchester?")
    bot = ("bot", "Thanks, an agent will be with you soon.")
    assert run(linter, said, bot, ("agent", "There's an 18:15 from platform 3.")) == []


def test_mood_kind_takes_the_negated_moods(tmp_path):
    detect = "  - kind: mood\n    mood: not-frustrated"
    linter = linter_for(tmp_path, detect)
    assert len(run(linter, ("agent", "Happy to help with the order."))) == 1
    assert run(linter, ("agent", "THIS IS THE THIRD TIME, absolutely useless and pathetic!!!")) == []


TERMS = """\
  - kind: terms
    terms: [RMA, provisioning, tier 2]
    acronyms: true
    common: [DM, FAQ]
"""


def test_terms_flag_jargon_once(tmp_path):
    linter = linter_for(tmp_path, TERMS)
    found = run(linter, ("agent", "Your RMA is being provisioned by tier 2. DM us the RMA and the KYC form."))
    assert [text for _, text, _ in found] == ["RMA", "provisioned", "tier 2", "KYC"]


def test_terms_customer_first_definition_and_vocabulary(tmp_path):
    linter = linter_for(tmp_path, TERMS, vocabulary=Vocabulary(accept=("KYC",), reject=("synergy",)))
    assert run(linter, ("customer", "Where is my RMA?"), ("agent", "Your RMA was approved.")) == []
    assert run(linter, ("agent", "Your RMA (return authorisation) was approved.")) == []
    assert run(linter, ("agent", "Your return authorisation (RMA) was approved.")) == []
    assert run(linter, ("agent", "Complete the KYC check.")) == []
    assert [text for _, text, _ in run(linter, ("agent", "Great synergy here."))] == ["synergy"]
    # Capitalised terms only match capitals; shouted sentences and signatures are not acronyms.
    assert run(linter, ("agent", "Have a nice rma day. THANK YOU SO MUCH. ^MW")) == []


RARE = """\
  - kind: terms
    terms: []
    acronyms: true
    rare_below: 3.0
"""


def test_terms_rare_below_keeps_acronyms_rare_in_english(tmp_path):
    linter = linter_for(tmp_path, RARE)
    texts = [
        text for _, text, _ in run(linter, ("agent", "Check the APN, then the FAQ, then the TV and the USA site."))
    ]
    assert texts == ["APN"]  # FAQ, TV, USA are common English words


def test_terms_rare_below_skips_brands_values_codes_and_names(tmp_path):
    linter = linter_for(tmp_path, RARE)
    assert run(linter, ("customer", "@ZQXRail late again"), ("agent", "Sorry, the ZQX service was held.")) == []
    assert run(linter, ("agent", "Booking QZKXV is confirmed.")) == []
    assert run(linter, ("agent", "Your flight JQK-QZX leaves at 9, and the fare is 120 QZD.")) == []
    assert run(linter, ("agent", "Send QZXK to 7728 to stop the messages.")) == []
    assert run(linter, ("agent", "The ID copy for NAEEM QZKX KHAN arrived.")) == []
    assert run(linter, ("agent", "Open the QZK Gamertag page.")) == []
    # The customer used it first: fine to use back.
    assert run(linter, ("customer", "my APN keeps resetting"), ("agent", "Which APN is set?")) == []
    assert [text for _, text, _ in run(linter, ("agent", "Please reset the QZKB unit."))] == ["QZKB"]
    # A team's initials closing the post are a sign-off, not an acronym; inside a sentence they count.
    assert run(linter, ("agent", "Plans can be changed online: https://example.com/plans QZK")) == []
    assert run(linter, ("agent", "The issue is being resolved. QZK")) == []
    assert [text for _, text, _ in run(linter, ("agent", "The QZK unit is being reset."))] == ["QZK"]


def test_terms_rare_below_has_a_floor(tmp_path):
    path = write_rule(tmp_path, detect=RARE.replace("3.0", "1.0"), flag="x")
    with pytest.raises(RuleError, match="rare_below"):
        load_rule_file(path, "custom")


def test_conversational_kind_not_allowed_in_unless(tmp_path):
    extra = "unless:\n  - kind: repetition\n"
    path = write_rule(tmp_path, extra=extra, flag="x")
    with pytest.raises(RuleError, match="cannot be used here"):
        load_rule_file(path, "custom")


CONTEXT_RULE = """\
  - kind: phrases
    phrases: [RMA, KYC check]
"""
CONTEXT_UNLESS = """unless:
  - kind: said-before
    speakers: [customer]
  - kind: defined
  - kind: accepted-term
"""


def test_context_exceptions(tmp_path):
    linter = linter_for(tmp_path, CONTEXT_RULE, extra=CONTEXT_UNLESS, vocabulary=Vocabulary(accept=("KYC check",)))
    # The customer said it first: as written, in the plural or the possessive.
    assert run(linter, ("customer", "Where is my RMA?"), ("agent", "Your RMA is approved.")) == []
    assert run(linter, ("customer", "Both RMAs are missing"), ("agent", "Your RMA is approved.")) == []
    assert run(linter, ("customer", "The RMA's number is wrong"), ("agent", "Your RMA is approved.")) == []
    # Not a longer word that starts with it.
    said = ("customer", "RMAX is my username")
    assert [t for _, t, _ in run(linter, said, ("agent", "Your RMA is approved."))] == ["RMA"]
    # Only earlier turns by the listed speakers count.
    assert [t for t, _, _ in run(linter, ("agent", "Your RMA is approved."), ("customer", "What is an RMA?"))] == [0]
    # Spelled out in an earlier turn.
    assert (
        run(linter, ("agent", "You'll get a return authorisation (RMA)."), ("agent", "Write the RMA on the box.")) == []
    )
    # Accepted by the team vocabulary.
    assert run(linter, ("agent", "Please complete the KYC check.")) == []
    assert [text for _, text, _ in run(linter, ("agent", "Send the RMA."))] == ["RMA"]


def test_context_exceptions_only_under_unless(tmp_path):
    path = write_rule(tmp_path, detect="  - kind: said-before", flag="x")
    with pytest.raises(RuleError, match="is an exception: use it under 'unless'"):
        load_rule_file(path, "custom")


def test_vocabulary_from_config_reaches_jargon(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.md").write_text("Your RMA was approved and the synergy team will call.\n")
    (tmp_path / ".cslint.yaml").write_text("vocabulary: {accept: [RMA], reject: [synergy]}\n")
    import json

    doc = json.loads(run_cli("check", "--select", "jargon", "-f", "json", "r.md").stdout)
    assert [f["text"] for f in doc["findings"]] == ["synergy"]


ASKED_UNLESS = """
unless:
  - kind: customer-asked
    patterns: ['\\bhow (can|do) i (call|reach)\\b']
"""


def test_customer_asked_judges_the_message_the_reply_answers(tmp_path):
    linter = linter_for(tmp_path, "  - kind: phrases\n    phrases: [call our helpline]", extra=ASKED_UNLESS)
    reply = ("agent", "Please call our helpline.")
    # The customer asked how to reach them: the helpline is the answer.
    assert run(linter, ("customer", "How can I call you?"), reply) == []
    # A split reply ("1/2", "2/2") and a bot in between still answer the same question.
    assert (
        run(linter, ("customer", "How do I reach you?"), ("bot", "An agent will join."), ("agent", "Hi!"), reply) == []
    )
    # Only the customer's latest message counts, not one answered earlier.
    later = run(
        linter, ("customer", "How can I call you?"), ("agent", "Here you go."), ("customer", "Still broken."), reply
    )
    assert [t for t, _, _ in later] == [3]
    # Another question is not this one.
    assert [t for t, _, _ in run(linter, ("customer", "Where is my parcel?"), reply)] == [1]


def test_customer_asked_reports_a_bad_pattern_where_it_is(tmp_path):
    path = write_rule(
        tmp_path, flag="go away", extra="unless:\n  - kind: customer-asked\n    patterns: ['(unclosed']\n"
    )
    with pytest.raises(RuleError, match="invalid regular expression") as caught:
        load_rule_file(path, "custom")
    assert caught.value.line is not None
