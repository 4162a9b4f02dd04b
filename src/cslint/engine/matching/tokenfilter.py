"""Which token patterns can match a doc, found in one RE2 pass over the doc's tokens.

spaCy's Matcher costs ~20 µs per call on a chat message even when nothing matches: it makes a
Python ``Token`` for every token, twice, before its C loop runs. Most patterns match in few
turns, so most of that is wasted. Here each doc is written once as a string of token records,

    \\x1e lower \\x1f text \\x1f norm \\x1f lemma \\x1f flags      (one per token, at most)

where ``flags`` holds a character per lexical flag (IS_ALPHA, LIKE_NUM, ...), the token's
sentence start, and one per ``REGEX`` predicate of the rules (computed once per distinct word,
not per token). A record carries only what the registered patterns test (``_Layout``): with
the built-in rules that is lower, text and lemma and 6 of the 18 flags (NORM, which the
pipeline sets to the lemma, is never tested), a record a third shorter, and the RE2 sets, whose
cost grows with the bytes they scan, run that much less. Each token pattern is translated into a regular expression over such records,
and one RE2 ``Set`` pass says which patterns can match: only those go to spaCy's Matcher,
which still produces the matches, except for the patterns the translation renders *exactly*
(a bounded number of tokens: no ``*``, ``+`` or ``!``, each tested only by words, lists of
words, flags and the rules' RE2 predicates, e.g. ``[{LOWER: so, OP: "?"}, {LOWER: sorry}]``):
their matches are read off the records directly (from every token where the pattern's
expression matches, each length that matches), as spaCy would find them. With the built-in
rules that is 142 of 185 patterns, and spaCy's Matcher, which builds a Python token per token,
runs for the rest only.

The translation may over-approximate, never under-approximate: a constraint it cannot
express (NOT_IN, LENGTH, a user's extension attribute, the ``!`` operator) becomes "any
token", so a pattern the filter rules out truly has no match in the doc. A pattern with an
operator it does not know is not translated at all and runs on every doc, as before.
"""

from __future__ import annotations

import bisect
import re
from types import MappingProxyType
from typing import Any, NamedTuple

from cslint.engine.matching.regexset import RegexSet

START, SEP = "\x1e", "\x1f"
_FIELD_ANY = f"[^{START}{SEP}]*"
_CHAR_ANY = f"[^{START}{SEP}]"
_TOKEN_ANY = f"{START}[^{START}]*"

#: Token attributes kept as text fields of a record, by the name patterns use.
_FIELDS = MappingProxyType({"LOWER": 0, "TEXT": 1, "ORTH": 1, "NORM": 2, "LEMMA": 3})
#: Lexical flags kept in a record, in order; a pattern compares them with true/false.
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
#: Flags a record may hold, in their order: the lexical flags, then the sentence start.
_FLAG_NAMES = (*LEXICAL_FLAGS, "IS_SENT_START")
#: The token property each field of ``_FIELDS`` holds.
_FIELD_PROPS = ("lower_", "text", "norm_", "lemma_")
#: Token properties a record holds, so a REGEX predicate on them is computed exactly.
_RECORD_PROPS = frozenset(_FIELD_PROPS)
#: The token's ``sent_start`` (1, -1 or 0 when unknown) as the one character of its flag.
_SENT_START_CHARS = MappingProxyType({1: "1", -1: "-", 0: "0"})
#: Token records kept between docs (~250 bytes each with their keys): a run's frequent words
#: fit; an export whose every turn holds new words (ids, references) would otherwise grow the
#: cache without end (at 50,000 it held 9 MB in each worker).
MAX_CACHED_RECORDS = 20_000
#: RE2's largest repetition count.
_MAX_REPEAT = 1000
_COUNT_OP = re.compile(r"\{\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?\}")


class _Untranslatable(Exception):
    """A pattern whose operators cannot be written as a regular expression."""


def _quantifier(op: Any) -> str:
    if op is None or op == "1":
        return ""
    if op in ("?", "*", "+"):
        return op
    if isinstance(op, str):
        counted = _COUNT_OP.fullmatch(op)
        if counted:
            low, comma, high = counted.groups()
            low = low or "0"
            if max(int(low), int(high or 0)) > _MAX_REPEAT:
                raise _Untranslatable(op)
            if not comma:
                return f"{{{low}}}"
            return f"{{{low},{high}}}"
    raise _Untranslatable(op)


