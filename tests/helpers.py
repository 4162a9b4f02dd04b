"""Small builders shared by the tests."""

import textwrap
from pathlib import Path

MINIMAL_RULE = """\
id: {id}
title: Test rule
category: test
severity: {severity}
message: Flagged for testing.
description:
  what: What it catches.
  why: Why it hurts.
  fix: Do better.
links: [https://example.org/rule]
detect:
{detect}
examples:
  flag: ["{flag}"]
  pass: ["nothing to see here"]
"""


def write_rule(
    folder: Path,
    rule_id: str = "test-rule",
    detect: str | None = None,
    severity: str = "warning",
    flag: str = "please [[go away]] now",
    extra: str = "",
) -> Path:
    detect = detect or "  - kind: phrases\n    phrases: [go away]"
    text = MINIMAL_RULE.format(id=rule_id, severity=severity, detect=detect, flag=flag) + textwrap.dedent(extra)
    path = folder / f"{rule_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
