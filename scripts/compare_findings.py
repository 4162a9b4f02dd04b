#!/usr/bin/env python3
"""Snapshot cslint's findings over a set of inputs, and compare with an earlier snapshot.

Usage:
  python scripts/compare_findings.py SNAPSHOT_DIR INPUT... [--against OLD_DIR] [--cslint CMD]
                                     [--select RULES]

Runs `cslint check --format json --jobs 1` over every INPUT (a file, or a folder walked by
cslint itself), splits the findings and errors by input file and writes one normalised JSON
document per file into SNAPSHOT_DIR (findings sorted, the summary dropped: it only counts).
With `--against OLD_DIR` it then prints a unified diff of every file that differs, appears or
disappears; an empty output means the findings are identical.

This is the guard for refactorings that must not change behaviour: take a snapshot before,
change the code, take one after, and compare. `--cslint` runs another installation (e.g. an
older checkout: `--cslint "env PYTHONPATH=OLD/src python -m cslint"`).

Exit status: 0 identical (or no `--against`), 1 differences, 2 a run that could not be done.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Finding fields in the order they sort by: a stable order that does not depend on rule order.
SORT_FIELDS = ("path", "conversation", "turn", "start", "end", "rule", "message")


def run_cslint(command: list[str], inputs: list[str], select: str) -> dict[str, Any]:
    """One cslint process over all inputs; its JSON report (errors are part of the report)."""
    argv = [*command, "check", "--format", "json", "--jobs", "1", "--select", select, *inputs]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode not in (0, 1, 2) or not done.stdout.strip():
        raise SystemExit(f"error: {shlex.join(argv)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def sort_key(finding: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(finding.get(name, "")).zfill(12) if name in ("turn", "start", "end") else str(finding.get(name, ""))
        for name in SORT_FIELDS
    )


def split_by_file(report: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{path: {"findings": [...], "errors": [...]}}, each list in a stable order."""
    per_file: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for finding in report.get("findings", []):
        per_file.setdefault(finding["path"], {"findings": [], "errors": []})["findings"].append(finding)
    for error in report.get("errors", []):
        per_file.setdefault(error.get("path", ""), {"findings": [], "errors": []})["errors"].append(error)
    for entry in per_file.values():
        entry["findings"].sort(key=sort_key)
        entry["errors"].sort(key=lambda error: json.dumps(error, sort_keys=True))
    return per_file


def snapshot_name(path: str) -> str:
    """A flat, readable file name for an input path (a hash keeps equal stems apart)."""
    digest = hashlib.sha1(path.encode()).hexdigest()[:8]
    stem = path.strip("/").replace("/", "__")[-120:]
    return f"{stem}.{digest}.json"


def write_snapshot(directory: Path, per_file: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.json"):
        old.unlink()
    for path, entry in per_file.items():
        document = {"path": path, **entry}
        (directory / snapshot_name(path)).write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


def diff_snapshots(old: Path, new: Path) -> list[str]:
    """Unified-diff lines for every snapshot file that differs between the two folders."""
    lines: list[str] = []
    names = sorted({p.name for p in old.glob("*.json")} | {p.name for p in new.glob("*.json")})
    for name in names:
        before = (old / name).read_text().splitlines() if (old / name).exists() else []
        after = (new / name).read_text().splitlines() if (new / name).exists() else []
        if before != after:
            lines.extend(
                difflib.unified_diff(before, after, f"{old.name}/{name}", f"{new.name}/{name}", lineterm="", n=2)
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snapshot", type=Path, help="folder to write the snapshot into (replaced)")
    parser.add_argument("inputs", nargs="+", help="files or folders to lint")
    parser.add_argument("--against", type=Path, help="an earlier snapshot folder to compare with")
    parser.add_argument("--cslint", default=f"{shlex.quote(sys.executable)} -m cslint", help="how to run cslint")
    parser.add_argument("--select", default="all", help="rules to run (default: all, also those off by default)")
    args = parser.parse_args(argv)
    if args.against is not None and not args.against.is_dir():
        print(f"error: {args.against}: no such snapshot folder", file=sys.stderr)
        return 2
    report = run_cslint(shlex.split(args.cslint), args.inputs, args.select)
    per_file = split_by_file(report)
    write_snapshot(args.snapshot, per_file)
    findings = sum(len(entry["findings"]) for entry in per_file.values())
    print(f"{findings} findings in {len(per_file)} files written to {args.snapshot}", file=sys.stderr)
    if args.against is None:
        return 0
    differences = diff_snapshots(args.against, args.snapshot)
    for line in differences:
        print(line)
    print("identical" if not differences else "findings differ", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
