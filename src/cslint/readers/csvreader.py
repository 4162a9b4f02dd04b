"""CSV/TSV exports: one message per row, or one exchange per row.

Columns are found from common header names and can be set with ``--csv-columns
id=ticket,speaker=role,text=message,time=sent``. Layouts, tried in this order:

* **turns**: a text column and a speaker column (``speaker``/``role``/``author``/``from``, or
  a true/false column such as ``inbound``). Rows are grouped into conversations by the id
  column, in file order; without one, by a reply graph (``tweet_id`` +
  ``in_response_to_tweet_id``, ``message_id`` + ``in_reply_to``: threads rebuilt from the
  replies, in time order); otherwise the whole file is one conversation.
* **pairs**: a customer column (``instruction``/``question``/``body``...) and an agent
  column (``response``/``answer``/``reply``): each row is a customer turn and the agent reply.
* **replies**: a title and a text column only: each row is one canned response.
* **e-mails**: a column holding raw RFC 822 messages: each row is read as an e-mail.

A finding points at the line and column of its text inside the row (multi-line quoted
fields included).
"""

from __future__ import annotations

import bisect
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError, Location, SourceMap, Turn, normalize_speaker
from cslint.readers.base import Reader, ReadOptions, ReadResult, Source, decode, derived_id, register
from cslint.readers.offsets import EscapeMap, quoted_field_map
from cslint.timestamps import parse_timestamp

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

#: Header names (normalised: lower case, '_' for spaces and dashes) for each column role.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": (
        "conversation_id",
        "conversationid",
        "conversation",
        "ticket_id",
        "ticketid",
        "ticket",
        "thread_id",
        "threadid",
        "thread",
        "dialog_id",
        "dialogue_id",
        "dialog",
        "chat_id",
        "session_id",
        "case_id",
    ),
    "speaker": (
        "speaker",
        "role",
        "speaker_role",
        "author_role",
        "author_type",
        "sender_type",
        "author",
        "sender",
        "from",
        "direction",
        "inbound",
        "is_inbound",
        "incoming",
        "outbound",
        "is_agent",
        "from_agent",
        "is_customer",
    ),
    "text": (
        "text",
        "message",
        "body",
        "content",
        "utterance",
        "comment",
        "message_text",
        "message_body",
        "transcript",
    ),
    "time": ("time", "timestamp", "created_at", "created", "datetime", "date", "sent_at", "time_stamp"),
    # A tweet's author_id names its account: the brand's handle for the care team's tweets,
    # an id for a customer's (one author's posts in a thread are told apart by it).
    "name": (
        "name",
        "author_name",
        "sender_name",
        "display_name",
        "agent_name",
        "author_id",
        "user_id",
        "sender_id",
        "screen_name",
        "user_name",
        "username",
    ),
    "title": ("title", "subject", "macro", "macro_name", "template_name"),
    "customer": (
        "instruction",
        "question",
        "query",
        "request",
        "customer_message",
        "customer_text",
        "customer",
        "input",
        "prompt",
        "body",
        "message",
        "text",
    ),
    "agent": (
        "response",
        "answer",
        "reply",
        "agent_response",
        "agent_message",
        "agent_text",
        "agent_reply",
        "agent",
        "output",
    ),
    "message_id": ("tweet_id", "message_id", "msg_id", "post_id", "comment_id"),
    "parent": (
        "in_response_to_tweet_id",
        "in_reply_to",
        "in_reply_to_id",
        "in_response_to",
        "parent_id",
        "reply_to",
        "parent",
    ),
}
COLUMN_ROLES = tuple(COLUMN_NAMES)

#: True/false speaker columns: which role ``true`` means.
_BOOLEAN_SPEAKERS = {
    "inbound": "customer",
    "is_inbound": "customer",
    "incoming": "customer",
    "is_customer": "customer",
    "outbound": "agent",
    "is_agent": "agent",
    "from_agent": "agent",
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_DIRECTIONS = {
    "inbound": "customer",
    "incoming": "customer",
    "in": "customer",
    "outbound": "agent",
    "outgoing": "agent",
    "out": "agent",
}
_RAW_EMAIL = re.compile(r"\A(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\n){3}")
#: Stands in for a carriage return inside an unquoted field while the csv module reads.
_CR = "\ue000"


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower()).strip("_")


