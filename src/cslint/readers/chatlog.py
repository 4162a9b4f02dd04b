"""Plain chat logs: one turn starts at a line ``Label: text``; following lines continue it.

Recognised line starts (timestamps optional)::

    Agent: Hello, how can I help?
    [10:02] Customer: My parcel never came.
    [2024-03-01 10:03] Sam (agent): I'm sorry to hear that.
    10:04 Ann (customer): Thanks

The label is a role word (agent, customer, support, user, bot, system, ...), or ``Name (role)``.
Other labels (agent names, say) are mapped with ``--speaker "Sam=agent"``. A line whose label
is not a known speaker continues the current turn, so "Note: ..." inside a message is safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError, SourceMap, Turn, normalize_speaker
from cslint.readers.base import Reader, ReadOptions, ReadResult, Source, derived_id, register

# Runs of blanks are matched possessively (``*+``): the label may hold blanks too, and letting
# the two share a run of blanks made a line of 20,000 spaces take 18 s (quadratic backtracking).
_LINE = re.compile(
    r"""^(?P<indent>[ \t]*+)
    (?:\[(?P<btime>[^\]\n]{1,40})\][ \t]*+|(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?)[ \t]++(?:-[ \t]++)?)?
    (?P<label>[^:\n]{1,60}?)[ \t]*+:[ \t]?(?P<text>.*)$""",
    re.VERBOSE,
)
_NAME_ROLE = re.compile(r"^(?P<a>[^()]{1,50}?)\s*\((?P<b>[^()]{1,30})\)$")


def speaker_of(label: str, options: ReadOptions) -> tuple[str, str | None] | None:
    """(role, display name) for a line label, or None if the label is not a speaker."""
    key = label.strip().lower()
    if key in options.speaker_labels:
        return options.speaker_labels[key], label.strip()
    role = normalize_speaker(key)
    if role:
        return role, None
    match = _NAME_ROLE.match(label.strip())
    if match:
        a, b = match.group("a").strip(), match.group("b").strip()
        role_b, role_a = normalize_speaker(b), normalize_speaker(a)
        if role_b:
            return role_b, a
        if role_a:
            return role_a, b
    return None


def parse_chat(text: str, source: Source, options: ReadOptions) -> Conversation:
    turns: list[Turn] = []
    current: dict | None = None

    def close() -> None:
        if current is None:
            return
        lines = current["lines"]
        while lines and not lines[-1].strip():
            lines.pop()
        body = "\n".join(lines)
        segments = [(0, current["line"], current["column"])]
        offset = len(lines[0]) + 1 if lines else 0
        for i in range(1, len(lines)):
            segments.append((offset, current["line"] + i, 1))
            offset += len(lines[i]) + 1
        turns.append(
            Turn(
                speaker=current["role"],
                text=body,
                name=current["name"],
                time=current["time"],
                source=SourceMap(segments),
            )
        )

    for number, line in enumerate(text.split("\n"), start=1):
        match = _LINE.match(line)
        who = speaker_of(match.group("label"), options) if match else None
        if match and who:
            close()
            role, name = who
            column = match.start("text") + 1
            current = {
                "role": role,
                "name": name,
                "time": match.group("btime") or match.group("time"),
                "line": number,
                "column": column,
                "lines": [match.group("text")],
            }
        elif current is not None:
            current["lines"].append(line)
    close()
    if not turns:
        raise ReaderError(
            "no turns found: expected lines such as 'Agent: ...' and 'Customer: ...' (map other labels with --speaker NAME=ROLE)"
        )
    return Conversation(id=derived_id(source), path=source.display, turns=turns, channel="chat")


def looks_like_chat(text: str, options: ReadOptions | None = None) -> bool:
    options = options or ReadOptions()
    hits = 0
    for line in text.split("\n")[:200]:
        match = _LINE.match(line)
        if match and speaker_of(match.group("label"), options):
            hits += 1
            if hits >= 2:
                return True
    return False


@register
class ChatLogReader(Reader):
    name = "chat"
    fixable = True
    extensions = (".log", ".chat")
    description = "plain chat logs: 'Agent: ...' / 'Customer: ...' lines, optional [10:02] times"

    @classmethod
    def sniff(cls, text: str) -> bool:
        return looks_like_chat(text)

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            text = source.read_text(options.encoding)
            yield parse_chat(text, source, options)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
