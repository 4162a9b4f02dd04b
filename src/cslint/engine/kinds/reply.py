"""``kind: reply`` — a condition across turns: the other side said X, and the reply does (not) Y.

.. code-block:: yaml

    - kind: reply
      to:      [detectors]   # the customer's block of turns matches one of these (omit: any block)
      lacks:   [detectors]   # flag the reply when none of these match anywhere in the reply block
      has:     [detectors]   # flag what these match in the reply block
      overlap: none          # flag the reply when it shares no content word with the trigger turn

The reply block is every turn of the rule's speakers until the customer speaks again, so a reply
split over several messages ("1/2", "2/2") is judged as a whole; the first in-scope turn of the
block carries the finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import NESTED_LIST, CompileContext, Hit, Kind, any_match, nested_lists
from cslint.engine.views import ConversationView, TurnView, sentence_span
from cslint.model import SPEAKERS


def content_lemmas(view: TurnView) -> set[str]:
    return {t.lemma_ for t in view.doc if t.is_alpha and not t.is_stop and len(t) > 2}


class ReplyKind(Kind):
    kind = "reply"
    conversational = True
    properties = MappingProxyType(
        {
            "to": NESTED_LIST,
            "lacks": NESTED_LIST,
            "has": NESTED_LIST,
            "overlap": {"enum": ["none"]},
            "from": {"type": "array", "minItems": 1, "items": {"enum": list(SPEAKERS)}},
        }
    )

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "to", "lacks", "has")

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> str | None:
        if not any(key in spec for key in ("lacks", "has", "overlap")):
            return "a reply detector needs 'lacks', 'has' or 'overlap' to say what is wrong with the reply"
        return None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any], kinds: Mapping[str, type[Kind]]) -> bool:
        return "overlap" in spec or super().uses_lemmas(spec, kinds)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.to = ctx.compile(spec.get("to") or [])
        self.lacks = ctx.compile(spec.get("lacks") or [])
        self.has = ctx.compile(spec.get("has") or [])
        self.overlap = spec.get("overlap")
        self.trigger_speakers = tuple(spec.get("from", ["customer"]))

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        views = conv.analysed()
        for exchange in conv.exchanges(self.trigger_speakers):
            replies = [i for i in exchange.reply if in_scope[i] and i in views]
            if not replies:
                continue
            triggers = [i for i in exchange.trigger if i in views]
            if self.to:
                triggers = [i for i in triggers if any_match(self.to, views[i])]
                if not triggers:
                    continue
            block = [views[i] for i in exchange.reply if i in views]
            if self.has:
                for i in replies:
                    for start, end in any_match(self.has, views[i]):
                        yield Hit(i, start, end)
            if self.lacks and not any(any_match(self.lacks, view) for view in block):
                yield Hit(replies[0], *sentence_span(views[replies[0]]))
            if self.overlap == "none" and triggers:
                asked = set().union(*(content_lemmas(views[i]) for i in triggers))
                answered = set().union(*(content_lemmas(view) for view in block))
                if asked and not asked & answered:
                    yield Hit(replies[0], *sentence_span(views[replies[0]]))
