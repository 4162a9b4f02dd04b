"""Small builders shared by the tests."""

import contextlib
import signal
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


@contextlib.contextmanager
def ctrl_c_deliverable():
    """Processes started inside receive Ctrl-C even when this test run ignores it.

    A job a non-interactive shell starts in the background (``pytest &``, some CI runners)
    has SIGINT ignored, children inherit that, and Python then never raises KeyboardInterrupt:
    a Ctrl-C test would see the run finish instead. A handler (unlike "ignore") is reset to
    the default when the child starts, so one is installed around the start.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
