"""Canned-response collections: macros and saved replies, each reply one agent turn.

Shapes recognised in JSON and YAML documents:

* **Zendesk macros** (``{"macros": [...]}`` or a list): the reply is the value of the action
  whose ``field`` is ``comment_value`` (text, or ``["channel:all", text]``) or
  ``comment_value_html``; Gorgias macros (``setResponseText`` with ``body_text``/``body_html``)
  likewise. Macros that only set fields carry no reply and are skipped.
* **Saved-reply lists**: objects with a title (``title``/``name``/``subject``/...) and a body
  (``body``/``text``/``content``/``response``/...), alone, in a list, or under ``replies``,
  ``saved_replies``, ``macros``, ``templates``, ...
* **Title → text maps**: ``{"Refund (email)": "Dear customer, ...", ...}``.

Markdown files with several replies (``## Title`` sections, or ``---- TITLE`` separator lines)
are split by ``markdown_replies``. Placeholders (``{{ticket.requester.first_name}}``,
``%{ticket.name}``, ``[AMOUNT]``) are kept as written: rules recognise them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cslint.model import Conversation
from cslint.readers.base import ReadResult
from cslint.readers.jsonshapes import ItemShape, JsonContext, JsonShape, first_str, register_shape, str_or_none

_TITLE_KEYS = ("title", "name", "subject", "label", "shortcut", "key")
_BODY_KEYS = ("body", "text", "content", "response", "reply", "message", "template", "body_text", "body_html", "html")
_WRAPPER_KEYS = (
    "replies",
    "saved_replies",
    "savedReplies",
    "macros",
    "responses",
    "canned_responses",
    "templates",
    "snippets",
    "items",
    "results",
    "data",
)


def canned_reply(
    ctx: JsonContext,
    keys: tuple,
    text: str | None,
    title: Any,
    index: int | None,
    reply_id: Any = None,
    html: bool | None = None,
    meta: dict | None = None,
) -> Conversation:
    assert text is not None  # callers pass the text first_str found
    turn = ctx.turn(keys, text, "agent", html=html)
    return Conversation(
        id=str_or_none(reply_id) or ctx.derived_id(index),
        path=ctx.source.display,
        turns=[turn],
        channel="canned",
        title=str_or_none(title),
        meta=meta or {},
    )


# -- Zendesk / Gorgias macros --------------------------------------------------------------

_ZENDESK_COMMENT_FIELDS = ("comment_value", "comment_value_html")


def _macro_reply(macro: dict) -> tuple[tuple, str, bool] | None:
    """(keys to the text, text, is HTML) of a macro's reply, or None if it sends none."""
    actions = macro.get("actions")
    if not isinstance(actions, list):
        return None
    found: list[tuple[int, tuple[Any, ...], str | None, bool]] = []
    for i, action in enumerate(actions):
        if not isinstance(action, dict):
            continue
        field = action.get("field")
        if field in _ZENDESK_COMMENT_FIELDS:
            value = action.get("value")
            if isinstance(value, list):  # ["channel:all", "text"]
                index = next(
                    (j for j, v in enumerate(value) if isinstance(v, str) and not v.startswith("channel:")), None
                )
                if index is None:
                    continue
                keys: tuple[Any, ...] = ("actions", i, "value", index)
                text: str | None = value[index]
            elif isinstance(value, str):
                keys, text = ("actions", i, "value"), value
            else:
                continue
            # Prefer the plain-text comment: it maps back to the file one to one.
            found.append((0 if field == "comment_value" else 1, keys, text, field == "comment_value_html"))
        elif action.get("name") == "setResponseText" and isinstance(action.get("arguments"), dict):
            key, text = first_str(action["arguments"], "body_text", "body_html")
            if key:
                found.append(
                    (0 if key == "body_text" else 1, ("actions", i, "arguments", key), text, key == "body_html")
                )
    if not found:
        return None
    _, keys, text, html = min(found, key=lambda f: f[0])
    assert text is not None  # only found texts are kept
    return keys, text, html


@register_shape
class MacroShape(ItemShape):
    name = "macros"
    description = "Zendesk/Gorgias macro"
    priority = 10
    wrapper_keys = ("macros", "results", "data")

    def matches_item(self, obj: Any) -> bool:
        return isinstance(obj, dict) and isinstance(obj.get("actions"), list) and ("title" in obj or "name" in obj)

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        replies = 0
        for item in super().read(data, ctx):
            replies += isinstance(item, Conversation)
            yield item
        if not replies:
            yield ctx.error("no macro in this file adds a comment (no 'comment_value' action): nothing to lint")

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        reply = _macro_reply(obj)
        if reply is None:
            return  # a macro that only sets fields (status, tags) has no text
        keys, text, html = reply
        if text.strip():
            yield canned_reply(
                ctx,
                keys,
                text,
                obj.get("title") or obj.get("name"),
                index,
                obj.get("id"),
                html=html,
                meta={"format": "macro"},
            )


# -- saved-reply lists ---------------------------------------------------------------------


