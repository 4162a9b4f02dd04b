"""A reporter base for formats that are one JSON array (or an object holding one), written
item by item as conversations are linted, so memory stays flat on huge inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cslint.baseline import Fingerprinter
from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, ReportOptions
from cslint.results import CheckResults


class JsonArrayReporter(Reporter):
    """Subclasses say what comes before and after the array, and turn a finding into an item."""

    streams = True

    def __init__(self, stream, color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        # Stable ids for findings (as SARIF's partialFingerprints and the baseline use).
        self.fingerprinter = Fingerprinter(Path.cwd())
        self._count = 0
        self._started = False

    #: Text before the first item and after the last one.
    opening = "["
    closing = "]"

    def item(self, finding: Finding, fingerprint: str) -> dict[str, Any]:
        raise NotImplementedError

    def error_items(self, result: CheckResults) -> list[dict[str, Any]]:
        """Items for inputs that could not be read (none by default)."""
        return []

    def _write(self, item: dict[str, Any]) -> None:
        if not self._started:
            self.stream.write(self.opening)
            self._started = True
        self.stream.write(("," if self._count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        self._count += 1

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f, fingerprint in zip(findings, self.fingerprinter.fingerprints(findings)):
            self._write(self.item(f, fingerprint))

    def finish(self, result: CheckResults) -> None:
        for item in self.error_items(result):
            self._write(item)
        if not self._started:
            self.stream.write(self.opening)
        self.stream.write(("\n" if self._count else "") + self.closing + "\n")
