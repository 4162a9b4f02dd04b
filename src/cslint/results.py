"""What a `cslint check` found: the counts, the findings kept for the reporters, and the exit status they imply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cslint.exitstatus import ExitStatus
from cslint.model import Finding, InputError, Severity
from cslint.scorecard import ScoreBook


@dataclass
class CheckResults:
    #: The findings shown, in order; kept only when a reporter needs them all at the end
    #: (SARIF, JUnit, Markdown). Streaming formats leave ``keep_findings`` off, so memory stays
    #: flat however large the input; the counts below are always kept.
    findings: list[Finding] = field(default_factory=list)
    keep_findings: bool = True
    errors: list[InputError] = field(default_factory=list)
    files: int = 0
    conversations: int = 0
    turns: int = 0
    conversations_with_findings: int = 0
    skipped_unknown: int = 0
    skipped_hidden: int = 0
    skipped_gitignored: int = 0
    #: Turns that English-only rules skipped because they do not read as English.
    skipped_not_english: int = 0
    #: cslint's own baselines and reports met among the inputs: never read as conversations.
    own_files: int = 0
    rules_run: int = 0
    #: The highest severity of any finding, shown or hidden by --min-severity.
    worst: Severity | None = None
    #: Findings accepted by a suppression (``suppression.Suppressed``: finding, reason, how).
    suppressed: list = field(default_factory=list)
    #: Findings left out because the --baseline file already holds them.
    baselined: int = 0
    #: Files left out by the config's ``exclude`` globs.
    excluded: int = 0
    #: The rules that ran (``Rule`` objects), for reporters that describe them (SARIF).
    rules: list = field(default_factory=list)
    #: A score per conversation and per agent (``scorecard:`` config), from the findings shown.
    scores: ScoreBook = field(default_factory=ScoreBook)

    _by_rule: Counter = field(default_factory=Counter)
    _by_severity: Counter = field(default_factory=Counter)
    _by_agent: Counter = field(default_factory=Counter)
    #: The highest severity shown per rule (for summaries).
    worst_by_rule: dict = field(default_factory=dict)

    def note_severities(self, findings: list[Finding]) -> None:
        for f in findings:
            if self.worst is None or f.severity > self.worst:
                self.worst = f.severity

    def add(self, findings: list[Finding]) -> None:
        """Count (and, if kept, store) findings that are shown."""
        for f in findings:
            self._by_rule[f.rule] += 1
            self._by_severity[f.severity] += 1
            if f.agent:
                self._by_agent[f.agent] += 1
            if f.severity > self.worst_by_rule.get(f.rule, Severity.INFO) or f.rule not in self.worst_by_rule:
                self.worst_by_rule[f.rule] = f.severity
        if self.keep_findings:
            self.findings.extend(findings)

    @property
    def finding_count(self) -> int:
        return sum(self._by_rule.values())

    def by_rule(self) -> Counter:
        return Counter(self._by_rule)

    def by_severity(self) -> Counter:
        return Counter(self._by_severity)

    def by_agent(self) -> Counter:
        return Counter(self._by_agent)

    def skipped(self) -> dict[str, int]:
        """Files and folders not read, by reason (only reasons that occurred), for summaries."""
        counts = {
            "hidden": self.skipped_hidden,
            "gitignored": self.skipped_gitignored,
            "excluded": self.excluded,
            "unsupported": self.skipped_unknown,
            "cslint's own": self.own_files,
        }
        return {reason: n for reason, n in counts.items() if n}

    def fails(self, fail_on: Severity) -> bool:
        """Whether a finding (shown or not) is at or above ``fail_on``."""
        return self.worst is not None and self.worst >= fail_on

    def exit_status(self, fail_on: Severity) -> ExitStatus:
        return ExitStatus.decide(errors=bool(self.errors), findings=self.fails(fail_on))
