"""Exception kinds that look beyond the turn: only for ``unless``.

.. code-block:: yaml

    unless:
      - kind: said-before        # the customer used these words first: fine to use them back
        speakers: [customer]
      - kind: defined            # spelled out in the conversation: "RMA (return authorisation)"
      - kind: accepted-term      # in the team's accepted vocabulary (configuration)

Each cancels a match by looking at the matched words and the conversation so far.
"""

from __future__ import annotations

import re
from typing import Any

from cslint.engine.detectors import definitions
from cslint.engine.detectors.base import CompileContext, Detector, TurnView, register
from cslint.model import SPEAKERS, Conversation


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _contains_words(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def is_defined(conversation: Conversation, upto: int, term: str) -> bool:
    """Whether ``term`` is spelled out next to a use of it in turns up to ``upto``:
    "RMA (return authorisation)" or "return authorisation (RMA)"."""
    return definitions.is_defined(conversation, upto, term)


class ContextException(Detector):
    """Base of the exception-only kinds: ``cancels`` decides for one match."""

    contextual = True

    def find(self, view: TurnView):  # never used as a detector
        return []

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        raise NotImplementedError


@register
class SaidBefore(ContextException):
    kind = "said-before"
    properties = {"speakers": {"type": "array", "minItems": 1, "items": {"enum": list(SPEAKERS)}}}

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.speakers = tuple(spec.get("speakers", ["customer"]))

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        return definitions.said_before(conversation, ti, matched, self.speakers)


@register
class Defined(ContextException):
    kind = "defined"

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        return is_defined(conversation, ti, matched.strip())


@register
class AcceptedTerm(ContextException):
    kind = "accepted-term"

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.accepted = [_norm(t) for t in getattr(ctx.vocabulary, "accept", ())]

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        text = _norm(matched)
        return any(term == text or _contains_words(text, term) for term in self.accepted)
