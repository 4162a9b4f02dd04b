"""E-mail: ``.eml`` (one message) and ``.mbox`` (many), grouped into threads.

A thread is one conversation: messages are joined through ``Message-ID`` / ``In-Reply-To`` /
``References`` and, failing those, the subject without "Re:"/"Fwd:" prefixes, then put in
date order. Each message is one turn holding only the sender's own words (``mailclean``
removes quoted history and signatures); the text/plain part is preferred, an HTML part is
converted. Charsets and transfer encodings are decoded by the standard ``email`` package.

Who is the agent: a sender matching ``--agent-domain`` (a domain such as ``acme.com``, or an
address), or ``--speaker ADDRESS=ROLE``; else a role address (support@, help@, noreply@...)
is the agent's, automatic replies (``Auto-Submitted``) are a bot's, and in a thread the sender
of the first message is the customer and whoever answers is the agent. A lone message is the
customer's unless it is a reply that is not addressed to a role address.

Positions: for plain-text parts (7bit/8bit, quoted-printable) a finding points at the line and
column in the file; for base64 parts, at the line where the part's body starts.
"""

from __future__ import annotations

import bisect
import codecs
import email
import email.headerregistry
import email.policy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage as StdMessage
from email.message import MIMEPart
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError, Location, SourceMap, Turn
from cslint.readers._support.htmltext import html_to_text
from cslint.readers._support.mailclean import own_text
from cslint.readers.base import Reader, ReadOptions, ReadResult, Source, derived_id, register

#: Local parts of addresses that belong to the company, not to a person writing in.
ROLE_LOCAL_PARTS = frozenset(
    "support help helpdesk service services customerservice customer.service customer-service customersupport "
    "customer.support customer-support customercare care contact hello team info billing sales noreply no-reply "
    "donotreply do-not-reply notifications notification mailer-daemon postmaster".split()
)
_SUBJECT_PREFIX = re.compile(
    r"^(?:\s*(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r)\s*(?:\[\d+\])?\s*:\s*|\s*\[[^\]]{1,40}\]\s*)+", re.IGNORECASE
)
_REQUIRED_HEADERS = ("from", "date", "subject", "message-id", "to")

Locate = Callable[[int], Location]

#: Longer header values are cut to this length before the standard library parses them: its
#: header parser is quadratic, and a 1 MB Subject would take most of an hour. Real headers are
#: far shorter (RFC 5322 lines stop at 998 characters; a long References header is a few KB).
MAX_HEADER_CHARS = 16 * 1024


class _BoundedHeaders(email.headerregistry.HeaderRegistry):
    def __call__(self, name: str, value: str):
        return super().__call__(name, value[:MAX_HEADER_CHARS])


#: The modern e-mail policy, with header values cut to MAX_HEADER_CHARS.
POLICY = email.policy.default.clone(header_factory=_BoundedHeaders())


@dataclass
class MailMessage:
    """One parsed message: headers we need, and the sender's own text with its positions."""

    order: int
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    subject: str
    address: str
    name: str | None
    recipients: list[str]
    date: float | None
    date_text: str | None
    automatic: bool
    text: str
    source: SourceMap
    line: int
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_reply(self) -> bool:
        return bool(self.in_reply_to or self.references) or bool(
            _SUBJECT_PREFIX.match(self.subject) and self.subject.lower().lstrip().startswith(("re", "aw", "sv", "antw"))
        )

    @property
    def thread_subject(self) -> str:
        return _SUBJECT_PREFIX.sub("", self.subject).strip().lower()


# -- parsing ---------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _header_end(lines: list[str], start: int) -> int:
    """Index of the blank line that ends the header block starting at ``start``."""
    i = start
    while i < len(lines) and lines[i].strip("\r") != "":
        i += 1
    return i


def _locate_parts(lines: list[str], part: StdMessage, start: int, found: dict[int, tuple[int, int]], end: int) -> None:
    """Record (first body line, end line) in ``lines`` of every MIME part, by ``id(part)``."""
    body = min(_header_end(lines, start) + 1, end)
    found[id(part)] = (body, end)
    if not part.is_multipart() or part.get_content_type() == "message/rfc822":
        return
    boundary = part.get_boundary()
    children = part.get_payload()
    if not boundary or not isinstance(children, list):
        return
    delimiter = "--" + boundary
    marks = [i for i in range(body, end) if lines[i].rstrip("\r \t") in (delimiter, delimiter + "--")]
    for k, child in enumerate(children):
        if k >= len(marks) or lines[marks[k]].rstrip("\r \t") == delimiter + "--":
            break
        child_end = marks[k + 1] if k + 1 < len(marks) else end
        _locate_parts(lines, child, marks[k] + 1, found, child_end)


