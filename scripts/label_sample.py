#!/usr/bin/env python3
"""Draw agent turns at random from unlabelled corpora for a reviewer to label: recall where
nobody tuned.

Usage:
  python scripts/label_sample.py CORPUS... --turns N --out DIR [--seed S] [--replies]
                                 [--max-agent-turns K] [--exclude GLOB] [--skip-ids FILE]

``corpus_audit.py`` samples findings, so it measures precision only: a reply the rules miss is
never drawn. This script samples *conversations*, so every agent turn in them is judged
whether or not a rule fires, and the labelled sample scores recall too. Each CORPUS (a folder
or a file, read by cslint's own readers) gives an equal share of the N agent turns; within a
corpus, conversations that have a customer turn and at most K agent turns (default 6, to keep
the sheet readable) are ranked by a hash of the seed, the corpus and the conversation id, and
taken in that order until the share is reached. The same seed draws the same sample.
``--replies`` also draws conversations with no customer turn: canned replies and macros, each
judged as the reply its title names.

DIR receives:

- ``sample.jsonl``: the drawn conversations as native JSONL, the input to score;
- ``sheet.md``: the labelling sheet, each conversation in full with every agent turn marked
  ``>>> AGENT TURN <id> #<index>``;
- ``labels-template.jsonl``: one line per agent turn, ``{"conversation", "turn", "labels": []}``,
  for the reviewer to fill in (save it as ``labels.jsonl``).

Then ``cslint evaluate DIR/labels.jsonl DIR/sample.jsonl`` gives precision and recall per
rule on data no rule was tuned on. ``--skip-ids FILE`` (a ``sample.jsonl`` of an earlier draw)
keeps a second sample disjoint from the first, e.g. one to look at while fixing and one kept
for the figure you quote.

A draw never writes over an earlier one (its labels may be half done): ``--out`` must not hold
its files yet.

Exit status: 0 when drawn, 2 when a corpus could not be read, nothing could be drawn, or
``--out`` already holds a draw.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any


class SampleError(Exception):
    """A corpus the draw cannot use; the message names it."""


def _rank(seed: int, corpus: str, conversation_id: str) -> str:
    return hashlib.sha256(json.dumps([seed, corpus, conversation_id]).encode("utf-8")).hexdigest()


def read_corpus(root: str, exclude: list[str], warn: Any) -> list[Any]:
    """The conversations of one corpus; unreadable parts are reported with ``warn`` and skipped."""
    from cslint.globs import glob_matches
    from cslint.model import InputError
    from cslint.readers import ReadOptions, collect_inputs, read_source

    if not os.path.exists(root):
        raise SampleError(f"{root}: no such file or folder")
    inputs = collect_inputs([root])
    for error in inputs.errors:
        warn(str(error))
    conversations = []
    for source in inputs.sources:
        relative = os.path.relpath(source.path, root) if os.path.isdir(root) else os.path.basename(source.path)
        if any(glob_matches(pattern, relative) for pattern in exclude):
            continue
        for item in read_source(source, ReadOptions()):
            if isinstance(item, InputError):
                warn(str(item))
            else:
                conversations.append(item)
    return conversations


def _agent_turns(conversation: Any) -> int:
    return sum(1 for t in conversation.turns if t.speaker == "agent" and t.lintable)


def draw(
    corpora: dict[str, list[Any]],
    turns: int,
    seed: int,
    max_agent_turns: int,
    skip: set[str],
    replies: bool = False,
) -> list[tuple[str, Any]]:
    """(corpus, conversation) pairs: an equal share of ``turns`` agent turns per corpus."""
    share, extra = divmod(turns, len(corpora))
    drawn: list[tuple[str, Any]] = []
    for position, (name, conversations) in enumerate(corpora.items()):
        wanted = share + (1 if position < extra else 0)
        eligible = [
            c
            for c in conversations
            if str(c.id) not in skip
            and (replies or any(t.speaker == "customer" for t in c.turns))
            and 0 < _agent_turns(c) <= max_agent_turns
        ]
        eligible.sort(key=lambda c: _rank(seed, name, str(c.id)))
        taken = 0
        for conversation in eligible:
            if taken >= wanted:
                break
            drawn.append((name, conversation))
            taken += _agent_turns(conversation)
    return drawn


def _unique_ids(drawn: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Conversation ids as written to the sample: the corpus name is put in front of an id two
    corpora share, so that every label line names one conversation."""
    seen: dict[str, int] = {}
    for _, conversation in drawn:
        seen[str(conversation.id)] = seen.get(str(conversation.id), 0) + 1
    return [(f"{name}:{c.id}" if seen[str(c.id)] > 1 else str(c.id), c) for name, c in drawn]


