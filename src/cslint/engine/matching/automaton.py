"""Every token pattern of a linter run at once, as one bit-parallel automaton over a doc's tokens.

spaCy's Matcher costs ~20 µs per call on a chat message even when nothing matches (it makes a
Python ``Token`` for every token, twice, before its C loop runs), and most patterns match in
few turns. So the patterns are laid out side by side as *positions*, one bit each in a single
Python integer: a pattern token is one position, ``?`` an optional one, ``*`` an optional
repeatable one, ``+`` a repeatable one, ``{m,n}`` m required positions then n - m optional ones,
and ``!`` an optional position any token satisfies.

Each distinct token of a run (its text, and its norm, lemma and sentence start where some
pattern tests them) is mapped once to the bits of the positions it satisfies: its *mask*. A doc
is then read token by token with a few integer operations, the shift-and algorithm extended for
optional and repeated positions (Navarro & Raffinot, *Flexible Pattern Matching in Strings*,
ch. 4): after token t, bit j is set when some start s makes tokens s..t a match of its
pattern's positions up to j. A pattern's last bit set after token t says it matches ending
there.

A pattern whose every test the masks hold exactly (words and lists of words of the text, lower
case, norm and lemma; the lexical flags; the sentence start; the rules' RE2 predicates on a
token's text or lexical properties) and whose length is bounded is *exact*: its matches, every
(start, end) that matches as spaCy's Matcher reports them, are read off the scan, and spaCy never
runs for it. With the built-in rules that is 130 of 173 patterns. For the others the scan is a
filter that may over-approximate, never under-approximate: a test the masks cannot hold
(NOT_IN, LENGTH, a user's extension attribute, a predicate on an extension) counts as "any
token", so a pattern the scan rules out truly has no match in the doc, and only those it keeps
run their Matcher. A pattern with an operator it does not know is not taken at all (``add``
returns None) and runs on every doc, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any, NamedTuple

from spacy.attrs import IDS

from cslint.engine.matching.regexset import RegexSet

#: Token attributes a pattern tests by word, by the name patterns use -> the token property.
_FIELDS = MappingProxyType({"LOWER": "lower_", "TEXT": "text", "ORTH": "text", "NORM": "norm_", "LEMMA": "lemma_"})
#: Lexical flags a mask holds; a pattern compares them with true/false.
LEXICAL_FLAGS = (
    "IS_ALPHA",
    "IS_ASCII",
    "IS_DIGIT",
    "IS_LOWER",
    "IS_UPPER",
    "IS_TITLE",
    "IS_PUNCT",
    "IS_SPACE",
    "IS_STOP",
    "IS_BRACKET",
    "IS_QUOTE",
    "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT",
    "IS_CURRENCY",
    "LIKE_NUM",
    "LIKE_URL",
    "LIKE_EMAIL",
)
_SENT_START = "IS_SENT_START"
#: Where a new token's word for each field is read as a string's hash: the lexeme's attribute
#: (None: the key's ORTH itself), or the key's column of that spaCy attribute.
_LEXEME_HASHES = MappingProxyType({"text": None, "lower_": "lower"})
_KEY_HASHES = MappingProxyType({"norm_": "NORM", "lemma_": "LEMMA"})
#: Token properties a ``REGEX`` predicate may test that a mask computes exactly: the text and
#: what the lexeme holds, plus the norm and lemma, which the key of a token carries.
_LEXEME_PROPS = frozenset({"text", "orth_", "lower_", "shape_", "prefix_", "suffix_"})
_EXACT_PROPS = _LEXEME_PROPS | {"norm_", "lemma_"}
#: Token masks kept between docs: a run's frequent words fit; an export whose every turn holds
#: new words (ids, references) would otherwise grow the cache without end.
MAX_CACHED_MASKS = 20_000
#: The most positions one counted operator (``{m,n}``) may expand to.
_MAX_REPEAT = 1000
_COUNT_OP = re.compile(r"\{\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?\}")


class _Untranslatable(Exception):
    """A pattern with an operator the automaton does not know."""


class _Test(NamedTuple):
    """What one position asks of a token; an empty test is satisfied by any token."""

    #: token property -> the words it must equal
    fields: dict[str, frozenset[str]]
    #: lexical flag, ``IS_SENT_START`` or a predicate's extension name -> the value wanted
    flags: dict[str, bool]


class _Position(NamedTuple):
    test: _Test
    optional: bool
    repeat: bool


_ANY = _Test({}, {})


class _Parsed(NamedTuple):
    positions: list[_Position]
    #: (fewest, most) tokens of a match when the pattern is exact, else None
    lengths: tuple[int, int] | None


class _Tables(NamedTuple):
    """Every registered pattern's positions as bit masks (bit i: position i)."""

    first: int  # each pattern's first position
    start: int  # positions that can take a pattern's first token (first, or after skipped ones)
    last: int  # each pattern's last position
    not_last: int
    repeat: int  # positions that may take another token
    optional_next: int  # bit i - 1 for each optional position i (not a pattern's first)
    skipped: int  # positions whose pattern holds only optional positions up to them
    #: the closure over optional positions needs at most this many steps
    optional_run: int
    every: int  # every position
    #: bit index of a pattern's last position -> the pattern's id
    ends: dict[int, int]
    #: pattern id -> the bit index of its first position
    offsets: dict[int, int]
    #: patterns with no position or only optional ones: the scan cannot rule them out, so
    #: their Matcher runs on every doc
    always: frozenset[int]
    #: spaCy attribute names a token's key is read from (its mask's cache key), ORTH first
    attrs: tuple[str, ...]
    #: (the key's column or None, the lexeme's attribute or None (see _LEXEME_HASHES),
    #: {word's hash: positions that accept it}, positions that do not test the field)
    fields: tuple[tuple[int | None, str | None, dict[int, int], int], ...]
    #: (bit of a lexical flag in ``Lexeme.flags``, positions wanting it true, wanting it false)
    lexical: tuple[tuple[int, int, int], ...]
    #: the key's column of the sentence start and the positions wanting it true and false
    sent_start: tuple[int, int, int] | None
    #: (token property, [(predicate name, positions wanting it true)]) of the RE2 predicates
    #: the masks hold exactly, one RE2 set per property (``_predicate_sets``)
    predicates: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]


