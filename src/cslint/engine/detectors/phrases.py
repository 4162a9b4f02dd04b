"""``kind: phrases`` — a list of phrases, matched case-insensitively as words or as lemmas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cslint.engine.detectors.base import CharSpan, CompileContext, Detector, TurnView, phrase_count_problem, register


@register
class PhrasesDetector(Detector):
    kind = "phrases"
    properties = {
        "phrases": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        # text: the words as written (case-insensitive); lemma: any inflection of them.
        "match": {"enum": ["text", "lemma"]},
    }
    required = ("phrases",)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        return phrase_count_problem(spec, "phrases")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        ctx.bank.add_phrases(self.key, spec["phrases"], spec.get("match", "text"))

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any]) -> bool:
        return spec.get("match", "text") == "lemma"

    def may_find(self, view: TurnView) -> bool:
        return self.key in view.matches

    def triggers(self) -> tuple[frozenset[str], frozenset[int]]:
        return frozenset([self.key]), frozenset()

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        return self.token_spans_to_chars(view, view.matches.get(self.key, ()))
