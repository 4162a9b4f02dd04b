"""The native conversation format (a contract: README "Input formats", docs/ARCHITECTURE.md): JSON and JSONL.

.. code-block:: json

    {"id": "c-42", "channel": "chat", "turns": [
      {"speaker": "customer", "name": "Ann", "text": "My order never arrived!"},
      {"speaker": "agent", "name": "Sam", "text": "Please provide your order number."}]}

A ``.json`` file holds one conversation or a list of them (or ``{"conversations": [...]}``);
a ``.jsonl`` file holds one conversation per line and is read line by line, so its size does
not matter. ``role``/``content`` are accepted for ``speaker``/``text``, and speaker synonyms
(user, assistant, support, ...) map to the four roles.
"""

from __future__ import annotations

import codecs
import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from cslint.boundedio import ReadLimitError, lines_at_most, read_at_most
from cslint.errors import ReaderError
from cslint.model import Conversation, InputError, SourceMap, Turn, normalize_speaker
from cslint.readers._support.jsonpos import JsonDocumentPositions
from cslint.readers.base import (
    MAX_WHOLE_FILE_BYTES,
    Reader,
    ReadOptions,
    ReadResult,
    Source,
    decode,
    derived_id,
    register,
)
from cslint.readers.ids import conversation_id
from cslint.readers.jsonshapes import JsonContext, JsonShape, read_json_document, register_shape

_SPEAKER_KEYS = ("speaker", "role", "author", "from", "sender")
_TEXT_KEYS = ("text", "content", "body", "message")
_TURN_LIST_KEYS = ("turns", "messages")
_TIME_KEYS = ("time", "timestamp", "created_at", "datetime", "date", "sent_at")


