"""Exception kinds that judge a match against the conversation so far: only for ``unless``.

.. code-block:: yaml

    unless:
      - kind: said-before        # the customer used these words first: fine to use them back
        speakers: [customer]
      - kind: defined            # spelled out in the conversation: "RMA (return authorisation)",
                                 # or an acronym's words anywhere before: "battery backup unit" ... "BBU"
      - kind: accepted-term      # in the team's accepted vocabulary (configuration)

Each asks the conversation view one question about the matched words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.base import CompileContext, Kind
from cslint.engine.views import CharSpan, ConversationView, TurnView, normalised
from cslint.model import SPEAKERS


def _contains_words(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


class ConversationCondition(Kind):
    """Base of the exception-only kinds: ``cancels`` decides for one match."""

    contextual = True

    def find(self, view: TurnView) -> Iterable[CharSpan]:  # never used as a detector
        return []

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        raise NotImplementedError


class SaidBefore(ConversationCondition):
    kind = "said-before"
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {"speakers": {"type": "array", "minItems": 1, "items": {"enum": list(SPEAKERS)}}}
    )

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.speakers = tuple(spec.get("speakers", ["customer"]))

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        return conversation.said_before(ti, matched, self.speakers)


class Defined(ConversationCondition):
    kind = "defined"

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        return conversation.is_defined(ti, matched.strip())


class AcceptedTerm(ConversationCondition):
    kind = "accepted-term"

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.accepted = [normalised(t) for t in getattr(ctx.vocabulary, "accept", ())]

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        text = normalised(matched)
        return any(term == text or _contains_words(text, term) for term in self.accepted)


#: The exception-only kinds.
CONDITION_KINDS: tuple[type[Kind], ...] = (SaidBefore, Defined, AcceptedTerm)
