"""The files teams copy: the pre-commit hook and the example canned-response repository."""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "canned-repo"


def test_pre_commit_hook():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "cslint" and hook["entry"] == "cslint check" and hook["language"] == "python"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("replies/a.md", "b.txt", "chats/c.json", "d.jsonl", "macros/e.yaml", "f.yml", "g.log"):
        assert files.search(name) and not exclude.search(name), name
    for name in (
        ".cslint.yaml",
        "sub/.cslint.yml",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        "package.json",
    ):
        assert exclude.search(name), name
    assert not files.search("script.py")


def test_example_repository_in_ci(run_cli, monkeypatch):
    """What the README's CI example prints for examples/canned-repo."""
    monkeypatch.chdir(ROOT)
    result = run_cli("check", "examples/canned-repo", "--format", "github")
    assert result.exit_code == 1
    prefixes = [line.split("::")[1] for line in result.stdout.splitlines()]
    assert prefixes == [
        "warning file=examples/canned-repo/replies/password-reset.md,line=6,col=61,title=cslint runaround",
        "notice file=examples/canned-repo/replies/legacy/returns.txt,line=1,col=67,title=cslint runaround",
        "warning file=examples/canned-repo/transcripts/chat-0142.log,line=4,col=34,title=cslint runaround",
    ]
    doc = json.loads(run_cli("check", "examples/canned-repo", "-f", "json").stdout)
    assert doc["summary"]["files"] == 5  # drafts/ is excluded
    assert [(s["path"], s["reason"]) for s in doc["suppressed"]] == [
        ("examples/canned-repo/replies/size-chart.md", "the interactive chart only exists online")
    ]