def _first_key(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in obj:
            return key
    return None


def resolve_speaker(raw: Any, options: ReadOptions) -> str | None:
    if isinstance(raw, str) and raw.strip().lower() in options.speaker_labels:
        return options.speaker_labels[raw.strip().lower()]
    return normalize_speaker(raw)


def is_native_conversation(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    key = _first_key(obj, _TURN_LIST_KEYS)
    return key is not None and isinstance(obj[key], list)


def conversation_from_object(
    obj: Any,
    source: Source,
    index: int | None,
    options: ReadOptions,
    locate: Callable[[tuple, int], Any],
    path_prefix: tuple = (),
) -> Conversation:
    """Build a Conversation from one decoded native object, or raise ReaderError."""
    if not isinstance(obj, dict):
        raise ReaderError(f"expected a conversation object, found {type(obj).__name__}")
    list_key = _first_key(obj, _TURN_LIST_KEYS)
    if list_key is None or not isinstance(obj[list_key], list):
        raise ReaderError("conversation has no 'turns' list")
    conv_id = conversation_id(obj) or derived_id(source, index)
    turns: list[Turn] = []
    count = len(obj[list_key])
    for ti, raw in enumerate(obj[list_key]):
        if not isinstance(raw, dict):
            raise ReaderError(f"conversation {conv_id}: turn {ti} is not an object")
        speaker_key = _first_key(raw, _SPEAKER_KEYS)
        speaker = resolve_speaker(raw.get(speaker_key), options) if speaker_key else None
        if speaker is None:
            shown = raw.get(speaker_key) if speaker_key else None
            raise ReaderError(
                f"conversation {conv_id}: turn {ti} has unknown speaker {shown!r} "
                "(expected agent, customer, bot or system; map others with --speaker LABEL=ROLE)"
            )
        text_key = _first_key(raw, _TEXT_KEYS)
        text = raw.get(text_key) if text_key else None
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise ReaderError(f"conversation {conv_id}: turn {ti} 'text' is not a string")
        value_path = path_prefix + (list_key, ti, text_key)
        internal = raw.get("internal") is True or raw.get("public") is False
        reply_to = raw.get("reply_to")
        if reply_to is not None and (
            not isinstance(reply_to, int) or isinstance(reply_to, bool) or not 0 <= reply_to < count or reply_to == ti
        ):
            raise ReaderError(
                f"conversation {conv_id}: turn {ti} 'reply_to' must be the index of another turn (0 to {count - 1})"
            )
        turns.append(
            Turn(
                speaker=speaker,
                text=text,
                name=_str_or_none(raw.get("name")),
                time=_str_or_none(next((raw[k] for k in _TIME_KEYS if raw.get(k) is not None), None)),
                lintable=not internal,
                source=SourceMap(resolver=functools.partial(locate, value_path)),
                meta={k: v for k, v in raw.items() if k not in (speaker_key, text_key, "name", "time", "reply_to")},
                reply_to=reply_to,
            )
        )
    meta = {k: v for k, v in obj.items() if k not in ("id", "channel", "title", list_key)}
    return Conversation(
        id=conv_id,
        path=source.display,
        turns=turns,
        channel=_str_or_none(obj.get("channel")),
        title=_str_or_none(obj.get("title")),
        meta=meta,
    )


def _str_or_none(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _json_error(exc: json.JSONDecodeError, source: Source, first_line: int = 1) -> InputError:
    return InputError(source.display, f"invalid JSON: {exc.msg} (column {exc.colno})", first_line + exc.lineno - 1)


@register_shape
class NativeShape(JsonShape):
    """The contract format: one conversation, a list of them, or ``{"conversations": [...]}``."""

    name = "native"
    description = "conversation with 'turns'"
    priority = 50

    def matches(self, data: Any) -> bool:
        if isinstance(data, dict) and isinstance(data.get("conversations"), list):
            return True
        if isinstance(data, list):
            first = next((item for item in data if isinstance(item, dict)), None)
            return first is not None and is_native_conversation(first)
        return is_native_conversation(data)

    def read(self, data: Any, ctx: JsonContext) -> Iterator[ReadResult]:
        source = ctx.source
        prefix: tuple[Any, ...] | None
        if isinstance(data, dict) and isinstance(data.get("conversations"), list):
            items, prefix = data["conversations"], ("conversations",)
        elif isinstance(data, list):
            items, prefix = data, ()
        else:
            items, prefix = [data], None
        if not items:
            yield InputError(source.display, "no conversations in file")
            return
        for i, item in enumerate(items):
            index = ctx.document_index if prefix is None else i
            path_prefix = ctx.base if prefix is None else ctx.base + prefix + (i,)
            try:
                yield conversation_from_object(item, source, index, ctx.options, ctx.locate, path_prefix)
            except ReaderError as exc:
                yield InputError(source.display, exc.message if prefix is None else f"item {i}: {exc.message}")


@register
class NativeJsonReader(Reader):
    name = "json"
    extensions = (".json",)
    description = (
        "JSON: native conversations, helpdesk exports (Zendesk, Intercom, Freshdesk, Help Scout, Front), saved replies"
    )

    @classmethod
    def sniff(cls, text: str) -> bool:
        return text.lstrip()[:1] in ("{", "[")

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            text = source.read_text(options.encoding)
        except ReaderError as exc:
            yield InputError(exc.path or source.display, exc.message, exc.line)
            return
        yield from self.read_text(source, text, options)

    def read_text(self, source: Source, text: str, options: ReadOptions) -> Iterator[ReadResult]:
        if not text.strip():
            yield InputError(source.display, "empty file")
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _json_error(exc, source)
            return
        except RecursionError:
            yield InputError(source.display, "JSON nested too deeply")
            return
        positions = JsonDocumentPositions(text)
        yield from read_json_document(data, JsonContext(source, options, positions.locate))


#: After this many lines of a JSONL file fail with the same message, the rest are counted.
_REPEATED_ERRORS_SHOWN = 3


@dataclass
class RepeatedErrors:
    """A file whose every line has the same problem (a JSONL file of another schema) should
    give a few errors and a count, not one per line. Counts of errors left out in parts of the
    file read elsewhere are merged in with ``add_hidden``."""

    seen: Counter = field(default_factory=Counter)
    first_line: dict[str, int] = field(default_factory=dict)

    def show(self, error: InputError) -> bool:
        """Count ``error``; whether it is still to be shown."""
        self.seen[error.message] += 1
        self.first_line.setdefault(error.message, error.line or 0)
        return self.seen[error.message] <= _REPEATED_ERRORS_SHOWN

    def hidden(self) -> dict[str, tuple[int, int]]:
        """{message: (errors not shown, line of the first)}."""
        return {
            message: (count - _REPEATED_ERRORS_SHOWN, self.first_line[message])
            for message, count in self.seen.items()
            if count > _REPEATED_ERRORS_SHOWN
        }

    def add_hidden(self, hidden: dict[str, tuple[int, int]]) -> None:
        for message, (count, line) in hidden.items():
            self.seen[message] += count
            self.first_line.setdefault(message, line)

    def summary(self, display: str) -> Iterator[InputError]:
        for message, (count, line) in self.hidden().items():
            yield InputError(display, f"{count} more line(s) after line {line} with the same error: {message}")

    def __bool__(self) -> bool:
        return bool(self.seen)


@register
class NativeJsonlReader(Reader):
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")
    description = "native conversations, one JSON object per line (streamed)"

    @classmethod
    def sniff(cls, text: str) -> bool:
        lines = [line for line in text.splitlines() if line.strip()]
        return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:3])

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        repeated = RepeatedErrors()
        any_line = False
        for item in self._read_lines(source, options):
            if isinstance(item, InputError):
                if not repeated.show(item):
                    continue
            else:
                any_line = True
            yield item
        yield from repeated.summary(source.display)
        if not any_line and not repeated:
            yield InputError(source.display, "empty file")

    def _read_lines(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        return self.read_numbered_lines(source, options, self._lines(source, options))

    def read_numbered_lines(
        self, source: Source, options: ReadOptions, lines: Iterable[tuple[int, str | InputError]]
    ) -> Iterator[ReadResult]:
        """The conversations and errors of ``(line number, line)`` pairs: one part of a file,
        read elsewhere (a byte range of a large file linted on a cluster)."""
        for number, line in lines:
            if isinstance(line, InputError):
                yield line
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield _json_error(exc, source, number)
                continue
            except RecursionError:
                yield InputError(source.display, "JSON nested too deeply", number)
                continue
            positions = JsonDocumentPositions(line, first_line=number)
            ctx = JsonContext(source, options, positions.locate, document_index=number - 1)
            for item in read_json_document(obj, ctx):
                if isinstance(item, InputError) and item.line is None:
                    item.line = number
                yield item

    def _lines(self, source: Source, options: ReadOptions) -> Iterator[tuple[int, str | InputError]]:
        """Lines decoded one by one, so a large file is never held in memory at once."""
        if source.data is not None or options.encoding not in (None, "utf-8", "utf8"):
            try:
                text = source.read_text(options.encoding)
            except ReaderError as exc:
                yield 0, InputError(source.display, exc.message, exc.line)
                return
            yield from enumerate(text.split("\n"), start=1)
            return
        try:
            handle = source.open()
        except OSError as exc:
            yield 0, InputError(source.display, f"cannot read: {exc.strerror or exc}")
            return
        with handle:
            head = _head(handle)
            if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in head:
                # As for every other format (readers.base.decode): not one error per line.
                yield 0, InputError(source.display, "looks like a binary file (NUL bytes), skipped")
                return
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                try:
                    text = decode(read_at_most(handle, MAX_WHOLE_FILE_BYTES), source.display)
                except ReadLimitError as exc:
                    yield 0, InputError(source.display, f"file is {exc} for UTF-16 JSONL")
                    return
                except ReaderError as exc:
                    yield 0, InputError(source.display, exc.message, exc.line)
                    return
                yield from enumerate(text.split("\n"), start=1)
                return
            yield from self._utf8_lines(source, handle)

    @staticmethod
    def _utf8_lines(source: Source, handle) -> Iterator[tuple[int, str | InputError]]:
        number = 0
        try:
            for number, raw in enumerate(lines_at_most(handle, MAX_WHOLE_FILE_BYTES), start=1):
                yield decode_line(number, raw, source.display)
        except ReadLimitError as exc:
            # Nothing after an endless line can be trusted to be where it seems: stop here.
            yield number + 1, InputError(source.display, f"{exc}; the rest of the file is not read", number + 1)


def _head(handle: BinaryIO) -> bytes:
    """The first 8 KiB, left unread: peeked where the handle can (a FIFO named on the command
    line cannot seek), read and sought back otherwise (fsspec files, which seek)."""
    peek = getattr(handle, "peek", None)
    if peek is not None:
        return peek(8192)[:8192]
    head = handle.read(8192)
    handle.seek(0)
    return head


def decode_line(number: int, raw: bytes, display: str) -> tuple[int, str | InputError]:
    """Line ``number`` of a UTF-8 JSONL file, decoded (or the error saying why it cannot be)."""
    if number == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        return number, raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        return (
            number,
            InputError(
                display, f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); pass --encoding to read it", number
            ),
        )
