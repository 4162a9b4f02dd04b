"""Which token patterns can match a doc, found in one RE2 pass over the doc's tokens.

spaCy's Matcher costs ~20 µs per call on a chat message even when nothing matches: it makes a
Python ``Token`` for every token, twice, before its C loop runs. Most patterns match in few
turns, so most of that is wasted. Here each doc is written once as a string of token records,

    \\x1e lower \\x1f text \\x1f norm \\x1f lemma \\x1f flags      (one per token)

where ``flags`` holds a character per lexical flag (IS_ALPHA, LIKE_NUM, ...), the token's
sentence start, and one per ``REGEX`` predicate of the rules (computed once per distinct word,
not per token). Each token pattern is translated into a regular expression over such records,
and one RE2 ``Set`` pass says which patterns can match: only those go to spaCy's Matcher,
which still produces the matches, except for the patterns the translation renders *exactly*
(a fixed number of tokens, each tested only by words, lists of words, flags and the rules' RE2
predicates, e.g. ``[{LOWER: {IN: [please, kindly]}}]``): their matches are read off the
records directly (every start where the pattern's expression matches), as spaCy would find them.

The translation may over-approximate, never under-approximate: a constraint it cannot
express (NOT_IN, LENGTH, a user's extension attribute, the ``!`` operator) becomes "any
token", so a pattern the filter rules out truly has no match in the doc. A pattern with an
operator it does not know is not translated at all and runs on every doc, as before.
"""

from __future__ import annotations

import bisect
import re
from types import MappingProxyType
from typing import Any

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
#: Token properties a record holds, so a REGEX predicate on them is computed exactly.
_RECORD_PROPS = frozenset({"text", "lower_", "norm_", "lemma_"})
_SENT_START = len(LEXICAL_FLAGS)  # flag position of the token's sentence start
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


