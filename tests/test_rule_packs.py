"""Rule packs as Python packages: the example pack, pip-installed, used by name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cslint.errors import RuleError
from cslint.ruleset import load_rules
from cslint.ruleset.packs import resolve_pack

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "examples" / "rule-pack"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The example pack installed by pip into a folder of its own (no network: the build
    backend comes from the test extra)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", "--target", target, PACK],
        check=True,
        capture_output=True,
    )
    return target


def cslint(args, site, cwd):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "cslint", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_installed_pack_used_from_config(installed, tmp_path):
    (tmp_path / ".cslint.yaml").write_text("packs: [acme]\n")
    (tmp_path / "reply.md").write_text("Sir, please calm down and read my message.")
    listed = cslint(["rules", "--format", "json"], installed, tmp_path)
    assert listed.returncode == 0, listed.stderr
    origins = {rule["id"]: rule["origin"] for rule in json.loads(listed.stdout)["rules"]}
    assert origins["no-calm-down"] == "pack acme (acme-cslint-rules 1.0.0)"
    assert origins["runaround"] == "built-in"
    checked = cslint(["check", "-f", "json", "--select", "no-calm-down"], installed, tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert [f["rule"] for f in json.loads(checked.stdout)["findings"]] == ["no-calm-down"]


def test_installed_pack_not_used_until_named(installed, tmp_path):
    (tmp_path / "reply.md").write_text("Sir, please calm down.")
    listed = json.loads(cslint(["rules", "-f", "json"], installed, tmp_path).stdout)
    assert "no-calm-down" not in {rule["id"] for rule in listed["rules"]}
    assert listed["installed_packs_not_used"] == ["acme"]
    named = cslint(["check", "--pack", "acme", "-f", "json"], installed, tmp_path)
    assert "no-calm-down" in {f["rule"] for f in json.loads(named.stdout)["findings"]}


def test_unknown_pack_is_an_error_naming_the_installed_ones(tmp_path, run_cli, monkeypatch):
    with pytest.raises(RuleError, match="no rule pack named 'acme'.*installed packs: none"):
        resolve_pack("acme", {})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reply.md").write_text("Hello")
    result = run_cli("check", "--pack", "nosuch")
    assert result.exit_code == 2 and "no rule pack named 'nosuch'" in result.output
    assert len(load_rules(pack_names=["nosuch"]).errors) == 1
