"""Turn command-line paths into sources, and pick the reader for each source."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError
from cslint.readers.base import READERS, Reader, ReadOptions, ReadResult, Source, reader_for_suffix
from cslint.readers.walk import WalkReport, named_input, regular_or_report, walk_files
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
    #: What walking folders left out (not regular files, links to folders).
    walk: WalkReport = field(default_factory=WalkReport)


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
        path = Path(raw)
        if path.is_dir():

            def keep_dir(name: str) -> bool:
                if _is_hidden(name):
                    inputs.skipped_hidden += 1
                    return False
                return True

            for file in walk_files(raw, keep_dir, inputs.walk):
                name = os.path.basename(file)
                if _is_hidden(name):
                    inputs.skipped_hidden += 1
                elif reader_for_suffix(Path(name).suffix.lower()) is None:
                    inputs.skipped_unknown += 1
                elif regular_or_report(file, inputs.walk):
                    inputs.sources.append(Source(file))
        elif path.exists():
            source = named_input(raw, inputs.errors)
            if source is not None:
                inputs.sources.append(source)
        else:
            inputs.errors.append(InputError(raw, "no such file or folder"))
    inputs.errors.extend(inputs.walk.errors)
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
            # A JSON "\ud800" escape decodes to a lone surrogate: U+FFFD keeps every offset.
            if isinstance(item, Conversation):
                yield clean_conversation(item)
            else:  # error messages may quote the input: keep them one printable line
                yield InputError(item.path, one_line(item.message), item.line)
    except ReaderError as exc:
        yield InputError(exc.path or source.display, one_line(exc.message), exc.line)
