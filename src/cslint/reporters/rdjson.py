"""``--format rdjson``: reviewdog's Diagnostic Format (JSON), for review comments on any
forge reviewdog supports::

    cslint check support/ --format rdjson | reviewdog -f=rdjson -reporter=github-pr-review

The document is ``{"source": ..., "diagnostics": [...]}`` with ``source`` first (that is how
cslint recognises its own report); each finding's range covers the flagged words when they
sit on one line.
"""

from __future__ import annotations

import json
from typing import Any

import cslint
from cslint.model import Finding, Severity
from cslint.reporters.base import register
from cslint.reporters.github import repo_path
from cslint.reporters.jsonarray import JsonArrayReporter
from cslint.results import CheckResults

SEVERITIES = {Severity.INFO: "INFO", Severity.WARNING: "WARNING", Severity.ERROR: "ERROR"}
SOURCE = {"name": "cslint", "version": cslint.__version__}


@register
class RdjsonReporter(JsonArrayReporter):
    name = "rdjson"
    description = "reviewdog Diagnostic Format (rdjson)"
    opening = '{"source": ' + json.dumps(SOURCE) + ', "diagnostics": ['
    closing = "]}"

    def item(self, finding: Finding, fingerprint: str) -> dict[str, Any]:
        start = {"line": max(1, finding.line), "column": max(1, finding.column)}
        span: dict[str, Any] = {"start": start}
        if "\n" not in finding.text:
            span["end"] = {"line": start["line"], "column": start["column"] + len(finding.text)}
        return {
            "message": f"{finding.message}\nFix: {finding.fix}",
            "location": {"path": repo_path(finding.path), "range": span},
            "severity": SEVERITIES[finding.severity],
            "code": {"value": finding.rule},
            "original_output": finding.text,
        }

    def error_items(self, result: CheckResults) -> list[dict[str, Any]]:
        return [
            {
                "message": f"cannot read this file: {error.message}",
                "location": {"path": repo_path(error.path), "range": {"start": {"line": error.line or 1}}},
                "severity": "ERROR",
                "code": {"value": "input-error"},
            }
            for error in result.errors
        ]
