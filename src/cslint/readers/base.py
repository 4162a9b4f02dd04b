"""What every reader shares: the source it reads, its options, decoding, and the registry.

A reader turns one input (a file, or standard input) into conversations. It yields
``Conversation`` objects and, for parts it cannot read, ``InputError`` objects, so that one bad
record never hides the rest of the file.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar

from cslint.boundedio import ReadLimitError, read_at_most
from cslint.errors import ReaderError
from cslint.model import Conversation, InputError
from cslint.readers.remote import file_size, open_location

ReadResult = Conversation | InputError

#: An input larger than this is refused with a clear message instead of exhausting memory
#: (formats read record by record, such as JSONL, are not limited).
MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class ReadOptions:
    #: Extra speaker labels for chat logs and CSV: label (lower-cased) -> role.
    speaker_labels: dict[str, str] = field(default_factory=dict)
    #: Force a reader instead of detecting one from the extension / content.
    input_format: str | None = None
    #: Text encoding of inputs; None = UTF-8 (a BOM selects UTF-8/UTF-16 automatically).
    encoding: str | None = None
    #: E-mail: sender domains (``acme.com``) or addresses whose messages are the agent's.
    agent_domains: tuple[str, ...] = ()
    #: CSV: column overrides, role -> header name (roles: id, speaker, text, time, name, ...).
    csv_columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Source:
    """An input: a file path, or standard input (``path == "-"``) with its bytes."""

    path: str
    data: bytes | None = None  # only for standard input
    #: The file standard input stands for (``--stdin-filename``): shown, and its ending read.
    name: str | None = None

    @property
    def display(self) -> str:
        if self.path == "-":
            return self.name or "<stdin>"
        return self.path

    @property
    def stem(self) -> str:
        if self.path == "-":
            return Path(self.name).stem if self.name else "stdin"
        return Path(self.path).stem

    @property
    def suffix(self) -> str:
        if self.path == "-":
            return Path(self.name).suffix.lower() if self.name else ""
        return Path(self.path).suffix.lower()

    def open(self) -> BinaryIO:
        """The file (or fsspec URL), opened for reading bytes."""
        return open_location(self.path)

    def size(self) -> int:
        return file_size(self.path)

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        try:
            with self.open() as handle:  # a local file, or an fsspec URL (--scheduler inputs)
                return read_at_most(handle, MAX_WHOLE_FILE_BYTES)
        except ReadLimitError as exc:
            raise ReaderError(f"file is {exc} for this format", self.display) from None
        except OSError as exc:
            raise ReaderError(f"cannot read: {exc.strerror or exc}", self.display) from None

    def read_text(self, encoding: str | None = None) -> str:
        return decode(self.read_bytes(), self.display, encoding)


def decode(data: bytes, display: str, encoding: str | None = None, normalize_newlines: bool = True) -> str:
    """Decode input bytes: a BOM wins, then the given encoding, then UTF-8.

    Undecodable input is reported with the line of the first bad byte, never guessed at
    silently; ``--encoding latin-1`` (or another) reads legacy files.
    """
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[3:], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif encoding is None and b"\x00" in data[:8192]:
        raise ReaderError("looks like a binary file (NUL bytes), skipped", display)
    encoding = encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReaderError(
            f"not valid {encoding} text (byte 0x{data[exc.start]:02x}); pass --encoding to read it", display, line
        ) from None
    except LookupError:
        raise ReaderError(f"unknown encoding {encoding!r}", display) from None
    except (UnicodeError, ValueError) as exc:  # codecs such as punycode raise their own kinds
        raise ReaderError(f"not valid {encoding} text ({exc}); pass another --encoding", display) from None
    if not normalize_newlines:  # the caller treats bare CRs itself (CSV: data inside a field)
        return text
    # Normalise line ends so offsets and line numbers agree whatever the platform.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Reader:
    """Base class of the input formats."""

    name: ClassVar[str]
    #: File name endings this reader claims (lower-case, with the dot).
    extensions: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    #: Whether a turn's text is a verbatim slice of the file (offsets map 1:1 through the
    #: turn's SourceMap), so ``cslint fix`` can edit the file. Not so for JSON (escapes).
    fixable: ClassVar[bool] = False

    def read(self, source: Source, options: ReadOptions) -> Iterator[ReadResult]:
        raise NotImplementedError

    @classmethod
    def sniff(cls, text: str) -> bool:
        """Whether ``text`` looks like this format (used for stdin and unknown endings)."""
        return False


READERS: dict[str, Reader] = {}


def register(cls: type[Reader]) -> type[Reader]:
    READERS[cls.name] = cls()
    return cls


def reader_for_suffix(suffix: str) -> Reader | None:
    for reader in READERS.values():
        if suffix in reader.extensions:
            return reader
    return None


def derived_id(source: Source, index: int | None = None) -> str:
    """A stable conversation id for inputs that carry none: file stem, plus index if many."""
    return source.stem if index is None else f"{source.stem}#{index + 1}"


TextReader = Callable[[Source, str, ReadOptions], Iterator[ReadResult]]
