"""``kind: absence`` — something a turn should contain is missing (e.g. a concrete next step).

.. code-block:: yaml

    - kind: absence
      of: [detectors]      # flag the turn when none of these match in it
      flag: last-sentence  # which part carries the finding: first-sentence | last-sentence | turn
      turn: last           # usually combined with a position: the final agent turn
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import NESTED_LIST, CompileContext, Kind, any_match, nested_lists
from cslint.engine.views import CharSpan, TurnView, content_span, has_words, sentence_span


class AbsenceKind(Kind):
    kind = "absence"
    properties = MappingProxyType({"of": NESTED_LIST, "flag": {"enum": ["first-sentence", "last-sentence", "turn"]}})
    required = ("of",)

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "of")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.of = ctx.compile(spec["of"])
        self.flag = spec.get("flag", "last-sentence")

    def preload(self) -> None:
        for detector in self.of:
            detector.preload()

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        first, last = view.content_bounds()
        # A reply of only emoji or symbols ("🙏", "👍") is a reaction: nothing is missing from it.
        if first >= last or not has_words(view.doc[first:last]) or any_match(self.of, view):
            return []
        if self.flag == "turn":
            return [content_span(view)]
        return [sentence_span(view, "first" if self.flag == "first-sentence" else "last")]
