"""``--format junit``: JUnit XML, for CI systems that show test reports (GitLab, Jenkins,
Azure Pipelines). Each file is a test suite, each conversation a test case, each finding a
``<failure>``; an input that could not be read is a test case with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from cslint.model import Conversation, Finding
from cslint.reporters.base import Reporter, ReportOptions, register
from cslint.results import CheckResults

#: Characters XML 1.0 cannot hold at all, even escaped (lone surrogates included).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


@dataclass
class _Case:
    name: str
    findings: list[Finding] = field(default_factory=list)


@register
class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: a test case per conversation, a failure per finding"

    def __init__(self, stream, color: bool | None = None, options: ReportOptions | None = None) -> None:
        super().__init__(stream, color, options)
        self.suites: dict[str, list[_Case]] = {}

    def on_conversation(self, conversation: Conversation, findings: list[Finding]) -> None:
        name = conversation.id + (f" — {conversation.title}" if conversation.title else "")
        self.suites.setdefault(conversation.path, []).append(_Case(name, list(findings)))

    def document(self, result: CheckResults) -> ET.Element:
        errors_by_path: dict[str, list] = {}
        for error in result.errors:
            errors_by_path.setdefault(error.path, []).append(error)
        root = ET.Element("testsuites", name="cslint")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        for path in list(self.suites) + [p for p in errors_by_path if p not in self.suites]:
            cases = self.suites.get(path, [])
            errors = errors_by_path.get(path, [])
            failures = sum(len(c.findings) for c in cases)
            suite = ET.SubElement(
                root,
                "testsuite",
                name=xml_text(path),
                tests=str(len(cases) + len(errors)),
                failures=str(failures),
                errors=str(len(errors)),
            )
            for case in cases:
                element = ET.SubElement(suite, "testcase", classname=xml_text(path), name=xml_text(case.name))
                for f in case.findings:
                    failure = ET.SubElement(
                        element,
                        "failure",
                        type=f.rule,
                        message=xml_text(f"{f.path}:{f.line}:{f.column}: {f.severity.label} {f.rule}: {f.message}"),
                    )
                    failure.text = xml_text(f"turn {f.turn} ({f.speaker}): “{f.text}”\n{f.message}\nfix: {f.fix}")
            for error in errors:
                element = ET.SubElement(suite, "testcase", classname=xml_text(path), name="read input")
                ET.SubElement(element, "error", type="input-error", message=xml_text(str(error)))
            totals["tests"] += len(cases) + len(errors)
            totals["failures"] += failures
            totals["errors"] += len(errors)
        for key, value in totals.items():
            root.set(key, str(value))
        return root

    def finish(self, result: CheckResults) -> None:
        tree = ET.ElementTree(self.document(result))
        ET.indent(tree)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        tree.write(self.stream, encoding="unicode")
        self.stream.write("\n")
