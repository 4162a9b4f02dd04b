"""Turn command-line paths into sources, and pick the reader for each source."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cslint.errors import ReaderError
from cslint.model import Conversation, InputError
from cslint.readers.base import READERS, Reader, ReadOptions, ReadResult, Source, reader_for_suffix
from cslint.readers.gitignore import IgnoreRules
from cslint.readers.ownfiles import CONFIG_NAMES, own_file_kind
from cslint.readers.remote import expand_url, is_url
from cslint.readers.walk import WalkReport, named_input, regular_or_report
from cslint.textsafety import clean_conversation, one_line

#: Readers tried in this order when neither an option nor the file name decides.
SNIFF_ORDER = ("mbox", "eml", "jsonl", "json", "chat", "canned")


@dataclass
class Inputs:
    sources: list[Source] = field(default_factory=list)
    #: Files skipped while walking folders because no reader claims their ending.
    skipped_unknown: int = 0
    #: Hidden files and folders skipped while walking (a folder counts once, whatever it holds).
    skipped_hidden: int = 0
    #: The hidden entries skipped, as paths, for the note that says which (and how to lint them).
    hidden_paths: list[str] = field(default_factory=list)
    #: Files and folders skipped while walking because a ``.gitignore`` ignores them.
    skipped_gitignored: int = 0
    #: cslint's own files (config, baseline, reports): (path, kind), never read as inputs.
    own_files: list[tuple[str, str]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: What walking folders left out (not regular files, links to folders).
    walk: WalkReport = field(default_factory=WalkReport)


@dataclass(frozen=True)
class WalkOptions:
    """How folders are walked."""

    #: Skip what ``.gitignore`` files ignore (``--no-respect-gitignore`` turns it off).
    respect_gitignore: bool = True
    #: Files this run writes or reads as non-input (``--output``, ``--baseline``, ...): never inputs.
    reserved: frozenset[str] = frozenset()


def _is_hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def _own_kind(path: str, reserved: frozenset[str]) -> str | None:
    return "this run's output or baseline" if os.path.abspath(path) in reserved else own_file_kind(path)


def _add_file(inputs: Inputs, path: str, reserved: frozenset[str]) -> None:
    """A walked file to read, unless it is one of cslint's own or not a regular file (a FIFO
    or device is never opened: see ``walk.py``)."""
    if not regular_or_report(path, inputs.walk):
        return
    kind = _own_kind(path, reserved)
    if kind is not None:
        inputs.own_files.append((path, kind))
    else:
        inputs.sources.append(Source(path))


def _add_named(inputs: Inputs, path: str) -> None:
    """A file named on the command line: read unless it is one of cslint's own (by its
    content: a file named both as input and as this run's output stays an input, so the run
    refuses it rather than overwrite it); a FIFO or device named on purpose is read once."""
    kind = own_file_kind(path) if os.path.isfile(path) else None
    if kind is not None:
        inputs.own_files.append((path, kind))
        return
    source = named_input(path, inputs.errors)
    if source is not None:
        inputs.sources.append(source)


def _walk_error(inputs: Inputs, top: Path) -> Callable[[OSError], None]:
    def report(exc: OSError) -> None:
        where = exc.filename or str(top)
        inputs.walk.errors.append(
            InputError(str(where), f"cannot read folder: {exc.strerror or exc}; its files were not linted")
        )

    return report


def _walk(inputs: Inputs, top: Path, options: WalkOptions) -> None:
    ignore_above = IgnoreRules.for_walk_root(top) if options.respect_gitignore else IgnoreRules()
    rules_for: dict[str, IgnoreRules] = {}
    for root, dirs, files in os.walk(top, onerror=_walk_error(inputs, top)):
        absolute_root = os.path.abspath(root)
        parent_rules = rules_for.pop(absolute_root, ignore_above)
        rules = parent_rules.descend(absolute_root) if options.respect_gitignore else parent_rules
        kept_dirs = []
        for name in sorted(dirs):
            if _is_hidden(name):
                inputs.skipped_hidden += 1
                inputs.hidden_paths.append(os.path.normpath(os.path.join(root, name)) + os.sep)
            elif rules.ignores(os.path.join(absolute_root, name), is_dir=True):
                inputs.skipped_gitignored += 1
            elif os.path.islink(os.path.join(root, name)):
                # Not followed: no cycles, no leaving the tree (named in a note).
                inputs.walk.linked_folders.append(os.path.normpath(os.path.join(root, name)))
            else:
                kept_dirs.append(name)
                rules_for[os.path.join(absolute_root, name)] = rules
        dirs[:] = kept_dirs
        for name in sorted(files):
            path = os.path.normpath(os.path.join(root, name))
            if name in CONFIG_NAMES:
                inputs.own_files.append((path, "config"))
            elif _is_hidden(name):
                inputs.skipped_hidden += 1
                inputs.hidden_paths.append(path)
            elif rules.ignores(os.path.join(absolute_root, name), is_dir=False):
                inputs.skipped_gitignored += 1
            elif reader_for_suffix(Path(name).suffix.lower()) is None:
                inputs.skipped_unknown += 1
            else:
                _add_file(inputs, path, options.reserved)


def collect_inputs(
    paths: list[str],
    stdin_data: bytes | None = None,
    options: WalkOptions | None = None,
    stdin_name: str | None = None,
) -> Inputs:
    """Files named on the command line are always read (unless they are cslint's own files);
    folders are walked recursively, skipping hidden entries, what ``.gitignore`` ignores, and
    files whose ending no reader claims — each counted. Standard input is shown as
    ``stdin_name`` when given."""
    options = options or WalkOptions()
    inputs = Inputs()
    for raw in paths:
        if raw == "-":
            inputs.sources.append(Source("-", stdin_data if stdin_data is not None else b"", stdin_name))
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
            _walk(inputs, path, options)
        elif path.exists():
            _add_named(inputs, raw)
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
