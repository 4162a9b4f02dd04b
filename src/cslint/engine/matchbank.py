"""All phrase lists and token patterns of all rules, compiled into a few spaCy matchers.

Running one PhraseMatcher per attribute and one Matcher over a document is far cheaper than
one matcher per rule: each detector registers its phrases or patterns under its own key and
reads its matches back by that key.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

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


class MatcherBank:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._phrase_matchers: dict[str, PhraseMatcher] = {}
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._has_patterns = False

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
        self._matcher.add(key, patterns)
        self._has_patterns = True

    def run(self, doc: Doc) -> dict[str, list[TokenSpan]]:
        found: dict[str, list[TokenSpan]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for matcher in self._phrase_matchers.values():
            for match_id, start, end in matcher(doc):
                found[strings[match_id]].append((start, end))
        if self._has_patterns:
            for match_id, start, end in self._token_matches(doc):
                found[strings[match_id]].append((start, end))
        return found

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if len(doc) <= MATCH_WINDOW:
            return self._matcher(doc)
        matches: set[tuple[int, int, int]] = set()
        step = MATCH_WINDOW - MATCH_OVERLAP
        for low in range(0, len(doc), step):
            high = min(low + MATCH_WINDOW, len(doc))
            matches.update((match_id, low + start, low + end) for match_id, start, end in self._matcher(doc[low:high]))
            if high == len(doc):
                break
        return sorted(matches, key=lambda m: (m[1], m[2], m[0]))
