"""``kind: reply`` — a condition across turns: the other side said X, and the reply does (not) Y.

.. code-block:: yaml

    - kind: reply
      to:      [detectors]   # the customer's block of turns matches one of these (omit: any block)
      lacks:   [detectors]   # flag the reply when none of these match anywhere in the reply block
      has:     [detectors]   # flag what these match in the reply block
      overlap: none          # flag the reply when it shares no content word with the trigger turn
      max_gap: {default: 4h, chat: 5m}   # flag a reply that came later than this, by channel

The reply block is every turn of the rule's speakers until the customer speaks again, so a reply
split over several messages ("1/2", "2/2") is judged as a whole; the first in-scope turn of the
block carries the finding.

``max_gap`` measures the wait from the first timed turn of the customer's block to the first
reply (turn times: see ``views/times.py``); conversations without times are skipped. The limits
usually live in the rule's ``options: {max_gap: {...}}``, where a team overrides them per
channel in configuration, and the finding says how long the customer waited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import NESTED_LIST, CompileContext, Hit, Kind, Problem, any_match, nested_lists
from cslint.engine.views import ConversationView, TurnView, replied_chain, sentence_span
from cslint.engine.views.times import format_duration, gap_seconds, parse_duration, parse_time
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
            # Checked by validate_spec (parse_duration), which says what a duration looks like.
            "max_gap": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        }
    )
    #: ``max_gap`` per channel, merged over the detector's own.
    option_properties = MappingProxyType({"max_gap": {"type": "object", "additionalProperties": {"type": "string"}}})

    @classmethod
    def nested_specs(cls, spec: dict[str, Any]) -> list[tuple[tuple, dict[str, Any]]]:
        return nested_lists(spec, "to", "lacks", "has")

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]) -> Problem | str | None:
        if not any(key in spec for key in ("lacks", "has", "overlap", "max_gap")):
            return "a reply detector needs 'lacks', 'has', 'overlap' or 'max_gap' to say what is wrong with the reply"
        return duration_problem(spec.get("max_gap"))

    @classmethod
    def validate_options(cls, options: Mapping[str, Any]) -> Problem | None:
        return duration_problem(options.get("max_gap"))

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any], kinds: Mapping[str, type[Kind]]) -> bool:
        return "overlap" in spec or super().uses_lemmas(spec, kinds)

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        self.to = ctx.compile(spec.get("to") or [])
        self.lacks = ctx.compile(spec.get("lacks") or [])
        self.has = ctx.compile(spec.get("has") or [], on_rule_turns=True)  # read on in-scope replies only
        self.overlap = spec.get("overlap")
        self.trigger_speakers = tuple(spec.get("from", ["customer"]))
        # The rule's options (the team's overrides) over the detector's own limits.
        limits = {**(spec.get("max_gap") or {}), **(ctx.options.get("max_gap") or {})}
        parsed = {channel: parse_duration(value) for channel, value in limits.items()}
        self.max_gaps: dict[str, int] = {k: v for k, v in parsed.items() if v is not None}

    def preload(self) -> None:
        for detector in (*self.to, *self.lacks, *self.has):
            detector.preload()

    def gap_limit(self, channel: str | None) -> tuple[str, int] | None:
        """(channel named in the message, seconds) of the wait allowed in ``channel``."""
        if channel and channel in self.max_gaps:
            return channel, self.max_gaps[channel]
        if "default" in self.max_gaps:
            return channel or "default", self.max_gaps["default"]
        return None

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        views = conv.analysed()
        limit = self.gap_limit(conv.conversation.channel)
        # A reply-threaded conversation's branches interleave in time: the turns before a
        # reply may be another customer's, or a brand's post the customer answered. Each reply
        # is then timed from the message it answers in the thread.
        if limit is not None and any(turn.reply_to is not None for turn in conv.conversation.turns):
            yield from self._late_in_thread(conv, in_scope, limit)
            limit = None
        for exchange in conv.exchanges(self.trigger_speakers):
            replies = [i for i in exchange.reply if in_scope[i] and i in views]
            if not replies:
                continue
            # What the reply has first: it is cheap to ask (the nested detectors' triggers skip
            # most replies), and when it is the only question, an exchange whose reply has none
            # of it needs no look at the customer's turns (`to` may judge their mood).
            found = [(i, span) for i in replies for span in any_match(self.has, views[i])] if self.has else []
            if not (found or self.lacks or self.overlap or limit is not None):
                continue
            triggers = [i for i in exchange.trigger if i in views]
            if self.to:
                triggers = [i for i in triggers if any_match(self.to, views[i])]
                if not triggers:
                    continue
            block = [views[i] for i in exchange.reply if i in views]
            for i, (start, end) in found:
                yield Hit(i, start, end)
            if self.lacks and not any(any_match(self.lacks, view) for view in block):
                yield Hit(replies[0], *sentence_span(views[replies[0]]))
            if self.overlap == "none" and triggers:
                asked = set().union(*(content_lemmas(views[i]) for i in triggers))
                answered = set().union(*(content_lemmas(view) for view in block))
                if asked and not asked & answered:
                    yield Hit(replies[0], *sentence_span(views[replies[0]]))
            if limit is not None:
                yield from self._late(conv, exchange.trigger, replies[0], limit)

    def _late_in_thread(self, conv: ConversationView, in_scope: list[bool], limit: tuple[str, int]) -> Iterable[Hit]:
        """Each message's first reply, if it came later than the limit after that message
        (or after the first of the posts its author continued): ``replied_chain``."""
        views = conv.analysed()
        answered: set[int] = set()
        for i, turn in enumerate(conv.conversation.turns):
            if not in_scope[i] or i not in views or turn.speaker in self.trigger_speakers:
                continue
            asked_in = replied_chain(conv.conversation, i, self.trigger_speakers)
            if not asked_in or asked_in[-1] in answered:
                continue  # not an answer to anyone, or not the first answer to them
            answered.add(asked_in[-1])
            yield from self._late(conv, asked_in, i, limit)

    def _late(self, conv: ConversationView, asked_in: list[int], reply: int, limit: tuple[str, int]) -> Iterable[Hit]:
        """The reply, if the customer waited longer than the limit for it."""
        turns = conv.conversation.turns
        asked = next((parse_time(turns[i].time) for i in asked_in if parse_time(turns[i].time)), None)
        answered = parse_time(turns[reply].time)
        if asked is None or answered is None:
            return
        gap = gap_seconds(asked, answered)
        channel, max_gap = limit
        if gap is not None and gap > max_gap:
            message = f"The customer waited {format_duration(gap)} for this reply (target for {channel}: {format_duration(max_gap)})."
            yield Hit(reply, *sentence_span(conv.analysed()[reply]), message)


def duration_problem(limits: Any) -> Problem | None:
    """The first limit of a ``max_gap`` mapping that is not a duration."""
    for channel, value in (limits or {}).items():
        if parse_duration(value) is None:
            return f"max_gap.{channel}: {value!r} is not a duration such as 90s, 5m, 1h30m or 2d", ("max_gap", channel)
    return None
