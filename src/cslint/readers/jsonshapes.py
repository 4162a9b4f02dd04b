"""JSON documents come in many shapes: native conversations, helpdesk exports, saved replies.

The ``.json``/``.jsonl`` readers parse a document once and hand it to the first registered
shape that recognises it (``JSON_SHAPES``, most specific first). A shape turns the decoded
data into conversations; ``JsonContext`` gives it the file, the options and a way to build
turns whose text points back at the line and column of the JSON string it came from (through
HTML conversion, where the value is HTML).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

from cslint.model import InputError, Location, SourceMap, Turn, normalize_speaker
from cslint.readers._support.htmltext import html_to_text, looks_like_html
from cslint.readers._support.mailclean import own_text
from cslint.readers.base import ReadOptions, ReadResult, Source, derived_id
from cslint.timestamps import epoch_seconds, parse_timestamp

Locate = Callable[[tuple, int], Location]


@dataclass
class JsonContext:
    source: Source
    options: ReadOptions
    locate: Locate
    #: Where the object being read sits in the document (keys and indices).
    base: tuple = ()
    #: Which document of the file this is (the JSONL line, 0-based), for derived ids.
    document_index: int | None = None

    def at(self, *keys: Any) -> JsonContext:
        return JsonContext(self.source, self.options, self.locate, self.base + tuple(keys), self.document_index)

    def derived_id(self, index: int | None = None) -> str:
        """A stable id for a conversation that carries none."""
        return derived_id(self.source, index if index is not None else self.document_index)

    def error(self, message: str) -> InputError:
        return InputError(self.source.display, message)

    def source_map(self, *keys: Any) -> SourceMap:
        path = self.base + tuple(keys)
        locate = self.locate
        return SourceMap(resolver=lambda offset: locate(path, offset))

    def turn(
        self,
        keys: tuple,
        raw: str,
        speaker: str,
        *,
        html: bool | None = None,
        name: str | None = None,
        time: Any = None,
        lintable: bool = True,
        meta: dict[str, Any] | None = None,
        message: bool = False,
    ) -> Turn:
        """A turn for the string at ``keys`` (relative to this context); HTML is converted to
        text (``html=None``: if it looks like HTML) and positions map through the conversion.

        ``message=True`` (helpdesk messages, often e-mails) keeps only the author's own words:
        quoted history and signatures are left out, as for e-mail files."""
        path = self.base + tuple(keys)
        locate = self.locate
        if html is None:
            html = looks_like_html(raw)
        to_raw: Callable[[int], int] = lambda offset: offset  # noqa: E731
        text = raw
        if html:
            converted = html_to_text(raw, email=message)
            text, to_raw = converted.text, converted.raw_offset
        if message:
            text, to_text = own_text(text)
            inner = to_raw
            to_raw = lambda offset: inner(to_text(offset))  # noqa: E731
        source = SourceMap(resolver=lambda offset: locate(path, to_raw(offset)))
        return Turn(
            speaker=speaker,
            text=text,
            name=name,
            time=format_time(time),
            lintable=lintable,
            source=source,
            meta=meta or {},
        )

    def message_turn(self, keys: tuple, raw: str | None, speaker: str, **kwargs: Any) -> Turn:
        """A helpdesk message: like ``turn``, without quoted history and signatures."""
        assert raw is not None  # callers pass the text first_str found
        return self.turn(keys, raw, speaker, message=True, **kwargs)

    def role_for(self, *labels: Any) -> str | None:
        """A role forced by ``--speaker LABEL=ROLE`` for any of these names/e-mails/ids."""
        mapping = self.options.speaker_labels
        for label in labels:
            if isinstance(label, (str, int)) and not isinstance(label, bool):
                role = mapping.get(str(label).strip().lower())
                if role:
                    return role
        return None


class JsonShape:
    """One shape of JSON document."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    #: Lower is tried first: vendor exports with tell-tale keys (10) before the native format
    #: (50), which accepts any list of turns, before loose saved-reply collections (80).
    priority: ClassVar[int] = 50

    def matches(self, data: Any) -> bool:
        raise NotImplementedError

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        raise NotImplementedError


