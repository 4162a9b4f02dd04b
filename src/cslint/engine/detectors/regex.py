"""``kind: regex`` — regular expressions run by RE2, which runs in linear time.

A user's pathological pattern such as ``(a+)+$`` cannot hang a run: RE2 has no backtracking.
The price is that look-arounds and back-references are not supported; a pattern that uses
them is reported at load time with the rule file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cslint.engine.detectors.base import CharSpan, CompileContext, Detector, TurnView, register
from cslint.errors import RuleError, shown

#: Longer regular expressions are refused: nobody writes one by hand, and a generated
#: alternation of a dictionary belongs in a ``phrases`` list.
MAX_REGEX_CHARS = 5_000


def compile_re2(pattern: str, ignore_case: bool = True):
    import re2

    if len(pattern) > MAX_REGEX_CHARS:
        raise RuleError(
            f"regular expression of {len(pattern):,} characters ({shown(pattern, 40)}); at most {MAX_REGEX_CHARS:,} are allowed: use a 'phrases' list for long lists of words"
        )
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise RuleError(
            f"invalid regular expression {shown(pattern)}: {detail} (RE2 syntax: no look-arounds or back-references)"
        ) from None


@register
class RegexDetector(Detector):
    kind = "regex"
    properties = {
        "patterns": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "ignore_case": {"type": "boolean"},
    }
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
        ignore_case = spec.get("ignore_case", True)
        self.compiled = [compile_re2(p, ignore_case) for p in spec["patterns"]]
        self.regexes = ctx.bank.regexes
        self.ids = [self.regexes.add(regex) for regex in self.compiled]
        self.id_set = frozenset(self.ids)

    def may_find(self, view: TurnView) -> bool:
        return not self.id_set.isdisjoint(view.regexes_matching(self.regexes))

    def triggers(self) -> tuple[frozenset[str], frozenset[int]]:
        return frozenset(), self.id_set

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        text = view.text
        spans = []
        # Only the patterns that occur in the turn (one pass over it for all rules' patterns).
        present = view.regexes_matching(self.regexes)
        for ident, regex in zip(self.ids, self.compiled):
            if ident not in present:
                continue
            for match in regex.finditer(text):
                start, end = match.span()
                if end <= start:
                    continue
                if self.at != "anywhere":
                    span = view.doc.char_span(start, end, alignment_mode="expand")
                    if span is None or not self.keep_position(view, span.start, span.end):
                        continue
                spans.append((start, end))
        return spans
