"""``kind: already-given`` — the agent asks for a value the customer already gave.

.. code-block:: yaml

    - kind: already-given
      values:
        - name: order number
          given: ['(?i)\\border\\s*(?:no\\.?|number|#)?\\s*#?\\d{5,}']   # RE2, in customer turns
          asked: [detectors]     # a request for it in an agent turn

A value counts as given once any earlier customer turn matches one of ``given``; from then on
any request for it (``asked``) in an in-scope turn is flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind, any_match
from cslint.engine.matching import compile_re2
from cslint.engine.views import ConversationView
from cslint.errors import RuleError


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
                        "name": {"type": "string", "minLength": 1},
                        "given": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                        "asked": {"type": "array", "minItems": 1, "items": {"type": "object"}},
                    },
                    "required": ["name", "given", "asked"],
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
            for g, pattern in enumerate(value["given"]):
                try:
                    compile_re2(pattern, ignore_case=False)
                except RuleError as exc:
                    return exc.message, ("values", v, "given", g)
        return None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.givers = tuple(spec.get("from", ["customer"]))
        self.values = [
            (
                value["name"],
                [compile_re2(p, ignore_case=False) for p in value["given"]],
                ctx.compile(value["asked"], on_rule_turns=True),  # read on in-scope turns only
            )
            for v, value in enumerate(spec["values"])
        ]

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        conversation, views = conv.conversation, conv.turns
        given: dict[str, int] = {}
        for i, turn in enumerate(conversation.turns):
            view = views[i]
            if view is None:
                continue
            if in_scope[i]:
                for name, _patterns, asked in self.values:
                    if name in given:
                        for start, end in any_match(asked, view):
                            message = f"Asks for the {name} the customer already gave in turn {given[name]}."
                            yield Hit(i, start, end, self.message or message)
            if turn.speaker in self.givers:
                for name, patterns, _asked in self.values:
                    if name not in given and any(p.search(turn.text) for p in patterns):
                        given[name] = i
