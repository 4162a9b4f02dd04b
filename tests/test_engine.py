"""Detector kinds, exceptions, positions, merging and better wordings."""

from helpers import write_rule

from cslint.engine.linter import Linter
from cslint.model import Conversation, Turn
from cslint.ruleset import load_rules


def lint(tmp_path, detect, *texts, extra="", speakers=None):
    write_rule(tmp_path, detect=detect, extra=extra, flag="x")
    rules = list(load_rules([tmp_path], include_builtin=False).rules.values())
    linter = Linter(rules)
    assert not linter.errors, linter.errors
    speakers = speakers or ["agent"] * len(texts)
    conv = Conversation("c", "p", [Turn(s, t) for s, t in zip(speakers, texts)])
    return [(f.turn, f.text) for f in linter.lint_one(conv)]


def test_phrases_match_case_insensitively(tmp_path):
    assert lint(tmp_path, "  - kind: phrases\n    phrases: [not my department]", "That is NOT MY DEPARTMENT.") == [
        (0, "NOT MY DEPARTMENT")
    ]


def test_phrases_by_lemma_match_inflections(tmp_path):
    detect = "  - kind: phrases\n    match: lemma\n    phrases: [escalate the ticket]"
    assert lint(tmp_path, detect, "I escalated the tickets yesterday.") == [(0, "escalated the tickets")]


def test_phrases_by_text_do_not_match_inflections(tmp_path):
    assert lint(tmp_path, "  - kind: phrases\n    phrases: [escalate the ticket]", "I escalated the tickets.") == []


def test_token_pattern(tmp_path):
    detect = "  - kind: pattern\n    patterns:\n      - [{LOWER: calm}, {LOWER: down}]"
    assert lint(tmp_path, detect, "Please calm down, sir.") == [(0, "calm down")]


def test_regex_is_linear_time_on_pathological_input(tmp_path):
    detect = "  - kind: regex\n    patterns: ['(a+)+$']"
    # With backtracking this input would take longer than the universe's age.
    assert lint(tmp_path, detect, "a" * 5000 + "!") == []


def test_whole_turn_position_ignores_mentions_and_signature(tmp_path):
    detect = "  - kind: phrases\n    at: whole-turn\n    phrases: [noted]"
    found = lint(tmp_path, detect, "@ann123 Noted. ^MW", "Noted, I'll fix it today.")
    assert found == [(0, "Noted")]


def test_sentence_start_position(tmp_path):
    detect = "  - kind: phrases\n    at: sentence-start\n    phrases: [ok]"
    assert lint(tmp_path, detect, "Thanks. Ok I will check.", "That is ok with me.") == [(0, "Ok")]


def test_unless_within_sentence_and_match(tmp_path):
    detect = "  - kind: phrases\n    phrases: [visit our website]"
    extra = "unless:\n  - kind: phrases\n    within: sentence\n    phrases: [for you]\n"
    found = lint(tmp_path, detect, "I'll visit our website for you. Or visit our website yourself.", extra=extra)
    assert found == [(0, "visit our website")]
    [(turn, text)] = found
    extra_match = "unless:\n  - kind: phrases\n    within: match\n    phrases: [website]\n"
    assert lint(tmp_path, detect, "Please visit our website.", extra=extra_match) == []


def test_overlapping_matches_merge_into_one_finding(tmp_path):
    detect = "  - kind: phrases\n    phrases: [visit our website, our website for]"
    assert lint(tmp_path, detect, "Please visit our website for details.") == [(0, "visit our website for")]


def test_scope_speakers_and_position(tmp_path):
    detect = "  - kind: phrases\n    phrases: [hello]"
    texts = ("hello", "hello", "hello", "hello")
    speakers = ["customer", "agent", "customer", "agent"]
    assert lint(tmp_path, detect, *texts, speakers=speakers) == [(1, "hello"), (3, "hello")]
    first_only = "scope:\n  speakers: [agent]\n  position: first\n"
    assert lint(tmp_path, detect, *texts, extra=first_only, speakers=speakers) == [(1, "hello")]


def test_not_lintable_turns_are_skipped(tmp_path):
    write_rule(tmp_path, flag="x")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    conv = Conversation("c", "p", [Turn("agent", "go away", lintable=False), Turn("agent", "go away")])
    assert [f.turn for f in linter.lint_one(conv)] == [1]


def test_better_wording_leads_the_fix(tmp_path):
    extra = "better:\n  - instead_of: go away\n    say: let me help\n"
    write_rule(tmp_path, extra=extra, flag="x")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    [finding] = linter.lint_one(Conversation("c", "p", [Turn("agent", "Go away.")]))
    assert finding.fix.startswith("Instead of “go away”, say “let me help”.") and finding.fix.endswith("Do better.")


