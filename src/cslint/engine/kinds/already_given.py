"""``kind: already-given`` — the agent asks for a value the customer already gave.

.. code-block:: yaml

    - kind: already-given
      values:
        - type: order-number     # a built-in value type (below): its given and asked shapes
        - type: phone-number
          asked: [detectors]     # more ways to ask for it (optional)
        - name: loyalty number   # a value of your own
          given: ['(?i)\\bmember\\s*(?:no\\.?|number|#)?\\s*\\d{6,}']   # RE2, in customer turns
          asked: [detectors]     # a request for it in an agent turn

A value counts as given once any earlier customer turn matches one of ``given``; from then on
any request for it (``asked``) in an in-scope turn is flagged.

Built-in types (``cslint.valuetypes``, the same definitions the learned model's features use):
``order-number``, ``account-number``, ``flight-number``, ``seat``, ``phone-number``,
``email-address``. Each value a customer gives gets one type from the words next to it, and a
request counts only for a value of its own type: an order number given is not a phone number
given ("order 405-6829914-837231" is not a phone), and asking for "your number" after a phone
number is asking again. A built-in type is asked for when an agent sentence that asks (a
request or a question) names it ("could you send your order number", "what is the booking
reference?", "may we have your number").
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind, any_match
from cslint.engine.matching import compile_re2
from cslint.engine.views import ConversationView
from cslint.errors import RuleError
from cslint.valuetypes import VALUE_TYPES, asked_spans, given_types


class AlreadyGivenKind(Kind):
    kind = "already-given"
    conversational = True
    properties = MappingProxyType(
        {
            "values": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"enum": sorted(VALUE_TYPES)},
                        "name": {"type": "string", "minLength": 1},
                        "given": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                        "asked": {"type": "array", "minItems": 1, "items": {"type": "object"}},
                    },
                    # Either a built-in ``type`` or a value of your own: name, given and asked.
                    "anyOf": [{"required": ["type"]}, {"required": ["name", "given", "asked"]}],
                    "additionalProperties": False,
                },
            },
            "from": {"type": "array", "items": {"type": "string"}},
        }
    )
    required = ("values",)

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return [
            (("values", v, "asked", i), sub)
            for v, value in enumerate(spec.get("values") or [])
            if isinstance(value, dict)
            for i, sub in enumerate(value.get("asked") or [])
        ]

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        for v, value in enumerate(spec["values"]):
            for g, pattern in enumerate(value.get("given", [])):
                try:
                    compile_re2(pattern, ignore_case=False)
                except RuleError as exc:
                    return exc.message, ("values", v, "given", g)
        return None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.givers = tuple(spec.get("from", ["customer"]))
        #: (key, name, given RE2 patterns, asked detectors, built-in type or None)
        self.values = [
            (
                f"{v}:{value.get('type') or value['name']}",
                value.get("name") or VALUE_TYPES[value["type"]].label,
                [compile_re2(p, ignore_case=False) for p in value.get("given", [])],
                ctx.compile(value.get("asked", []), on_rule_turns=True),  # read on in-scope turns only
                value.get("type"),
            )
            for v, value in enumerate(spec["values"])
        ]

    def preload(self) -> None:
        for _key, _name, _given, asked, _type in self.values:
            for detector in asked:
                detector.preload()

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        conversation, views = conv.conversation, conv.turns
        given: dict[str, int] = {}
        for i, turn in enumerate(conversation.turns):
            view = views[i]
            if view is None:
                continue
            if in_scope[i]:
                typed = None
                for key, name, _patterns, asked, value_type in self.values:
                    if key not in given:
                        continue
                    spans = any_match(asked, view)
                    if value_type is not None:
                        if typed is None:
                            typed = asked_spans(view.text)
                        spans += [(start, end) for start, end, t in typed if t == value_type]
                    for start, end in spans:
                        message = f"Asks for the {name} the customer already gave in turn {given[key]}."
                        yield Hit(i, start, end, self.message or message)
            if turn.speaker in self.givers:
                types = None
                for key, _name, patterns, _asked, value_type in self.values:
                    if key in given:
                        continue
                    if value_type is not None and types is None:
                        types = given_types(turn.text)
                    if (types is not None and value_type in types) or any(p.search(turn.text) for p in patterns):
                        given[key] = i
