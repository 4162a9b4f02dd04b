"""``kind: timing`` — the customer waited too long for a reply (from turn timestamps).

.. code-block:: yaml

    - kind: timing
      max_gap: {default: 1h, chat: 5m, email: 24h, twitter: 1h}

The wait starts at the first customer turn of a block and ends at the first in-scope reply.
Times are ISO 8601 (``2024-03-01T10:00:00Z``) or times of day (``10:02``, ``10:02:30``,
``3:15 PM``; a reply earlier than its message is taken to be the next day). Conversations
without times are skipped. ``options: {max_gap: {...}}`` in configuration overrides the limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.base import CompileContext, Hit, Kind
from cslint.engine.views import ConversationView, sentence_span
from cslint.errors import RuleError

# Each part starts with a digit and takes the spaces after it, so there is one way to match
# any text: linear time. (With a free-standing ``\s*`` between optional parts, a value of a
# few hundred spaces took seconds and a thousand took hours: these strings come from rule and
# config files and from the time fields of inputs.)
_DURATION = re.compile(r"^(?:(\d+)\s*d\s*)?(?:(\d+)\s*h\s*)?(?:(\d+)\s*m(?:in)?\s*)?(?:(\d+)\s*s\s*)?$", re.I)
_TIME_OF_DAY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?$")
#: No time stamp or duration is longer; longer values are not parsed at all.
MAX_TIME_CHARS = 64


def parse_duration(text: str) -> int | None:
    """Seconds in '90s', '5m', '1h30m', '2d'; None if not a duration."""
    text = str(text)
    if len(text) > MAX_TIME_CHARS:
        return None
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        return None
    d, h, m, s = (int(g) if g else 0 for g in match.groups())
    return ((d * 24 + h) * 60 + m) * 60 + s


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or f"{seconds}s"


def parse_time(text: str | None) -> tuple[str, float] | None:
    """("abs", epoch seconds) for a full timestamp, ("day", seconds since midnight) for a time
    of day, or None."""
    if not text or not isinstance(text, str) or len(text) > MAX_TIME_CHARS:
        return None
    text = text.strip()
    match = _TIME_OF_DAY.match(text)
    if match:
        hour, minute, second, half = match.groups()
        hour = int(hour) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(hour)
        return "day", hour * 3600 + int(minute) * 60 + int(second or 0)
    try:
        stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return "abs", stamp.timestamp()


def gap_seconds(earlier: tuple[str, float], later: tuple[str, float]) -> float | None:
    if earlier[0] != later[0]:
        return None
    gap = later[1] - earlier[1]
    if earlier[0] == "day" and gap < 0:
        gap += 86400
    return gap if gap >= 0 else None


class TimingKind(Kind):
    kind = "timing"
    conversational = True
    properties = MappingProxyType(
        {
            "max_gap": {
                "type": "object",
                "minProperties": 1,
                # Checked by validate_spec (parse_duration), which says what a duration looks like.
                "additionalProperties": {"type": "string"},
            }
        }
    )
    #: ``max_gap`` per channel, merged over the detector's own.
    option_properties = MappingProxyType({"max_gap": {"type": "object", "additionalProperties": {"type": "string"}}})

    @classmethod
    def validate_options(cls, options: Mapping[str, Any]):
        for channel, value in (options.get("max_gap") or {}).items():
            if parse_duration(value) is None:
                return f"max_gap.{channel}: {value!r} is not a duration such as 90s, 5m, 1h30m or 2d", (
                    "max_gap",
                    channel,
                )
        return None

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        for channel, value in (spec.get("max_gap") or {}).items():
            if parse_duration(value) is None:
                return f"max_gap.{channel}: {value!r} is not a duration such as 90s, 5m, 1h30m or 2d", (
                    "max_gap",
                    channel,
                )
        return None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        limits = {**(spec.get("max_gap") or {}), **(ctx.options.get("max_gap") or {})}
        if not limits:
            raise RuleError("a timing detector needs limits: the rule option 'max_gap' (or 'max_gap' here)")
        parsed = {channel: parse_duration(value) for channel, value in limits.items()}
        self.limits: dict[str, int] = {k: v for k, v in parsed.items() if v is not None}

    def limit_for(self, channel: str | None) -> tuple[str, int] | None:
        if channel and channel in self.limits:
            return channel, self.limits[channel]
        if "default" in self.limits:
            return channel or "default", self.limits["default"]
        return None

    def find_in_conversation(self, conv: ConversationView, in_scope: list[bool]) -> Iterable[Hit]:
        conversation, views = conv.conversation, conv.analysed()
        limit = self.limit_for(conversation.channel)
        if limit is None:
            return
        channel, max_gap = limit
        turns = conversation.turns
        for exchange in conv.exchanges(("customer",)):
            replies = [i for i in exchange.reply if in_scope[i] and i in views]
            if not replies:
                continue
            asked = next((parse_time(turns[i].time) for i in exchange.trigger if parse_time(turns[i].time)), None)
            answered = parse_time(turns[replies[0]].time)
            if asked is None or answered is None:
                continue
            gap = gap_seconds(asked, answered)
            if gap is not None and gap > max_gap:
                message = f"The customer waited {format_duration(gap)} for this reply (target for {channel}: {format_duration(max_gap)})."
                yield Hit(replies[0], *sentence_span(views[replies[0]]), message)