def _is_saved_reply(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    key, _ = first_str(obj, *_BODY_KEYS)
    return key is not None and not any(k in obj for k in ("turns", "messages", "conversation_parts", "comments"))


@register_shape
class SavedReplyListShape(ItemShape):
    name = "saved-replies"
    description = "saved reply (title + body)"
    priority = 80
    wrapper_keys = _WRAPPER_KEYS

    def matches_item(self, obj: Any) -> bool:
        return _is_saved_reply(obj)

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        key, text = first_str(obj, *_BODY_KEYS)
        _, title = first_str(obj, *_TITLE_KEYS)
        meta = {k: v for k, v in obj.items() if k in ("category", "cat", "tags", "notes") and v}
        yield canned_reply(
            ctx,
            (key,),
            text,
            title,
            index,
            obj.get("id"),
            html=True if key in ("body_html", "html") else None,
            meta=meta,
        )


@register_shape
class TitleToTextShape(JsonShape):
    """``{"Title": "reply text", ...}``: every value a string, most of them sentences."""

    name = "title-text-map"
    description = "map of reply titles to texts"
    priority = 90

    def matches(self, data: Any) -> bool:
        if not isinstance(data, dict) or len(data) < 2 or not all(isinstance(v, str) for v in data.values()):
            return False
        sentences = sum(1 for v in data.values() if len(v.split()) >= 3)
        return sentences * 2 >= len(data)

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        for i, (title, text) in enumerate(data.items()):
            if text.strip():
                yield canned_reply(ctx, (title,), text, title, i)


# -- Markdown collections ------------------------------------------------------------------

# Closing ``#``/``-`` runs are stripped in Python (``_title``): a lazy title followed by an
# optional run up to ``$`` backtracks quadratically on a long line (``# # # # ... x``).
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+)$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_SEPARATOR_TITLE = re.compile(r"^-{3,}[ \t]+(\S.*)$")


def _title(rest: str, closing: str) -> str:
    """A heading's title without its closing run (``## Refunds ##`` -> ``Refunds``)."""
    return (rest.rstrip(closing) or rest[:1]).strip()


def markdown_replies(text: str, first_line: int = 1) -> list[tuple[str, str, int]] | None:
    """Split a Markdown file holding several replies into ``(title, body, line)`` tuples.

    A file is a collection when at least two headings of one level each have their own body
    text (the deepest such level is used: ``# Issues`` / ``## Duplicate`` → the ``##`` ones),
    or when it has at least two ``---- TITLE`` separator lines. Text before the first reply
    (the collection's introduction) is not a reply. A reply whose body is one fenced code
    block (GitHub saved-reply files) is the content of the block. Returns None for a file
    that is one reply.
    """
    lines = text.split("\n")
    headings: list[tuple[int, int, str]] = []  # (line index, level, title)
    separators: list[tuple[int, str]] = []
    in_fence: str | None = None
    for i, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)[0]
            if in_fence is None:
                in_fence = marker
            elif in_fence == marker:
                in_fence = None
            continue
        if in_fence:
            continue
        match = _ATX.match(line)
        if match:
            headings.append((i, len(match.group(1)), _title(match.group(2), " \t#")))
            continue
        match = _SEPARATOR_TITLE.match(line)
        if match:
            separators.append((i, _title(match.group(1), " \t-")))
    sections = _heading_sections(lines, headings) or _separator_sections(lines, separators)
    if not sections:
        return None
    replies = []
    for title, start, end in sections:
        # Trim blank lines around the body.
        while start < end and not lines[start].strip():
            start += 1
        while end > start and not lines[end - 1].strip():
            end -= 1
        body_lines = lines[start:end]
        body_start = start
        if (
            len(body_lines) >= 2
            and _FENCE.match(body_lines[0])
            and _FENCE.match(body_lines[-1])
            and not any(_FENCE.match(line) for line in body_lines[1:-1])
        ):
            body_lines = body_lines[1:-1]
            body_start += 1
        if any(line.strip() for line in body_lines):
            replies.append((title, "\n".join(body_lines), first_line + body_start))
    return replies if len(replies) >= 2 else None


def _has_body(lines: list[str], start: int, end: int) -> bool:
    return any(line.strip() for line in lines[start:end])


def _heading_sections(lines: list[str], headings: list[tuple[int, int, str]]) -> list[tuple[str, int, int]]:
    """Sections at the heading level that yields the most replies with a body (ties: the
    deeper level); deeper headings inside a section belong to it."""
    best: list[tuple[str, int, int]] = []
    for level in sorted({h[1] for h in headings}, reverse=True):
        sections = []
        # Each heading's section ends at the next heading of this level or above: found in one
        # pass from the end (a file of many headings must not cost a scan per heading).
        end = len(lines)
        for i, lvl, title in reversed(headings):
            if lvl > level:
                continue
            if lvl == level and _has_body(lines, i + 1, end):
                sections.append((title, i + 1, end))
            end = i
        sections.reverse()
        if len(sections) >= 2 and len(sections) > len(best):
            best = sections
    return best


def _separator_sections(lines: list[str], separators: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
    if len(separators) < 2:
        return []
    sections = []
    for n, (i, title) in enumerate(separators):
        end = separators[n + 1][0] if n + 1 < len(separators) else len(lines)
        sections.append((title, i + 1, end))
    return sections
