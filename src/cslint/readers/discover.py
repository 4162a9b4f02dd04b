"""Turn command-line paths into sources, and pick the reader for each source."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError
from cslint.readers.base import READERS, Reader, ReadOptions, ReadResult, Source, reader_for_suffix
from cslint.readers.remote import expand_url, is_url
from cslint.textsafety import clean_conversation, one_line

#: Readers tried in this order when neither an option nor the file name decides.
SNIFF_ORDER = ("mbox", "eml", "jsonl", "json", "chat", "canned")


@dataclass
class Inputs:
    sources: list[Source] = field(default_factory=list)
    #: Files skipped while walking folders because no reader claims their ending.
    skipped_unknown: int = 0
    skipped_hidden: int = 0
    errors: list[InputError] = field(default_factory=list)


def _is_hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def collect_inputs(paths: list[str], stdin_data: bytes | None = None) -> Inputs:
    """Files named on the command line are always read; folders are walked recursively,
    skipping hidden entries and files whose ending no reader claims (counted)."""
    inputs = Inputs()
    for raw in paths:
        if raw == "-":
            inputs.sources.append(Source("-", stdin_data if stdin_data is not None else b""))
            continue
        if is_url(raw):
            try:
                urls = expand_url(raw, lambda name: reader_for_suffix(Path(name).suffix.lower()) is not None)
            except ReaderError as exc:
                inputs.errors.append(InputError(raw, exc.message))
                continue
            inputs.sources.extend(Source(url) for url in urls)
            continue
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                hidden_dirs = [d for d in dirs if _is_hidden(d)]
                inputs.skipped_hidden += len(hidden_dirs)
                dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
                for name in sorted(files):
                    if _is_hidden(name):
                        inputs.skipped_hidden += 1
                    elif reader_for_suffix(Path(name).suffix.lower()) is None:
                        inputs.skipped_unknown += 1
                    else:
                        inputs.sources.append(Source(os.path.normpath(os.path.join(root, name))))
        elif path.exists():
            inputs.sources.append(Source(raw))
        else:
            inputs.errors.append(InputError(raw, "no such file or folder"))
    return inputs


def choose_reader(source: Source, options: ReadOptions) -> Reader:
    if options.input_format:
        return READERS[options.input_format]
    reader = reader_for_suffix(source.suffix)
    if reader is not None:
        return reader
    text = source.read_text(options.encoding)
    for name in SNIFF_ORDER:
        if name in READERS and READERS[name].sniff(text):
            return READERS[name]
    return READERS["canned"]


def read_source(source: Source, options: ReadOptions) -> Iterator[ReadResult]:
    """Every conversation in ``source``, and an InputError for each part that cannot be read."""
    try:
        reader = choose_reader(source, options)
        for item in reader.read(source, options):
            yield clean_result(item)
    except ReaderError as exc:
        yield InputError(exc.path or source.display, one_line(exc.message), exc.line)


def clean_result(item: ReadResult) -> ReadResult:
    """A reader's result made safe to lint and to print."""
    # A JSON "\ud800" escape decodes to a lone surrogate: U+FFFD keeps every offset.
    if isinstance(item, Conversation):
        return clean_conversation(item)
    # Error messages may quote the input: keep them one printable line.
    return InputError(item.path, one_line(item.message), item.line)
