"""Run compiled rules over conversations and yield findings.

The pipeline and the matchers are built once; turns are streamed through ``nlp.pipe`` in
batches that span conversations. Turn-level detectors run per turn, conversation-level
detectors run once per conversation with every analysed turn in view.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from cslint.engine.detectors import DETECTOR_KINDS, CompileContext, Detector, TurnView
from cslint.errors import RuleError
from cslint.model import Conversation, Finding, Severity
from cslint.ruleset.rule import Rule

#: Turns analysed per ``nlp.pipe`` batch; conversations are never split across batches.
BATCH_TURNS = 512


@dataclass
class CompiledRule:
    rule: Rule
    detectors: list[Detector]
    exceptions: list[tuple[Detector, str]]
    severity: Severity

    @property
    def id(self) -> str:
        return self.rule.id

    def applies_to(self, conversation: Conversation) -> list[bool]:
        """Which turns of ``conversation`` this rule looks at."""
        scope = self.rule.scope
        turns = conversation.turns
        if not scope.covers_channel(conversation.channel):
            return [False] * len(turns)
        flags = [t.lintable and t.speaker in scope.speakers for t in turns]
        if scope.position != "any" and any(flags):
            chosen = flags.index(True) if scope.position == "first" else len(flags) - 1 - flags[::-1].index(True)
            flags = [i == chosen for i in range(len(flags))]
        return flags


@dataclass
class Linter:
    rules: list[Rule]
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    errors: list[RuleError] = field(default_factory=list)

    def __post_init__(self) -> None:
        from cslint.engine.matchbank import MatcherBank
        from cslint.engine.nlp import build_pipeline

        needs_lemmas = any(
            DETECTOR_KINDS[spec["kind"]].uses_lemmas(spec) for rule in self.rules for spec in rule.detect + rule.unless
        )
        self.nlp = build_pipeline(lemmas=needs_lemmas)
        self.bank = MatcherBank(self.nlp)
        self.compiled: list[CompiledRule] = []
        for rule in self.rules:
            try:
                self.compiled.append(self._compile(rule))
            except RuleError as exc:
                self.errors.append(exc)
        self.needs_all_turns = any(d.conversational for c in self.compiled for d in c.detectors)

    def _compile(self, rule: Rule) -> CompiledRule:
        def build(section: str, i: int, spec: dict[str, Any]) -> Detector:
            ctx = CompileContext(nlp=self.nlp, bank=self.bank, key=f"{rule.id}/{section}/{i}", rule_id=rule.id)
            try:
                return DETECTOR_KINDS[spec["kind"]](spec, ctx)
            except RuleError as exc:
                raise RuleError(f"{section}[{i}]: {exc.message}", rule.path, rule.line_of(section, i)) from None

        detectors = [build("detect", i, spec) for i, spec in enumerate(rule.detect)]
        exceptions = [(build("unless", i, spec), spec.get("within", "sentence")) for i, spec in enumerate(rule.unless)]
        severity = self.severity_overrides.get(rule.id, rule.severity)
        return CompiledRule(rule, detectors, exceptions, severity)

    # -- running ---------------------------------------------------------------------------

    def lint(self, conversations: Iterable[Conversation]) -> Iterator[tuple[Conversation, list[Finding]]]:
        """Yield each conversation with its findings, in input order."""
        batch: list[Conversation] = []
        size = 0
        for conversation in conversations:
            batch.append(conversation)
            size += len(conversation.turns)
            if size >= BATCH_TURNS:
                yield from self._lint_batch(batch)
                batch, size = [], 0
        if batch:
            yield from self._lint_batch(batch)

    def lint_one(self, conversation: Conversation) -> list[Finding]:
        return next(iter(self._lint_batch([conversation])))[1]

    def _lint_batch(self, batch: list[Conversation]) -> Iterator[tuple[Conversation, list[Finding]]]:
        scopes = [[c.applies_to(conv) for c in self.compiled] for conv in batch]
        wanted: list[tuple[int, int]] = []
        for ci, conv in enumerate(batch):
            for ti, _turn in enumerate(conv.turns):
                if self.needs_all_turns or any(flags[ti] for flags in scopes[ci]):
                    wanted.append((ci, ti))
        views: list[list[TurnView | None]] = [[None] * len(conv.turns) for conv in batch]
        texts = (batch[ci].turns[ti].text for ci, ti in wanted)
        for (ci, ti), doc in zip(wanted, self.nlp.pipe(texts, batch_size=256)):
            views[ci][ti] = TurnView(ti, batch[ci].turns[ti], doc, self.bank.run(doc))
        for ci, conv in enumerate(batch):
            findings: list[Finding] = []
            for compiled, in_scope in zip(self.compiled, scopes[ci]):
                findings.extend(self._run_rule(compiled, conv, views[ci], in_scope))
            findings.sort(key=Finding.sort_key)
            yield conv, findings

    def _run_rule(
        self, compiled: CompiledRule, conv: Conversation, views: list[TurnView | None], in_scope: list[bool]
    ) -> list[Finding]:
        hits: dict[int, list[tuple[int, int, str | None]]] = {}
        for detector in compiled.detectors:
            if detector.conversational:
                for ti, start, end in detector.find_in_conversation(conv, views, in_scope):
                    hits.setdefault(ti, []).append((start, end, detector.message))
                continue
            for ti, view in enumerate(views):
                if view is None or not in_scope[ti]:
                    continue
                for start, end in detector.find(view):
                    hits.setdefault(ti, []).append((start, end, detector.message))
        findings = []
        for ti, spans in sorted(hits.items()):
            view = views[ti]
            if view is not None and compiled.exceptions:
                spans = [s for s in spans if not _cancelled(compiled, view, s[0], s[1])]
            for start, end, message in _merge(spans):
                findings.append(self._finding(compiled, conv, ti, start, end, message))
        return findings

    def _finding(self, compiled: CompiledRule, conv: Conversation, ti: int, start: int, end: int, message: str | None) -> Finding:
        rule = compiled.rule
        turn = conv.turns[ti]
        where = turn.source.locate(start)
        passage = turn.text[start:end]
        return Finding(
            rule=rule.id,
            severity=compiled.severity,
            path=conv.path,
            conversation=conv.id,
            turn=ti,
            speaker=turn.speaker,
            line=where.line,
            column=where.column,
            start=start,
            end=end,
            text=passage,
            message=message or rule.message,
            fix=fix_for(rule, passage),
            turn_text=turn.text,
            agent=turn.name if turn.speaker == "agent" else None,
            title=conv.title,
        )


def fix_for(rule: Rule, passage: str) -> str:
    """The rule's advice, preceded by a better wording when the passage has one."""
    lowered = passage.lower()
    for better in rule.better:
        if better["instead_of"].lower() in lowered:
            return f"Instead of “{better['instead_of']}”, say “{better['say']}”. {rule.fix}"
    return rule.fix


def _merge(spans: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    """Merge overlapping spans of one rule in one turn into one finding each."""
    merged: list[tuple[int, int, str | None]] = []
    for start, end, message in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            merged.append((start, end, message))
    return merged


def _sentence_starts(view: TurnView) -> list[int]:
    return [sent.start_char for sent in view.doc.sents]


def _cancelled(compiled: CompiledRule, view: TurnView, start: int, end: int) -> bool:
    for detector, within in compiled.exceptions:
        spans = list(detector.find(view))
        if not spans:
            continue
        if within == "turn":
            return True
        if within == "match":
            if any(s < end and e > start for s, e in spans):
                return True
            continue
        # within: sentence — the exception must lie in the sentence(s) the match lies in.
        starts = _sentence_starts(view)
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, max(start, end - 1)) - 1
        lo = starts[first] if first >= 0 else 0
        hi = starts[last + 1] if last + 1 < len(starts) else len(view.text)
        if any(s < hi and e > lo for s, e in spans):
            return True
    return False
