"""``kind: count`` — something happens too often in one conversation (e.g. hand-offs).

.. code-block:: yaml

    - kind: count
      of: [detectors]   # what to count, in the rule's in-scope turns
      min: 3            # flag from the third occurrence on
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
    nested_lists,
    register,
)
from cslint.model import Conversation


@register
class CountDetector(Detector):
    kind = "count"
    conversational = True
    properties = {"of": NESTED_LIST, "min": {"type": "integer", "minimum": 2}}
    required = ("of", "min")

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "of")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.of = compile_nested(spec["of"], ctx, "of")
        self.min = spec["min"]

    def find_in_conversation(
        self, conversation: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> Iterable[tuple[int, int, int, str]]:
        seen = 0
        for i, view in enumerate(views):
            if view is None or not in_scope[i]:
                continue
            # One count per turn: three phrasings of one hand-off in one message are one hand-off.
            spans = sorted(any_match(self.of, view))
            if not spans:
                continue
            seen += 1
            if seen >= self.min:
                yield i, spans[0][0], spans[0][1], f"Occurrence {seen} in this conversation (limit {self.min - 1})."