def _is_word_test(value: Any) -> bool:
    """Whether a field's test is exactly "equals this string" or "is one of these strings"."""
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and set(value) == {"IN"}
        and isinstance(value["IN"], list)
        and bool(value["IN"])
        and all(isinstance(v, str) for v in value["IN"])
    )


def _words(value: Any) -> str:
    """The alternation of the strings a field must equal (``_is_word_test(value)``)."""
    if isinstance(value, str):
        return re.escape(value)
    return "(?:" + "|".join(re.escape(v) for v in value["IN"]) + ")"


class _Token(NamedTuple):
    """One token of a pattern, parsed but not yet written for a record layout."""

    #: "(?:...)?" for a negated token (any one token or none), else the token's own tests
    negated: bool
    quantifier: str
    #: (fewest, most) tokens it takes; None: no bound (``*``, ``+``, ``{m,}``)
    lengths: tuple[int, int] | None
    #: field position (as ``_FIELDS``) -> the alternation of the words it must equal
    fields: dict[int, str]
    #: flag name (a lexical flag, ``IS_SENT_START`` or a predicate's extension) -> "0" or "1"
    flags: dict[str, str]


class _Layout(NamedTuple):
    """What a record holds: the fields and the flags some registered pattern tests."""

    fields: tuple[int, ...]
    flags: tuple[str, ...]
    #: spaCy attribute names read per token: the key of a record in the record cache
    attrs: tuple[str, ...]


