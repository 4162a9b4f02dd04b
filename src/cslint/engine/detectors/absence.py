"""``kind: absence`` — something a turn should contain is missing (e.g. a concrete next step).

.. code-block:: yaml

    - kind: absence
      of: [detectors]      # flag the turn when none of these match in it
      flag: last-sentence  # which part carries the finding: first-sentence | last-sentence | turn
      turn: last           # usually combined with a position: the final agent turn
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cslint.engine.detectors.base import (
    NESTED_LIST,
    CompileContext,
    Detector,
    TurnView,
    any_match,
    compile_nested,
    content_span,
    nested_lists,
    register,
    sentence_span,
)


@register
class AbsenceDetector(Detector):
    kind = "absence"
    properties = {"of": NESTED_LIST, "flag": {"enum": ["first-sentence", "last-sentence", "turn"]}}
    required = ("of",)

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "of")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.of = compile_nested(spec["of"], ctx, "of")
        self.flag = spec.get("flag", "last-sentence")

    def find(self, view: TurnView) -> Iterable[tuple[int, int]]:
        first, last = view.content_bounds()
        if first >= last or any_match(self.of, view):
            return []
        if self.flag == "turn":
            return [content_span(view)]
        return [sentence_span(view, "first" if self.flag == "first-sentence" else "last")]
