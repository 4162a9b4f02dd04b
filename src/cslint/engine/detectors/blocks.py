"""Helpers for conversation-level kinds: who replied to what."""

from __future__ import annotations

from dataclasses import dataclass

from cslint.model import Conversation

#: Bots and system events neither start nor end a side's block of turns.
TRANSPARENT = ("bot", "system")


@dataclass
class Exchange:
    """A block of turns by the triggering side and the block of replies that follows it."""

    trigger: list[int]
    reply: list[int]


def exchanges(conversation: Conversation, trigger_speakers: tuple[str, ...]) -> list[Exchange]:
    """Split a conversation into (trigger block, reply block) pairs.

    With customers as the trigger side: each run of consecutive customer turns, and the run of
    other (non-transparent) turns that answers it. A reply block may be empty (the customer had
    the last word).
    """
    result: list[Exchange] = []
    current: Exchange | None = None
    for i, turn in enumerate(conversation.turns):
        if turn.speaker in TRANSPARENT and turn.speaker not in trigger_speakers:
            continue
        if turn.speaker in trigger_speakers:
            if current is None or current.reply:
                current = Exchange([i], [])
                result.append(current)
            else:
                current.trigger.append(i)
        elif current is not None:
            current.reply.append(i)
    return result
