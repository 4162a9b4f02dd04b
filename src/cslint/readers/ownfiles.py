"""cslint's own files — config, baseline, and the reports it writes — are never inputs.

A repository that adopts cslint keeps ``.cslint.yaml`` and a baseline next to its replies, and a
CI job may leave ``findings.json`` or a Markdown summary in the work tree; ``cslint check .``
must not read any of them as conversations (a baseline is "unrecognised JSON shape", exit 2;
a Markdown report would be linted as a canned reply). They are recognised by name (config
files) or by the first bytes every cslint writer puts at the top of its file, so a renamed
report is recognised too, and an unrelated file that happens to be called ``report.json`` is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

#: Config file names (see ``config.files``): settings, not conversations.
CONFIG_NAMES = frozenset({".cslint.yaml", ".cslint.yml"})

#: How much of a file's start is enough to see any signature below.
HEAD_BYTES = 2048

_JSON_STRING_CSLINT = r'"cslint"'
#: kind -> a pattern over the file's first bytes (decoded as UTF-8, BOM dropped).
SIGNATURES: dict[str, re.Pattern[str]] = {
    # --format json and the baseline: {"version": N, "tool": {"name": "cslint", ...
    "report or baseline": re.compile(
        r'\A\s*\{\s*"version"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*' + _JSON_STRING_CSLINT
    ),
    # --format sarif: {"$schema": "...sarif...", "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "cslint"
    "SARIF report": re.compile(
        r'\A\s*\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*"\s*,\s*"version"\s*:\s*"[^"]*"\s*,\s*"runs"\s*:\s*\[\s*\{\s*'
        r'"tool"\s*:\s*\{\s*"driver"\s*:\s*\{\s*"name"\s*:\s*' + _JSON_STRING_CSLINT
    ),
    # --format gitlab: [{"type": "issue", "engine_name": "cslint", ...
    "GitLab report": re.compile(
        r'\A\s*\[\s*\{\s*"type"\s*:\s*"issue"\s*,\s*"engine_name"\s*:\s*' + _JSON_STRING_CSLINT
    ),
    # --format rdjson: {"source": {"name": "cslint", ...
    "rdjson report": re.compile(r'\A\s*\{\s*"source"\s*:\s*\{\s*"name"\s*:\s*' + _JSON_STRING_CSLINT),
    # --format markdown: "### ✅ cslint: ..." or "### ❌ cslint: ..."
    "Markdown report": re.compile(r"\A\s*### \S+ cslint: "),
    # --format html: the page names its generator in the head.
    "HTML report": re.compile(r'\A\s*<!doctype html>[\s\S]{0,1500}?<meta name="generator" content="cslint ', re.I),
    # --format csv and --scores: their header rows.
    "CSV report": re.compile(r"\Arule,severity,path,line,column,conversation,"),
    "score sheet": re.compile(r"\Apath,conversation,title,channel,week,agents,"),
}

#: Endings whose files may be one of the reports above; other files are not opened to check.
REPORT_SUFFIXES = frozenset({".json", ".md", ".markdown", ".html", ".htm", ".csv"})

#: A rule file (a rule pack's, or a ``rules:`` folder's) is a mapping with these top-level keys
#: (any order; the README's rule format). Saved-reply YAML has titles and bodies, never all three.
RULE_KEYS = ("id", "category", "severity", "detect")
RULE_SUFFIXES = frozenset({".yaml", ".yml"})
#: Rule files put ``detect`` after the documentation: read further than for reports.
RULE_HEAD_BYTES = 16384


def _is_rule_file(text: str) -> bool:
    return all(re.search(rf"^{key}:", text, re.MULTILINE) for key in RULE_KEYS)


def own_file_kind(path: str | Path, read_head: Callable[[Path, int], bytes] | None = None) -> str | None:
    """What kind of cslint file ``path`` is ("config", "SARIF report", ...), or None."""
    path = Path(path)
    if path.name in CONFIG_NAMES:
        return "config"
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES | RULE_SUFFIXES or not path.is_file():
        return None
    size = RULE_HEAD_BYTES if suffix in RULE_SUFFIXES else HEAD_BYTES
    try:
        head = (read_head or _read_head)(path, size)
    except OSError:
        return None  # the reader reports an unreadable file, with its reason
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    if suffix in RULE_SUFFIXES:
        return "rule file" if _is_rule_file(text) else None
    return next((kind for kind, pattern in SIGNATURES.items() if pattern.match(text)), None)


def _read_head(path: Path, size: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)
