"""Baselines: write, then report only new findings; fingerprints survive reordering,
re-wrapping and edits elsewhere; the file is written atomically."""

import json
import os

from cslint.baseline import Fingerprinter
from cslint.model import Finding, Severity

RUNAROUND = "please visit our website"


def make(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_reports_only_new_findings(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "replies/a.md", f"Hi, {RUNAROUND}.\n")
    make(tmp_path, "replies/b.md", f"Hello.\n\nFor that, {RUNAROUND}.\n")
    result = run_cli("check", "--no-config", "replies", "--write-baseline", "cslint-baseline.json")
    assert result.exit_code == 0
    assert "wrote 2 finding(s) to baseline cslint-baseline.json" in result.stderr
    document = json.loads((tmp_path / "cslint-baseline.json").read_text())
    assert document["version"] == 1
    assert sorted(e["path"] for e in document["findings"]) == ["replies/a.md", "replies/b.md"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]

    result = run_cli("check", "--no-config", "-f", "json", "replies", "--baseline", "cslint-baseline.json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["findings"] == [] and doc["summary"]["baselined"] == 2

    # Edits elsewhere, re-wrapping and case changes keep the old finding known...
    make(tmp_path, "replies/b.md", f"Hello there, and thanks!\nFor that,\n{RUNAROUND.upper().replace(' ', '  ', 1)}.\n")
    # ...while a second occurrence and a new file are new.
    make(tmp_path, "replies/a.md", f"Hi, {RUNAROUND}.\nAnd again: {RUNAROUND}.\n")
    make(tmp_path, "replies/c.md", f"{RUNAROUND}.\n")
    result = run_cli(
        "check", "--no-config", "--fail-on", "info", "-f", "json", "replies", "--baseline", "cslint-baseline.json"
    )
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert sorted((f["path"], f["line"]) for f in doc["findings"]) == [("replies/a.md", 2), ("replies/c.md", 1)]
    assert doc["summary"]["baselined"] == 2


def test_baseline_works_from_another_folder(tmp_path, run_cli, monkeypatch):
    make(tmp_path, "repo/replies/a.md", f"Hi, {RUNAROUND}.\n")
    monkeypatch.chdir(tmp_path / "repo")
    run_cli("check", "--no-config", "replies", "--write-baseline", "baseline.json")
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--no-config", "repo/replies", "--baseline", "repo/baseline.json")
    assert result.exit_code == 0, result.stdout


def test_fingerprints_ignore_order_and_whitespace(tmp_path):
    def finding(conv, text, line):
        return Finding("runaround", Severity.WARNING, "a.json", conv, 1, "agent", line, 1, 0, len(text), text, "m", "f")

    fp = Fingerprinter(tmp_path)
    one = fp.fingerprints([finding("c-1", "visit our  website", 3)])
    moved = fp.fingerprints([finding("c-1", "Visit our\nwebsite", 40)])
    assert one == moved
    assert fp.fingerprints([finding("c-2", "visit our website", 3)]) != one
    twice = fp.fingerprints([finding("c-1", "visit our website", 3), finding("c-1", "visit our website", 9)])
    assert twice[0] == one[0] and twice[1] != one[0]


def test_bad_baseline_files_are_errors(tmp_path, run_cli):
    reply = make(tmp_path, "a.md", "Hello.\n")
    result = run_cli("check", "--no-config", reply, "--baseline", tmp_path / "missing.json")
    assert result.exit_code == 2 and "baseline file not found" in result.stderr
    bad = make(tmp_path, "bad.json", '{"findings": 3}')
    result = run_cli("check", "--no-config", reply, "--baseline", bad)
    assert result.exit_code == 2 and "not a cslint baseline" in result.stderr