class TokenFilter:
    """Token patterns registered as regular expressions over token records, run as RE2 sets."""

    def __init__(self, vocab: Any, predicates: dict[str, tuple[str, Any]]) -> None:
        self.vocab = vocab
        #: extension name -> (token property, RE2 regex) of the rules' REGEX predicates
        self.predicates = predicates
        self._regex_bits: dict[str, int] = {}
        self._set = RegexSet()
        self._count = 0
        #: (orth, norm, lemma, sent_start) -> that token's record, UTF-8 encoded
        self._records: dict[tuple[int, int, int, int], bytes] = {}
        #: id -> (expression, number of tokens) of the patterns translated exactly
        self._exact: dict[int, tuple[str, int]] = {}
        self._exact_compiled: dict[int, Any] = {}

    # -- patterns --------------------------------------------------------------------------

    def add(self, pattern: list[dict[str, Any]]) -> int | None:
        """Register a token pattern; its id for :meth:`candidates`, or None if it cannot be
        translated (it must then run on every doc)."""
        import re2

        self._inexact = False
        try:
            regex = "".join(self._token(token) for token in pattern)
        except _Untranslatable:
            return None
        exact = not self._inexact and bool(pattern)
        # Compiled only as part of its set, when the first doc is filtered: compiling each
        # pattern here would cost a single-draft check ~30 ms.
        options = re2.Options()
        options.log_errors = False
        self._records.clear()  # new REGEX predicates may have been given a flag
        ident = self._set.add_pattern(regex, options)
        self._count += 1
        if exact:
            self._exact[ident] = (regex, len(pattern))
        return ident

    def _token(self, token: Any) -> str:
        if not isinstance(token, dict):
            raise _Untranslatable(token)
        op = next((v for k, v in token.items() if str(k).upper() == "OP"), None)
        if op == "!":
            self._inexact = True
            return f"(?:{_TOKEN_ANY})?"  # a negated token: at most one token, of any kind
        quantifier = _quantifier(op)
        if quantifier:
            self._inexact = True  # not a fixed number of tokens
        fields: list[str | None] = [None] * 4
        flags: dict[int, str] = {}
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
            elif attr in LEXICAL_FLAGS and isinstance(value, (bool, int)) and int(value) in (0, 1):
                flags[LEXICAL_FLAGS.index(attr)] = str(int(value))
            elif attr == "IS_SENT_START" and isinstance(value, (bool, int)) and int(value) in (0, 1):
                flags[_SENT_START] = str(int(value))
            elif attr == "_" and isinstance(value, dict):
                for name, wanted in value.items():
                    if name in self.predicates and wanted is True:
                        flags[self._regex_bit(name)] = "1"
                        if self.predicates[name][0] not in _RECORD_PROPS:
                            self._inexact = True  # its flag only says "may match"
                    else:
                        self._inexact = True
            else:
                self._inexact = True  # a test the record does not hold: "any token" here
        parts = [words if words is not None else _FIELD_ANY for words in fields]
        if flags:
            width = max(flags) + 1
            parts.append("".join(flags.get(i, _CHAR_ANY) for i in range(width)) + _FIELD_ANY)
        else:
            parts.append(_FIELD_ANY)
        body = START + SEP.join(parts)
        return f"(?:{body}){quantifier}" if quantifier else body

    def _regex_bit(self, name: str) -> int:
        if name not in self._regex_bits:
            self._regex_bits[name] = _SENT_START + 1 + len(self._regex_bits)
        return self._regex_bits[name]

    # -- docs ------------------------------------------------------------------------------

    def records(self, doc: Any) -> bytes | None:
        """``doc`` as token records, or None when a token holds a separator character."""
        rendered = self.render(doc)
        return None if rendered is None else rendered[0]

    def render(self, doc: Any) -> tuple[bytes, list[int]] | None:
        """``doc`` as token records (UTF-8: RE2 then reads them without converting, and its
        offsets are plain byte offsets) and the offset of each token's record; None when a
        token holds a separator character or cannot be encoded."""
        from spacy.attrs import LEMMA, NORM, ORTH, SENT_START

        cache = self._records
        out = []
        offsets = []
        offset = 0
        for key in map(tuple, doc.to_array([ORTH, NORM, LEMMA, SENT_START]).tolist()):
            record = cache.get(key)
            if record is None:
                record = self._record(*key)
                if record is None:
                    return None
                if len(cache) >= MAX_CACHED_RECORDS:
                    cache.clear()  # a new stretch of vocabulary: start over, memory stays flat
                cache[key] = record
            out.append(record)
            offsets.append(offset)
            offset += len(record)
        return b"".join(out), offsets

    def _record(self, orth: int, norm: int, lemma: int, sent_start: int) -> bytes | None:
        strings = self.vocab.strings
        lexeme = self.vocab[orth]
        text = strings[orth]
        values = {"text": text, "lower_": lexeme.lower_, "norm_": strings[norm], "lemma_": strings[lemma]}
        if any(START in value or SEP in value for value in values.values()):
            return None
        flags = ["1" if getattr(lexeme, name.lower()) else "0" for name in LEXICAL_FLAGS]
        flags.append(_SENT_START_CHARS.get(sent_start, "0"))
        for name in self._regex_bits:  # in bit order: bits were handed out in this order
            prop, regex = self.predicates[name]
            value = values.get(prop)
            # A property the record does not hold (a shape, an extension) counts as matching.
            flags.append("1" if value is None or regex.search(value) is not None else "0")
        record = START + SEP.join((values["lower_"], text, values["norm_"], values["lemma_"], "".join(flags)))
        try:
            return record.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no record can stand for it
            return None

    def candidates(self, records: bytes) -> set[int]:
        """Ids of the registered patterns that may match the doc written as ``records``."""
        return self._set.matching(records) if self._count else set()

    def is_exact(self, ident: int) -> bool:
        return ident in self._exact

    def exact_matches(self, ident: int, records: bytes, offsets: list[int]) -> list[tuple[int, int]]:
        """Every (start, end) token span where the exactly translated pattern ``ident``
        matches, given the records and each token's record offset (as ``offsets_of``)."""
        regex = self._exact_compiled.get(ident)
        if regex is None:
            import re2

            options = re2.Options()
            options.log_errors = False
            regex = self._exact_compiled[ident] = re2.compile(self._exact[ident][0], options)
        length = self._exact[ident][1]
        found: list[tuple[int, int]] = []
        position = 0
        while True:
            match = regex.search(records, position)
            if match is None:
                return found
            start = bisect.bisect_left(offsets, match.start())
            found.append((start, start + length))
            if start + 1 >= len(offsets):
                return found
            position = offsets[start + 1]  # matches may overlap: look again from the next token
