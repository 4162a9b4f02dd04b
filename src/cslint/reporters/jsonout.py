"""``--format json``: one JSON object (DESIGN.md contract; schema in schemas/findings.schema.json)."""

from __future__ import annotations

import json

from cslint import __version__
from cslint.reporters.base import Reporter, register
from cslint.run import RunResult

#: Bumped only on incompatible changes to the output's shape.
SCHEMA_VERSION = 1


def result_document(result: RunResult) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "cslint", "version": __version__},
        "findings": [f.to_dict() for f in result.findings],
        "errors": [e.to_dict() for e in result.errors],
        "suppressed": [s.to_dict() for s in result.suppressed],
        "summary": {
            "files": result.files,
            "conversations": result.conversations,
            "turns": result.turns,
            "findings": len(result.findings),
            "suppressed": len(result.suppressed),
            "baselined": result.baselined,
            "by_rule": dict(sorted(result.by_rule().items())),
            "by_severity": {s.label: n for s, n in sorted(result.by_severity().items())},
        },
    }


@register
class JsonReporter(Reporter):
    name = "json"
    description = "one JSON object with findings, errors and a summary (stable contract)"

    def finish(self, result: RunResult) -> None:
        json.dump(result_document(result), self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
