"""``kind: customer-asked`` (only under ``unless``) — the customer's latest message asked for
exactly what the match gives.

.. code-block:: yaml

    unless:
      - kind: customer-asked      # "how do I contact you?" answered with the phone number
        patterns: ["\\\\bhow (do|can) i (contact|call|reach)\\\\b"]

A reply that gives a phone number, a link or another channel is an answer, not a runaround
or a brush-off, when the customer asked how to reach someone. "Latest" is every customer
message since the agent last spoke (RE2, case-insensitive).
"""

from __future__ import annotations

from typing import Any

from cslint.engine.detectors.base import CompileContext, register
from cslint.engine.detectors.context import ContextException
from cslint.engine.detectors.regex import compile_re2
from cslint.errors import RuleError
from cslint.model import Conversation


def latest_customer_text(conversation: Conversation, ti: int) -> str:
    """The customer's messages between the agent's previous turn and turn ``ti``."""
    said = []
    for turn in reversed(conversation.turns[:ti]):
        if turn.speaker == "agent":
            break
        if turn.speaker == "customer":
            said.append(turn.text)
    return "\n".join(reversed(said))


@register
class CustomerAsked(ContextException):
    kind = "customer-asked"
    properties = {"patterns": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}
    required = ("patterns",)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.patterns = []
        for i, pattern in enumerate(spec["patterns"]):
            try:
                self.patterns.append(compile_re2(pattern))
            except RuleError as exc:
                raise RuleError(exc.message, subpath=("patterns", i)) from None

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        said = latest_customer_text(conversation, ti)
        return bool(said) and any(p.search(said) for p in self.patterns)
