"""Conversation ids from the fields exports use for them."""

from __future__ import annotations

from typing import Any

#: In order of preference: the generic names, then what datasets and helpdesks call them
#: (TweetSumm ``dialog_id``, ABCD ``convo_id``, tickets ``ticket_id``, IBM ``sessionID``).
CONVERSATION_ID_KEYS = (
    "id",
    "conversation_id",
    "conversationId",
    "dialog_id",
    "dialogue_id",
    "ticket_id",
    "thread_id",
    "session_id",
    "sessionID",
    "chat_id",
    "convo_id",
)


def conversation_id(obj: dict[str, Any]) -> str | None:
    """The first id field holding a non-empty string or a number, as text."""
    for key in CONVERSATION_ID_KEYS:
        value = obj.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return None
