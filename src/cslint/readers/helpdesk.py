"""Helpdesk exports, recognised by shape inside ``.json``/``.jsonl`` files.

Field names follow the vendors' published API objects:

* **Zendesk** ticket + comments (``GET /api/v2/tickets/{id}/comments``, optionally with
  ``{"ticket": {...}}`` and side-loaded ``users``): the requester (``requester_id``) is the
  customer, other authors are agents; ``public: false`` comments are internal notes (context,
  never linted); comments made by triggers (``via.channel: rule``) are the bot's.
* **Intercom** conversation: ``source`` (the first message) and ``conversation_parts``; authors
  ``admin``/``team`` (agent), ``user``/``lead``/``contact`` (customer), ``bot``; notes are
  context; parts with no body (assignments, state changes) are left out. Bodies are HTML.
* **Freshdesk** ticket with ``conversations`` (or the bare conversations list): ``incoming``
  is the customer, ``private`` notes are context; the ticket ``description`` is the first turn.
* **Help Scout** threads (``_embedded.threads``, newest first, put in time order): ``customer``
  threads are the customer, ``message`` the agent, ``note`` context, ``lineitem`` system events.
* **Front** messages (``_results`` or a ``messages`` list): ``is_inbound`` is the customer;
  drafts and ``comments`` are context.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cslint.model import Conversation, Turn
from cslint.readers.base import ReadResult
from cslint.readers.jsonshapes import (
    ItemShape,
    JsonContext,
    JsonShape,
    channel_of,
    first_str,
    in_time_order,
    register_shape,
    sort_key_time,
    str_or_none,
)


def _conversation(
    ctx: JsonContext,
    conv_id: Any,
    index: int | None,
    turns: list[Turn],
    channel: str | None,
    vendor: str,
    subject: Any = None,
) -> Conversation:
    meta: dict[str, Any] = {"format": vendor}
    if str_or_none(subject):
        meta["subject"] = str_or_none(subject)
    return Conversation(
        id=str_or_none(conv_id) or ctx.derived_id(index),
        path=ctx.source.display,
        turns=turns,
        channel=channel,
        title=meta.get("subject"),  # names the conversation in reports
        meta=meta,
    )


def _full_name(person: Any, *keys: str) -> str | None:
    if not isinstance(person, dict):
        return None
    parts = [str(person[k]).strip() for k in keys if isinstance(person.get(k), str) and person[k].strip()]
    return " ".join(parts) or None


# -- Zendesk -------------------------------------------------------------------------------

_ZENDESK_USER_ROLES = {"end-user": "customer", "agent": "agent", "admin": "agent"}


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _lookup(mapping, key, default=None):
    """``mapping.get(key, default)`` for a key read from the input, which may be a list or an
    object (unhashable): such a key is simply not found."""
    return mapping.get(key, default) if _hashable(key) else default


_AUTOMATED_VIA = {"rule", "system", "automation", "trigger"}


def _is_zendesk_comment(obj: Any) -> bool:
    return isinstance(obj, dict) and "author_id" in obj and any(k in obj for k in ("body", "plain_body", "html_body"))


@register_shape
class ZendeskTicketShape(ItemShape):
    name = "zendesk"
    description = "Zendesk ticket with comments"
    priority = 10
    wrapper_keys = ("tickets", "results")

    def matches_item(self, obj: Any) -> bool:
        comments = obj.get("comments") if isinstance(obj, dict) else None
        if not isinstance(comments, list):
            return False
        if comments:
            return _is_zendesk_comment(comments[0])
        return isinstance(obj.get("ticket"), dict) or "requester_id" in obj

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        ticket = obj["ticket"] if isinstance(obj.get("ticket"), dict) else obj
        comments = obj["comments"]
        users = (
            {u.get("id"): u for u in obj.get("users", []) if isinstance(u, dict) and _hashable(u.get("id"))}
            if isinstance(obj.get("users"), list)
            else {}
        )
        requester = ticket.get("requester_id")
        if requester is None and comments and isinstance(comments[0], dict):
            requester = comments[0].get("author_id")  # the first comment is the ticket's description
        entries = []
        for i, comment in enumerate(comments):
            if not _is_zendesk_comment(comment):
                yield ctx.error(f"ticket {ticket.get('id', '?')}: comment {i} has no author_id/body")
                continue
            key, text = first_str(comment, "body", "plain_body", "html_body")
            if key is None:
                continue
            author = comment.get("author_id")
            user = _lookup(users, author, {})
            via: dict[str, Any] = comment["via"] if isinstance(comment.get("via"), dict) else {}
            role = ctx.role_for(user.get("email"), user.get("name"), author)
            if role is None:
                if str(via.get("channel", "")).lower() in _AUTOMATED_VIA:
                    role = "bot"
                elif _lookup(_ZENDESK_USER_ROLES, user.get("role")) is not None:
                    role = _ZENDESK_USER_ROLES[user["role"]]
                else:
                    role = "customer" if author == requester else "agent"
            turn = ctx.message_turn(
                ("comments", i, key),
                text,
                role,
                html=key == "html_body",
                name=str_or_none(user.get("name")),
                time=comment.get("created_at"),
                lintable=comment.get("public") is not False,
                meta={"internal": True} if comment.get("public") is False else None,
            )
            entries.append((comment.get("created_at"), turn))
        if not entries:
            yield ctx.error(f"ticket {ticket.get('id', '?')}: no comments with text")
            return
        via = ticket["via"] if isinstance(ticket.get("via"), dict) else {}
        yield _conversation(
            ctx,
            ticket.get("id"),
            index,
            in_time_order(entries),
            channel_of(via.get("channel"), "email"),
            "zendesk",
            ticket.get("subject"),
        )


# -- Intercom ------------------------------------------------------------------------------

_INTERCOM_AUTHORS = {
    "admin": "agent",
    "team": "agent",
    "user": "customer",
    "lead": "customer",
    "contact": "customer",
    "bot": "bot",
}
_INTERCOM_NOTES = {"note": True, "note_and_reopen": True}


def _intercom_role(ctx: JsonContext, author: Any) -> str:
    author = author if isinstance(author, dict) else {}
    forced = ctx.role_for(author.get("email"), author.get("name"), author.get("id"))
    if forced:
        return forced
    if author.get("from_ai_agent") or author.get("is_ai_answer"):
        return "bot"
    return _INTERCOM_AUTHORS.get(str(author.get("type", "")).lower(), "customer")


@register_shape
class IntercomConversationShape(ItemShape):
    name = "intercom"
    description = "Intercom conversation"
    priority = 10
    wrapper_keys = ("conversations", "data")

    def matches_item(self, obj: Any) -> bool:
        return isinstance(obj, dict) and "conversation_parts" in obj and isinstance(obj.get("source"), dict)

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        entries = []
        source = obj["source"]
        if isinstance(source.get("body"), str) and source["body"].strip():
            role = "bot" if source.get("delivered_as") == "automated" else _intercom_role(ctx, source.get("author"))
            turn = ctx.message_turn(
                ("source", "body"),
                source["body"],
                role,
                html=True,
                name=_full_name(source.get("author"), "name"),
                time=obj.get("created_at"),
            )
            entries.append((obj.get("created_at"), turn))
        parts_holder = obj["conversation_parts"]
        if isinstance(parts_holder, dict):
            parts = parts_holder.get("conversation_parts", [])
            prefix: tuple[str, ...] = ("conversation_parts", "conversation_parts")
        else:
            parts, prefix = parts_holder, ("conversation_parts",)
        if not isinstance(parts, list):
            yield ctx.error(f"conversation {obj.get('id', '?')}: 'conversation_parts' is not a list")
            return
        for i, part in enumerate(parts):
            if not isinstance(part, dict):
                continue
            body = part.get("body")
            if not isinstance(body, str) or not body.strip():
                continue  # assignments, open/close, snooze: events without text
            note = _lookup(_INTERCOM_NOTES, part.get("part_type")) is not None
            turn = ctx.message_turn(
                prefix + (i, "body"),
                body,
                _intercom_role(ctx, part.get("author")),
                html=True,
                name=_full_name(part.get("author"), "name"),
                time=part.get("created_at"),
                lintable=not note,
                meta={"part_type": part.get("part_type"), **({"internal": True} if note else {})},
            )
            entries.append((part.get("created_at"), turn))
        if not entries:
            yield ctx.error(f"conversation {obj.get('id', '?')}: no messages with text")
            return
        yield _conversation(
            ctx,
            obj.get("id"),
            index,
            in_time_order(entries),
            channel_of(source.get("type"), "chat"),
            "intercom",
            source.get("subject"),
        )


# -- Freshdesk -----------------------------------------------------------------------------

_FRESHDESK_SOURCES = {1: "email", 2: "web", 3: "phone", 7: "chat", 9: "web", 10: "email"}


def _is_freshdesk_entry(obj: Any) -> bool:
    return isinstance(obj, dict) and "incoming" in obj and ("body_text" in obj or "body" in obj)


def _freshdesk_turns(
    ctx: JsonContext, entries_list: list, prefix: tuple, requester: Any
) -> Iterator[tuple[Any, Turn] | str]:
    for i, entry in enumerate(entries_list):
        if not _is_freshdesk_entry(entry):
            yield f"conversation entry {i} has no 'incoming'/'body'"
            continue
        key, text = first_str(entry, "body_text", "body")
        if key is None:
            continue
        forced = ctx.role_for(entry.get("from_email"), entry.get("user_id"))
        customer = entry.get("incoming") is True or (requester is not None and entry.get("user_id") == requester)
        private = entry.get("private") is True
        yield (
            entry.get("created_at"),
            ctx.message_turn(
                prefix + (i, key),
                text,
                forced or ("customer" if customer else "agent"),
                html=key == "body",
                time=entry.get("created_at"),
                lintable=not private,
                meta={"internal": True} if private else None,
            ),
        )


@register_shape
class FreshdeskTicketShape(ItemShape):
    name = "freshdesk"
    description = "Freshdesk ticket with conversations"
    priority = 10
    wrapper_keys = ("tickets", "results")

    def matches_item(self, obj: Any) -> bool:
        if not isinstance(obj, dict):
            return False
        conversations = obj.get("conversations")
        if not isinstance(conversations, list):
            return False
        if conversations:
            return _is_freshdesk_entry(conversations[0])
        return "requester_id" in obj and ("description_text" in obj or "description" in obj)

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        entries = []
        requester = obj.get("requester_id")
        key, text = first_str(obj, "description_text", "description")
        if key:
            entries.append(
                (
                    obj.get("created_at"),
                    ctx.message_turn(
                        (key,),
                        text,
                        ctx.role_for(requester) or "customer",
                        html=key == "description",
                        time=obj.get("created_at"),
                    ),
                )
            )
        for item in _freshdesk_turns(ctx, obj["conversations"], ("conversations",), requester):
            if isinstance(item, str):
                yield ctx.error(f"ticket {obj.get('id', '?')}: {item}")
            else:
                entries.append(item)
        if not entries:
            yield ctx.error(f"ticket {obj.get('id', '?')}: no description or conversations with text")
            return
        yield _conversation(
            ctx,
            obj.get("id"),
            index,
            in_time_order(entries),
            _lookup(_FRESHDESK_SOURCES, obj.get("source"), "email"),
            "freshdesk",
            obj.get("subject"),
        )


@register_shape
class FreshdeskConversationListShape(JsonShape):
    """``GET /api/v2/tickets/{id}/conversations``: a bare list of one ticket's replies and notes."""

    name = "freshdesk-conversations"
    description = "Freshdesk ticket conversations"
    priority = 10

    def matches(self, data: Any) -> bool:
        return isinstance(data, list) and bool(data) and _is_freshdesk_entry(data[0])

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        entries = []
        for item in _freshdesk_turns(ctx, data, (), None):
            if isinstance(item, str):
                yield ctx.error(item)
            else:
                entries.append(item)
        if not entries:
            yield ctx.error("no conversations with text")
            return
        ticket_id = next(
            (e.get("ticket_id") for e in data if isinstance(e, dict) and e.get("ticket_id") is not None), None
        )
        yield _conversation(ctx, ticket_id, None, in_time_order(entries), "email", "freshdesk")