@dataclass
class Columns:
    """Column indices by role (only the roles found)."""

    index: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)

    def get(self, role: str) -> int | None:
        return self.index.get(role)

    def name(self, role: str) -> str:
        return self.headers[self.index[role]]


def find_columns(headers: list[str], overrides: dict[str, str]) -> Columns:
    normal = [normalise_header(h) for h in headers]
    columns = Columns(headers=headers)
    for role, wanted in overrides.items():
        key = normalise_header(wanted)
        if key not in normal:
            raise ReaderError(f"--csv-columns {role}={wanted}: no such column (columns: {', '.join(headers)})", line=1)
        columns.index[role] = normal.index(key)
    taken = set(columns.index.values())
    for role, names in COLUMN_NAMES.items():
        if role in columns.index:
            continue
        # A one-exchange-per-row file has no speaker: its customer column may be the one that
        # also looks like the text column ("body"), so customer/agent may share with text.
        busy = taken - {columns.index.get("text")} if role in ("customer", "agent") else taken
        for name in names:
            if name in normal and normal.index(name) not in busy:
                columns.index[role] = normal.index(name)
                if role not in ("customer", "agent"):
                    taken.add(normal.index(name))
                break
    return columns


def parse_time(value: str) -> float | None:
    """Epoch seconds of a time cell, for putting rows in order (``cslint.timestamps``)."""
    return parse_timestamp(value)


@dataclass
class Row:
    line: int  # first line of the record in the file
    fields: list[str]
    order: int
    last_line: int = 0  # last line of the record (0: not known)


class CsvFile:
    """The decoded file: its records with their lines, and field positions on demand."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.lines = text.split("\n")
        self.delimiter = delimiter
        #: (first line of a record, column) -> the field's escape map and its record's line ends
        self._fields: dict[tuple[int, int], tuple[EscapeMap, list[int]] | None] = {}

    def records(self) -> Iterator[Row]:
        reader = csv.reader(self._physical_lines(), delimiter=self.delimiter)
        consumed = 0
        order = 0
        for fields in reader:
            start = consumed + 1
            consumed = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            yield Row(start, [f.replace(_CR, "\n") for f in fields], order, consumed)
            order += 1

    def _physical_lines(self) -> Iterator[str]:
        for line in self.lines:
            yield line + "\n"

    def locate(self, row: Row, column: int, offset: int) -> Location:
        """Line and column of character ``offset`` of field ``column`` of ``row``."""
        key = (row.line, column)
        if key not in self._fields:
            self._fields[key] = self._field_map(row, column)
        mapped = self._fields[key]
        if mapped is None:
            return Location(row.line, 1)
        escapes, newlines = mapped
        index = escapes.raw_index(offset)
        line = bisect.bisect_left(newlines, index)
        line_start = newlines[line - 1] + 1 if line else 0
        return Location(row.line + line, index - line_start + 1)

    def _field_map(self, row: Row, column: int) -> tuple[EscapeMap, list[int]] | None:
        """The escapes of one field and the line ends of its record: found once, so a field
        with many findings is not rescanned from the start for each."""
        last = row.last_line if row.last_line >= row.line else row.line - 1 + 10_000
        record = "\n".join(self.lines[row.line - 1 : last])
        start, quoted = _field_start(record, column, self.delimiter)
        if start is None:
            return None
        newlines = [i for i, c in enumerate(record) if c == "\n"] if "\n" in record else []
        return quoted_field_map(record, start, quoted), newlines


def _field_start(record: str, column: int, delimiter: str) -> tuple[int | None, bool]:
    """Offset where field ``column`` of the record's text starts (inside its quotes)."""
    field_index = 0
    i = 0
    length = len(record)
    while i <= length:
        quoted = i < length and record[i] == '"'
        if field_index == column:
            return (i + 1 if quoted else i), quoted
        if quoted:
            i += 1
            while i < length:
                if record[i] == '"':
                    if record[i + 1 : i + 2] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
        while i < length and record[i] not in (delimiter, "\n"):
            i += 1
        if i >= length or record[i] == "\n":
            return None, False
        i += 1
        field_index += 1
    return None, False