def _content(part: MIMEPart) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _content_locator(
    part: MIMEPart, lines: list[str], body: int, end: int, raw_locate: Callable[[int, int], Location]
) -> Callable[[int, int], Location]:
    """Maps (line, column) in the decoded content to the file, by transfer encoding."""
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if encoding in ("7bit", "8bit", "binary", ""):
        return lambda line, column: raw_locate(body + line, column)
    if encoding == "quoted-printable":
        # A raw line ending in "=" continues the same decoded line (a soft line break).
        starts = [body]
        for i in range(body, end):
            if not lines[i].rstrip("\r").endswith("="):
                starts.append(i + 1)

        def qp(line: int, column: int) -> Location:
            return raw_locate(starts[min(line, len(starts) - 1)], column)

        return qp
    return lambda line, column: raw_locate(body, 0)


def _body_text(
    msg: StdMessage, lines: list[str], raw_locate: Callable[[int, int], Location]
) -> tuple[str, SourceMap, str]:
    """The sender's own text of the message, its source map and the part type used."""
    found: dict[int, tuple[int, int]] = {}
    _locate_parts(lines, msg, 0, found, len(lines))
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", SourceMap(), "none"
    body, end = found.get(id(part), (_header_end(lines, 0) + 1, len(lines)))
    content = _content(part)
    content_at = _content_locator(part, lines, body, end, raw_locate)
    content_starts = _line_starts(content)

    def content_locate(offset: int) -> Location:
        line = bisect.bisect_right(content_starts, offset) - 1
        return content_at(line, offset - content_starts[line])

    kind = part.get_content_subtype()
    if kind == "html":
        converted = html_to_text(content, email=True)
        text = converted.text
        locate_text: Locate = lambda offset: content_locate(converted.raw_offset(offset))  # noqa: E731
    else:
        text = content
        locate_text = content_locate
    own, to_original = own_text(text)

    def locate(at: int) -> Location:
        return locate_text(to_original(at))

    return own, SourceMap(resolver=locate), kind


def _date(msg: StdMessage) -> tuple[float | None, str | None]:
    raw = msg.get("Date")
    if not raw:
        return None, None
    try:
        moment = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None, str(raw)
    if moment is None:
        return None, str(raw)
    return moment.timestamp(), moment.isoformat()


def _ids(value: Any) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", str(value or "")) or (
        [str(value).strip()] if value and str(value).strip() else []
    )


def _header(msg: StdMessage, name: str) -> str:
    """A header's value; the raw text when the parser cannot make sense of it (mail from the
    wild has malformed address lists and encoded words that the stdlib chokes on)."""
    try:
        return str(msg.get(name) or "")
    except Exception:  # noqa: BLE001 - the stdlib header parser raises many kinds
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                return str(raw)
        return ""


def parse_message(
    message: StdMessage, lines: list[str], raw_locate: Callable[[int, int], Location], order: int, first_line: int
) -> MailMessage:
    if not any(msg_key.lower() in _REQUIRED_HEADERS for msg_key in message.keys()):
        raise ReaderError("not an e-mail message (no From/Date/Subject/Message-ID headers)", line=first_line)
    name, address = parseaddr(_header(message, "From"))
    text, source, kind = _body_text(message, lines, raw_locate)
    date, date_text = _date(message)
    auto = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    message_ids = _ids(_header(message, "Message-ID"))
    return MailMessage(
        order=order,
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=next(iter(_ids(_header(message, "In-Reply-To"))), None),
        references=_ids(_header(message, "References")),
        subject=" ".join(_header(message, "Subject").split()),
        address=address.strip().lower(),
        name=name.strip() or None,
        recipients=[a.strip().lower() for _, a in getaddresses([_header(message, "To"), _header(message, "Cc")]) if a],
        date=date,
        date_text=date_text,
        automatic=(auto not in ("", "no"))
        or precedence in ("auto_reply", "bulk", "junk")
        or bool(_header(message, "X-Autoreply")),
        text=text,
        source=source,
        line=first_line,
        meta={"part": kind},
    )


def _file_locator(first_line: int, lines: list[str]) -> Callable[[int, int], Location]:
    def raw_locate(line: int, column: int) -> Location:
        line = min(max(line, 0), max(len(lines) - 1, 0))
        return Location(first_line + line, column + 1)

    return raw_locate


