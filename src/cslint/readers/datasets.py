"""Two conversation layouts found in public customer-service datasets, so they can be linted
as they are distributed:

* turns as ``[speaker, text]`` pairs under any key (ASAPP ABCD: ``"original": [["agent",
  "hi"], ["customer", "..."], ["action", "..."]]``; ``action`` rows are system events);
* IBM's Twitter customer-care dialogs: ``dialogContent`` turns keyed ``client``/``agent`` (the
  screen name) with ``message``, and the final agent reply in ``agentURL.url_utterance``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cslint.model import Conversation, normalize_speaker
from cslint.readers.base import ReadResult
from cslint.readers.ids import conversation_id
from cslint.readers.jsonshapes import ItemShape, JsonContext, register_shape, role_from_label, str_or_none

_EXTRA_ROLES = {"action": "system"}


def _pair_role(label: Any, ctx: JsonContext) -> str | None:
    if isinstance(label, str) and label.strip().lower() in _EXTRA_ROLES:
        return _EXTRA_ROLES[label.strip().lower()]
    return role_from_label(label, ctx.options)


def _pair_list_key(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    for key, value in obj.items():
        if (
            isinstance(value, list)
            and value
            and all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str)
                for p in value[:5]
            )
            and any(normalize_speaker(p[0]) for p in value[:5])
        ):
            return key
    return None


@register_shape
class PairTurnsShape(ItemShape):
    name = "speaker-text-pairs"
    description = "conversation with [speaker, text] turns"
    priority = 70
    wrapper_keys = ("conversations", "dialogs", "data")

    def matches_item(self, obj: Any) -> bool:
        return _pair_list_key(obj) is not None

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        key = _pair_list_key(obj)
        conv_id = conversation_id(obj) or ctx.derived_id(index)
        turns = []
        for i, (label, text) in enumerate(obj[key]):
            role = _pair_role(label, ctx)
            if role is None:
                yield ctx.error(
                    f"conversation {conv_id}: turn {i} has unknown speaker {label!r} (map it with --speaker LABEL=ROLE)"
                )
                continue
            turns.append(ctx.turn((key, i, 1), text, role, html=False, lintable=role in ("agent", "customer")))
        if turns:
            yield Conversation(id=conv_id, path=ctx.source.display, turns=turns, channel="chat")


@register_shape
class IbmDialogShape(ItemShape):
    name = "ibm-dialog"
    description = "IBM customer-care dialog"
    priority = 70

    def matches_item(self, obj: Any) -> bool:
        return isinstance(obj, dict) and isinstance(obj.get("dialogContent"), list)

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        header: dict = obj["dialogHeader"] if isinstance(obj.get("dialogHeader"), dict) else {}
        # The company answers: its name is the agent's where a turn names no one else.
        company = str_or_none(header.get("company"))
        turns = []
        for i, item in enumerate(obj["dialogContent"]):
            if not isinstance(item, dict) or not isinstance(item.get("message"), str):
                continue
            role = "agent" if "agent" in item else "customer"
            name = str_or_none(item.get("agent") or item.get("client")) or (company if role == "agent" else None)
            turns.append(
                ctx.turn(
                    ("dialogContent", i, "message"),
                    item["message"],
                    ctx.role_for(name) or role,
                    html=False,
                    name=name,
                    time=item.get("datetime"),
                )
            )
        final = obj.get("agentURL")
        if isinstance(final, dict) and isinstance(final.get("url_utterance"), str):
            turns.append(
                ctx.turn(("agentURL", "url_utterance"), final["url_utterance"], "agent", html=False, name=company)
            )
        if turns:
            yield Conversation(
                id=str_or_none(header.get("sessionID")) or ctx.derived_id(index),
                path=ctx.source.display,
                turns=turns,
                channel="social",
                meta={"company": header.get("company")},
            )
