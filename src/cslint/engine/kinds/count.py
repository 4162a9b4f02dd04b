"""``kind: count`` — something happens too often in one conversation (e.g. hand-offs).

.. code-block:: yaml

    - kind: count
      of: [detectors]   # what to count, in the rule's in-scope turns
      min: 3            # flag from the third occurrence on
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import NESTED_LIST, CompileContext, Hit, Kind, any_match, nested_lists
from cslint.engine.views import ConversationView


class CountKind(Kind):
    kind = "count"
    conversational = True
    properties = MappingProxyType({"of": NESTED_LIST, "min": {"type": "integer", "minimum": 2}})
    required = ("of", "min")

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "of")

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.of = ctx.compile(spec["of"])
        self.min = spec["min"]

    def message_fields(self) -> dict[str, object]:
        return {"min": self.min}

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        views = conv.turns
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
                yield Hit(
                    i, spans[0][0], spans[0][1], f"Occurrence {seen} in this conversation (limit {self.min - 1})."
                )