#: What a draw writes: never over an earlier draw, whose labels a reviewer may be filling in.
OUTPUTS = ("sample.jsonl", "sheet.md", "labels-template.jsonl")


def write_sample(drawn: list[tuple[str, Any]], out: Path) -> int:
    """Write the three files; returns the number of agent turns to label."""
    out.mkdir(parents=True, exist_ok=True)
    labelled = 0
    with (
        (out / "sample.jsonl").open("w", encoding="utf-8") as sample,
        (out / "sheet.md").open("w", encoding="utf-8") as sheet,
        (out / "labels-template.jsonl").open("w", encoding="utf-8") as template,
    ):
        sheet.write(
            "# Agent turns to label\n\nLabel every agent turn marked `>>> AGENT TURN <id> #<index>`, "
            "with the conversation so far as context. Customer turns are context only.\n"
        )
        for cid, conversation in _unique_ids(drawn):
            turns = [{"speaker": t.speaker, "text": t.text} for t in conversation.turns]
            record: dict[str, Any] = {"id": cid, "turns": turns}
            if conversation.channel:
                record["channel"] = conversation.channel
            if conversation.title:
                record["title"] = conversation.title
            sample.write(json.dumps(record, ensure_ascii=False) + "\n")
            sheet.write(f"\n---\n## conversation {cid}\n\n")
            if conversation.title:
                sheet.write(f"Title: {conversation.title}\n\n")
            for index, turn in enumerate(conversation.turns):
                if turn.speaker == "agent" and turn.lintable:
                    sheet.write(f">>> AGENT TURN {cid} #{index}\n{turn.text}\n\n")
                    template.write(json.dumps({"conversation": cid, "turn": index, "labels": []}) + "\n")
                    labelled += 1
                else:
                    sheet.write(f"[turn {index}, {turn.speaker}]\n{turn.text}\n\n")
    return labelled


def _skip_ids(path: str | None) -> set[str]:
    if not path:
        return set()
    ids = set()
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        ids.add(str(json.loads(line)["id"]))
                    except (ValueError, KeyError, TypeError):
                        raise SampleError(f"{path}:{number}: not a conversation with an id") from None
    except OSError as exc:
        raise SampleError(f"{path}: {exc.strerror}") from None
    # An id written as "corpus:id" (shared by two corpora) is skipped by its own id too.
    return ids | {i.split(":", 1)[1] for i in ids if ":" in i}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", metavar="CORPUS", help="a folder (or file) of inputs per corpus")
    parser.add_argument("--turns", type=int, required=True, metavar="N", help="agent turns to draw in all")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for sample.jsonl, sheet.md, template")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the draw (default 0)")
    parser.add_argument("--max-agent-turns", type=int, default=6, metavar="K", help="longest conversation drawn")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip matching files")
    parser.add_argument("--skip-ids", metavar="FILE", help="a sample.jsonl whose conversations are not drawn")
    parser.add_argument("--replies", action="store_true", help="also draw replies with no customer turn (macros)")
    args = parser.parse_args(argv)
    if args.turns < 1 or args.max_agent_turns < 1:
        parser.error("--turns and --max-agent-turns must be 1 or more")
    taken = [name for name in OUTPUTS if (Path(args.out) / name).exists()]
    if taken:
        print(
            f"error: {Path(args.out) / taken[0]}: already there (an earlier draw); choose another --out",
            file=sys.stderr,
        )
        return 2
    try:
        skip = _skip_ids(args.skip_ids)
        corpora: dict[str, list[Any]] = {}
        for root in args.corpora:
            name = os.path.basename(os.path.abspath(root).rstrip(os.sep))
            while name in corpora:  # two corpora of the same folder name
                name += "'"
            corpora[name] = read_corpus(
                root, args.exclude, lambda message: print(f"warning: {message}", file=sys.stderr)
            )
        drawn = draw(corpora, args.turns, args.seed, args.max_agent_turns, skip, args.replies)
    except SampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not drawn:
        print("error: no conversation with a customer turn and an agent turn to draw", file=sys.stderr)
        return 2
    labelled = write_sample(drawn, Path(args.out))
    print(f"{len(drawn)} conversations, {labelled} agent turns to label: {Path(args.out) / 'sheet.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
