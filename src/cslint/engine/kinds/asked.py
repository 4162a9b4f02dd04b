"""``kind: customer-asked`` (only for ``unless``): what the customer asked decides the match.

.. code-block:: yaml

    unless:
      - kind: customer-asked     # the customer asked how to reach a person: the phone line is the answer
        asked: [reach-someone, contact-details]
      - kind: customer-asked     # or a rule's own question, as RE2 patterns
        patterns: ['\\bwhere is (the|your) (shop|store)\\b']
      - kind: customer-asked     # only on some channels: a post that tags nobody, on social media
        channels: [social]
        patterns: ['\\A[^@]*\\z']

A match is cancelled when the customer's message that the reply answers — the block of
customer turns just before the agent's reply block, bots and system events skipped — asks one
of the ``asked`` question classes (``QUESTION_CLASSES`` below) or matches one of ``patterns``
(RE2, case-insensitive unless ``ignore_case: false``), in conversations on one of
``channels`` when the rule lists them. In a reply-threaded conversation (tweets with
``in_response_to``) the message is the one the reply answers in the thread. Pointing a
customer to the phone line is the runaround when they asked why their parcel is late, and the
answer when they asked for the phone number.

Question classes:

- ``reach-someone``: how to reach a person or a team ("how can I talk to an agent?", "can I
  speak to a real person", "I need to contact customer service", "what's the best way to
  contact a live person?", or a message that is only the request: "getting in touch with
  customer support"); not a request to be called back ("can someone call me?"): sending them to
  the phone line does not answer that.
- ``contact-details``: a phone number, e-mail, address, opening hours or another channel
  ("what is your phone number?", "do you have a support e-mail?", "what hours is customer
  service available?", "do you have a chat feature?").
- ``leave-feedback``: where to leave feedback or a complaint ("where do I leave a review?",
  "would it be possible to leave feedback?", "do you have a method to leave feedback?").
- ``where-to``: where to go to do something ("where can I order a copy?", "where do I report a
  registration error?", "where is the claim form?"), or where or how to tell the company about
  a problem ("where do I notify of problems with payments?", "I don't know how I can report
  it"): the place is the answer.

A customer who only says they could not get through ("I can't reach customer service!") asks
none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from cslint.engine.kinds.base import CompileContext
from cslint.engine.kinds.context import ConversationCondition
from cslint.engine.kinds.match import RegexKind
from cslint.engine.matching import compile_re2
from cslint.engine.views import ConversationView, replied_chain
from cslint.engine.views.conversation import TRANSPARENT
from cslint.model import Conversation

#: The named questions a rule lists in ``asked:``. They are data, but kept here rather than in
#: a shared rule file because they are part of what this kind means (the class names are its
#: schema, validated with the kind and documented in its docstring above); rules stay files
#: of their own, naming a class instead of copying its patterns, and add theirs with ``patterns:``.
QUESTION_CLASSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "reach-someone": (
            r"\b(how|where|who) (do|can|should|would|could|will) (i|we) (contact|call|reach|speak|talk|email|e-mail|write to|message|get in touch|get hold)",
            r"\b(speak|talk|chat) (to|with) (a|an|someone|somebody|a real|a human|a live|an actual|customer service|your)\b",
            r"\b(how|where|when|what time|want|wanna|need|would like|help|assist\w*|can i|can we|can you|could i|could you|may i|is there|do you have|give me|send me|let me|connect me|put me)\b[^.!?\n]{0,30}?\b(contact|reach|call|phone|email|e-mail|talk|speak|chat|get in touch|get through|get hold|connect|transfer)(s|es|ed|ing)?\b[^.!?\n]{0,30}?\b(someone|somebody|anyone|person|human|agent|operator|representative|rep|advisor|adviser|supervisor|manager|customer (service|support|care|assistance|services)|support|team|department|helpline|hotline|live chat)\b",
            r"\b(best|quickest|fastest|easiest|right|other|another) (way|place|number|channel) to (contact|reach|call|get in touch|get hold|speak|talk|chat|write)",
            # A message that is itself the request, as typed into a chat box or a search field:
            # "getting in touch with customer support", "contact a human agent".
            r"^(\s*@\w+)*[\s,]*(please\s+)?(getting|get|contacting|contact|reaching|reach|calling|call|speaking|speak|talking|talk|chatting|chat)\s+(in touch\s+|hold\s+|through\s+)?((with|to|of)\s+)?(a|an|the|your|some|any)?\s*(live\s+|real\s+|human\s+)?(someone|somebody|anyone|person|human|agent|operator|representative|rep|advisor|adviser|supervisor|manager|customer (service|support|care|assistance|services)|support|team|helpline|hotline)\b[^.!?\n]{0,30}[.!?\s]*$",
        ),
        "contact-details": (
            r"\b(what|what's|whats|what is) (is )?(the|your|a) ((phone|contact|customer service|customer support|support|helpline) )?(number|email|e-mail|address)\b",
            r"\b(is there|do you have|can i get|can you give me|i need) (a|an|the|your) ((phone|contact|customer service|support|helpline) )?(number|email|e-mail|address|contact)",
            # another channel to the same team: "do you have a chat feature?", "is there live chat?"
            r"\b(is there|do you have|do you offer|can i use) (a |an |any )?(live |online |web )?(chat|phone support|phone line|hotline|helpline|email support)\b",
            r"\b(what|which)(\s+is|['’]s)\s+(your|the)\b[^.!?\n]{0,25}\b(number|e-?mail|email address|address|hours|opening times)\b",
            r"\b(do you have|is there|give me|send me|need|want)\b[^.!?\n]{0,15}\b(phone|telephone|contact|helpline|support)\s+(number|no|details|e-?mail)\b",
            r"\b(what|which) (time|times|hours|days)\b[^.!?\n]{0,40}\b(customer (service|support|care)|support|helpline|hotline|team|you|they) (is |are )?(open|available|reachable)\b",
            r"\b(customer (service|support|care)|support|helpline|hotline)\b[^.!?\n]{0,20}\b(hours|opening times|open|available)\b[^.!?\n]{0,20}\?",
            # the customer looked for a way in and found none: "I can't find any email address to
            # you guys", "couldn't find a number to call"
            r"\b(can['’]?t|cannot|don['’]?t|do not|couldn['’]?t|could not|unable to) (find|see|locate)\b[^.!?\n]{0,20}?\b(a|an|any|the|your)\s+((phone|contact|support|customer service|help) )?(number|e-?mail|address|adress|contact|form|way to (contact|reach|send|write))\b",
        ),
        "leave-feedback": (
            r"\b(how|where|want|wanna|need|would like|help|possible|able|way|method|option|means|form|can i|could i|may i)\b[^.!?\n]{0,30}?\b(leave|give|submit|send|post|lodge|file|make|write|raise)\s+(a |an |my |some |any )?(feedback|review|complaint|comment|opinion|suggestion)s?\b",
        ),
        "where-to": (
            r"\bwhere (can|do|should|could|would|may|might|must) (i|we|one|you) (go to |go and )?(\w+ ){0,2}?(order|buy|purchase|find|get|report|submit|send|file|leave|apply|register|sign up|download|track|pay|return|book|cancel|renew|redeem|claim|complain|collect|pick up)\b",
            r"\bwhere (is|are) (the|your) (\w+ )?(form|page|link|portal|website|site|store|shop|branch|office|desk)\b",
            # where, or how, to tell the company about a problem: the channel is the answer
            # ("where do I notify of problems with payments", "I don't know how I can report it").
            r"\b(where|how) ((can|do|should|could|would|may|might|must) (i|we|one)|(i|we) (can|could|should|would|may|might|must|do)|to) (go about |go to |go and )?(report|notify|inform|flag|let (you|someone|somebody|them) know)\b",
        ),
    }
)


def answered_turns(conversation: Conversation, ti: int) -> list[int]:
    """The customer turns that turn ``ti`` answers: walking back over the rest of the reply
    block (other agent turns, bots, system events), then every consecutive customer turn. In a
    reply-threaded conversation, the customer's message it replies to and the posts that
    message continued (``replied_chain``), wherever the thread's other branches put them."""
    turns = conversation.turns
    if turns[ti].reply_to is not None:
        return replied_chain(conversation, ti, ("customer",))
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
    #: The keys of a regex detector (the same RE2 patterns, run on the customer's message),
    #: plus the named question classes; at least one of ``asked`` and ``patterns``.
    properties: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            **RegexKind.properties,
            "asked": {"type": "array", "minItems": 1, "items": {"enum": list(QUESTION_CLASSES)}},
            "channels": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        }
    )

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> str | None:
        if "asked" not in spec and "patterns" not in spec:
            return "kind 'customer-asked' needs 'asked' (question classes) or 'patterns' (RE2)"
        return RegexKind.validate_spec(spec) if "patterns" in spec else None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        ignore_case = spec.get("ignore_case", True)
        patterns = [p for name in spec.get("asked", []) for p in QUESTION_CLASSES[name]]
        patterns += spec.get("patterns", [])
        # Compiled here, not registered with the matching service: these run on the
        # customer's turns the reply answers, not on the turn being linted.
        self.compiled = [compile_re2(p, ignore_case) for p in patterns]
        #: Only conversations on these channels; None: every conversation.
        self.channels: frozenset[str] | None = frozenset(spec["channels"]) if "channels" in spec else None

    def cancels(self, conversation: ConversationView, ti: int, matched: str) -> bool:
        conv = conversation.conversation
        if self.channels is not None and conv.channel not in self.channels:
            return False
        return any(regex.search(conv.turns[i].text) for i in answered_turns(conv, ti) for regex in self.compiled)