def test_findings_stream_in_input_order_across_batches(tmp_path):
    write_rule(tmp_path, flag="x")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    convs = [Conversation(f"c{i}", "p", [Turn("agent", "go away")] * 3) for i in range(400)]
    out = list(linter.lint(convs))
    assert [c.id for c, _ in out] == [c.id for c in convs]
    assert all(len(f) == 3 for _, f in out)


def test_signatures_are_not_content(tmp_path):
    detect = "  - kind: phrases\n    at: whole-turn\n    phrases: [thank you]"
    for text in (
        "Thank you - Ed",
        "@bob Thank you ^MW",
        "Thank you!\nRegards,\nDinesh",
        "Thank you -Kim",
        "Thank you.\nSteven",
        "Thank you -Becky",
        "Thank you ~Mark Y.",
        "@bob Thank you ^AW 2/2",
        "(1/2) Thank you",
        "Thank you. TT",
        "Thank you! UO.",
    ):
        assert lint(tmp_path, detect, text) == [(0, "Thank you")], text
    # "24/7" is no thread counter, and a lowercase word after a dash is no signature.
    assert lint(tmp_path, detect, "Thank you 24/7") == []
    assert lint(tmp_path, detect, "Thank you -anyway") == []
    # Capitals inside a sentence are words, not a sign-off.
    assert lint(tmp_path, detect, "Thank you from the UK") == []


def test_rules_skip_turns_not_in_english(tmp_path):
    detect = "  - kind: phrases\n    phrases: [bitte]"
    german = "Vielen Dank für Ihre Nachricht, wir werden uns bitte so schnell wie möglich bei Ihnen melden."
    assert lint(tmp_path, detect, german, "Short bitte text.") == [(1, "bitte")]
    assert lint(tmp_path, detect, german, extra="scope:\n  language: any\n") == [(0, "bitte")]


_SALAD = [
    "Hello",
    "there",
    ",",
    "order",
    "42",
    "3.5",
    "!",
    "\n",
    "  ",
    "@bob",
    "-",
    "Kim",
    "won't",
    "ok",
    "?",
    "^MW",
    "Regards",
    "Dinesh",
    "...",
    "x",
]


def test_counts_from_arrays_equal_counting_tokens():
    """Word counts read from token arrays (once per turn) equal counting Token by Token."""
    from hypothesis import given
    from hypothesis import strategies as st

    from cslint.engine.nlp import build_pipeline
    from cslint.engine.views import TurnView

    nlp = build_pipeline()

    @given(st.lists(st.sampled_from(_SALAD), max_size=40))
    def check(words):
        text = " ".join(words)
        doc = nlp(text)
        view = TurnView(0, Turn(speaker="agent", text=text), doc)
        first, last = view.content_bounds()
        assert view.word_count() == sum(1 for t in doc[first:last] if not (t.is_punct or t.is_space))
        for sent in doc.sents:
            assert view.words_between(sent.start, sent.end) == sum(1 for t in sent if t.is_alpha or t.like_num)

    check()


def test_rules_whose_words_do_not_occur_are_skipped_whole(tmp_path, monkeypatch):
    """A rule made of phrases, patterns and regexes is not run on a conversation where none
    of them occurs; a rule with an absence check always runs."""
    from cslint.engine.kinds import Kind

    write_rule(
        tmp_path,
        "matched",
        detect="  - kind: phrases\n    phrases: [calm down]\n  - kind: regex\n    patterns: ['polic(y|ies)']",
        flag="x",
    )
    write_rule(
        tmp_path,
        "absent",
        detect="  - kind: absence\n    of:\n      - kind: phrases\n        phrases: [thanks]",
        flag="x",
    )
    rules = list(load_rules([tmp_path], include_builtin=False).rules.values())
    linter = Linter(rules)
    assert not linter.errors, linter.errors
    by_id = {c.id: c for c in linter.compiled}
    assert by_id["matched"].trigger is not None and by_id["absent"].trigger is None
    calls = []
    original = Kind.find_in_turn
    monkeypatch.setattr(Kind, "find_in_turn", lambda self, view: calls.append(self) or original(self, view))
    quiet = Conversation("c", "p", [Turn("agent", "Your refund is on its way.")])
    assert [f.rule for f in linter.lint_one(quiet)] == ["absent"]
    assert calls and not any(d in by_id["matched"].detectors for d in calls)
    calls.clear()
    loud = Conversation("c", "p", [Turn("agent", "Please calm down, thanks. It is our policy.")])
    assert sorted(f.rule for f in linter.lint_one(loud)) == ["matched", "matched"]
    assert any(d in by_id["matched"].detectors for d in calls)


