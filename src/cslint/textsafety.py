"""Text that every part of cslint can hold: no lone surrogates.

Python strings may hold lone surrogates (U+D800–U+DFFF), which no UTF-8 encoder accepts: a JSON
escape such as ``"\\ud800"`` decodes to one, and a file name that is not valid UTF-8 reaches us
with surrogate escapes. RE2, hashing and every output stream would fail on them, so readers
replace them with U+FFFD. One code point becomes one code point: offsets into the text, and so
every finding's line and column, stay the same.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (the same length)."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def _clean(value):
    return replace_surrogates(value) if isinstance(value, str) else value


def clean_conversation(conversation):
    """``conversation`` with lone surrogates replaced in its id, title, channel and in each
    turn's text, name, speaker and time; the very same object when it has none (the usual
    case costs one scan of the strings). The path is left alone: it names a file, and output
    streams write what cannot be encoded as ``\\udcff`` escapes."""
    import dataclasses

    values = [conversation.id, conversation.title, conversation.channel]
    for t in conversation.turns:
        values += (t.text, t.name, t.speaker, t.time)
    # One search over all the strings joined: a search per string cost more than the scan.
    if not has_surrogates("".join(v for v in values if isinstance(v, str))):
        return conversation
    turns = [
        dataclasses.replace(t, text=_clean(t.text), name=_clean(t.name), speaker=_clean(t.speaker), time=_clean(t.time))
        for t in conversation.turns
    ]
    return dataclasses.replace(
        conversation,
        id=_clean(conversation.id),
        title=_clean(conversation.title),
        channel=_clean(conversation.channel),
        turns=turns,
    )


#: C0 controls except tab and line feed, DEL, and C1 controls: a terminal acts on them (ESC
#: starts sequences that can clear the screen, retitle the window or forge output). Also the
#: bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), which make a
#: terminal show text in another order than it is ("Trojan Source"), and the line and paragraph
#: separators U+2028/U+2029, which some terminals and viewers break lines at.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟ (ESC is ␛)
    if code in (0x2028, 0x2029):
        return "\u2424"  # ␤, the symbol for a new line
    return "\u2421" if code == 0x7F else REPLACEMENT


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (but tab and line feed) shown
    as visible symbols (ESC as ␛, CR as ␍, U+2028 as ␤), bidirectional controls and lone
    surrogates as U+FFFD; one character for one, so offsets into the text still hold."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(_picture, text)
    return replace_surrogates(text)


def one_line(text: str) -> str:
    """``printable`` text on one line: line breaks and tabs shown as ␊, ␍ and ␉ (a diagnostic
    or an error message quoting the input must stay one line)."""
    return printable(text.replace("\r", "\u240d").replace("\n", "\u240a").replace("\t", "\u2409"))
