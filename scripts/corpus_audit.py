#!/usr/bin/env python3
"""Measure how often each rule fires on unlabelled corpora, and draw findings for a reviewer.

Usage:
  python scripts/corpus_audit.py CORPUS... [--rules DIR] [--select RULES] [--no-config]
                                 [--sample N --seed S --out SAMPLE.md] [--verdicts FILE.jsonl] [--json]

Each CORPUS is a folder (or a file) of inputs in any format cslint reads; its name is the
folder's name. Every input is linted in-process exactly as ``cslint check --jobs 1`` lints it
(same readers, nearest config file, rule selection, per-path policy and suppressions), and
the agent turns cslint lints are counted with the same readers, so a rate's denominator is
what was linted.

The table gives findings per 1,000 agent turns per rule per corpus, with the counts.
``--sample N`` draws, per rule, N findings across all corpora: each finding gets a rank from a
hash of the seed and its key (file, conversation, turn, rule, flagged text) and the N lowest
ranks are taken. The draw is deterministic for a seed, and stable when the population
changes: a finding that survives a rule change keeps its rank, so a before/after pair of
samples shares most findings and their verdicts can be reused (``--verdicts``).

``--verdicts FILE.jsonl`` reads earlier verdicts, one JSON object a line with the key fields
(``path``, ``conversation``, ``turn``, ``rule``, ``text``) and ``verdict`` (``correct`` or
``wrong``, optional ``reason``): the sample file shows each known verdict, and the table gains
the sample precision per rule over the judged findings.

Exit status: 0 when measured, 2 when a corpus, the rules or a verdicts file could not be read.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

#: Characters of turn text shown around a flagged passage in the sample, and of the
#: customer's previous turn: enough to judge, short enough to read 20 findings per rule.
TURN_CONTEXT_CHARS = 900
CUSTOMER_CONTEXT_CHARS = 500

Key = tuple[str, str, int, str, str]


class AuditError(Exception):
    """An input the audit cannot use; the message names the file (and line)."""


@dataclass
class SampledFinding:
    """A finding with what a reviewer needs to judge it."""

    corpus: str
    path: str
    conversation: str
    turn: int
    rule: str
    start: int
    end: int
    text: str
    turn_text: str
    title: str | None
    customer_turn: int | None
    customer_text: str | None
    #: The finding's message: for some rules (a reply gap, a count) the evidence itself.
    message: str = ""

    @property
    def key(self) -> Key:
        return (self.path, self.conversation, self.turn, self.rule, self.text)

    def as_dict(self) -> dict:
        return {
            "corpus": self.corpus,
            "path": self.path,
            "conversation": self.conversation,
            "turn": self.turn,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "title": self.title,
            "turn_text": self.turn_text,
            "customer_turn": self.customer_turn,
            "customer_text": self.customer_text,
            "message": self.message,
        }


@dataclass
class CorpusCount:
    name: str
    files: int = 0
    conversations: int = 0
    agent_turns: int = 0
    findings: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


@dataclass
class Audit:
    corpora: list[CorpusCount]
    rule_ids: list[str]
    findings: list[SampledFinding]


def rate(count: int, agent_turns: int) -> float | None:
    """Findings per 1,000 agent turns (None when nothing was linted)."""
    return 1000.0 * count / agent_turns if agent_turns else None


def _display_path(path: str, corpus_root: str) -> str:
    """The file's path as ``corpus/relative/path``: stable across machines and checkouts."""
    root = os.path.abspath(corpus_root)
    name = os.path.basename(root.rstrip(os.sep))
    if os.path.isfile(root):
        return name
    return os.path.join(name, os.path.relpath(os.path.abspath(path), root))


def _previous_customer_turn(turns, index: int) -> tuple[int | None, str | None]:
    for earlier in range(index - 1, -1, -1):
        if turns[earlier].speaker == "customer":
            return earlier, turns[earlier].text
    return None, None


