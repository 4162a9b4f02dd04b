"""The matching service (the token automaton, and the anchors of patterns it cannot take) must
find exactly what one spaCy Matcher with every pattern finds."""

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.matcher import Matcher

from cslint.engine.matching.service import MatchingService, pattern_anchors
from cslint.engine.nlp import build_pipeline

#: Patterns exercising every operator and attribute the pre-filter reasons about.
PATTERNS = {
    "plain": [[{"LOWER": "calm"}, {"LOWER": "down"}]],
    "in-lists": [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["can", "could"]}, "OP": "?"}, {"LOWER": "help"}]],
    "star-plus": [
        [{"LOWER": "as"}, {"LOWER": {"IN": ["i", "we"]}, "OP": "+"}, {"IS_ALPHA": True, "OP": "*"}, {"LOWER": "said"}]
    ],
    "negated": [[{"LOWER": "not"}, {"LOWER": "my", "OP": "!"}, {"LOWER": "problem"}]],
    "counted": [
        [{"LOWER": "very", "OP": "{2}"}, {"LOWER": "sorry"}],
        [{"LOWER": "so", "OP": "{0,2}"}, {"LOWER": "sorry"}],
    ],
    "lemma": [[{"LEMMA": {"IN": ["escalate", "transfer"]}}, {"LOWER": "you", "OP": "?"}]],
    "text-regex": [[{"TEXT": {"REGEX": "^@\\w+$"}}], [{"TEXT": "FAQ"}]],
    "not-in-only": [[{"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "a"]}}, {"LOWER": "team"}]],
    "flags-only": [[{"LIKE_NUM": True}, {"IS_PUNCT": True, "OP": "?"}]],
    # Two patterns of one key that can match the same span: reported once, as spaCy does.
    "overlap": [[{"LOWER": "so"}, {"LOWER": "sorry"}], [{"LOWER": {"IN": ["so", "very"]}}, {"LOWER": "sorry"}]],
    "capital-never": [[{"LOWER": "Calm"}]],
}

TEXTS = [
    "Please calm down, we can help. I could help too!",
    "As we we said before, as I already said.",
    "Not my problem. Not your problem. not the problem",
    "Very very sorry, so so sorry, sorry. So sorry.",
    "I escalated it and transferred you to @support 3 times. Check the FAQ, 42 !",
    "The Billing team and a team. Calm down",
    "",
    "   \n\n  ",
    "nothing here at all",
]

WORDS = [
    "calm",
    "down",
    "i",
    "we",
    "can",
    "help",
    "as",
    "said",
    "not",
    "my",
    "problem",
    "very",
    "so",
    "sorry",
    "escalated",
    "transfer",
    "you",
    "@bob",
    "FAQ",
    "Billing",
    "team",
    "the",
    "7",
    "!",
    ",",
    "\n",
    "Calm",
]


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def reference(nlp, doc, patterns):
    if not patterns:
        return {}
    matcher = Matcher(nlp.vocab)
    for key, pats in patterns.items():
        matcher.add(key, pats)
    found = defaultdict(set)
    for match_id, start, end in matcher(doc):
        found[nlp.vocab.strings[match_id]].add((start, end))
    return dict(found)


def banked(bank, doc):
    return {key: set(spans) for key, spans in bank.run(doc).items() if spans}


@pytest.fixture(scope="module")
def bank(nlp):
    bank = MatchingService(nlp)
    for key, pats in PATTERNS.items():
        bank.add_patterns(key, pats)
    return bank


@pytest.mark.parametrize("text", TEXTS)
def test_bank_finds_what_one_matcher_finds(nlp, bank, text):
    doc = nlp(text)
    assert banked(bank, doc) == reference(nlp, doc, PATTERNS)


@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_bank_equals_one_matcher_on_word_salad(nlp, bank, words):
    doc = nlp(" ".join(words))
    assert banked(bank, doc) == reference(nlp, doc, PATTERNS)


def test_builtin_patterns_match_as_one_matcher_would(builtin_linter):
    """Every pattern of the built-in rules, through the bank and through one Matcher."""
    linter = builtin_linter
    patterns = linter.matching.registered_patterns
    assert len(patterns) > 30
    texts = TEXTS + [
        "I'm afraid it's company policy, please visit our website or contact the store.",
        "We don't handle that; you'll need to speak to the airport desk. As previously mentioned, sorry if you feel upset.",
        "Could you please provide your order number and email address so I can check? I've refunded it today.",
    ]
    for text in texts:
        doc = linter.nlp(text)
        got = {k: set(v) for k, v in linter.matching.run(doc).items() if v and k in patterns}
        assert got == reference(linter.nlp, doc, patterns), text
    assert sum(len(reference(linter.nlp, linter.nlp(t), patterns)) for t in texts) >= 5


def test_anchors_are_the_required_words():
    pattern = [
        {"LOWER": {"IN": ["i", "we"]}},
        {"LOWER": "really", "OP": "?"},
        {"LOWER": "do", "OP": "*"},
        {"LOWER": "not", "OP": "!"},
        {"LOWER": {"IN": ["know", "see"]}, "OP": "+"},
        {"LOWER": "x", "OP": "{0,3}"},
        {"LOWER": "y", "OP": "{1,3}"},
        {"LOWER": {"REGEX": "^a"}},
        {"LOWER": {"NOT_IN": ["b"]}},
        {"IS_PUNCT": True},
    ]
    anchors = [sorted(words) for _, words in pattern_anchors(pattern)]
    assert anchors == [["i", "we"], ["know", "see"], ["y"]]


def test_invalid_pattern_still_raises_value_error(nlp):
    bank = MatchingService(nlp)
    with pytest.raises(ValueError):
        bank.add_patterns("bad", [[{"LOWER": {"IN": "not-a-list"}, "OP": "??"}]])


# -- the token automaton --------------------------------------------------------------------


def matching_ids(bank, doc):
    return [ident for ident, _ in bank.automaton.scan(doc)]


def test_automaton_rules_out_words_in_the_wrong_order(nlp):
    """Stronger than anchors: both words occur, but not as the pattern needs them."""
    bank = MatchingService(nlp)
    bank.add_patterns("calm-down", [[{"LOWER": "calm"}, {"LOWER": "down"}]])
    bank.add_patterns("be-calm", [[{"LEMMA": "be"}, {"LOWER": "calm"}]])
    assert matching_ids(bank, nlp("Down the hall, calm and quiet; stay calm.")) == []
    assert matching_ids(bank, nlp("Please calm down, it was calm.")) == [0, 1]


def test_control_characters_in_a_doc_change_nothing(nlp, bank):
    doc = nlp("please calm\x1e down \x1f, calm down")
    assert banked(bank, doc) == reference(nlp, doc, PATTERNS)


def test_a_pattern_the_automaton_cannot_take_runs_by_its_anchors(nlp):
    """More positions than the automaton expands one operator to: the pattern runs its own
    Matcher wherever its required words occur, and finds what spaCy finds."""
    bank = MatchingService(nlp)
    patterns = {"long": [[{"LOWER": "so", "OP": "{0,1001}"}, {"LOWER": "sorry"}]], "plain": PATTERNS["plain"]}
    for key, pats in patterns.items():
        bank.add_patterns(key, pats)
    assert len(bank._untranslated) == 1 and len(bank._automaton_keys) == 1
    for text in ["so so sorry, calm down", "calm down", "sorry"]:
        doc = nlp(text)
        assert banked(bank, doc) == reference(nlp, doc, patterns)


_ATTR_VALUES = st.one_of(
    st.fixed_dictionaries({"LOWER": st.sampled_from(WORDS)}),
    st.fixed_dictionaries(
        {"LOWER": st.fixed_dictionaries({"IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)})}
    ),
    st.fixed_dictionaries(
        {"LOWER": st.fixed_dictionaries({"NOT_IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)})}
    ),
    st.fixed_dictionaries({"TEXT": st.sampled_from(WORDS)}),
    st.fixed_dictionaries({"LEMMA": st.sampled_from(["be", "transfer", "escalate", "say", "calm"])}),
    st.fixed_dictionaries(
        {"NORM": st.fixed_dictionaries({"IN": st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)})}
    ),
    st.fixed_dictionaries({"TEXT": st.fixed_dictionaries({"REGEX": st.sampled_from(["^@", "^[A-Z]", "\\d"])})}),
    st.tuples(
        st.sampled_from(["IS_ALPHA", "IS_PUNCT", "IS_TITLE", "LIKE_NUM", "IS_SENT_START", "IS_SPACE", "IS_STOP"]),
        st.booleans(),
    ).map(lambda kv: {kv[0]: kv[1]}),
    st.fixed_dictionaries({"LENGTH": st.integers(1, 5)}),
    st.just({}),
)
_OPS = st.sampled_from([None, "?", "*", "+", "!", "{2}", "{0,2}", "{1,}", "{,2}"])


@st.composite
def token_patterns(draw):
    tokens = []
    for _ in range(draw(st.integers(1, 4))):
        token = dict(draw(_ATTR_VALUES))
        if draw(st.booleans()):
            token.update(draw(_ATTR_VALUES))
        op = draw(_OPS)
        if op is not None:
            token["OP"] = op
        tokens.append(token)
    return tokens


@given(
    st.lists(token_patterns(), min_size=1, max_size=4),
    st.lists(st.sampled_from(WORDS + [".", "Hello", "@ann"]), max_size=25),
)
def test_filter_never_rules_out_a_pattern_that_matches(nlp, patterns, words):
    """Random patterns over random word salad: the bank finds exactly what one Matcher does,
    so the filter never drops a pattern that has a match."""
    bank = MatchingService(nlp)
    given_patterns = {}
    for i, pattern in enumerate(patterns):
        try:
            bank.add_patterns(f"p{i}", [pattern])
        except ValueError:  # spaCy refuses the combination (e.g. an empty token with "!")
            continue
        given_patterns[f"p{i}"] = [pattern]
    doc = nlp(" ".join(words))
    assert banked(bank, doc) == reference(nlp, doc, given_patterns)


_EXACT_TESTS = st.one_of(
    st.fixed_dictionaries({"LOWER": st.sampled_from(["very", "so", "sorry", "calm", "i"])}),
    st.fixed_dictionaries(
        {
            "LOWER": st.fixed_dictionaries(
                {"IN": st.lists(st.sampled_from(["very", "so", "sorry", "we", "i"]), min_size=1, max_size=3)}
            )
        }
    ),
    st.fixed_dictionaries({"TEXT": st.sampled_from(["Very", "very", "FAQ", "!"])}),
    st.fixed_dictionaries({"LEMMA": st.sampled_from(["be", "transfer", "say"])}),
    st.tuples(st.sampled_from(["IS_ALPHA", "IS_PUNCT", "IS_TITLE", "LIKE_NUM", "IS_SENT_START"]), st.booleans()).map(
        lambda kv: {kv[0]: kv[1]}
    ),
    st.just({}),
)


@given(
    st.lists(st.lists(_EXACT_TESTS, min_size=1, max_size=3), min_size=1, max_size=4),
    st.lists(
        st.sampled_from(
            ["very", "Very", "so", "sorry", "I", "we", "FAQ", "!", ".", "was", "transferred", "said", "7", "\n"]
        ),
        max_size=30,
    ),
)
def test_exactly_translated_patterns_match_as_spacy_does(nlp, patterns, words):
    """Fixed-length patterns of words, lists, lemmas and flags are matched by the automaton
    alone, overlapping matches included ("very very very"), exactly as spaCy's Matcher."""
    bank = MatchingService(nlp)
    given_patterns = {f"p{i}": [pattern] for i, pattern in enumerate(patterns)}
    for key, pats in given_patterns.items():
        bank.add_patterns(key, pats)
    assert all(bank.automaton.is_exact(i) for i in bank._automaton_keys)
    doc = nlp(" ".join(words))
    assert banked(bank, doc) == reference(nlp, doc, given_patterns)


def test_a_token_mask_holds_the_positions_it_satisfies(nlp):
    """Each pattern token is a bit, patterns side by side in registration order; a token's
    mask has the bits of the positions it satisfies (a later pattern adds positions)."""
    bank = MatchingService(nlp)
    bank.add_patterns("calm-down", [[{"LOWER": "calm"}, {"LOWER": "down"}]])
    assert bank.automaton.masks(nlp("Calm down")) == [0b01, 0b10]
    bank.add_patterns("number", [[{"LIKE_NUM": True}, {"LEMMA": "be"}]])
    assert bank.automaton.masks(nlp("Calm down, 2 was")) == [0b0001, 0b0010, 0, 0b0100, 0b1000]
    assert matching_ids(bank, nlp("Calm down, 2 was")) == [0, 1]


def test_patterns_registered_after_the_first_doc_are_matched(nlp):
    """The automaton is laid out when the first doc is scanned; a pattern added later (a new
    field, a new flag) gets a new layout, and both patterns still match as spaCy's Matcher."""
    bank = MatchingService(nlp)
    patterns = {"plain": PATTERNS["plain"]}
    bank.add_patterns("plain", PATTERNS["plain"])
    doc = nlp(TEXTS[0])
    assert banked(bank, doc) == reference(nlp, doc, patterns)
    for key in ("lemma", "flags-only", "text-regex"):
        bank.add_patterns(key, PATTERNS[key])
        patterns[key] = PATTERNS[key]
        for text in TEXTS:
            doc = nlp(text)
            assert banked(bank, doc) == reference(nlp, doc, patterns)


_BOUNDED_OPS = st.sampled_from([None, None, "?", "{2}", "{0,2}", "{1,2}"])


@given(
    st.lists(
        st.lists(st.tuples(_EXACT_TESTS, _BOUNDED_OPS), min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.sampled_from(["very", "Very", "so", "sorry", "I", "we", "!", ".", "was", "said", "7"]), max_size=30),
)
def test_optional_and_counted_tokens_are_matched_by_the_automaton_as_spacy_does(nlp, tested, words):
    """Patterns of a bounded length (``?``, ``{m}``, ``{m,n}``) are matched by the automaton
    too: every length that matches from a token is a match, as spaCy's Matcher reports them."""
    bank = MatchingService(nlp)
    given_patterns = {}
    for i, tokens in enumerate(tested):
        pattern = [dict(test, **({"OP": op} if op else {})) for test, op in tokens]
        try:
            bank.add_patterns(f"p{i}", [pattern])
        except ValueError:  # spaCy refuses the combination (e.g. an empty token with an OP)
            continue
        given_patterns[f"p{i}"] = [pattern]
    doc = nlp(" ".join(words))
    assert banked(bank, doc) == reference(nlp, doc, given_patterns)


def test_bounded_patterns_are_exact_and_unbounded_or_empty_ones_are_not(nlp):
    bank = MatchingService(nlp)
    bank.add_patterns("optional", [[{"LOWER": "so", "OP": "?"}, {"LOWER": "sorry"}]])
    bank.add_patterns("counted", [[{"LOWER": "very", "OP": "{1,3}"}, {"LOWER": "sorry"}]])
    bank.add_patterns("plus", [[{"LOWER": "very", "OP": "+"}, {"LOWER": "sorry"}]])
    bank.add_patterns("maybe-empty", [[{"LOWER": "so", "OP": "?"}]])
    assert [bank.automaton.is_exact(i) for i in range(4)] == [True, True, False, False]
    doc = nlp("so sorry, very very sorry")
    assert banked(bank, doc) == reference(nlp, doc, {k: v for k, v in bank.registered_patterns.items()})


#: Several predicates on the same token property share one RE2 set per property.
PREDICATES = {
    "handle": [[{"TEXT": {"REGEX": "^@\\w+$"}}]],
    "capital-then-team": [[{"TEXT": {"REGEX": "^[A-Z]"}}, {"LOWER": "team"}]],
    "digit": [[{"TEXT": {"REGEX": "\\d"}}, {"IS_PUNCT": True, "OP": "?"}]],
    "lower-so": [[{"LOWER": {"REGEX": "^so+$"}}, {"LOWER": "sorry"}]],
    "lower-calm": [[{"LOWER": {"REGEX": "alm"}}, {"LOWER": "down"}]],
}


@pytest.mark.parametrize("set_works", [True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_predicates_of_one_property_read_as_one_set_and_without_it(nlp, monkeypatch, text, set_works):
    """A token's predicates come from one RE2 set per token property; where RE2 could not
    build the set (it then says "maybe"), each expression is asked instead. Either way the
    matches are spaCy's."""
    from cslint.engine.matching.regexset import RegexSet

    if not set_works:
        monkeypatch.setattr(RegexSet, "exact", property(lambda self: False))
    bank = MatchingService(nlp)
    for key, pats in PREDICATES.items():
        bank.add_patterns(key, pats)
    doc = nlp(text)
    assert banked(bank, doc) == reference(nlp, doc, PREDICATES)