class ItemShape(JsonShape):
    """A shape whose unit is one object (a ticket, a conversation, a macro), found alone, in a
    list, or in a list under one of ``wrapper_keys`` (``{"tickets": [...]}``)."""

    wrapper_keys: ClassVar[tuple[str, ...]] = ()

    def matches_item(self, obj: Any) -> bool:
        raise NotImplementedError

    def read_item(self, obj: dict, ctx: JsonContext, index: int | None) -> Iterator[ReadResult]:
        raise NotImplementedError

    def _items(self, data: Any) -> tuple[list, tuple] | None:
        if isinstance(data, list):
            first = next((item for item in data if isinstance(item, dict)), None)
            return (data, ()) if first is not None and self.matches_item(first) else None
        if isinstance(data, dict):
            for key in self.wrapper_keys:
                items = data.get(key)
                if isinstance(items, list) and items and isinstance(items[0], dict) and self.matches_item(items[0]):
                    return items, (key,)
        return None

    def matches(self, data: Any) -> bool:
        return (isinstance(data, dict) and self.matches_item(data)) or self._items(data) is not None

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        if isinstance(data, dict) and self.matches_item(data):
            yield from self.read_item(data, ctx, None)
            return
        found = self._items(data)
        assert found is not None
        items, prefix = found
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not self.matches_item(item):
                yield ctx.error(f"item {i}: not a {self.description or self.name} object")
                continue
            yield from self.read_item(item, ctx.at(*prefix, i), i)


JSON_SHAPES: list[JsonShape] = []


def register_shape(cls: type[JsonShape]) -> type[JsonShape]:
    JSON_SHAPES.append(cls())
    JSON_SHAPES.sort(key=lambda shape: shape.priority)  # stable: equal priorities keep import order
    return cls


def read_json_document(data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
    """Conversations from a decoded JSON document, by the first shape that recognises it."""
    for shape in JSON_SHAPES:
        if shape.matches(data):
            yield from shape.read(data, ctx)
            return
    yield ctx.error(describe_unknown(data))


def _keys(obj: dict) -> str:
    """The first keys of an object, short and on one line (keys come from the input)."""

    def shown(key: Any) -> str:
        text = str(key)
        return (
            text if text.isprintable() and len(text) <= 40 and text.strip() == text and text else json.dumps(text[:40])
        )

    return ", ".join(shown(k) for k in list(obj)[:8]) or "none"


def describe_unknown(data: Any) -> str:
    if isinstance(data, dict):
        found = f"an object with keys: {_keys(data)}"
    elif isinstance(data, list):
        if not data:
            return "empty list: no conversations in file"
        first = data[0]
        inner = f"objects with keys: {_keys(first)}" if isinstance(first, dict) else type(first).__name__ + " values"
        found = f"a list of {inner}"
    else:
        found = f"a {type(data).__name__}"
    return (
        f"unrecognised JSON shape ({found}); expected conversations with 'turns', a helpdesk export "
        "(Zendesk, Intercom, Freshdesk, Help Scout, Front) or saved replies (title + body); see 'Input formats' in the README"
    )


# -- helpers shared by shapes -------------------------------------------------------------


def str_or_none(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def format_time(value: Any) -> str | None:
    """Times as ISO 8601 text: epoch seconds (Intercom, Front) are converted, text kept."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = epoch_seconds(value)
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return str(value)
    return str_or_none(value)


def sort_key_time(value: Any) -> float | None:
    """A sortable number for a timestamp (epoch or text in any format the readers accept), None if unknown."""
    return parse_timestamp(value)


def in_time_order(items: Iterable[tuple[Any, Any]]) -> list:
    """Stable sort of ``(time, item)`` pairs by time; items without a time keep their place
    relative to their neighbours (sorted only when every item has a time)."""
    pairs = list(items)
    keys = [sort_key_time(t) for t, _ in pairs]
    if all(k is not None for k in keys):
        known = [k for k in keys if k is not None]
        order = sorted(range(len(pairs)), key=lambda i: known[i])
        return [pairs[i][1] for i in order]
    return [item for _, item in pairs]


def first_str(obj: dict, *keys: str) -> tuple[str | None, str | None]:
    """(key, value) of the first key holding a non-empty string."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return key, value
    return None, None


def role_from_label(raw: Any, options: ReadOptions) -> str | None:
    if isinstance(raw, str) and raw.strip().lower() in options.speaker_labels:
        return options.speaker_labels[raw.strip().lower()]
    return normalize_speaker(raw)


CHANNELS = {
    "email": "email",
    "mail": "email",
    "web": "web",
    "web_form": "web",
    "portal": "web",
    "chat": "chat",
    "messaging": "chat",
    "native_messaging": "chat",
    "messenger": "chat",
    "whatsapp": "chat",
    "sms": "chat",
    "intercom": "chat",
    "conversation": "chat",
    "twitter": "social",
    "facebook": "social",
    "instagram": "social",
    "voice": "phone",
    "phone": "phone",
    "call": "phone",
}


def channel_of(value: Any, default: str | None = None) -> str | None:
    if isinstance(value, str):
        return CHANNELS.get(value.strip().lower(), default)
    return default
