"""``--format gitlab``: GitLab Code Quality (Code Climate) JSON, for merge-request widgets::

    cslint check support/ --format gitlab --output gl-code-quality-report.json

with ``artifacts: reports: codequality: gl-code-quality-report.json`` in ``.gitlab-ci.yml``.
Each finding is an issue with a stable ``fingerprint`` (GitLab compares the merge request's
report with the target branch's by it), a repository-relative path and a line. The first two
keys are fixed (``type``, ``engine_name``): they are how cslint recognises its own report.
"""

from __future__ import annotations

from typing import Any

from cslint.model import Finding, Severity
from cslint.reporters.base import register
from cslint.reporters.github import repo_path
from cslint.reporters.jsonarray import JsonArrayReporter
from cslint.results import CheckResults

#: GitLab's severities are info, minor, major, critical, blocker.
SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


@register
class GitlabReporter(JsonArrayReporter):
    name = "gitlab"
    description = "GitLab Code Quality JSON (merge-request widget)"

    def item(self, finding: Finding, fingerprint: str) -> dict[str, Any]:
        return {
            "type": "issue",
            "engine_name": "cslint",
            "check_name": finding.rule,
            "description": f"{finding.message} “{finding.text}” (conversation {finding.conversation}, turn {finding.turn})",
            "content": {"body": f"Fix: {finding.fix}"},
            "categories": ["Style"],
            "severity": SEVERITIES[finding.severity],
            "fingerprint": fingerprint,
            "location": {"path": repo_path(finding.path), "lines": {"begin": max(1, finding.line)}},
        }

    def error_items(self, result: CheckResults) -> list[dict[str, Any]]:
        return [
            {
                "type": "issue",
                "engine_name": "cslint",
                "check_name": "input-error",
                "description": f"cannot read this file: {error.message}",
                "categories": ["Bug Risk"],
                "severity": "major",
                "fingerprint": f"input-error:{i}:{error.path}",
                "location": {"path": repo_path(error.path), "lines": {"begin": error.line or 1}},
            }
            for i, error in enumerate(result.errors)
        ]
