"""Canned responses (macros, saved replies): a ``.md``, ``.txt`` or ``.html`` file is one agent
turn, or several when it is a collection (``## Title`` sections, ``---- TITLE`` separators).

A Markdown file may start with YAML front matter; its ``title`` names the reply in findings.
A ``.txt`` file that reads as a chat log (``Agent: ...`` lines) is read as one instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError, Location, SourceMap, Turn
from cslint.readers._support.htmltext import html_to_text
from cslint.readers.base import Reader, ReadOptions, ReadResult, Source, derived_id, register
from cslint.readers.chatlog import looks_like_chat, parse_chat
from cslint.readers.savedreplies import markdown_replies
from cslint.yamlsource import load_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, line number where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1

    try:
        # The safe loader of rule files: a "billion laughs" of aliases in a reply's front
        # matter would otherwise expand to gigabytes when the title is read.
        meta, _ = load_yaml(match.group("yaml") or "", "", ReaderError)
    except ReaderError as exc:
        raise ReaderError(f"invalid YAML front matter: {exc.message}", line=(exc.line + 1) if exc.line else 1) from None
    meta = meta or {}
    if not isinstance(meta, dict):
        meta = {}
    consumed = match.end()
    return meta, text[consumed:], text[:consumed].count("\n") + 1


def canned_conversation(
    text: str, source: Source, title: str | None = None, first_line: int = 1, meta: dict[str, Any] | None = None
) -> Conversation:
    turn = Turn(speaker="agent", text=text, source=SourceMap.for_lines(text, first_line))
    return Conversation(
        id=derived_id(source), path=source.display, turns=[turn], channel="canned", title=title, meta=meta or {}
    )


@register
class CannedResponseReader(Reader):
    name = "canned"
    fixable = True
    extensions = (".md", ".markdown", ".txt", ".text")
    description = "a canned response: the whole file is one agent reply (Markdown front matter: title)"

    @classmethod
    def sniff(cls, text: str) -> bool:
        return True  # anything that is text can be read as a draft reply

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            text = source.read_text(options.encoding)
            if (
                source.suffix in (".txt", ".text", "")
                and options.input_format != "canned"
                and looks_like_chat(text, options)
            ):
                yield parse_chat(text, source, options)
                return
            meta, body, first_line = (
                split_front_matter(text) if source.suffix in (".md", ".markdown") else ({}, text, 1)
            )
            title = meta.get("title")
            if not body.strip():
                yield InputError(source.display, "empty response")
                return
            # The other front-matter keys (e.g. cslint_disable) travel as conversation metadata.
            extra = {str(k): v for k, v in meta.items() if k != "title"}
            sections = markdown_replies(body, first_line)
            if sections:
                for i, (section_title, section, line) in enumerate(sections):
                    conversation = canned_conversation(section, source, section_title, line, dict(extra))
                    conversation.id = derived_id(source, i)
                    yield conversation
                return
            yield canned_conversation(body, source, str(title) if title is not None else None, first_line, extra)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)


def html_title(raw: str) -> str | None:
    """The text of the first ``<title>`` element, found with plain string searches (a regex
    tried at every ``<title`` of a file without ``>`` takes quadratic time)."""
    lower = raw.lower()
    start = lower.find("<title")
    while start != -1 and lower[start + 6 : start + 7] not in (">", " ", "\t", "\n", "/"):
        start = lower.find("<title", start + 6)
    if start == -1:
        return None
    opened = lower.find(">", start)
    closed = lower.find("</title>", opened) if opened != -1 else -1
    return raw[opened + 1 : closed] if closed != -1 else None


@register
class HtmlReplyReader(Reader):
    name = "html"
    extensions = (".html", ".htm")
    description = "a canned response written in HTML (converted to text; <title> names it)"

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            raw = source.read_text(options.encoding)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        converted = html_to_text(raw)
        if not converted.text.strip():
            yield InputError(source.display, "empty response (no text in the HTML)")
            return
        line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]

        def locate(offset: int) -> Location:
            index = converted.raw_offset(offset)
            line = bisect.bisect_right(line_starts, index) - 1
            return Location(line + 1, index - line_starts[line] + 1)

        title = html_title(raw)
        turn = Turn(speaker="agent", text=converted.text, source=SourceMap(resolver=locate))
        name = " ".join(title.split()) if title else None
        yield Conversation(
            id=derived_id(source), path=source.display, turns=[turn], channel="canned", title=name or None
        )