class TokenFilter:
    """Token patterns registered as regular expressions over token records, run as RE2 sets."""

    def __init__(self, vocab: Any, predicates: dict[str, tuple[str, Any]]) -> None:
        self.vocab = vocab
        #: extension name -> (token property, RE2 regex) of the rules' REGEX predicates
        self.predicates = predicates
        #: every translatable pattern, parsed, in registration order (its id is its index)
        self._parsed: list[list[_Token]] = []
        #: id -> (fewest, most) tokens of a match, for the patterns translated exactly
        self._exact: dict[int, tuple[int, int]] = {}
        #: Built from ``_parsed`` when the first doc is filtered (and again after a new
        #: registration): the layout, the RE2 sets and the exact patterns' expressions.
        self._layout: _Layout | None = None
        self._set = RegexSet()
        self._exact_regex: dict[int, str] = {}
        self._exact_compiled: dict[int, Any] = {}
        #: record-cache key (as ``_Layout.attrs``) -> that token's record, UTF-8 encoded
        self._records: dict[Any, bytes] = {}
        #: token property -> (one RE2 set of the layout's predicates on it, their names by id)
        self._predicate_sets: dict[str, tuple[RegexSet, list[str]]] = {}

    # -- patterns --------------------------------------------------------------------------

    def add(self, pattern: list[dict[str, Any]]) -> int | None:
        """Register a token pattern; its id for :meth:`candidates`, or None if it cannot be
        translated (it must then run on every doc)."""
        self._inexact = False
        try:
            parsed = [self._token(token) for token in pattern]
        except _Untranslatable:
            return None
        ident = len(self._parsed)
        self._parsed.append(parsed)
        bounds = [token.lengths for token in parsed]
        if not self._inexact and pattern and all(b is not None for b in bounds):
            fewest = sum(b[0] for b in bounds if b is not None)
            most = sum(b[1] for b in bounds if b is not None)
            if fewest >= 1:  # spaCy never reports an empty match
                self._exact[ident] = (fewest, most)
        # Written and compiled only when the first doc is filtered, when every pattern is
        # known (the layout depends on all of them; compiling each pattern here would cost a
        # single-draft check ~30 ms).
        self._layout = None
        return ident

    def _token(self, token: Any) -> _Token:
        if not isinstance(token, dict):
            raise _Untranslatable(token)
        op = next((v for k, v in token.items() if str(k).upper() == "OP"), None)
        if op == "!":
            self._inexact = True
            return _Token(True, "", None, {}, {})  # a negated token: at most one token, of any kind
        quantifier = _quantifier(op)
        fields: dict[int, str] = {}
        flags: dict[str, str] = {}
        for key, value in token.items():
            attr = str(key).upper()
            if attr == "OP":
                continue
            if attr in _FIELDS:
                if _is_word_test(value):
                    fields[_FIELDS[attr]] = _words(value)
                    continue
                self._inexact = True
                listed = value.get("IN") if isinstance(value, dict) else None
                if _is_word_test({"IN": listed}):  # IN with other tests: at least in the list
                    fields[_FIELDS[attr]] = _words({"IN": listed})
            elif attr in _FLAG_NAMES and isinstance(value, (bool, int)) and int(value) in (0, 1):
                flags[attr] = str(int(value))
            elif attr == "_" and isinstance(value, dict):
                for name, wanted in value.items():
                    if name in self.predicates and wanted is True:
                        flags[name] = "1"
                        if self.predicates[name][0] not in _RECORD_PROPS:
                            self._inexact = True  # its flag only says "may match"
                    else:
                        self._inexact = True
            else:
                self._inexact = True  # a test the record does not hold: "any token" here
        return _Token(False, quantifier, _lengths(quantifier), fields, flags)

    def _build(self) -> _Layout:
        """The layout of every registered pattern, their RE2 sets and exact expressions."""
        import re2

        fields = sorted({f for parsed in self._parsed for token in parsed for f in token.fields})
        used = {name for parsed in self._parsed for token in parsed for name in token.flags}
        # Lexical flags and the sentence start in their fixed order, then the predicates in
        # the order they were first used (any fixed order would do).
        flags = [name for name in _FLAG_NAMES if name in used]
        for parsed in self._parsed:
            for token in parsed:
                flags.extend(n for n in token.flags if n not in _FLAG_NAMES and n not in flags)
        props = {_FIELD_PROPS[f] for f in fields} | {self.predicates[n][0] for n in flags if n in self.predicates}
        attrs = ["ORTH"]  # the text: lower case, lexical flags and the text field come from it
        attrs += [attr for attr, prop in (("NORM", "norm_"), ("LEMMA", "lemma_")) if prop in props]
        if "IS_SENT_START" in used:
            attrs.append("SENT_START")
        layout = _Layout(tuple(fields), tuple(flags), tuple(attrs))
        options = re2.Options()
        options.log_errors = False
        self._set = RegexSet()
        self._exact_regex.clear()
        self._exact_compiled.clear()
        self._records.clear()
        for ident, parsed in enumerate(self._parsed):
            regex = "".join(_written(token, layout) for token in parsed)
            self._set.add_pattern(regex, options)  # ids are handed out in order: ident
            if ident in self._exact:
                self._exact_regex[ident] = regex
        # The predicates of each token property, as one RE2 set: a new record asks one set per
        # property instead of every predicate in turn (the per-call cost of the RE2 wrapper was
        # most of the time spent writing records).
        self._predicate_sets = {}
        for name in flags:
            if name in self.predicates:
                prop, regex = self.predicates[name]
                regex_set, names = self._predicate_sets.setdefault(prop, (RegexSet(), []))
                regex_set.add(regex)  # ids in order: the index into names
                names.append(name)
        self._layout = layout
        return layout

    def _predicates_matching(self, prop: str, value: str) -> set[str]:
        """The names of the layout's predicates on ``prop`` whose expression occurs in ``value``."""
        regex_set, names = self._predicate_sets[prop]
        if regex_set.exact:
            return {names[ident] for ident in regex_set.matching(value)}
        # A set RE2 could not build says "maybe" for its patterns: ask each expression.
        return {name for name in names if self.predicates[name][1].search(value) is not None}

    def preload(self) -> None:
        """Write and compile every pattern now rather than on the first doc filtered."""
        if not self._parsed:
            return
        if self._layout is None:
            self._build()
        self._set.preload()
        for regex_set, _ in self._predicate_sets.values():
            regex_set.preload()
        for ident in self._exact_regex:
            self._exact_regex_compiled(ident)

    # -- docs ------------------------------------------------------------------------------

    def records(self, doc: Any) -> bytes | None:
        """``doc`` as token records, or None when a token holds a separator character."""
        rendered = self.render(doc)
        return None if rendered is None else rendered[0]

    def render(self, doc: Any) -> tuple[bytes, list[int]] | None:
        """``doc`` as token records (UTF-8: RE2 then reads them without converting, and its
        offsets are plain byte offsets) and the offset of each token's record; None when a
        token holds a separator character or cannot be encoded."""
        from spacy.attrs import IDS

        layout = self._layout or self._build()
        cache = self._records
        out = []
        offsets = []
        offset = 0
        if len(layout.attrs) == 1:
            keys: Any = doc.to_array(IDS[layout.attrs[0]]).tolist()
        else:
            keys = map(tuple, doc.to_array([IDS[a] for a in layout.attrs]).tolist())
        for key in keys:
            record = cache.get(key)
            if record is None:
                record = self._record(key, layout)
                if record is None:
                    return None
                if len(cache) >= MAX_CACHED_RECORDS:
                    cache.clear()  # a new stretch of vocabulary: start over, memory stays flat
                cache[key] = record
            out.append(record)
            offsets.append(offset)
            offset += len(record)
        return b"".join(out), offsets

    def _record(self, key: Any, layout: _Layout) -> bytes | None:
        ids = dict(zip(layout.attrs, key if isinstance(key, tuple) else (key,)))
        strings = self.vocab.strings
        orth = ids["ORTH"]
        lexeme = self.vocab[orth]
        text = strings[orth]
        values = {"text": text, "lower_": lexeme.lower_}
        for attr, prop in (("NORM", "norm_"), ("LEMMA", "lemma_")):
            if attr in ids:
                values[prop] = strings[ids[attr]]
        written = [values[_FIELD_PROPS[f]] for f in layout.fields]
        if any(START in value or SEP in value for value in written):
            return None
        flags = []
        matching: dict[str, set[str]] = {}  # token property -> the predicates found in it
        for name in layout.flags:
            if name == "IS_SENT_START":
                flags.append(_SENT_START_CHARS.get(ids["SENT_START"], "0"))
            elif name in self.predicates:
                prop = self.predicates[name][0]
                value = values.get(prop)
                # A property the record does not hold (a shape, an extension) counts as matching.
                if value is None:
                    flags.append("1")
                    continue
                found = matching.get(prop)
                if found is None:
                    found = matching[prop] = self._predicates_matching(prop, value)
                flags.append("1" if name in found else "0")
            else:
                flags.append("1" if getattr(lexeme, name.lower()) else "0")
        record = START + SEP.join([*written, "".join(flags)])
        try:
            return record.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no record can stand for it
            return None

    def candidates(self, records: bytes) -> set[int]:
        """Ids of the registered patterns that may match the doc written as ``records``."""
        if not self._parsed:
            return set()
        if self._layout is None:
            self._build()
        return self._set.matching(records)

    def is_exact(self, ident: int) -> bool:
        return ident in self._exact

    def _exact_regex_compiled(self, ident: int) -> Any:
        """The exactly translated pattern ``ident``'s expression, compiled once."""
        regex = self._exact_compiled.get(ident)
        if regex is None:
            import re2

            options = re2.Options()
            options.log_errors = False
            regex = self._exact_compiled[ident] = re2.compile(self._exact_regex[ident], options)
        return regex

    def exact_matches(self, ident: int, records: bytes, offsets: list[int]) -> list[tuple[int, int]]:
        """Every (start, end) token span where the exactly translated pattern ``ident``
        matches, given the records and each token's record offset (as ``offsets_of``)."""
        regex = self._exact_regex_compiled(ident)
        fewest, most = self._exact[ident]
        tokens = len(offsets)
        found: list[tuple[int, int]] = []
        position = 0
        while True:
            match = regex.search(records, position)
            if match is None:
                return found
            start = bisect.bisect_left(offsets, match.start())
            if fewest == most:
                found.append((start, start + fewest))
            else:
                # Like spaCy's Matcher, every length that matches from this token is a match
                # ("sorry" and "so sorry" for [{LOWER: so, OP: "?"}, {LOWER: sorry}]).
                for end in range(start + fewest, min(start + most, tokens) + 1):
                    if regex.fullmatch(records, offsets[start], offsets[end] if end < tokens else len(records)):
                        found.append((start, end))
            if start + 1 >= tokens:
                return found
            position = offsets[start + 1]  # matches may overlap: look again from the next token


def _lengths(quantifier: str) -> tuple[int, int] | None:
    """(fewest, most) tokens a pattern token with ``quantifier`` takes; None: unbounded."""
    if quantifier in ("", "?"):
        return (0 if quantifier else 1, 1)
    counted = re.fullmatch(r"\{(\d+)(?:,(\d+))?\}", quantifier)
    if counted is None:
        return None  # *, + and {m,}
    low = int(counted.group(1))
    return (low, int(counted.group(2) or low))


def _written(token: _Token, layout: _Layout) -> str:
    """A parsed pattern token as a regular expression over records of ``layout``."""
    if token.negated:
        return f"(?:{_TOKEN_ANY})?"
    parts = [token.fields.get(f, _FIELD_ANY) for f in layout.fields]
    # Every flag of the layout is tested by some pattern, so the flags field is exactly as
    # wide as the layout: a token that tests none of them matches any flags.
    parts.append("".join(token.flags.get(name, _CHAR_ANY) for name in layout.flags) if token.flags else _FIELD_ANY)
    body = START + SEP.join(parts)
    return f"(?:{body}){token.quantifier}" if token.quantifier else body