# -- Help Scout -----------------------------------------------------------------------------

_HELPSCOUT_TYPES = {
    "customer": "customer",
    "message": "agent",
    "reply": "agent",
    "note": "agent",
    "forwardparent": "agent",
    "forwardchild": "agent",
    "lineitem": "system",
}
_HELPSCOUT_PEOPLE = {"customer": "customer", "user": "agent", "team": "agent", "system_user": "bot"}
_HELPSCOUT_CONTEXT = {"note", "forwardparent", "forwardchild", "lineitem"}


def _is_helpscout_thread(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "type" in obj
        and ("createdBy" in obj or "source" in obj)
        and ("body" in obj or "action" in obj)
    )


def _helpscout_threads(obj: Any) -> list | None:
    embedded = obj.get("_embedded") if isinstance(obj, dict) else None
    threads = embedded.get("threads") if isinstance(embedded, dict) else None
    return threads if isinstance(threads, list) else None


@register_shape
class HelpScoutShape(ItemShape):
    name = "helpscout"
    description = "Help Scout conversation threads"
    priority = 10

    def matches_item(self, obj: Any) -> bool:
        threads = _helpscout_threads(obj)
        return threads is not None and (not threads or _is_helpscout_thread(threads[0]))

    def matches(self, data: Any) -> bool:
        if isinstance(data, list) and data and _is_helpscout_thread(data[0]):
            return True
        conversations = (
            data.get("_embedded", {}).get("conversations")
            if isinstance(data, dict) and isinstance(data.get("_embedded"), dict)
            else None
        )
        if isinstance(conversations, list) and conversations and self.matches_item(conversations[0]):
            return True
        return super().matches(data)

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        if isinstance(data, list) and data and _is_helpscout_thread(data[0]):
            yield from self._read_threads(data, {}, ctx, (), None)
            return
        conversations = (
            data.get("_embedded", {}).get("conversations")
            if isinstance(data, dict) and isinstance(data.get("_embedded"), dict)
            else None
        )
        if isinstance(conversations, list) and not self.matches_item(data):
            for i, conversation in enumerate(conversations):
                if self.matches_item(conversation):
                    yield from self.read_item(conversation, ctx.at("_embedded", "conversations", i), i)
                else:
                    yield ctx.error(f"conversation {i}: no '_embedded.threads'")
            return
        yield from super().read(data, ctx)

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        yield from self._read_threads(_helpscout_threads(obj) or [], obj, ctx, ("_embedded", "threads"), index)

    def _read_threads(
        self, threads: list, conversation: dict, ctx: JsonContext, prefix: tuple, index: int | None
    ) -> Iterator[ReadResult]:
        entries = []
        for i, thread in enumerate(threads):
            if not isinstance(thread, dict):
                continue
            kind = str(thread.get("type", "")).lower()
            person: dict[str, Any] = thread["createdBy"] if isinstance(thread.get("createdBy"), dict) else {}
            key, text = first_str(thread, "body")
            prefix_keys: tuple[Any, ...] = (i,)
            if key is None and kind == "lineitem" and isinstance(thread.get("action"), dict):
                action_text = thread["action"].get("text")
                if isinstance(action_text, str) and action_text.strip():
                    key, text, prefix_keys = "text", action_text, (i, "action")
                else:
                    continue
            elif key is None:
                continue
            role = ctx.role_for(person.get("email"), _full_name(person, "first", "last"), person.get("id"))
            if role is None:
                role = (
                    _HELPSCOUT_PEOPLE.get(str(person.get("type", "")).lower())
                    if kind in ("chat", "phone", "beaconchat")
                    else None
                )
                role = (
                    role
                    or _lookup(_HELPSCOUT_TYPES, kind)
                    or _HELPSCOUT_PEOPLE.get(str(person.get("type", "")).lower(), "agent")
                )
            context_only = kind in _HELPSCOUT_CONTEXT or thread.get("state") == "draft"
            turn = ctx.message_turn(
                prefix + prefix_keys + (key,),
                text,
                role,
                html=None,
                name=_full_name(person, "first", "last"),
                time=thread.get("createdAt"),
                lintable=not context_only,
                meta={"thread_type": kind, **({"internal": True} if context_only else {})},
            )
            entries.append((thread.get("createdAt"), turn))
        if not entries:
            yield ctx.error(f"conversation {conversation.get('id', '?')}: no threads with text")
            return
        if all(sort_key_time(t) is not None for t, _ in entries):
            ordered = in_time_order(entries)
        else:
            ordered = [turn for _, turn in reversed(entries)]  # the API lists threads newest first
        first_source = threads[0].get("source") if threads and isinstance(threads[0], dict) else None
        channel = channel_of(conversation.get("type")) or channel_of(
            first_source.get("type") if isinstance(first_source, dict) else None, "email"
        )
        yield _conversation(
            ctx,
            conversation.get("id") or conversation.get("number"),
            index,
            ordered,
            channel,
            "helpscout",
            conversation.get("subject"),
        )


