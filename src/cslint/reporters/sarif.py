"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Rules become ``tool.driver.rules`` (with their docs and default level), findings become
``results`` with a physical location, a snippet and a stable ``partialFingerprints`` entry;
suppressed findings are included with a ``suppressions`` entry and their reason, as SARIF
intends; input errors become tool execution notifications.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cslint
from cslint.baseline import Fingerprinter
from cslint.model import Conversation, Finding, InputError, Severity
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults
from cslint.textsafety import replace_surrogates

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _path_bytes(path: str) -> bytes:
    """The bytes of a file name: one that is not valid UTF-8 came to us with surrogate escapes
    and goes back byte for byte (so its URI is %-encoded exactly); any other lone surrogate
    becomes U+FFFD."""
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return replace_surrogates(path).encode("utf-8")


def artifact_location(path: str) -> dict:
    """A relative path stays relative to %SRCROOT% (the current folder); others are file URIs."""
    if path in ("-", "<stdin>"):
        return {"uri": "stdin"}
    if os.path.isabs(path):
        return {"uri": "file://" + quote(_path_bytes(Path(path).as_posix()), safe="/")}
    return {"uri": quote(_path_bytes(Path(os.path.normpath(path)).as_posix()), safe="/"), "uriBaseId": SRCROOT}


def _rule_descriptor(rule) -> dict:
    descriptor = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.what},
        "help": {
            "text": f"{rule.why}\n\nFix: {rule.fix}",
            "markdown": f"**Why it hurts.** {rule.why}\n\n**The fix.** {rule.fix}",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"category": rule.category, "tags": [rule.category, *rule.tags]},
    }
    if rule.links:
        descriptor["helpUri"] = rule.links[0]
    return descriptor


@register
class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)"

    def __init__(self, stream, color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.fingerprinter = Fingerprinter(Path.cwd())
        self.fingerprints: dict[int, str] = {}

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        for f, fp in zip(findings, self.fingerprinter.fingerprints(findings)):
            self.fingerprints[id(f)] = fp

    def _result(self, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
        region = {"startLine": max(1, f.line), "startColumn": max(1, f.column), "snippet": {"text": f.text}}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": LEVELS[f.severity],
            "message": {"text": f"{f.message} Fix: {f.fix}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.path), "region": region}}],
            "properties": {"conversation": f.conversation, "turn": f.turn, "speaker": f.speaker, "fix": f.fix},
        }
        if f.rule in rule_index:
            result["ruleIndex"] = rule_index[f.rule]
        fp = self.fingerprints.get(id(f))
        if fp is None:
            fp = self.fingerprinter.fingerprints([f])[0]
        result["partialFingerprints"] = {"cslintFinding/v1": fp}
        return result

    def _notification(self, error: InputError) -> dict:
        note: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact_location(error.path)}}
        if error.line:
            location["physicalLocation"]["region"] = {"startLine": error.line}
        note["locations"] = [location]
        return note

    def document(self, result: CheckResults) -> dict:
        rules = sorted(result.rules, key=lambda r: r.id)
        rule_index = {rule.id: i for i, rule in enumerate(rules)}
        results = [self._result(f, rule_index) for f in result.findings]
        for s in result.suppressed:
            entry = self._result(s.finding, rule_index)
            suppression = {"kind": "inSource", "status": "accepted"}
            if s.reason:
                suppression["justification"] = s.reason
            entry["suppressions"] = [suppression]
            results.append(entry)
        run = {
            "tool": {
                "driver": {
                    "name": "cslint",
                    "version": cslint.__version__,
                    "rules": [_rule_descriptor(rule) for rule in rules],
                }
            },
            "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [
                {
                    "executionSuccessful": not result.errors,
                    "toolExecutionNotifications": [self._notification(e) for e in result.errors],
                }
            ],
            "results": results,
        }
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}

    def finish(self, result: CheckResults) -> None:
        json.dump(self.document(result), self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
