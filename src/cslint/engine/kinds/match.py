"""The match kind: words in one turn, written as a phrase list, token patterns or regular
expressions. The three spellings share everything but how the words are written:

.. code-block:: yaml

    - kind: phrases            # a phrase list, case-insensitive
      match: lemma             # text (as written, the default) | lemma (any inflection)
      phrases: [calm down, relax]
    - kind: pattern            # spaCy Matcher token patterns
      patterns:
        - [{LOWER: please}, {LOWER: {IN: [calm, settle]}}, {LOWER: down}]
    - kind: regex              # RE2 syntax: linear time, cannot hang
      patterns: ['\\bchill out\\b']
      ignore_case: true        # the default

Each registers its words with the matching service once and reads back its matches per turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.base import CompileContext, Kind, Problem, phrase_count_problem
from cslint.engine.matching import InvalidPattern, compile_re2, pattern_cost_problem, unavailable_problem, used_attrs
from cslint.engine.views import CharSpan, TurnView
from cslint.errors import RuleError


class PhrasesKind(Kind):
    kind = "phrases"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "phrases": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
            # text: the words as written (case-insensitive); lemma: any inflection of them.
            "match": {"enum": ["text", "lemma"]},
        }
    )
    required = ("phrases",)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> Problem | None:
        return phrase_count_problem(spec, "phrases")

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any], kinds: Mapping[str, type[Kind]]) -> bool:
        return spec.get("match", "text") == "lemma"

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.handle = ctx.service.phrases(spec["phrases"], spec.get("match", "text"))
        self.needs([self.handle])

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        return self.token_spans_to_chars(view, view.token_spans(self.handle))


class PatternKind(Kind):
    """Token attributes available from the pipeline: ``LOWER``, ``TEXT``, ``NORM``/``LEMMA``
    (the lower-cased lookup lemma), ``IS_*`` / ``LIKE_*`` flags, ``LENGTH``, ``IS_SENT_START``,
    and the operators ``OP``, ``IN``, ``NOT_IN``, ``REGEX`` (run by RE2)."""

    kind = "pattern"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "patterns": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "array", "minItems": 1, "items": {"type": "object"}},
            },
        }
    )
    required = ("patterns",)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> Problem | None:
        """Checked when the rule loads: a pattern too costly to match is refused."""
        for i, pattern in enumerate(spec["patterns"]):
            problem = pattern_cost_problem(pattern)
            if problem:
                return f"pattern {i + 1} {problem}", ("patterns", i)
        return None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any], kinds: Mapping[str, type[Kind]]) -> bool:
        return any(used_attrs(p) & {"LEMMA", "NORM"} for p in spec.get("patterns", []))

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        for i, pattern in enumerate(spec["patterns"]):
            problem = unavailable_problem(pattern) or pattern_cost_problem(pattern)
            if problem:
                raise RuleError(f"pattern {i + 1} {problem}", subpath=("patterns", i))
        patterns = spec["patterns"]
        try:
            self.handle = ctx.service.patterns(patterns)
        except InvalidPattern as exc:
            raise RuleError(exc.message, subpath=("patterns", exc.index)) from None
        self.needs([self.handle])

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        return self.token_spans_to_chars(view, view.token_spans(self.handle))


class RegexKind(Kind):
    """RE2 runs in linear time: a user's pathological pattern such as ``(a+)+$`` cannot hang
    a run; look-arounds and back-references are reported when the rule loads."""

    kind = "regex"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "patterns": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
            "ignore_case": {"type": "boolean"},
        }
    )
    required = ("patterns",)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> str | None:
        """Checked when the rule loads, so ``cslint rules`` reports a bad pattern too."""
        for pattern in spec["patterns"]:
            try:
                compile_re2(pattern, spec.get("ignore_case", True))
            except RuleError as exc:
                return exc.message
        return None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.handle = ctx.service.regexes(spec["patterns"], spec.get("ignore_case", True))
        self.needs([self.handle])

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        spans = []
        for start, end in view.regex_spans(self.handle):
            if self.at != "anywhere":
                span = view.doc.char_span(start, end, alignment_mode="expand")
                if span is None or not self.keep_position(view, span.start, span.end):
                    continue
            spans.append((start, end))
        return spans


#: The match kinds, one per way of writing the words.
MATCH_KINDS: tuple[type[Kind], ...] = (PhrasesKind, PatternKind, RegexKind)