def message_from_bytes(raw: bytes, first_line: int, order: int) -> MailMessage:
    text = raw.decode("utf-8", "replace")
    lines = text.split("\n")
    message = email.message_from_bytes(raw, policy=POLICY)
    return parse_message(message, lines, _file_locator(first_line, lines), order, first_line)


def messages_from_csv_rows(source: Source, rows: Iterable[tuple[Any, str, Any, int]]) -> list[MailMessage | InputError]:
    """E-mails stored one per CSV row (raw RFC 822 text in a column)."""
    out: list[MailMessage | InputError] = []
    for order, (row, value, csv_file, column) in enumerate(rows):
        lines = value.split("\n")
        starts = _line_starts(value)

        def raw_locate(line: int, col: int, row=row, csv_file=csv_file, column=column, starts=starts) -> Location:
            line = min(max(line, 0), len(starts) - 1)
            return csv_file.locate(row, column, starts[line] + col)

        try:
            message = email.message_from_string(value, policy=POLICY)
            out.append(parse_message(message, lines, raw_locate, order, row.line))
        except ReaderError as exc:
            out.append(InputError(source.display, exc.message, row.line))
        except Exception as exc:  # noqa: BLE001 - malformed MIME makes the stdlib raise many kinds
            out.append(
                InputError(source.display, f"cannot parse this e-mail message ({type(exc).__name__}: {exc})", row.line)
            )
    return out


# -- threads and speakers ------------------------------------------------------------------


def _domain(address: str) -> str:
    return address.rpartition("@")[2]


def _is_role_address(address: str) -> bool:
    local = address.partition("@")[0]
    return local in ROLE_LOCAL_PARTS or local.startswith(("noreply", "no-reply", "support", "help"))


def _matches_domains(address: str, domains: tuple[str, ...]) -> bool:
    domain = _domain(address)
    for wanted in domains:
        wanted = wanted.strip().lower().lstrip("@")
        if not wanted:
            continue
        if "@" in wanted and address == wanted:
            return True
        if domain == wanted or domain.endswith("." + wanted):
            return True
    return False


def group_threads(messages: list[MailMessage]) -> list[list[MailMessage]]:
    """Messages joined by reply headers, then by normalised subject; each in date order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    keys = {}
    for m in messages:
        key = f"id:{m.message_id}" if m.message_id else f"order:{m.order}"
        keys[m.order] = key
        find(key)
        for ref in ([m.in_reply_to] if m.in_reply_to else []) + m.references:
            union(f"id:{ref}", key)
    by_subject: dict[str, str] = {}
    for m in sorted(messages, key=lambda m: (m.date is None, m.date or 0, m.order)):
        subject = m.thread_subject
        if not subject:
            continue
        if subject in by_subject and (m.is_reply or find(keys[m.order]) == find(by_subject[subject])):
            union(by_subject[subject], keys[m.order])
        else:
            by_subject.setdefault(subject, keys[m.order])
    threads: dict[str, list[MailMessage]] = {}
    for m in messages:
        threads.setdefault(find(keys[m.order]), []).append(m)
    return [sorted(group, key=lambda m: (m.date is None, m.date or 0, m.order)) for group in threads.values()]


def assign_roles(thread: list[MailMessage], options: ReadOptions) -> list[str]:
    """The role of each message's sender in a thread (see the module docstring)."""
    known: dict[str, str] = {}
    for m in thread:
        label = options.speaker_labels.get(m.address) or (
            options.speaker_labels.get(m.name.lower()) if m.name else None
        )
        if label:
            known[m.address] = label
        elif options.agent_domains:
            known[m.address] = "agent" if _matches_domains(m.address, options.agent_domains) else "customer"
        elif _is_role_address(m.address):
            known[m.address] = "agent"
    first = thread[0]
    customer = None
    if first.address not in known:
        lone_reply = (
            len({m.address for m in thread}) == 1
            and first.is_reply
            and not any(_is_role_address(r) for r in first.recipients)
        )
        if lone_reply:
            known[first.address] = "agent"  # a reply to a person, with nothing else to go by
        else:
            customer = first.address
    company = {_domain(a) for a, role in known.items() if role == "agent"}
    roles = []
    for m in thread:
        if m.automatic and m.address not in options.speaker_labels:
            roles.append("bot")
        elif m.address in known:
            roles.append(known[m.address])
        elif m.address == customer:
            roles.append("customer")
        elif _domain(m.address) in company:
            roles.append("agent")
        else:
            # Someone other than the customer answering in the thread speaks for the company;
            # if the thread was opened by the company, whoever answers is a customer.
            roles.append("agent" if customer else "customer")
    return roles


