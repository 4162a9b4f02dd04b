"""The result of a lint run, and the exit status it implies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cslint.model import Finding, InputError, Severity

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: int = 0
    conversations: int = 0
    turns: int = 0
    conversations_with_findings: int = 0
    skipped_unknown: int = 0
    skipped_hidden: int = 0
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

    def note_severities(self, findings: list[Finding]) -> None:
        for f in findings:
            if self.worst is None or f.severity > self.worst:
                self.worst = f.severity

    def by_rule(self) -> Counter:
        return Counter(f.rule for f in self.findings)

    def by_severity(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def by_agent(self) -> Counter:
        return Counter(f.agent for f in self.findings if f.agent)

    def exit_status(self, fail_on: Severity) -> int:
        """0 clean; 1 a finding at or above ``fail_on``; 2 an error (takes precedence, since a
        run that could not read everything cannot claim to be clean)."""
        if self.errors:
            return EXIT_ERROR
        if self.worst is not None and self.worst >= fail_on:
            return EXIT_FINDINGS
        return EXIT_CLEAN
