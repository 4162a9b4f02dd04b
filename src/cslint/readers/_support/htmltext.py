"""HTML bodies (helpdesk exports, saved replies, e-mail parts) as plain text that maps back.

Built on the standard library's ``html.parser`` because it reports where each piece of text
starts in the source, which converters such as html2text do not: every character of the text
we produce remembers the offset of the character in the HTML it came from, so a finding in a
converted body still points at the right place in the file.

Block elements become line breaks (so sentences never run across paragraphs), whitespace is
collapsed as a browser would, entities are decoded, scripts and styles are dropped. Tags that
are not HTML (``<ISSUE_NUMBER>``, ``<name>``) are kept as text: in a reply they are unfilled
placeholders, which rules want to see.
"""

from __future__ import annotations

import html
import re
from array import array
from html.parser import HTMLParser

#: Tags whose start or end breaks the line.
_LINE_TAGS = frozenset(
    "address article aside br dd div dl dt fieldset figcaption figure footer form header hr li main nav "
    "section summary tr caption".split()
)
#: Tags that separate paragraphs (a blank line).
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 ol ul table blockquote pre".split())
_SKIP_TAGS = frozenset("script style head title template noscript".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_KNOWN_TAGS = (
    _LINE_TAGS
    | _PARAGRAPH_TAGS
    | _SKIP_TAGS
    | _VOID_TAGS
    | frozenset(
        "a abbr b bdi bdo big body center cite code del dfn em font html i ins kbd label mark q s samp small "
        "span strike strong sub sup td th thead tbody tfoot u var o:p colgroup button select option textarea "
        "iframe object picture svg video audio canvas map".split()
    )
)

_LOOKS_LIKE_HTML = re.compile(
    r"<(?:/?(?:p|br|div|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|table|tr|td|img|blockquote|html|body|font|hr|pre|code)\b[^<>]*|!DOCTYPE[^<>]*)>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a body is HTML (known tags), as opposed to text that happens to hold ``<name>``."""
    return _LOOKS_LIKE_HTML.search(text) is not None


class HtmlText:
    """Text converted from HTML, with the HTML offset of each character."""

    __slots__ = ("text", "_offsets", "_end")

    def __init__(self, text: str, offsets: array, end: int) -> None:
        self.text = text
        self._offsets = offsets
        self._end = end

    def raw_offset(self, offset: int) -> int:
        """Offset in the HTML source of character ``offset`` of the text."""
        if not self._offsets:
            return 0
        if offset >= len(self._offsets):
            return self._offsets[-1]
        return self._offsets[max(offset, 0)]


class _Converter(HTMLParser):
    def __init__(self, source: str, cut_classes: frozenset[str], skip_quotes: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.cut_classes = cut_classes
        self.skip_quotes = skip_quotes
        self.chars: list[str] = []
        self.offsets = array("l")
        self.skip_stack: list[str] = []
        self.pre_depth = 0
        self.stopped = False
        self.pending_space = False
        self.line_starts = [0]
        for match in re.finditer("\n", source):
            self.line_starts.append(match.end())

    # -- positions -------------------------------------------------------------------------
    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    # -- output ----------------------------------------------------------------------------
    def _emit(self, char: str, offset: int) -> None:
        self.chars.append(char)
        self.offsets.append(offset)

    def _trailing_breaks(self) -> int:
        tail = self.chars[-2:]
        return len(tail) - len("".join(tail).rstrip("\n"))

    def _break(self, count: int, offset: int) -> None:
        """End the current line (count=1) or paragraph (count=2), never piling up breaks."""
        self.pending_space = False
        if not self.chars:
            return
        for _ in range(count - self._trailing_breaks()):
            self._emit("\n", offset)

    def _text(self, data: str, start: int) -> None:
        if self.skip_stack or self.stopped:
            return
        if self.pre_depth:
            for i, char in enumerate(data):
                self._emit(char, start + i)
            return
        for i, char in enumerate(data):
            if char in " \t\r\n\f\u200b":
                if char != "\u200b":
                    self.pending_space = True
                continue
            if self.pending_space and self.chars and self.chars[-1] != "\n":
                self._emit(" ", start + i - 1)
            self.pending_space = False
            self._emit(char, start + i)

    def _literal(self, text: str, offset: int, width: int) -> None:
        """Decoded text (an entity) that stands for ``width`` source characters."""
        if self.skip_stack or self.stopped:
            return
        if self.pending_space and self.chars and self.chars[-1] != "\n":
            self._emit(" ", offset)
        self.pending_space = False
        for char in text:
            if char == "\xa0" and not self.pre_depth:
                char = " "
            self._emit(char, offset)

    # -- parser events ---------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        start = self._here()
        if tag not in _KNOWN_TAGS:
            raw = self.get_starttag_text() or ""
            self._text(raw, start)
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        element_id = attributes.get("id") or ""
        if not self.skip_stack and (classes & self.cut_classes or element_id in self.cut_classes):
            # Everything from here on is quoted history (Gmail, Outlook, Apple Mail markers).
            self.stopped = True
            return
        if tag in _SKIP_TAGS or (self.skip_quotes and tag == "blockquote"):
            if tag not in _VOID_TAGS:
                self.skip_stack.append(tag)
            return
        if self.skip_stack:
            return
        if tag == "br":
            # Each <br> is a line break of its own: "<br><br>" is a blank line.
            if self.chars and self._trailing_breaks() < 2:
                self._emit("\n", start)
            self.pending_space = False
        elif tag in _PARAGRAPH_TAGS:
            self._break(2, start)
        elif tag in _LINE_TAGS:
            self._break(1, start)
        if tag == "li":
            self._emit("-", start)
            self._emit(" ", start)
        if tag == "pre":
            self.pre_depth += 1
        if tag in ("td", "th") and self.chars and self.chars[-1] not in "\n ":
            self._emit(" ", start)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.stopped:
            return
        start = self._here()
        if tag not in _KNOWN_TAGS:
            self._text(f"</{tag}>", start)
            return
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.pop()
            return
        if tag in _VOID_TAGS:
            return
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in _PARAGRAPH_TAGS:
            self._break(2, start)
        elif tag in _LINE_TAGS:
            self._break(1, start)

    def handle_data(self, data):
        self._text(data, self._here())

    def handle_entityref(self, name):
        start = self._here()
        decoded = html.unescape(f"&{name};")
        if decoded == f"&{name};":  # not an entity: keep it as written
            self._text(decoded, start)
        else:
            self._literal(decoded, start, len(name) + 2)

    def handle_charref(self, name):
        start = self._here()
        self._literal(html.unescape(f"&#{name};"), start, len(name) + 3)


#: Markers of quoted history in HTML e-mail: Gmail, Outlook (web and desktop), Apple Mail,
#: Thunderbird and Yahoo. Conversion stops at the first one.
EMAIL_HISTORY_MARKERS = frozenset(
    {
        "gmail_quote",
        "gmail_attr",
        "divRplyFwdMsg",
        "appendonsend",
        "moz-cite-prefix",
        "yahoo_quoted",
        "OLK_SRC_BODY_SECTION",
        "x_divRplyFwdMsg",
    }
)


def _defuse_unclosed(source: str) -> tuple[str, str | None]:
    """``source`` with every ``<`` that no ``>`` follows replaced by a stand-in character, and
    the stand-in (None if nothing was replaced).

    ``html.parser`` retries each such ``<`` as the start of a tag, scanning to the end of the
    input every time: 60 KB of ``<title<title...`` took half a second, a few megabytes would take
    hours. Such a ``<`` is text whatever follows it, so the stand-in (one character for one, so
    offsets do not move) changes nothing but the time; it is turned back into ``<`` in the text.
    """
    tail = source.rfind(">") + 1
    if source.find("<", tail) == -1:
        return source, None
    stand_in = next((chr(c) for c in range(0xE000, 0xF900) if chr(c) not in source), None)
    if stand_in is None:  # every private-use character occurs in the input: leave it be
        return source, None
    return source[:tail] + source[tail:].replace("<", stand_in), stand_in


def html_to_text(source: str, *, email: bool = False) -> HtmlText:
    """Convert HTML to text. With ``email=True``, quoted history (blockquotes and the markers
    mail clients put before it) is left out."""
    fed, stand_in = _defuse_unclosed(source)
    converter = _Converter(fed, EMAIL_HISTORY_MARKERS if email else frozenset(), skip_quotes=email)
    try:
        converter.feed(fed)
        converter.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was converted so far
        pass
    chars, offsets = converter.chars, converter.offsets
    # Trim surrounding whitespace (and trailing spaces on lines) so texts read as written.
    start = 0
    while start < len(chars) and chars[start] in " \n":
        start += 1
    end = len(chars)
    while end > start and chars[end - 1] in " \n":
        end -= 1
    kept_chars: list[str] = []
    kept_offsets = array("l")
    for i in range(start, end):
        if chars[i] == " " and i + 1 < end and chars[i + 1] == "\n":
            continue
        kept_chars.append(chars[i])
        kept_offsets.append(offsets[i])
    text = "".join(kept_chars)
    if stand_in is not None:
        text = text.replace(stand_in, "<")
    return HtmlText(text, kept_offsets, len(source))