def threads_to_conversations(
    source: Source, items: list[MailMessage | InputError], options: ReadOptions
) -> Iterator[ReadResult]:
    messages = [m for m in items if isinstance(m, MailMessage)]
    for item in items:
        if isinstance(item, InputError):
            yield item
    threads = group_threads(messages)
    threads.sort(key=lambda t: min(m.order for m in t))
    for index, thread in enumerate(threads):
        roles = assign_roles(thread, options)
        turns = []
        for m, role in zip(thread, roles):
            if not m.text.strip():
                continue  # nothing but quoted history (a bare forward)
            turns.append(
                Turn(
                    speaker=role,
                    text=m.text,
                    name=m.name or m.address or None,
                    time=m.date_text,
                    lintable=role in ("agent", "customer"),
                    source=m.source,
                    meta={"from": m.address, "message_id": m.message_id, "line": m.line, **m.meta},
                )
            )
        # A thread with no text of its own (headers only, a bare forward) is still reported as
        # a conversation, with no turns: every input shows up in the counts, none vanishes.
        root = thread[0]
        conv_id = root.message_id or (derived_id(source, index) if len(threads) > 1 else derived_id(source))
        yield Conversation(
            id=conv_id,
            path=source.display,
            turns=turns,
            channel="email",
            title=root.subject or None,
            meta={"subject": root.subject, "format": "email"},
        )


# -- readers -------------------------------------------------------------------------------


def split_mbox(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(first line number, raw bytes) of each message: a line starting "From " after a blank
    line (or at the top) opens a message; ">From " lines are un-escaped by the parser's user."""
    lines = data.split(b"\n")
    start = None
    for i, line in enumerate(lines):
        if line.startswith(b"From ") and (i == 0 or not lines[i - 1].strip(b"\r")):
            if start is not None:
                yield start + 1, b"\n".join(lines[start:i])
            start = i + 1
    if start is not None:
        yield start + 1, b"\n".join(lines[start:])


def _read_raw(source: Source) -> bytes:
    """The message bytes. MIME headers declare each part's charset, so no encoding is applied
    here, but a byte-order mark (a mailbox saved by a Windows tool) is: UTF-16 is turned into
    the UTF-8 the parser expects, line for line."""
    data = source.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeError as exc:
            line = data[: getattr(exc, "start", 0)].decode("utf-16", "replace").count("\n") + 1
            raise ReaderError("not valid UTF-16 text", source.display, line) from None
    if not data.strip():
        raise ReaderError("empty file", source.display)
    if b"\x00" in data[:8192]:
        raise ReaderError("looks like a binary file (NUL bytes), skipped", source.display)
    return data


def _parse_or_error(raw: bytes, first_line: int, order: int) -> MailMessage:
    try:
        return message_from_bytes(raw, first_line, order)
    except ReaderError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed MIME makes the stdlib raise many kinds
        raise ReaderError(f"cannot parse this e-mail message ({type(exc).__name__}: {exc})", line=first_line) from None


@register
class EmlReader(Reader):
    name = "eml"
    extensions = (".eml",)
    description = "an e-mail message (RFC 822); quoted history and signatures are not linted"

    @classmethod
    def sniff(cls, text: str) -> bool:
        head = text.lstrip()[:2000].lower()
        return (
            head.startswith(
                ("received:", "return-path:", "message-id:", "from:", "date:", "mime-version:", "delivered-to:")
            )
            and "\nsubject:" in head
        )

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            message = _parse_or_error(_read_raw(source), 1, 0)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        yield from threads_to_conversations(source, [message], options)


@register
class MboxReader(Reader):
    name = "mbox"
    extensions = (".mbox", ".mbx")
    description = "a mailbox of e-mails, grouped into threads (one conversation each)"

    @classmethod
    def sniff(cls, text: str) -> bool:
        return text.startswith("From ") and "\nSubject:" in text[:4000]

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        try:
            data = _read_raw(source)
        except ReaderError as exc:
            yield InputError(source.display, exc.message, exc.line)
            return
        items: list[MailMessage | InputError] = []
        for order, (line, raw) in enumerate(split_mbox(data)):
            try:
                items.append(_parse_or_error(raw, line, order))
            except ReaderError as exc:
                items.append(InputError(source.display, exc.message, exc.line or line))
        if not items:
            yield InputError(source.display, "no messages: an mbox file starts each message with a 'From ' line")
            return
        yield from threads_to_conversations(source, items, options)