# -- Front ---------------------------------------------------------------------------------


def _is_front_message(obj: Any) -> bool:
    return isinstance(obj, dict) and "is_inbound" in obj and ("body" in obj or "text" in obj)


def _front_sender(message: dict) -> tuple[str | None, str | None]:
    """(display name, handle) of the sender."""
    author = message.get("author") if isinstance(message.get("author"), dict) else None
    if author:
        return _full_name(author, "first_name", "last_name") or str_or_none(author.get("username")), str_or_none(
            author.get("email")
        )
    for recipient in message.get("recipients") or []:
        if isinstance(recipient, dict) and recipient.get("role") == "from":
            return str_or_none(recipient.get("name")), str_or_none(recipient.get("handle"))
    return None, None


@register_shape
class FrontShape(JsonShape):
    name = "front"
    description = "Front conversation messages"
    priority = 10

    @staticmethod
    def _messages(obj: Any) -> tuple[list, tuple] | None:
        if isinstance(obj, list) and obj and _is_front_message(obj[0]):
            return obj, ()
        if isinstance(obj, dict):
            for key in ("_results", "messages"):
                items = obj.get(key)
                if isinstance(items, list) and items and _is_front_message(items[0]):
                    return items, (key,)
        return None

    def matches(self, data: Any) -> bool:
        if self._messages(data) is not None:
            return True
        conversations = data.get("conversations") if isinstance(data, dict) else data
        return (
            isinstance(conversations, list)
            and bool(conversations)
            and isinstance(conversations[0], dict)
            and self._messages(conversations[0]) is not None
            and not _is_front_message(conversations[0])
        )

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        if self._messages(data) is not None:
            yield from self._read_conversation(data, ctx, None)
            return
        conversations, prefix = (data["conversations"], ("conversations",)) if isinstance(data, dict) else (data, ())
        for i, conversation in enumerate(conversations):
            if self._messages(conversation) is None:
                yield ctx.error(f"conversation {i}: no messages with 'is_inbound'")
                continue
            yield from self._read_conversation(conversation, ctx.at(*prefix, i), i)

    def _read_conversation(self, obj: Any, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        found = self._messages(obj)
        assert found is not None  # only conversations recognised by _messages are read
        messages, prefix = found
        entries = []
        channel = None
        for i, message in enumerate(messages):
            if not _is_front_message(message):
                continue
            key, text = first_str(message, "text", "body")
            if key is None:
                continue
            name, handle = _front_sender(message)
            forced = ctx.role_for(handle, name)
            draft = bool(message.get("draft_mode")) or message.get("is_draft") is True
            channel = channel or channel_of(message.get("type"))
            turn = ctx.message_turn(
                prefix + (i, key),
                text,
                forced or ("customer" if message.get("is_inbound") else "agent"),
                html=key == "body",
                name=name,
                time=message.get("created_at"),
                lintable=not draft,
                meta={"draft": True} if draft else None,
            )
            entries.append((message.get("created_at"), turn))
        comments = obj.get("comments") if isinstance(obj, dict) else None
        for i, comment in enumerate(comments if isinstance(comments, list) else []):
            if isinstance(comment, dict) and isinstance(comment.get("body"), str) and comment["body"].strip():
                name, _ = _front_sender(comment)
                turn = ctx.message_turn(
                    ("comments", i, "body"),
                    comment["body"],
                    "agent",
                    name=name,
                    time=comment.get("posted_at"),
                    lintable=False,
                    meta={"internal": True},
                )
                entries.append((comment.get("posted_at"), turn))
        if not entries:
            yield ctx.error("no Front messages with text")
            return
        conv_id = obj.get("id") if isinstance(obj, dict) else None
        if conv_id is None:
            conv_id = next(
                (m.get("conversation_id") for m in messages if isinstance(m, dict) and m.get("conversation_id")), None
            )
        subject = obj.get("subject") if isinstance(obj, dict) else None
        yield _conversation(ctx, conv_id, index, in_time_order(entries), channel or "email", "front", subject)
