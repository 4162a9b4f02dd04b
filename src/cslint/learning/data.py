"""Labelled conversations: a labels file (one JSON object per reviewed agent turn, as a QA
team's review export or the evaluation sets give it) and the conversations it refers to.

A label row: ``{"conversation": ID, "turn": INDEX, "labels": [...], "evidence": "..."}``.
``evidence`` (optional) quotes the words that show the labels, several quotes joined by
" | "; training uses it to tell which sentence of the turn carries the label.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cslint.model import Conversation, InputError

Key = tuple[str, int]


class DataError(Exception):
    """An input that cannot be used; the message names the file (and line)."""


@dataclass(frozen=True)
class Label:
    labels: frozenset[str]
    evidence: tuple[str, ...] = ()


def read_json_rows(path: str, parse: Callable[[Any], None], what: str, expected: str) -> None:
    """Each non-blank line of a JSONL file, decoded and handed to ``parse``; a line ``parse``
    cannot use (ValueError, KeyError, TypeError) is a DataError naming ``path:line``."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    parse(json.loads(line))
                except (ValueError, KeyError, TypeError) as exc:
                    raise DataError(f"{path}:{number}: not a {what} row ({exc}); expected {expected}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason})") from None


def read_labels(path: str) -> dict[Key, Label]:
    gold: dict[Key, Label] = {}

    def parse(row: Any) -> None:
        labels = row["labels"]
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise TypeError("labels must be a list of rule ids")
        evidence = row.get("evidence") or ""
        quotes = tuple(q.strip() for q in str(evidence).split(" | ") if q.strip())
        gold[(str(row["conversation"]), int(row["turn"]))] = Label(frozenset(labels), quotes)

    read_json_rows(path, parse, "label", '{"conversation": ID, "turn": N, "labels": [...]}')
    return gold


def read_conversations(path: str) -> list[Conversation]:
    """Every conversation in ``path`` (any format cslint reads); unreadable parts are errors."""
    from cslint.readers import ReadOptions, collect_inputs, read_source

    inputs = collect_inputs([path])
    problems = [str(e) for e in inputs.errors]
    conversations = []
    for source in inputs.sources:
        for item in read_source(source, ReadOptions()):
            if isinstance(item, InputError):
                problems.append(str(item))
            else:
                conversations.append(item)
    if problems:
        raise DataError("\n".join(problems))
    return conversations


def check_coverage(gold: dict[Key, Label], conversations: list[Conversation], labels_path: str) -> None:
    """Every labelled turn must exist in the conversations (a mismatched pair of files would
    otherwise score as all misses)."""
    lengths = {str(c.id): len(c.turns) for c in conversations}
    missing = [key for key in gold if key[1] >= lengths.get(key[0], 0)]
    if missing:
        conv, turn = missing[0]
        raise DataError(
            f"{labels_path}: {len(missing)} labelled turn(s) not found in the conversations "
            f"(first: conversation {conv} turn {turn})"
        )