def audit_corpora(
    corpora: list[str], rule_dirs: list[str], select: list[str], use_config: bool, exclude: list[str] | None = None
) -> Audit:
    """Lint each corpus as ``cslint check -j 1`` would, counting agent turns and findings."""
    from cslint.errors import CslintError
    from cslint.session import LintRequest, LintSession

    flags: dict = {}
    if rule_dirs:
        flags["rules"] = rule_dirs
    if select:
        flags["select"] = select
    if exclude:
        flags["exclude"] = exclude
    counts: list[CorpusCount] = []
    findings: list[SampledFinding] = []
    rule_ids: set[str] = set()
    for root in corpora:
        if not os.path.exists(root):
            raise AuditError(f"{root}: no such file or folder")
        name = os.path.basename(os.path.abspath(root).rstrip(os.sep))
        count = CorpusCount(name)
        messages: list[str] = []
        try:
            session = LintSession(LintRequest((root,), flags=flags, use_config=use_config, jobs=1), messages.append)
        except CslintError as exc:
            raise AuditError(str(exc)) from None
        if session.rule_errors:
            raise AuditError("\n".join(messages))
        rule_ids.update(
            rule_id for group in session.groups for rule_id in (rule.id for rule in group.policy.rules_to_run())
        )
        for linted in session.lint(lambda error, sink=count.errors: sink.append(str(error))):
            conversation = linted.conversation
            count.conversations += 1
            count.agent_turns += sum(1 for t in conversation.turns if t.speaker == "agent" and t.lintable)
            for finding in linted.findings:
                count.findings[finding.rule] += 1
                turn = conversation.turns[finding.turn]
                customer_turn, customer_text = _previous_customer_turn(conversation.turns, finding.turn)
                findings.append(
                    SampledFinding(
                        corpus=name,
                        path=_display_path(conversation.path, root),
                        conversation=str(finding.conversation),
                        turn=finding.turn,
                        rule=finding.rule,
                        start=finding.start,
                        end=finding.end,
                        text=finding.text,
                        turn_text=turn.text,
                        title=conversation.title,
                        customer_turn=customer_turn,
                        customer_text=customer_text,
                        message=finding.message,
                    )
                )
        count.files = session.files
        count.errors.extend(messages)
        counts.append(count)
    return Audit(counts, sorted(rule_ids), findings)


def _rank(seed: int, key: Key) -> str:
    return hashlib.sha256(json.dumps([seed, *key], ensure_ascii=False).encode("utf-8")).hexdigest()