def _prepare(text: str) -> str:
    """Keep bare carriage returns that sit inside fields (a file whose lines end in LF) as data."""
    text = text.replace("\r\n", "\n")
    if "\r" not in text:
        return text
    if "\n" in text:
        return text.replace("\r", _CR)
    return text.replace("\r", "\n")  # an old Mac file: CR ends the lines


#: How much of a CSV file the delimiter is guessed from.
SNIFF_CHARS = 4096


def _sniff_delimiter(text: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    # csv.Sniffer's quote-guessing regex backtracks quadratically: a first row of 20,000
    # commas inside quotes took 11 s. The header and a few rows decide the delimiter anyway.
    sample = "\n".join(text[:SNIFF_CHARS].split("\n", 50)[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


class SpeakerMapper:
    """Maps the speaker column's values to roles, collecting the values it cannot map."""

    def __init__(self, header: str, options: ReadOptions) -> None:
        self.boolean = _BOOLEAN_SPEAKERS.get(normalise_header(header))
        self.options = options
        self.unknown: dict[str, int] = {}

    def role(self, value: str, line: int) -> str | None:
        key = value.strip().lower()
        if key in self.options.speaker_labels:
            return self.options.speaker_labels[key]
        if self.boolean:
            if key in _TRUE:
                return self.boolean
            if key in _FALSE:
                return "customer" if self.boolean == "agent" else "agent"
        role = normalize_speaker(key) or _DIRECTIONS.get(key)
        if role is None:
            self.unknown.setdefault(value.strip(), line)
        return role

    def error(self, source: Source) -> InputError | None:
        if not self.unknown:
            return None
        shown = ", ".join(repr(v) for v in list(self.unknown)[:5])
        more = f" and {len(self.unknown) - 5} more" if len(self.unknown) > 5 else ""
        first = min(self.unknown.values())
        return InputError(
            source.display,
            f"rows with unknown speaker {shown}{more} were skipped (map them with --speaker LABEL=ROLE)",
            first,
        )


@register
class CsvReader(Reader):
    name = "csv"
    extensions = (".csv", ".tsv")
    description = "CSV/TSV: one message per row (conversation id, speaker, text, time) or one exchange per row"

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            text = _prepare(decode(source.read_bytes(), source.display, options.encoding, normalize_newlines=False))
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        if not text.strip():
            yield InputError(source.display, "empty file")
            return
        csv_file = CsvFile(text, _sniff_delimiter(text, source.suffix))
        records = csv_file.records()
        try:
            header_row = next(records, None)
            rows = list(records)
        except csv.Error as exc:
            yield InputError(source.display, f"invalid CSV: {exc}")
            return
        if header_row is None:
            yield InputError(source.display, "empty file (no header row)")
            return
        try:
            columns = find_columns(header_row.fields, options.csv_columns)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        if not rows:
            yield InputError(source.display, "no rows after the header")
            return
        layout = _choose_layout(columns, rows)
        if layout is None:
            yield InputError(
                source.display,
                f"cannot tell which columns hold the messages (columns: {', '.join(header_row.fields)}); "
                "name them with --csv-columns id=...,speaker=...,text=...,time=... (or customer=...,agent=...)",
                1,
            )
            return
        produced = False
        for item in layout(source, options, csv_file, columns, rows):
            produced = True
            yield item
        if not produced:  # every row's message cells are empty: say so, never read to nothing
            yield InputError(source.display, f"no row has message text (columns: {', '.join(header_row.fields)})")


def _choose_layout(columns: Columns, rows: list[Row]):
    text = columns.get("text")
    if text is not None and _holds_raw_email(rows, text):
        return read_email_rows
    if text is not None and columns.get("speaker") is not None:
        return read_turn_rows
    if (
        columns.get("agent") is not None
        and columns.get("customer") is not None
        and columns.get("agent") != columns.get("customer")
    ):
        return read_pair_rows
    if text is not None and columns.get("title") is not None:
        return read_reply_rows
    if columns.get("agent") is not None:
        return read_reply_rows
    return None


def _holds_raw_email(rows: list[Row], column: int) -> bool:
    sample = [r.fields[column] for r in rows[:5] if column < len(r.fields)]
    return bool(sample) and all(_RAW_EMAIL.match(value.lstrip()) for value in sample)


def _cell(row: Row, column: int | None) -> str:
    if column is None or column >= len(row.fields):
        return ""
    return row.fields[column]


def _turn(
    csv_file: CsvFile, row: Row, column: int | None, speaker: str, name: str | None = None, time: str | None = None
) -> Turn:
    assert column is not None  # only called for a cell that holds text
    return Turn(
        speaker=speaker,
        text=row.fields[column],
        name=name or None,
        time=time or None,
        source=SourceMap(resolver=lambda offset: csv_file.locate(row, column, offset)),
        meta={"row_line": row.line},
    )


def read_turn_rows(
    source: Source, options: ReadOptions, csv_file: CsvFile, columns: Columns, rows: list[Row]
) -> Iterator[ReadResult]:
    speakers = SpeakerMapper(columns.name("speaker"), options)
    text_col, speaker_col = columns.get("text"), columns.get("speaker")
    name_col, time_col = columns.get("name"), columns.get("time")
    turns_by_row: dict[int, Turn] = {}
    for row in rows:
        text = _cell(row, text_col)
        if not text.strip():
            continue
        role = speakers.role(_cell(row, speaker_col), row.line)
        if role is None:
            continue
        turns_by_row[row.order] = _turn(csv_file, row, text_col, role, _cell(row, name_col), _cell(row, time_col))
    id_col, message_col, parent_col = columns.get("id"), columns.get("message_id"), columns.get("parent")
    parent_of: dict[int, Row] = {}
    if id_col is not None:
        groups = _group_by_id(rows, id_col)
        channel = None
    elif message_col is not None and parent_col is not None:
        parent_of = _reply_graph(rows, message_col, parent_col)
        groups = _group_by_replies(rows, message_col, parent_of, time_col)
        channel = "social" if "tweet" in columns.name("message_id").lower() else None
    else:
        groups = [(None, rows)]
        channel = None
    error = speakers.error(source)
    if error:
        yield error
    produced = 0
    for conv_id, members in groups:
        kept = [r for r in members if r.order in turns_by_row]
        turns = [turns_by_row[r.order] for r in kept]
        if not turns:
            continue
        # A thread's branches interleave in time: each turn keeps which one it answers.
        index_of = {r.order: i for i, r in enumerate(kept)}
        for row, turn in zip(kept, turns):
            parent = parent_of.get(row.order)
            if parent is not None and parent.order in index_of:
                turn.reply_to = index_of[parent.order]
        produced += 1
        yield Conversation(
            id=conv_id or derived_id(source), path=source.display, turns=turns, channel=channel, meta={"format": "csv"}
        )
    if not produced and not error:
        yield InputError(source.display, "no rows with text")


def _group_by_id(rows: list[Row], id_col: int) -> list[tuple[str | None, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(_cell(row, id_col).strip() or "(no id)", []).append(row)
    return list(groups.items())


def _message_key(value: str) -> str:
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value  # pandas writes integer ids as floats


def _reply_graph(rows: list[Row], id_col: int, parent_col: int) -> dict[int, Row]:
    """Each row's parent (the message it answers), by row order, where the file holds it."""
    by_id = {_message_key(_cell(r, id_col)): r for r in rows if _cell(r, id_col).strip()}
    parent_of = {}
    for row in rows:
        parent = _message_key(_cell(row, parent_col))
        if parent and parent in by_id:
            parent_of[row.order] = by_id[parent]
    return parent_of


def _group_by_replies(
    rows: list[Row], id_col: int, parent_of: dict[int, Row], time_col: int | None
) -> list[tuple[str | None, list[Row]]]:
    """Threads from a reply graph: each row joins the thread of the message it answers."""
    root_cache: dict[int, Row] = {}

    def root(row: Row) -> Row:
        seen: list[Row] = []
        current = row
        while current.order in parent_of and current.order not in root_cache and len(seen) < 10_000:
            seen.append(current)
            current = parent_of[current.order]
            if current in seen:  # a cycle in broken data: stop at it
                break
        found = root_cache.get(current.order, current)
        for member in seen:
            root_cache[member.order] = found
        return found

    threads: dict[int, list[Row]] = {}
    for row in rows:
        threads.setdefault(root(row).order, []).append(row)
    groups = []
    for root_order, members in threads.items():
        times = [parse_time(_cell(r, time_col)) for r in members] if time_col is not None else []
        if times and all(t is not None for t in times):
            ordered = [r for _, r in sorted(zip(times, members), key=lambda pair: (pair[0], pair[1].order))]
        else:
            ordered = _tree_order(members, parent_of)
        root_row = next(r for r in members if r.order == root_order)
        groups.append((_message_key(_cell(root_row, id_col)) or None, ordered))
    return groups


def _tree_order(members: list[Row], parent_of: dict[int, Row]) -> list[Row]:
    """Parents before their replies (depth first), siblings in file order."""
    children: dict[int, list[Row]] = {}
    roots = []
    member_orders = {r.order for r in members}
    for row in members:
        parent = parent_of.get(row.order)
        if parent is not None and parent.order in member_orders:
            children.setdefault(parent.order, []).append(row)
        else:
            roots.append(row)
    ordered, stack = [], list(reversed(roots))
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row.order, [])))
    return ordered


def read_pair_rows(
    source: Source, options: ReadOptions, csv_file: CsvFile, columns: Columns, rows: list[Row]
) -> Iterator[ReadResult]:
    customer_col, agent_col = columns.get("customer"), columns.get("agent")
    id_col, title_col = columns.get("id"), columns.get("title")
    for i, row in enumerate(rows):
        turns = []
        if _cell(row, customer_col).strip():
            turns.append(_turn(csv_file, row, customer_col, "customer"))
        if _cell(row, agent_col).strip():
            turns.append(_turn(csv_file, row, agent_col, "agent"))
        if not turns:
            continue
        conv_id = _cell(row, id_col).strip() or derived_id(source, i)
        meta = {"format": "csv"}
        if _cell(row, title_col).strip():
            meta["subject"] = _cell(row, title_col).strip()
        yield Conversation(id=conv_id, path=source.display, turns=turns, title=meta.get("subject"), meta=meta)


def read_reply_rows(
    source: Source, options: ReadOptions, csv_file: CsvFile, columns: Columns, rows: list[Row]
) -> Iterator[ReadResult]:
    text_col = columns.get("agent") if columns.get("agent") is not None else columns.get("text")
    id_col, title_col = columns.get("id"), columns.get("title")
    for i, row in enumerate(rows):
        if not _cell(row, text_col).strip():
            continue
        conv_id = _cell(row, id_col).strip() or derived_id(source, i)
        title = _cell(row, title_col).strip() or None
        yield Conversation(
            id=conv_id,
            path=source.display,
            turns=[_turn(csv_file, row, text_col, "agent")],
            channel="canned",
            title=title,
            meta={"format": "csv"},
        )


def read_email_rows(
    source: Source, options: ReadOptions, csv_file: CsvFile, columns: Columns, rows: list[Row]
) -> Iterator[ReadResult]:
    from cslint.readers.mail import messages_from_csv_rows, threads_to_conversations

    text_col = columns.get("text")
    assert text_col is not None  # the e-mail layout is chosen by its text column
    messages = messages_from_csv_rows(source, [(row, _cell(row, text_col), csv_file, text_col) for row in rows])
    yield from threads_to_conversations(source, messages, options)
