"""All phrase lists and token patterns of all rules, compiled into a few spaCy matchers.

Running one PhraseMatcher per attribute over a document is far cheaper than one matcher per
rule: each detector registers its phrases or patterns under its own key and reads its matches
back by that key.

Token patterns are different. spaCy's Matcher tries every pattern at every token, and a
``{LOWER: {IN: [...]}}`` token is a Python call per token and per list, so one Matcher with all
~160 built-in patterns ran at ~30k tokens/s and took 90 % of a run. Each pattern therefore gets
its own Matcher, and a doc runs only the patterns that can match it, decided in one RE2 pass
over the doc's token records (``tokenfilter``). Patterns the filter cannot translate, and docs
it cannot write as records, fall back to the words a pattern *requires* (its anchors: every
token that must occur, by OP, with a fixed value or an ``IN`` list): a pattern whose anchors
do not all occur in the doc cannot match. Both filters are exact in what they keep: the
matches are the same as with one Matcher (``tests/test_matchbank.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from cslint.engine.regexset import RegexSet

#: ``text`` matches the lower-cased words as written, ``lemma`` matches any inflection
#: ("was escalated" for "be escalate"), because the pipeline stores lower-cased lemmas in NORM.
PHRASE_ATTRS = {"text": "LOWER", "lemma": "NORM"}

TokenSpan = tuple[int, int]

#: spaCy's token Matcher keeps every partial match alive, so a wildcard ("unfortunately" then
#: any words, ``OP: "*"``) over a run-on text of n tokens costs n² steps: 8,000 repetitions of
#: "unfortunately" took 3 s, a megabyte would take most of an hour. Longer documents are
#: matched in overlapping windows: the cost is linear, and every match of up to
#: MATCH_OVERLAP tokens is still found (a token pattern is a phrase, not a paragraph).
MATCH_WINDOW = 128
MATCH_OVERLAP = 48


#: The token filter's RE2 sets are compiled on first use (~15 ms) and their DFAs built as
#: they run: a single draft is cheaper with the anchors alone. Both give the same matches.
FILTER_AFTER_DOCS = 8

#: Pattern attributes whose values can be looked up in a doc's vocabulary of values.
_ANCHOR_ATTRS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "LEMMA": LEMMA}
#: ``OP`` values that consume at least one token: the token's words must occur in the doc.
_REQUIRED_OPS = {None, "+", "1"}
_COUNT_OP = re.compile(r"\{\s*(\d+)\s*(,\s*\d*\s*)?\}")


def _is_required(token: dict[str, Any]) -> bool:
    op = token.get("OP")
    if op in _REQUIRED_OPS:
        return True
    counted = _COUNT_OP.fullmatch(op) if isinstance(op, str) else None
    return bool(counted and int(counted.group(1)) >= 1)


def pattern_anchors(pattern: list[dict[str, Any]]) -> list[tuple[int, frozenset[str]]]:
    """``(attribute, words)`` pairs that a match needs: for each, some token of the doc must
    have one of the words as that attribute. Tokens that may be skipped (``?``, ``*``,
    ``{0,n}``), negated (``!``) or tested otherwise (REGEX, NOT_IN, IS_*) add nothing."""
    anchors = []
    for token in pattern:
        if not isinstance(token, dict) or not _is_required(token):
            continue
        for name, value in token.items():
            attr = _ANCHOR_ATTRS.get(str(name).upper())
            if attr is None:
                continue
            if isinstance(value, str):
                anchors.append((attr, frozenset([value])))
            elif (
                isinstance(value, dict)
                and isinstance(value.get("IN"), list)
                and all(isinstance(v, str) for v in value["IN"])
            ):
                anchors.append((attr, frozenset(value["IN"])))
    return anchors


class MatcherBank:
    def __init__(self, nlp: Language) -> None:
        from cslint.engine.detectors.pattern import _Re2Predicates
        from cslint.engine.tokenfilter import TokenFilter

        self.nlp = nlp
        self._phrase_matchers: dict[str, PhraseMatcher] = {}
        #: Every token pattern: (bit mask of the anchors it needs, its own Matcher).
        self._anchored: list[tuple[int, Matcher]] = []
        #: Patterns the token filter can rule out, by filter id; the others, as in _anchored.
        self._filtered: dict[int, Matcher] = {}
        self._unfiltered: list[tuple[int, Matcher]] = []
        #: filter id -> the string id of the pattern's key (what a Matcher reports)
        self._match_ids: dict[int, int] = {}
        self.token_filter = TokenFilter(nlp.vocab, _Re2Predicates.table)
        self._docs_seen = 0
        #: Docs matched by anchors alone before the token filter is used (see FILTER_AFTER_DOCS).
        self.filter_after = FILTER_AFTER_DOCS
        #: attribute -> {word hash: bit mask of the anchors that word satisfies}
        self._anchor_index: dict[int, dict[int, int]] = {}
        self._anchor_bits = 0
        #: The rules' regular expressions, for finding in one pass which occur in a turn.
        self.regexes = RegexSet()
        #: Every token pattern by key, as given (for tests and diagnostics).
        self.patterns: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)

    def add_phrases(self, key: str, phrases: list[str], match: str = "text") -> None:
        attr = PHRASE_ATTRS[match]
        matcher = self._phrase_matchers.get(attr)
        if matcher is None:
            matcher = self._phrase_matchers[attr] = PhraseMatcher(self.nlp.vocab, attr=attr)
        if attr == "LOWER":
            docs = [self.nlp.make_doc(p.lower()) for p in phrases]
        else:
            docs = list(self.nlp.pipe(phrases))
        matcher.add(key, docs)

    def add_patterns(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        """Add spaCy Matcher patterns; raises ValueError with spaCy's message if invalid."""
        for pattern in patterns:
            matcher = Matcher(self.nlp.vocab, validate=True)
            matcher.add(key, [pattern])  # validates: raises before anything is registered
            self.patterns[key].append(pattern)
            required = 0
            strings = self.nlp.vocab.strings
            for attr, words in pattern_anchors(pattern):
                bit = 1 << self._anchor_bits
                self._anchor_bits += 1
                required |= bit
                index = self._anchor_index.setdefault(attr, {})
                for word in words:
                    word_hash = strings.add(word)
                    index[word_hash] = index.get(word_hash, 0) | bit
            self._anchored.append((required, matcher))
            ident = self.token_filter.add(pattern)
            if ident is None:
                self._unfiltered.append((required, matcher))
            else:
                self._filtered[ident] = matcher
                self._match_ids[ident] = strings.add(key)

    def _present(self, doc: Doc) -> int:
        """The bit mask of the anchors that some token of ``doc`` satisfies."""
        attrs = list(self._anchor_index)
        if not attrs or not len(doc):
            return 0
        values = doc.to_array(attrs)
        present = 0
        for column, attr in enumerate(attrs):
            index = self._anchor_index[attr]
            column_values = values[:, column] if len(attrs) > 1 else values
            for value in set(column_values.tolist()):
                bits = index.get(value)
                if bits:
                    present |= bits
        return present

    def _pattern_matches(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        """(match id, start, end) of every token pattern in ``doc``. The token filter picks
        the patterns that can match; those it translated exactly are read off its records,
        the others run their Matcher. Patterns it cannot translate, and docs it does not
        write (the first few, or one holding a separator), are picked by their anchors."""
        self._docs_seen += 1
        use_filter = self._filtered and self._docs_seen > self.filter_after
        rendered = self.token_filter.render(doc) if use_filter else None
        if rendered is None:
            rest = self._anchored
        else:
            rest = self._unfiltered
            records, offsets = rendered
            token_filter = self.token_filter
            for ident in sorted(token_filter.candidates(records)):
                if token_filter.is_exact(ident):
                    match_id = self._match_ids[ident]
                    for start, end in token_filter.exact_matches(ident, records, offsets):
                        yield match_id, start, end
                else:
                    yield from self._token_matches(self._filtered[ident], doc)
        if rest:
            present = self._present(doc)
            for required, matcher in rest:
                if required & present == required:
                    yield from self._token_matches(matcher, doc)

    def run(self, doc: Doc) -> dict[str, list[TokenSpan]]:
        found: dict[str, list[TokenSpan]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for matcher in self._phrase_matchers.values():
            for match_id, start, end in matcher(doc):
                found[strings[match_id]].append((start, end))
        pattern_keys: set[str] = set()
        for match_id, start, end in self._pattern_matches(doc) if self._anchored else ():
            key = strings[match_id]
            found[key].append((start, end))
            pattern_keys.add(key)
        # Patterns of one key run in separate matchers: drop a second path to the same
        # (key, start, end), as one Matcher would.
        for key in pattern_keys:
            found[key] = sorted(set(found[key]))
        return found

    @staticmethod
    def _token_matches(matcher: Matcher, doc: Doc) -> list[tuple[int, int, int]]:
        """``matcher(doc)``, in overlapping windows on long documents (see MATCH_WINDOW)."""
        if len(doc) <= MATCH_WINDOW:
            return matcher(doc)
        matches: set[tuple[int, int, int]] = set()
        step = MATCH_WINDOW - MATCH_OVERLAP
        for low in range(0, len(doc), step):
            high = min(low + MATCH_WINDOW, len(doc))
            matches.update((match_id, low + start, low + end) for match_id, start, end in matcher(doc[low:high]))
            if high == len(doc):
                break
        return sorted(matches, key=lambda m: (m[1], m[2], m[0]))
