"""The wheel ships the package and exactly the built-in rule files."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs the source tree")
def test_wheel_ships_exactly_the_rule_files(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    [wheel] = tmp_path.glob("cslint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.removeprefix("cslint/rules/") for n in names if n.startswith("cslint/rules/"))
    expected = sorted(p.name for p in (ROOT / "rules").iterdir() if p.suffix in (".yaml", ".yml"))
    assert shipped == expected
    assert "cslint/schemas/findings.schema.json" in names
    for asset in ("report.html", "report.css", "report.js"):  # the HTML report's page
        assert f"cslint/reporters/html_assets/{asset}" in names
    # The built-in model of the learned detectors, small enough to ship.
    for name in ("model.json", "weights.npz"):
        info = zipfile.ZipFile(wheel).getinfo(f"cslint/models/builtin/{name}")
        assert info.file_size < 5_000_000
    # The word-frequency list behind jargon's word rarity: shipped, small, no download.
    info = zipfile.ZipFile(wheel).getinfo("cslint/lexicons/english-zipf.txt.gz")
    assert info.file_size < 400_000
    assert "cslint/cli.py" in names
    assert not any(n.startswith(("tests/", "examples/")) for n in names)
