"""The matching service: every phrase list, token pattern and regular expression of a linter's
rules, registered once and run over each turn together.

Kinds register what they look for and get a handle back; they read their matches through the
turn view with that handle and never see how matching is done. Everything below is the
service's own business:

- Phrase lists run in one PhraseMatcher per attribute over a document, far cheaper than one
  matcher per rule.
- Token patterns are different. spaCy's Matcher tries every pattern at every token, and a
  ``{LOWER: {IN: [...]}}`` token is a Python call per token and per list, so one Matcher with
  all ~160 built-in patterns ran at ~30k tokens/s and took 90 % of a run. All patterns
  therefore run as one bit-parallel automaton over the doc's tokens (``automaton``), which
  reports the matches of the patterns it holds exactly and which of the others can match: only
  those run their own Matcher. Patterns the automaton cannot take fall back to the words a
  pattern *requires* (its anchors: every token that must occur, by OP, with a fixed value or an
  ``IN`` list): a pattern whose anchors do not all occur in the doc cannot match. Both are exact
  in what they keep: the matches are the same as with one Matcher
  (``tests/test_matchbank.py``). Long documents are matched in overlapping windows
  (``patterns.MATCH_WINDOW``).
- Regular expressions are found in one RE2 Set pass per turn (``regexset``); ``finditer``
  then runs only for those that occur.
- A turn runs only the phrase lists and patterns that something reads on it (``readers``): a
  customer turn no rule's turn-level detector looks at skips the token patterns altogether.

A service belongs to one linter: nothing in it is shared between linters or kept per process.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import Any, TypeVar

from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from cslint.engine.matching.automaton import TokenAutomaton
from cslint.engine.matching.handles import Handle, InvalidPattern, RegexHandle, TokenHandle, Trigger
from cslint.engine.matching.patterns import MATCH_OVERLAP, MATCH_WINDOW
from cslint.engine.matching.predicates import PredicateTable
from cslint.engine.matching.readers import ANY_TURN, Reader, ReaderRegistry, Selection
from cslint.engine.matching.regexes import compile_re2
from cslint.engine.matching.regexset import RegexSet
from cslint.errors import RuleError

#: ``text`` matches the lower-cased words as written, ``lemma`` matches any inflection
#: ("was escalated" for "be escalate"), because the pipeline stores lower-cased lemmas in NORM.
PHRASE_ATTRS = MappingProxyType({"text": "LOWER", "lemma": "NORM"})

TokenSpan = tuple[int, int]
#: Token spans of one doc by the key of the registration they belong to.
TokenMatches = dict[str, list[TokenSpan]]

#: Pattern attributes whose values can be looked up in a doc's vocabulary of values.
_ANCHOR_ATTRS = MappingProxyType({"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "LEMMA": LEMMA})
#: ``OP`` values that consume at least one token: the token's words must occur in the doc.
_REQUIRED_OPS = frozenset({None, "+", "1"})
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


#: A registration's name: a phrase list's or pattern set's key, or a regular expression's id.
_Tagged = TypeVar("_Tagged", str, int)


def _read_on(
    registrations: Iterable[_Tagged], tags: dict[_Tagged, Reader], readers: frozenset[str]
) -> frozenset[_Tagged]:
    """The registrations a turn read by the rules ``readers`` needs: those tagged with one of
    them, and those any turn may read (untagged ones too)."""
    return frozenset(r for r in registrations if (reader := tags.get(r, ANY_TURN)) is ANY_TURN or reader in readers)


class MatchingService:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._registrations = 0
        #: The RE2 predicates of this service's token patterns (``REGEX`` tests).
        self.predicates = PredicateTable()
        self._phrase_matchers: dict[str, PhraseMatcher] = {}
        #: attribute -> the keys of the phrase lists its PhraseMatcher holds
        self._phrase_keys: dict[str, set[str]] = {}
        #: Patterns the automaton holds, by its id: their own Matcher and key.
        self._automaton_matchers: dict[int, Matcher] = {}
        self._automaton_keys: dict[int, str] = {}
        #: Patterns it cannot take: (bit mask of the anchors they need, their Matcher, key).
        self._untranslated: list[tuple[int, Matcher, str]] = []
        #: Keys of every token pattern (a turn that needs none of them skips the automaton).
        self._pattern_keys: set[str] = set()
        #: key -> who reads the registration (see ``readers``); keys not here: any turn.
        self._readers: dict[str, Reader] = {}
        #: readers of a turn -> the keys it needs (a run sees a handful of distinct sets)
        self._selections: dict[frozenset[str], frozenset[str]] = {}
        #: automaton id -> the string id of the pattern's key (what a Matcher reports)
        self._match_ids: dict[int, int] = {}
        self.automaton = TokenAutomaton(nlp.vocab, self.predicates.table)
        #: attribute -> {word hash: bit mask of the anchors that word satisfies}
        self._anchor_index: dict[int, dict[int, int]] = {}
        self._anchor_bits = 0
        #: The rules' regular expressions, for finding in one pass which occur in a turn.
        self.regexes_set = RegexSet()
        #: Each regular expression, compiled, by id; who reads it (ids not here: any turn).
        self._regexes: list[Any] = []
        self._regex_readers: dict[int, Reader] = {}
        #: readers of a turn -> the ids of the expressions it needs (None: all of them)
        self._regex_selections: dict[frozenset[str], frozenset[int] | None] = {}
        #: such a subset of the ids -> one RE2 set of those expressions, and their ids by index
        self._regex_subsets: dict[frozenset[int], tuple[RegexSet, list[int]]] = {}
        #: Every token pattern by key, as given (for tests and diagnostics).
        self.registered_patterns: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)

    def _new_key(self) -> str:
        self._registrations += 1
        return f"cslint/{self._registrations}"

    # -- registration ----------------------------------------------------------------------

    def phrases(self, phrases: list[str], match: str = "text") -> TokenHandle:
        """Register a phrase list, matched case-insensitively as written (``text``) or as
        lemmas (``lemma``: any inflection)."""
        handle = TokenHandle(self._new_key())
        self.add_phrases(handle.key, phrases, match)
        return handle

    def patterns(self, patterns: list[list[dict[str, Any]]]) -> TokenHandle:
        """Register spaCy token patterns (``REGEX`` tests run by RE2); InvalidPattern naming
        the first one that spaCy or RE2 refuses."""
        handle = TokenHandle(self._new_key())
        for index, pattern in enumerate(patterns):
            try:
                rewritten = self.predicates.rewrite(pattern)
            except RuleError as exc:
                raise InvalidPattern(index, f"pattern {index + 1}: {exc.message}") from None
            try:
                self.add_patterns(handle.key, [rewritten])
            except (ValueError, KeyError, TypeError) as exc:
                # spaCy's message names the service's key and pattern 0; keep only the problem.
                detail = " ".join(str(exc).split())
                detail = detail.split("Pattern 0:", 1)[-1].strip(" -")
                raise InvalidPattern(index, f"invalid spaCy pattern {index + 1}: {detail}") from None
        return handle

    def regexes(self, patterns: list[str], ignore_case: bool = True) -> RegexHandle:
        """Register regular expressions (RE2); RuleError for one RE2 cannot compile."""
        compiled = tuple(compile_re2(p, ignore_case) for p in patterns)
        self._regexes.extend(compiled)
        self._regex_selections.clear()
        self._regex_subsets.clear()
        return RegexHandle(tuple(self.regexes_set.add(regex) for regex in compiled), compiled)

    def trigger(self, handles: Iterable[Handle]) -> Trigger:
        """What must occur in a turn for any of ``handles`` to match there."""
        keys: set[str] = set()
        ids: set[int] = set()
        for handle in handles:
            if isinstance(handle, TokenHandle):
                keys.add(handle.key)
            else:
                ids.update(handle.ids)
        return Trigger(frozenset(keys), frozenset(ids))

    def for_reader(self, reader: Reader) -> ReaderRegistry:
        """A registry whose phrase lists and patterns only ``reader``'s turns read: a rule id
        (its in-scope turns) or ``ANY_TURN``."""
        return ReaderRegistry(self, reader)

    def read_by(self, key: str, reader: Reader) -> None:
        self._readers[key] = reader
        self._selections.clear()

    def read_regexes_by(self, ids: Iterable[int], reader: Reader) -> None:
        for ident in ids:
            self._regex_readers[ident] = reader
        self._regex_selections.clear()

    def regex_selection(self, readers: frozenset[str]) -> frozenset[int] | None:
        """The ids of the regular expressions a turn read by the rules ``readers`` needs
        scanned: theirs and those any turn may read; None when that is all of them."""
        if readers in self._regex_selections:
            return self._regex_selections[readers]
        ids = _read_on(range(len(self._regexes)), self._regex_readers, readers)
        found = None if len(ids) == len(self._regexes) else ids
        self._regex_selections[readers] = found
        return found

    def selection(self, readers: frozenset[str]) -> frozenset[str]:
        """The keys a turn read by the rules ``readers`` (its in-scope rules) needs matched:
        theirs and those any turn may read."""
        found = self._selections.get(readers)
        if found is None:
            keys = self._pattern_keys.union(*self._phrase_keys.values())
            found = self._selections[readers] = _read_on(keys, self._readers, readers)
        return found

    def add_phrases(self, key: str, phrases: list[str], match: str = "text") -> None:
        attr = PHRASE_ATTRS[match]
        matcher = self._phrase_matchers.get(attr)
        if matcher is None:
            matcher = self._phrase_matchers[attr] = PhraseMatcher(self.nlp.vocab, attr=attr)
        self._phrase_keys.setdefault(attr, set()).add(key)
        self._selections.clear()
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
            self.registered_patterns[key].append(pattern)
            self._pattern_keys.add(key)
            self._selections.clear()
            strings = self.nlp.vocab.strings
            ident = self.automaton.add(pattern)
            if ident is not None:
                self._automaton_matchers[ident] = matcher
                self._automaton_keys[ident] = key
                self._match_ids[ident] = strings.add(key)
                continue
            required = 0
            for attr, words in pattern_anchors(pattern):
                bit = 1 << self._anchor_bits
                self._anchor_bits += 1
                required |= bit
                index = self._anchor_index.setdefault(attr, {})
                for word in words:
                    word_hash = strings.add(word)
                    index[word_hash] = index.get(word_hash, 0) | bit
            self._untranslated.append((required, matcher, key))

    def _present(self, doc: Doc) -> int:
        """The bit mask of the anchors that some token of ``doc`` satisfies."""
        attrs = list(self._anchor_index)
        if not attrs or not len(doc):
            return 0
        values = doc.to_array(list[int | str](attrs))
        present = 0
        for column, attr in enumerate(attrs):
            index = self._anchor_index[attr]
            column_values = values[:, column] if len(attrs) > 1 else values
            for value in set(column_values.tolist()):
                bits = index.get(value)
                if bits:
                    present |= bits
        return present

    def _pattern_matches(self, doc: Doc, wanted: Selection) -> Iterator[tuple[int, int, int]]:
        """(match id, start, end) of every token pattern in ``doc`` whose key is ``wanted``.
        The automaton reports the matches of the patterns it holds exactly and which of the
        others can match, which then run their Matcher; patterns it cannot take are picked by
        their anchors."""
        if wanted is not None and wanted.isdisjoint(self._pattern_keys):
            return
        if self._automaton_keys:
            for ident, spans in self.automaton.scan(doc):
                if wanted is not None and self._automaton_keys[ident] not in wanted:
                    continue
                if spans is None:
                    yield from self._token_matches(self._automaton_matchers[ident], doc)
                else:
                    match_id = self._match_ids[ident]
                    for start, end in spans:
                        yield match_id, start, end
        if self._untranslated:
            present = self._present(doc)
            for required, matcher, key in self._untranslated:
                if required & present == required and (wanted is None or key in wanted):
                    yield from self._token_matches(matcher, doc)

    # -- running ---------------------------------------------------------------------------

    def preload(self) -> None:
        """Build now what the first turns would otherwise build (the automaton's tables, the
        regular expressions' RE2 sets), before worker processes fork and share it."""
        self.automaton.preload()
        self.regexes_set.preload()

    def regexes_in(self, text: str, ids: frozenset[int] | None = None) -> set[int]:
        """Ids of the registered regular expressions that occur in ``text`` (one pass), of
        all of them or of those with ``ids`` (a turn's ``regex_selection``)."""
        if ids is None:
            return self.regexes_set.matching(text)
        if not ids:
            return set()
        subset = self._regex_subsets.get(ids)
        if subset is None:
            regex_set, by_index = RegexSet(), sorted(ids)
            for ident in by_index:
                regex_set.add(self._regexes[ident])  # ids in order: the index into by_index
            subset = self._regex_subsets[ids] = (regex_set, by_index)
        regex_set, by_index = subset
        return {by_index[index] for index in regex_set.matching(text)}

    def run(self, doc: Doc, wanted: Selection = None) -> TokenMatches:
        """Token spans in ``doc`` of every registered phrase list and pattern, or of those
        whose keys are ``wanted`` (see ``selection``), by key."""
        found: dict[str, list[TokenSpan]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for attr, matcher in self._phrase_matchers.items():
            if wanted is not None and wanted.isdisjoint(self._phrase_keys[attr]):
                continue
            for match_id, start, end in matcher(doc):
                key = strings[match_id]
                if wanted is None or key in wanted:
                    found[key].append((start, end))
        pattern_keys: set[str] = set()
        for match_id, start, end in self._pattern_matches(doc, wanted) if self._pattern_keys else ():
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
