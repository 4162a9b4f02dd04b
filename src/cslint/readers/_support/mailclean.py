"""Which lines of an e-mail body are the sender's own words.

Quoted history and signatures must never be linted as the sender's: an agent's reply that
quotes the customer's complaint would otherwise be blamed for the customer's words. We decide
per line, so the lines we keep still map back to the file:

* quoted history: from the first reply header on ("On Mon, 1 Mar 2024, Ann wrote:", Outlook
  "From: ... Sent: ..." blocks, "-----Original Message-----", in the languages that
  ``mail-parser-reply`` knows), forwarded blocks, and every ``>`` line with its attribution;
* signatures: the RFC 3676 ``-- `` delimiter, "Sent from my iPhone"-style lines, legal
  disclaimers ("This e-mail is confidential ...") and the name/contact block under a closing
  such as "Best regards," (the closing itself is kept: it is part of the reply).

Header patterns come from ``mail-parser-reply`` (multi-language, maintained); we only decide
where its matches start, since its own splitter drops text we must keep (it treats any line
starting with "Thanks," as the start of a signature).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from mailparser_reply.constants import MAIL_LANGUAGES
from mailparser_reply.parser import EmailMessage

_QUOTED = re.compile(r"^[ \t]*>")
_SIG_DELIMITER = re.compile(r"^--[ \t]?$")
_FORWARDED = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:Forwarded message|Forwarded by\b.*|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht)[ \t]*-{2,}"
    r"|-{3,}[ \t]*Forwarded by\b.*|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|-{3,}[ \t]*Original Message[ \t]*-{3,}|_{20,})[ \t]*$",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał|skrev|kirjoitti)\s*:\s*$", re.IGNORECASE
)
_CLOSING = re.compile(
    r"^[ \t]*+(?:(?:best|kind|warm|warmest|many|with)?[ \t]*(?:regards|wishes)|best|cheers|thanks|thank you|many thanks|thanks again|sincerely|yours(?: sincerely| truly)?|"
    r"all the best|take care|respectfully|mit freundlichen grüßen|viele grüße|beste grüße|cordialement|saludos|un saluto|met vriendelijke groet)[ \t]*+[,!.]?[ \t]*+$",
    re.IGNORECASE,
)
_DISCLAIMER_START = re.compile(
    r"^[ \t*]*(?:CONFIDENTIALITY(?: NOTICE)?|DISCLAIMER|(?:Privileged|Confidential|Important) (?:Notice|Note|Information)|"
    r"This (?:e-?mail|message|communication)(?: and any (?:files|attachments)[^.]{0,40})? (?:is|are|may contain|contains) (?:confidential|intended|privileged)|"
    r"The information (?:contained )?in this (?:e-?mail|message|communication)|"
    r"If you (?:are not|have received this) (?:the intended recipient|(?:e-?mail|message) in error))",
    re.IGNORECASE,
)
#: A signature block under a closing is short: a name, a role, a phone number, a link.
_MAX_SIGNATURE_LINES = 6
#: Markers of quoted history and signatures ("On ... wrote:", "Best regards,", "-- ",
#: "-----Original Message-----") are short lines. Longer lines are never markers, and only the
#: first (or, for endings, last) this many characters of a line are tested: some of these
#: patterns (the attribution patterns of ``mailparser_reply`` among them) backtrack
#: quadratically, so a 1 MB line without a line break would otherwise take hours.
MAX_MARKER_CHARS = 200


def _head(line: str) -> str:
    return line[:MAX_MARKER_CHARS]


def _is_short(line: str) -> bool:
    return len(line) <= MAX_MARKER_CHARS


@lru_cache(maxsize=1)
def _header_regex() -> re.Pattern:
    return EmailMessage(text="", languages=list(MAIL_LANGUAGES)).HEADER_REGEX


@lru_cache(maxsize=1)
def _sent_from_regex() -> re.Pattern:
    patterns = [lang["sent_from"] for lang in MAIL_LANGUAGES.values() if lang.get("sent_from")]
    return re.compile(r"^[ \t]*(?:" + "|".join(patterns) + r")", re.IGNORECASE)


def history_start(lines: list[str]) -> int:
    """Index of the first line of quoted history (len(lines) if none)."""
    end = len(lines)
    for i, line in enumerate(lines):
        if _is_short(line) and _FORWARDED.match(line):
            end = i
            break
    stripped = "\n".join(_head(line.strip()) for line in lines[:end])
    match = _header_regex().search(stripped)
    if match:
        start = match.start()
        while start < len(stripped) and stripped[start] == "\n":
            start += 1
        end = min(end, stripped.count("\n", 0, start))
    return end


def _signature_start(lines: list[str], kept: list[int]) -> int | None:
    """Position in ``kept`` where the signature starts, or None."""
    sent_from = _sent_from_regex()
    for position, i in enumerate(kept):
        line = lines[i]
        if _is_short(line) and (_SIG_DELIMITER.match(line.rstrip(" \t")) or line.strip() == "--"):
            return position
        if _is_short(line) and sent_from.match(line) and len(line.split()) <= 8:
            return position
        if position > 0 and _DISCLAIMER_START.match(_head(line)):
            return position
    # A short block of short lines after a closing ("Best regards," / "Sam" / "Acme Support").
    for position in range(len(kept) - 1, -1, -1):
        if _is_short(lines[kept[position]]) and _CLOSING.match(lines[kept[position]]):
            rest = [lines[i] for i in kept[position + 1 :] if lines[i].strip()]
            if (
                rest
                and len(rest) <= _MAX_SIGNATURE_LINES
                and all(len(r.strip()) <= 80 and not r.rstrip().endswith((".", "?", "!")) for r in rest)
            ):
                return position + 1
            break
    return None


def _is_attribution(line: str) -> bool:
    return _ATTRIBUTION.search(line[-MAX_MARKER_CHARS:]) is not None


def own_lines(lines: list[str]) -> list[int]:
    """Indices of the lines that are the sender's own text, in order."""
    end = history_start(lines)
    kept: list[int] = []
    for i in range(end):
        line = lines[i]
        if _QUOTED.match(line):
            # Drop the attribution line introducing this quote ("Ann <ann@x> wrote:").
            while kept and (not lines[kept[-1]].strip() or _is_attribution(lines[kept[-1]])):
                if _is_attribution(lines[kept[-1]]):
                    kept.pop()
                    break
                kept.pop()
            continue
        kept.append(i)
    cut = _signature_start(lines, kept)
    if cut is not None:
        kept = kept[:cut]
    while kept and not lines[kept[0]].strip():
        kept.pop(0)
    while kept and not lines[kept[-1]].strip():
        kept.pop()
    return kept


def own_text(text: str) -> tuple[str, Callable[[int], int]]:
    """The sender's own text, and a map from its offsets back to offsets in ``text``."""
    lines = text.split("\n")
    kept = own_lines(lines)
    if kept == list(range(len(lines))):
        return text, lambda offset: offset
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    pieces: list[str] = []
    new_starts: list[int] = []
    origins: list[int] = []
    offset = 0
    for index in kept:
        pieces.append(lines[index])
        new_starts.append(offset)
        origins.append(starts[index])
        offset += len(lines[index]) + 1

    def to_original(at: int) -> int:
        k = bisect.bisect_right(new_starts, at) - 1
        if k < 0:
            return 0
        return origins[k] + (at - new_starts[k])

    return "\n".join(pieces), to_original