def draw_sample(findings: Iterable[SampledFinding], size: int, seed: int) -> dict[str, list[SampledFinding]]:
    """Per rule, the ``size`` findings with the lowest seeded rank (each key drawn once)."""
    by_rule: dict[str, dict[Key, SampledFinding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, {}).setdefault(finding.key, finding)
    return {
        rule: sorted(unique.values(), key=lambda f: _rank(seed, f.key))[:size]
        for rule, unique in sorted(by_rule.items())
    }


@dataclass(frozen=True)
class Verdict:
    correct: bool
    reason: str


def read_verdicts(path: str) -> dict[Key, Verdict]:
    from cslint.learning.data import DataError, read_json_rows

    verdicts: dict[Key, Verdict] = {}

    def parse(row) -> None:
        key = (str(row["path"]), str(row["conversation"]), int(row["turn"]), str(row["rule"]), row["text"])
        if row["verdict"] not in ("correct", "wrong"):
            raise ValueError(f"verdict {row['verdict']!r} is not 'correct' or 'wrong'")
        verdicts[key] = Verdict(row["verdict"] == "correct", str(row.get("reason") or ""))

    expected = '{"path", "conversation", "turn", "rule", "text", "verdict": "correct"|"wrong", "reason"}'
    try:
        read_json_rows(path, parse, "verdict", expected)
    except DataError as exc:
        raise AuditError(str(exc)) from None
    return verdicts


def sample_precision(sample: list[SampledFinding], verdicts: dict[Key, Verdict]) -> tuple[int, int]:
    """(correct, judged) over the sampled findings that have a verdict."""
    judged = [verdicts[f.key] for f in sample if f.key in verdicts]
    return sum(v.correct for v in judged), len(judged)


def _fmt_rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_table(
    audit: Audit, out: IO[str], samples: dict[str, list[SampledFinding]] | None, verdicts: dict[Key, Verdict] | None
) -> None:
    """Markdown: one row per rule, one column per corpus and the total; cells 'rate (count)'."""
    total_turns = sum(c.agent_turns for c in audit.corpora)
    header = ["rule", *(c.name for c in audit.corpora), "all corpora"]
    if verdicts is not None:
        header.append("sample precision")
    print("| " + " | ".join(header) + " |", file=out)
    print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|", file=out)
    rows = [
        ["files", *(str(c.files) for c in audit.corpora), str(sum(c.files for c in audit.corpora))],
        [
            "conversations",
            *(f"{c.conversations:,}" for c in audit.corpora),
            f"{sum(c.conversations for c in audit.corpora):,}",
        ],
        ["agent turns", *(f"{c.agent_turns:,}" for c in audit.corpora), f"{total_turns:,}"],
    ]
    for row in rows:
        print("| " + " | ".join(row + ([""] if verdicts is not None else [])) + " |", file=out)
    for rule in [*audit.rule_ids, None]:
        cells = []
        for corpus in audit.corpora:
            n = corpus.findings[rule] if rule else sum(corpus.findings.values())
            cells.append(f"{_fmt_rate(rate(n, corpus.agent_turns))} ({n:,})")
        n = sum((c.findings[rule] if rule else sum(c.findings.values())) for c in audit.corpora)
        cells.append(f"{_fmt_rate(rate(n, total_turns))} ({n:,})")
        if verdicts is not None:
            if rule and samples is not None:
                correct, judged = sample_precision(samples.get(rule, []), verdicts)
                cells.append(f"{correct}/{judged}" if judged else "–")
            else:
                cells.append("")
        label = rule or "**all rules**"
        print("| " + " | ".join([label, *cells]) + " |", file=out)
    print(file=out)
    print("Cells: findings per 1,000 agent turns (findings).", file=out)
    for corpus in audit.corpora:
        if corpus.errors:
            print(f"\n{corpus.name}: {len(corpus.errors)} input problem(s), first: {corpus.errors[0]}", file=out)


def _excerpt(text: str, start: int, end: int, limit: int) -> str:
    """The turn with the flagged span marked »…«, cut to ``limit`` characters around it."""
    marked = text[:start] + "»" + text[start:end] + "«" + text[end:]
    if len(marked) <= limit:
        return marked
    left = max(0, start - limit // 2)
    right = min(len(marked), left + limit)
    left = max(0, right - limit)
    return ("…" if left else "") + marked[left:right] + ("…" if right < len(marked) else "")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.splitlines() or [""])


def render_sample(
    samples: dict[str, list[SampledFinding]], seed: int, out: IO[str], verdicts: dict[Key, Verdict] | None
) -> None:
    print(f"# Findings sample for review (seed {seed})\n", file=out)
    print(
        "Each finding: the agent turn with the flagged passage marked »…«, the customer's previous "
        "turn, and where it is. Judge whether the passage, in this conversation, has the problem "
        "the rule names.\n",
        file=out,
    )
    for rule, sample in samples.items():
        print(f"## {rule} ({len(sample)} findings)\n", file=out)
        for number, finding in enumerate(sample, 1):
            where = f"`{finding.path}` · conversation `{finding.conversation}` · turn {finding.turn}"
            print(f"### {rule} #{number}\n", file=out)
            print(where + (f" · title “{finding.title}”" if finding.title else ""), file=out)
            print(f"\nflagged: `{finding.text}` — {finding.message}\n", file=out)
            if finding.customer_text is not None:
                customer = finding.customer_text
                if len(customer) > CUSTOMER_CONTEXT_CHARS:
                    customer = "…" + customer[-CUSTOMER_CONTEXT_CHARS:]
                print(f"customer (turn {finding.customer_turn}):\n", file=out)
                print(_quote(customer) + "\n", file=out)
            print("agent:\n", file=out)
            print(_quote(_excerpt(finding.turn_text, finding.start, finding.end, TURN_CONTEXT_CHARS)) + "\n", file=out)
            if verdicts is not None and finding.key in verdicts:
                verdict = verdicts[finding.key]
                reason = f" — {verdict.reason}" if verdict.reason else ""
                print(f"earlier verdict: **{'correct' if verdict.correct else 'wrong'}**{reason}\n", file=out)


def as_json(audit: Audit, samples: dict[str, list[SampledFinding]] | None, verdicts: dict[Key, Verdict] | None) -> dict:
    total_turns = sum(c.agent_turns for c in audit.corpora)
    data: dict = {
        "corpora": [
            {
                "name": c.name,
                "files": c.files,
                "conversations": c.conversations,
                "agent_turns": c.agent_turns,
                "findings": {rule: c.findings[rule] for rule in audit.rule_ids},
                "per_1000_agent_turns": {rule: rate(c.findings[rule], c.agent_turns) for rule in audit.rule_ids},
                "errors": c.errors,
            }
            for c in audit.corpora
        ],
        "total": {
            "agent_turns": total_turns,
            "findings": {rule: sum(c.findings[rule] for c in audit.corpora) for rule in audit.rule_ids},
            "per_1000_agent_turns": {
                rule: rate(sum(c.findings[rule] for c in audit.corpora), total_turns) for rule in audit.rule_ids
            },
        },
    }
    if samples is not None:
        data["sample"] = {rule: [f.as_dict() for f in sample] for rule, sample in samples.items()}
        if verdicts is not None:
            data["sample_precision"] = {}
            for rule, sample in samples.items():
                correct, judged = sample_precision(sample, verdicts)
                data["sample_precision"][rule] = {"correct": correct, "judged": judged, "drawn": len(sample)}
    return data


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def main(argv: list[str] | None = None, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", metavar="CORPUS", help="a folder (or file) of inputs per corpus")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a folder of custom rules")
    parser.add_argument("--select", action="append", default=[], metavar="RULES", help="rule ids or categories")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip matching files, e.g. '**/SOURCE.md' (a corpus's own documentation); repeatable",
    )
    parser.add_argument("--no-config", action="store_true", help="ignore .cslint.yaml files near the inputs")
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="draw N findings per rule for review")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the draw (default 0)")
    parser.add_argument("--out", metavar="FILE", help="write the sample for review to FILE (Markdown)")
    parser.add_argument("--verdicts", metavar="FILE", help="JSONL of earlier verdicts to show and score")
    parser.add_argument("--json", action="store_true", help="print counts, rates (and the sample) as JSON")
    args = parser.parse_args(argv)
    if args.sample < 0:
        parser.error("--sample must be 0 or more")
    if args.out and not args.sample:
        parser.error("--out needs --sample N")

    try:
        import cslint  # noqa: F401  (the audit runs cslint's own readers and rules)
    except ImportError:
        print(
            "error: cslint is not installed in this Python: run it with the Python cslint is installed in",
            file=sys.stderr,
        )
        return 2
    try:
        verdicts = read_verdicts(args.verdicts) if args.verdicts else None
        audit = audit_corpora(args.corpora, _split(args.rules), _split(args.select), not args.no_config, args.exclude)
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    samples = draw_sample(audit.findings, args.sample, args.seed) if args.sample else None
    if args.out and samples is not None:
        from cslint.atomicfile import write_atomic

        buffer = io.StringIO()
        render_sample(samples, args.seed, buffer, verdicts)
        write_atomic(args.out, buffer.getvalue())
    if args.json:
        json.dump(as_json(audit, samples, verdicts), out, indent=2, ensure_ascii=False)
        print(file=out)
    else:
        render_table(audit, out, samples, verdicts)
    for corpus in audit.corpora:
        for error in corpus.errors:
            print(f"{corpus.name}: {error}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