_LINES = [
    "Dear Customer,",
    "\n",
    "\n\n",
    " \n ",
    "Thanks for waiting",
    ".",
    "Went",
    "HOME",
    "  ",
    "ok",
    "Regards",
    "\t",
    "wasn't",
    "children",
]


def test_pipeline_components_set_what_token_by_token_would():
    """Sentence starts after line breaks, and lower-cased lookup lemmas in LEMMA and NORM, as
    a token-by-token reading of the rules would set them."""
    from hypothesis import given
    from hypothesis import strategies as st
    from spacy.pipeline import Sentencizer

    from cslint.engine.nlp import _lemma_table, build_pipeline

    nlp = build_pipeline()
    table = _lemma_table()

    @given(st.lists(st.sampled_from(_LINES), max_size=30))
    def check(parts):
        doc = nlp(" ".join(parts))
        plain = Sentencizer()(nlp.make_doc(doc.text))
        for token in doc:
            expected = table.get(token.lower_, token.lower_)
            assert (token.lemma_, token.norm_) == (expected, expected)
            after_break = token.i > 0 and doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text
            if after_break and not token.is_space:
                assert token.is_sent_start
            else:
                assert bool(token.is_sent_start) == bool(plain[token.i].is_sent_start)

    check()


def test_a_bare_link_or_a_mixed_case_word_with_its_stop_ends_a_sentence():
    """Sentences the tokenizer would glue together are measured and matched one by one."""
    from cslint.engine.nlp import build_pipeline

    nlp = build_pipeline()

    def sentences(text):
        return [s.text for s in nlp(text).sents]

    assert sentences("Steps are here: https://t.co/x1 If they don't work, DM us.") == [
        "Steps are here: https://t.co/x1",
        "If they don't work, DM us.",
    ]
    assert sentences("It runs on our SaaS. To start, sign in.") == ["It runs on our SaaS.", "To start, sign in."]
    # Not after initials, known abbreviations, or a link inside a sentence.
    assert len(sentences("The U.S. Army and Dr. Smith agree.")) == 1
    assert len(sentences("See https://t.co/x1 for the details.")) == 1


def test_pipeline_without_lemmas_finds_the_same_sentences():
    """The one-pass component sets the same sentence starts with and without lemmas, and
    leaves LEMMA unset without."""
    from spacy.attrs import SENT_START

    from cslint.engine.nlp import build_pipeline

    with_lemmas, without = build_pipeline(), build_pipeline(lemmas=False)
    text = "Hi Sam,\n\nthanks!! We shipped it. Tracking: 123\nBest,\nJo"
    first, second = with_lemmas(text), without(text)
    assert (first.to_array([SENT_START]) == second.to_array([SENT_START])).all()
    assert [t.text for t in first if t.is_sent_start] == ["Hi", "thanks", "We", "Tracking", "Best", "Jo"]
    assert not second.has_annotation("LEMMA") and first[8].lemma_ == first[8].norm_ == "ship"


def test_conversations_of_one_shape_share_a_plan_that_matches_each_rules_scope(tmp_path):
    """Which rules look at which turns is worked out once per shape (channel, speakers, linted
    turns); the plan says what each rule's own scope says, and leaves out rules that look at
    no turn of the conversation."""
    write_rule(tmp_path, "agents", flag="x")
    write_rule(tmp_path, "customers", flag="x", extra="scope:\n  speakers: [customer]\n")
    write_rule(tmp_path, "no-canned", flag="x", extra="scope:\n  exclude_channels: [canned]\n")
    linter = Linter(list(load_rules([tmp_path], include_builtin=False).rules.values()))
    ids = [c.id for c in linter.compiled]

    def conversation(channel, *speakers):
        return Conversation("c", "p", [Turn(s, "go away") for s in speakers], channel=channel)

    chat = conversation("chat", "agent", "agent")
    plan = linter._plan(chat)
    assert linter._plan(conversation("chat", "agent", "agent")) is plan
    assert plan.scopes == [c.applies_to(chat) for c in linter.compiled]
    assert sorted(ids[i] for i in plan.active) == ["agents", "no-canned"]
    assert all(selection is not None for selection in plan.selections)
    canned = conversation("canned", "customer", "agent")
    other = linter._plan(canned)
    assert other is not plan and other.scopes == [c.applies_to(canned) for c in linter.compiled]
    assert sorted(ids[i] for i in other.active) == ["agents", "customers"]
    assert [f.rule for f in linter.lint_one(canned)] == ["customers", "agents"]
