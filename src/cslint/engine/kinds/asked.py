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

from cslint.engine.kinds.base import CompileContext
from cslint.engine.kinds.context import ConversationCondition
from cslint.engine.kinds.match import RegexKind
from cslint.engine.matching import compile_re2
from cslint.engine.views import ConversationView
from cslint.engine.views.conversation import TRANSPARENT
from cslint.model import Conversation


def answered_turns(conversation: Conversation, ti: int) -> list[int]:
    """The customer turns that turn ``ti`` answers: walking back over the rest of the reply
    block (other agent turns, bots, system events), then every consecutive customer turn."""
    turns = conversation.turns
    index = ti - 1
    while index >= 0 and turns[index].speaker != "customer":
        index -= 1
    asked = []
    while index >= 0 and (turns[index].speaker == "customer" or turns[index].speaker in TRANSPARENT):
        if turns[index].speaker == "customer":
            asked.append(index)
        index -= 1
    return asked[::-1]


class CustomerAsked(ConversationCondition):
    kind = "customer-asked"
    #: The keys of a regex detector: the same RE2 patterns, run on the customer's message.
    properties = RegexKind.properties
    required = RegexKind.required
    validate_spec = RegexKind.validate_spec

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        ignore_case = spec.get("ignore_case", True)
        # Compiled here, not registered with the matching service: these run on the
        # customer's turns the reply answers, not on the turn being linted.
        self.compiled = [compile_re2(p, ignore_case) for p in spec["patterns"]]

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        conv = conversation.conversation
        return any(regex.search(conv.turns[i].text) for i in answered_turns(conv, ti) for regex in self.compiled)
