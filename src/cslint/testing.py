"""Run every rule's own examples: the flagging ones must flag (at the marked span), the passing
ones must not. Used by ``cslint test`` and by the pytest suite alike.

In an example, ``[[...]]`` marks the words the rule must flag. A plain string is one turn by
the rule's first speaker; ``{turns: [...]}`` is a small conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cslint.engine.linter import Linter
from cslint.model import Conversation, SourceMap, Turn
from cslint.ruleset.rule import Rule

_MARK = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


@dataclass
class Example:
    rule: Rule
    expect_flag: bool
    index: int
    conversation: Conversation
    #: (turn index, start, end) of every marked span.
    marks: list[tuple[int, int, int]]
    line: int | None

    @property
    def name(self) -> str:
        return f"{self.rule.id}:{'flag' if self.expect_flag else 'pass'}[{self.index}]"


@dataclass
class ExampleResult:
    example: Example
    ok: bool
    detail: str = ""


def strip_marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove ``[[``/``]]`` and return the clean text with the marked spans' offsets."""
    spans = []
    out = []
    pos = 0
    removed = 0
    for match in _MARK.finditer(text):
        out.append(text[pos : match.start()])
        start = match.start() - removed
        inner = match.group(1)
        out.append(inner)
        spans.append((start, start + len(inner)))
        removed += 4
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), spans


def _turns_of(raw: Any, rule: Rule) -> list[tuple[str, str, str | None]]:
    """(speaker, text, time) of each turn of an example."""
    if isinstance(raw, str):
        return [(rule.scope.speakers[0], raw, None)]
    turns = []
    for item in raw["turns"]:
        if "speaker" in item:
            turns.append((item["speaker"], item["text"], item.get("time")))
        else:
            ((speaker, text),) = item.items()
            turns.append((speaker, text, None))
    return turns


def build_example(rule: Rule, expect_flag: bool, index: int, raw: Any) -> Example:
    section = "flag" if expect_flag else "pass"
    turns: list[Turn] = []
    marks: list[tuple[int, int, int]] = []
    for ti, (speaker, text, time) in enumerate(_turns_of(raw, rule)):
        clean, spans = strip_marks(text)
        marks.extend((ti, s, e) for s, e in spans)
        turns.append(Turn(speaker=speaker, text=clean, time=time, source=SourceMap()))
    channel = raw.get("channel") if isinstance(raw, dict) else None
    conversation = Conversation(id=f"{rule.id}-{section}-{index}", path=rule.path, turns=turns, channel=channel)
    return Example(rule, expect_flag, index, conversation, marks, rule.line_of("examples", section, index))


def examples_of(rule: Rule) -> Iterator[Example]:
    for i, raw in enumerate(rule.examples_flag):
        yield build_example(rule, True, i, raw)
    for i, raw in enumerate(rule.examples_pass):
        yield build_example(rule, False, i, raw)


def check_example(linter: Linter, example: Example) -> ExampleResult:
    findings = [f for f in linter.lint_one(example.conversation) if f.rule == example.rule.id]
    got = [(f.turn, f.start, f.end) for f in findings]

    def show(spans: list[tuple[int, int, int]]) -> str:
        turns = example.conversation.turns
        return ", ".join(f"turn {t} “{turns[t].text[s:e]}”" for t, s, e in spans) or "nothing"

    if not example.expect_flag:
        if got:
            return ExampleResult(example, False, f"must not flag, but flagged {show(got)}")
        return ExampleResult(example, True)
    if not got:
        return ExampleResult(
            example, False, f"must flag {show(example.marks) if example.marks else 'something'}, but flagged nothing"
        )

    def overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
        return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]

    missed = [m for m in example.marks if not any(overlaps(m, g) for g in got)]
    extra = [g for g in got if example.marks and not any(overlaps(g, m) for m in example.marks)]
    if missed or extra:
        detail = []
        if missed:
            detail.append(f"did not flag {show(missed)}")
        if extra:
            detail.append(f"flagged unmarked {show(extra)}")
        return ExampleResult(example, False, "; ".join(detail) + f" (flagged {show(got)})")
    return ExampleResult(example, True)


def run_examples(rules: list[Rule], linter: Linter | None = None) -> list[ExampleResult]:
    linter = linter or Linter(rules)
    compiled = {c.id for c in linter.compiled}
    results = []
    for rule in rules:
        if rule.id not in compiled:
            continue
        for example in examples_of(rule):
            results.append(check_example(linter, example))
    return results
