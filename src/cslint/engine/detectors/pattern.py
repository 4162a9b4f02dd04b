"""``kind: pattern`` — spaCy Matcher token patterns, validated when the rule compiles.

Token attributes available from the pipeline: ``LOWER``, ``TEXT``, ``NORM``/``LEMMA`` (the
lower-cased lookup lemma), ``IS_*`` / ``LIKE_*`` flags, ``LENGTH``, ``IS_SENT_START``, and the
operators ``OP``, ``IN``, ``NOT_IN``, ``REGEX``. Part-of-speech and dependency attributes need a
trained pipeline, which cslint does not require, so they are rejected.
"""

from __future__ import annotations

from typing import Any, Iterable

from cslint.engine.detectors.base import CharSpan, CompileContext, Detector, TurnView, register
from cslint.errors import RuleError

#: Attributes a blank pipeline never sets: a pattern using them would silently never match.
_UNAVAILABLE = {"POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "HEAD"}


def _used_attrs(pattern: list[dict[str, Any]]) -> set[str]:
    return {str(key).upper() for token in pattern if isinstance(token, dict) for key in token}


@register
class PatternDetector(Detector):
    kind = "pattern"
    properties = {
        "patterns": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        },
    }
    required = ("patterns",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        for i, pattern in enumerate(spec["patterns"]):
            bad = _used_attrs(pattern) & _UNAVAILABLE
            if bad:
                raise RuleError(
                    f"pattern {i + 1} uses {', '.join(sorted(bad))}, which needs a trained "
                    "pipeline; use LOWER, LEMMA/NORM, REGEX or IS_* attributes",
                    subpath=("patterns", i),
                )
            try:
                ctx.bank.add_patterns(self.key, [pattern])
            except (ValueError, KeyError, TypeError) as exc:
                # spaCy's message names our internal key and pattern 0; keep only the problem.
                detail = " ".join(str(exc).split())
                detail = detail.split("Pattern 0:", 1)[-1].strip(" -")
                raise RuleError(f"invalid spaCy pattern {i + 1}: {detail}", subpath=("patterns", i)) from None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any]) -> bool:
        return any(_used_attrs(p) & {"LEMMA", "NORM"} for p in spec.get("patterns", []))

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        return self.token_spans_to_chars(view, view.matches.get(self.key, ()))