def _quantified(test: _Test, op: Any) -> list[_Position]:
    """The positions of one pattern token with operator ``op``."""
    if op is None or op == "1":
        return [_Position(test, False, False)]
    if op == "?":
        return [_Position(test, True, False)]
    if op == "*":
        return [_Position(test, True, True)]
    if op == "+":
        return [_Position(test, False, True)]
    counted = _COUNT_OP.fullmatch(op) if isinstance(op, str) else None
    if counted is None:
        raise _Untranslatable(op)
    low_text, comma, high_text = counted.groups()
    low = int(low_text or 0)
    high = int(high_text) if high_text else None
    if max(low, high or 0) > _MAX_REPEAT:
        raise _Untranslatable(op)
    positions = [_Position(test, False, False)] * low
    if not comma:
        return positions
    if high is None:
        return [*positions, _Position(test, True, True)]
    return positions + [_Position(test, True, False)] * (high - low)


def _words(value: Any) -> frozenset[str] | None:
    """The words a field's test lists (``"word"`` or ``{IN: [...]}``), None for another test."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict):
        listed = value.get("IN")
        if isinstance(listed, list) and listed and all(isinstance(v, str) for v in listed):
            return frozenset(listed)
    return None


def _bits(bit: int, times: int) -> int:
    return ((1 << times) - 1) << bit


def _closed(state: int, optional_next: int, steps: int) -> int:
    """``state`` with every position a match may reach by skipping optional positions (at most
    ``steps`` in a row)."""
    for _ in range(steps):
        closed = state | ((state & optional_next) << 1)
        if closed == state:
            break
        state = closed
    return state


class TokenAutomaton:
    """Token patterns registered as positions of one bit-parallel automaton (module docs)."""

    def __init__(self, vocab: Any, predicates: dict[str, tuple[str, Any]]) -> None:
        self.vocab = vocab
        #: extension name -> (token property, RE2 regex) of the rules' REGEX predicates
        self.predicates = predicates
        #: every registered pattern, parsed; its id is its index
        self._parsed: list[_Parsed] = []
        #: Built from ``_parsed`` when the first doc is scanned (and again after a registration).
        self._tables: _Tables | None = None
        #: key of a token (as ``_Tables.attrs``) -> its mask
        self._masks: dict[tuple[int, ...], int] = {}
        #: token property -> (one RE2 set of the predicates on it, their names by id)
        self._predicate_sets: dict[str, tuple[RegexSet, list[str]]] = {}
        #: token property -> whether RE2 built its predicates' set (asked once, not per token)
        self._exact_sets: dict[str, bool] = {}

    # -- patterns --------------------------------------------------------------------------

    def add(self, pattern: list[dict[str, Any]]) -> int | None:
        """Register a token pattern; its id, or None if the automaton cannot take it (the
        service then picks the docs it runs on by its required words)."""
        exact = True
        positions: list[_Position] = []
        try:
            for token in pattern:
                if not isinstance(token, dict):
                    raise _Untranslatable(token)
                op = next((v for k, v in token.items() if str(k).upper() == "OP"), None)
                if op == "!":  # any one token or none: what the negated test excludes is not known here
                    exact = False
                    positions.append(_Position(_ANY, True, False))
                    continue
                test, exactly = self._test(token)
                exact = exact and exactly
                positions.extend(_quantified(test, op))
        except _Untranslatable:
            return None
        fewest = sum(not p.optional for p in positions)
        bounded = not any(p.repeat for p in positions)
        # spaCy never reports an empty match
        lengths = (fewest, len(positions)) if exact and bounded and fewest >= 1 else None
        self._parsed.append(_Parsed(positions, lengths))
        self._tables = None  # laid out again when the next doc is scanned
        return len(self._parsed) - 1

    def _test(self, token: dict[str, Any]) -> tuple[_Test, bool]:
        """A pattern token's test, and whether it holds every condition exactly."""
        exact = True
        fields: dict[str, frozenset[str]] = {}
        flags: dict[str, bool] = {}
        for key, value in token.items():
            attr = str(key).upper()
            if attr == "OP":
                continue
            if attr in _FIELDS:
                prop = _FIELDS[attr]
                words = _words(value)
                if words is None or not (isinstance(value, str) or set(value) == {"IN"}):
                    exact = False  # IN with other tests: at least in the list; any other test: any word
                if words is not None:
                    fields[prop] = fields[prop] & words if prop in fields else words
            elif attr in (*LEXICAL_FLAGS, _SENT_START) and isinstance(value, (bool, int)) and int(value) in (0, 1):
                flags[attr] = bool(value)
            elif attr == "_" and isinstance(value, dict):
                for name, wanted in value.items():
                    if name in self.predicates and wanted is True:
                        flags[name] = True
                        exact = exact and self.predicates[name][0] in _EXACT_PROPS
                    else:
                        exact = False
            else:
                exact = False  # a test the mask does not hold: any token, here
        return _Test(fields, flags), exact

    def is_exact(self, ident: int) -> bool:
        return self._parsed[ident].lengths is not None

    def _build(self) -> _Tables:
        first = last = repeat = optional_next = skipped = 0
        ends: dict[int, int] = {}
        offsets: dict[int, int] = {}
        always: set[int] = set()
        fields: dict[str, tuple[dict[str, int], int]] = {}
        flags: dict[str, tuple[int, int]] = {}
        tested = {prop for parsed in self._parsed for p in parsed.positions for prop in p.test.fields}
        optional_run = run = 0
        bit = 0
        for ident, parsed in enumerate(self._parsed):
            positions = parsed.positions
            if not positions or all(p.optional for p in positions):
                always.add(ident)  # nothing to require of a token: left to its Matcher
                continue
            first |= 1 << bit
            last |= 1 << (bit + len(positions) - 1)
            ends[bit + len(positions) - 1] = ident
            offsets[ident] = bit
            leading = True
            for index, position in enumerate(positions):
                here = 1 << (bit + index)
                leading = leading and position.optional
                if leading:
                    skipped |= here
                if position.repeat:
                    repeat |= here
                if position.optional and index:
                    optional_next |= here >> 1
                    run += 1
                    optional_run = max(optional_run, run)
                else:
                    run = 0
                test = position.test
                for prop in tested:
                    words_index, untested = fields.get(prop, ({}, 0))
                    listed = test.fields.get(prop)
                    if listed is None:
                        untested |= here
                    else:
                        for word in listed:
                            words_index[word] = words_index.get(word, 0) | here
                    fields[prop] = (words_index, untested)
                for name, wanted in test.flags.items():
                    want_true, want_false = flags.get(name, (0, 0))
                    flags[name] = (want_true | here, want_false) if wanted else (want_true, want_false | here)
            bit += len(positions)
        props = set(fields) | {self.predicates[n][0] for n in flags if n in self.predicates}
        attrs = ["ORTH"]  # the lexeme: lower case, lexical flags and its other properties
        attrs += [attr for prop, attr in _KEY_HASHES.items() if prop in props]
        if _SENT_START in flags:
            attrs.append("SENT_START")
        # The predicates of each token property as one RE2 set: a new token asks one set per
        # property instead of every predicate in turn. Those on an extension may match any
        # token (their patterns are not exact), so they take no part in a mask.
        self._predicate_sets = {}
        self._exact_sets = {}
        predicates: dict[str, list[tuple[str, int]]] = {}
        for name in flags:
            if name in self.predicates and self.predicates[name][0] in _EXACT_PROPS:
                prop, regex = self.predicates[name]
                regex_set, names = self._predicate_sets.setdefault(prop, (RegexSet(), []))
                regex_set.add(regex)  # ids in order: the index into names
                names.append(name)
                predicates.setdefault(prop, []).append((name, flags[name][0]))
        strings = self.vocab.strings
        field_plan = tuple(
            (
                attrs.index(_KEY_HASHES[prop]) if prop in _KEY_HASHES else None,
                _LEXEME_HASHES.get(prop),
                {strings.add(word): bits for word, bits in words_index.items()},
                untested,
            )
            for prop, (words_index, untested) in fields.items()
        )
        self._masks.clear()
        self._tables = _Tables(
            first=first,
            start=first | ((skipped & ~last) << 1),
            last=last,
            not_last=_bits(0, bit) & ~last,
            every=_bits(0, bit),
            repeat=repeat,
            optional_next=optional_next,
            skipped=skipped,
            optional_run=optional_run,
            ends=ends,
            offsets=offsets,
            always=frozenset(always),
            attrs=tuple(attrs),
            fields=field_plan,
            lexical=tuple((IDS[name], *flags[name]) for name in LEXICAL_FLAGS if name in flags),
            sent_start=(attrs.index("SENT_START"), *flags[_SENT_START]) if _SENT_START in flags else None,
            predicates=tuple((prop, tuple(named)) for prop, named in predicates.items()),
        )
        return self._tables

    def preload(self) -> None:
        """Lay out every pattern and compile the predicates' sets now, not on the first doc."""
        if not self._parsed:
            return
        if self._tables is None:
            self._build()
        for regex_set, _ in self._predicate_sets.values():
            regex_set.preload()

    # -- tokens ----------------------------------------------------------------------------

    def _mask(self, key: tuple[int, ...], tables: _Tables) -> int:
        """The positions a token with ``key`` (values of ``tables.attrs``) satisfies."""
        lexeme = self.vocab[key[0]]
        mask = tables.every
        # Words are compared as the strings' hashes: no string is made for a field.
        for column, attr, words_index, untested in tables.fields:
            if column is not None:
                value = key[column]
            else:
                value = key[0] if attr is None else getattr(lexeme, attr)
            mask &= words_index.get(value, 0) | untested
        if tables.lexical:
            flags = lexeme.flags
            for bit, want_true, want_false in tables.lexical:
                mask &= ~(want_false if (flags >> bit) & 1 else want_true)
        if tables.sent_start is not None:
            # spaCy's Matcher reads IS_SENT_START as true only where a sentence starts (1); the
            # column holds 0 or -1 (an unsigned 64-bit value) elsewhere
            column, want_true, want_false = tables.sent_start
            mask &= ~(want_false if key[column] == 1 else want_true)
        for prop, named in tables.predicates:
            found = self._predicates_matching(prop, self._value(prop, key, lexeme, tables))
            for name, want_true in named:
                if name not in found:
                    mask &= ~want_true
        return mask

    def _value(self, prop: str, key: tuple[int, ...], lexeme: Any, tables: _Tables) -> str:
        """A token property of the token with ``key`` and ``lexeme``, as a string."""
        attr = _KEY_HASHES.get(prop)
        if attr is not None:
            return str(self.vocab.strings[key[tables.attrs.index(attr)]])
        return str(lexeme.orth_ if prop == "text" else getattr(lexeme, prop))

    def _predicates_matching(self, prop: str, value: str) -> set[str]:
        """The names of the predicates on ``prop`` whose expression occurs in ``value``."""
        regex_set, names = self._predicate_sets[prop]
        exact = self._exact_sets.get(prop)
        if exact is None:
            exact = self._exact_sets[prop] = regex_set.exact
        if exact:
            return {names[ident] for ident in regex_set.matching(value)}
        # A set RE2 could not build says "maybe" for its patterns: ask each expression.
        return {name for name in names if self.predicates[name][1].search(value) is not None}

    def masks(self, doc: Any) -> list[int]:
        """The mask of each token of ``doc``."""
        tables = self._tables or self._build()
        cache = self._masks
        values = doc.to_array([IDS[a] for a in tables.attrs])
        # one attribute gives a flat array
        keys: Iterable[tuple[int, ...]] = map(tuple, values.tolist()) if values.ndim == 2 else zip(values.tolist())
        out = []
        for key in keys:
            mask = cache.get(key)
            if mask is None:
                mask = self._mask(key, tables)
                if len(cache) >= MAX_CACHED_MASKS:
                    cache.clear()  # a new stretch of vocabulary: start over, memory stays flat
                cache[key] = mask
            out.append(mask)
        return out

    # -- docs ------------------------------------------------------------------------------

    def scan(self, doc: Any) -> list[tuple[int, list[tuple[int, int]] | None]]:
        """``(id, spans)`` of every registered pattern that may match ``doc``, by id: the
        (start, end) token spans of an exact pattern, as spaCy's Matcher would report them,
        and None for a pattern whose Matcher must tell."""
        if not self._parsed:
            return []
        tables = self._tables or self._build()
        masks = self.masks(doc)
        first, not_last, repeat = tables.first, tables.not_last, tables.repeat
        optional_next, skipped, last = tables.optional_next, tables.skipped, tables.last
        opening = optional_next & ~skipped  # skipped positions are closed already
        run = tables.optional_run
        start = tables.start
        state = skipped  # nothing under way: only the leading optional positions
        ends: list[tuple[int, int]] = []  # (token, last positions reached there)
        for index, mask in enumerate(masks):
            if state == skipped:
                if not mask & start:
                    continue  # most tokens start nothing while nothing is under way
                advanced = (start & mask) | skipped
            else:
                # each position takes the token after its predecessor, or again if it repeats
                advanced = ((((state & not_last) << 1) | first | (state & repeat)) & mask) | skipped
            if advanced & opening:  # a match may skip optional positions
                advanced = _closed(advanced, optional_next, run)
            state = advanced
            if advanced & last:
                ends.append((index, advanced & last))
        found: dict[int, list[int]] = {ident: [] for ident in tables.always}
        for index, reached in ends:
            while reached:
                low = reached & -reached
                reached ^= low
                found.setdefault(tables.ends[low.bit_length() - 1], []).append(index)
        return [(ident, self._spans(ident, found[ident], masks, tables)) for ident in sorted(found)]

    def _spans(self, ident: int, ends: list[int], masks: list[int], tables: _Tables) -> list[tuple[int, int]] | None:
        lengths = self._parsed[ident].lengths
        if lengths is None:
            return None
        fewest, most = lengths
        if fewest == most:
            return [(end + 1 - fewest, end + 1) for end in ends]
        # A bounded pattern of several lengths: like spaCy's Matcher, report every start whose
        # tokens up to this end match it ("sorry" and "so sorry" for [so?, sorry]).
        spans = set()
        anchored = self._anchored(ident, masks, tables)
        for end in ends:
            for length in range(fewest, min(most, end + 1) + 1):
                if anchored(end + 1 - length, end):
                    spans.add((end + 1 - length, end + 1))
        return sorted(spans)

    def _anchored(self, ident: int, masks: list[int], tables: _Tables) -> Callable[[int, int], bool]:
        """A test of whether tokens start..end (inclusive) match pattern ``ident`` exactly: the
        scan's tables cut down to the pattern's own positions, starting at ``start`` only."""
        offset, count = tables.offsets[ident], len(self._parsed[ident].positions)
        width = (1 << count) - 1
        optional_next = (tables.optional_next >> offset) & width
        skipped = (tables.skipped >> offset) & width
        # the first token may take the first position, or one after skipped positions
        entering = (skipped << 1) | 1
        last = 1 << (count - 1)

        def matches(start: int, end: int) -> bool:
            state = 0
            for index in range(start, end + 1):
                mask = (masks[index] >> offset) & width
                state = _closed(((state << 1) | (entering if index == start else 0)) & mask, optional_next, count)
                if not state:
                    return False
            return bool(state & last)

        return matches
