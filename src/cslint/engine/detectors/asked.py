"""``kind: customer-asked`` (only for ``unless``): what the customer asked decides the match.

.. code-block:: yaml

    unless:
      - kind: customer-asked     # the customer asked how to reach a person: the phone line is the answer
        patterns: ['\\b(talk|speak) to (a|an) (person|human|agent)\\b']

A match is cancelled when the customer's message that the reply answers — the block of
customer turns just before the agent's reply block, bots and system events skipped — matches
one of ``patterns`` (RE2, case-insensitive unless ``ignore_case: false``). Pointing a customer
to the phone line is the runaround when they asked why their parcel is late, and the answer
when they asked for the phone number.
"""

from __future__ import annotations

from typing import Any

from cslint.engine.detectors.base import CompileContext, register
from cslint.engine.detectors.context import ContextException
from cslint.engine.detectors.regex import RegexDetector, compile_re2
from cslint.model import Conversation

#: Turns that neither belong to the customer's message nor end it.
_PASSING = ("bot", "system")


def answered_turns(conversation: Conversation, ti: int) -> list[int]:
    """The customer turns that turn ``ti`` answers: walking back over the rest of the reply
    block (other agent turns, bots, system events), then every consecutive customer turn."""
    turns = conversation.turns
    index = ti - 1
    while index >= 0 and turns[index].speaker != "customer":
        index -= 1
    asked = []
    while index >= 0 and (turns[index].speaker == "customer" or turns[index].speaker in _PASSING):
        if turns[index].speaker == "customer":
            asked.append(index)
        index -= 1
    return asked[::-1]


@register
class CustomerAsked(ContextException):
    kind = "customer-asked"
    #: The keys of a regex detector: the same RE2 patterns, run on the customer's message.
    properties = RegexDetector.properties
    required = RegexDetector.required
    validate_spec = RegexDetector.validate_spec

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        ignore_case = spec.get("ignore_case", True)
        self.compiled = [compile_re2(p, ignore_case) for p in spec["patterns"]]

    def cancels(self, conversation: Conversation, ti: int, matched: str) -> bool:
        return any(
            regex.search(conversation.turns[i].text)
            for i in answered_turns(conversation, ti)
            for regex in self.compiled
        )
