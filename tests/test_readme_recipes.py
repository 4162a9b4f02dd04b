"""The README's recipes run as written: install from a built wheel, the baseline round trip at
a repository root, the GitHub Actions and GitLab CI steps, the pre-commit hook, and ``cslint
check`` with no arguments in the example repository.

Commands are taken from the README itself (its fenced blocks), so a recipe that stops working
fails here. ``pip install`` lines of the CI recipes are checked for what they install but not
run (they need the network to reach the repository); the wheel test installs cslint the way
the README's Install section says.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
FLAGGED = "Hi Ann, thanks for waiting. For the full details please visit our website."
CLEAN = "Hi Ann, I've refunded the £20 to your card today; it should arrive within 3 days."

pytestmark = pytest.mark.skipif(not (BIN / "cslint").exists(), reason="needs the cslint command installed")


def blocks() -> list[str]:
    """The README's fenced code blocks (``` or ```` fences, as CommonMark pairs them)."""
    found, fence, lines = [], None, []
    for line in README.splitlines():
        opening = re.match(r"^\s*(`{3,})", line)
        if fence is None and opening:
            fence, lines = opening.group(1), []
        elif fence is not None and line.strip() == fence:
            found.append("\n".join(lines) + "\n")
            fence = None
        elif fence is not None:
            lines.append(line)
    assert fence is None, "the README ends inside a code block"
    return found


def block(first_line: str) -> str:
    """The fenced block of the README whose first line is ``first_line``."""
    for text in blocks():
        if text.startswith(first_line):
            return text
    raise AssertionError(f"no README block starts with {first_line!r}")


def shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def repo(tmp_path):
    """A team's repository of saved replies."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "refund.md").write_text(FLAGGED)
    (tmp_path / "support" / "thanks.md").write_text(CLEAN)
    (tmp_path / ".cslint.yaml").write_text(block("# .cslint.yaml"))  # runaround fails the build here
    return tmp_path


def test_baseline_round_trip(repo):
    lines = [line.split("#")[0].strip() for line in block("cslint check support/ --write-baseline").splitlines()]
    for command in filter(None, lines):
        result = shell(command, repo)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert "unrecognised" not in result.stderr


def test_github_actions_steps(repo):
    workflow = yaml.safe_load(block("# .github/workflows/cslint.yml"))
    steps = [step["run"] for step in workflow["jobs"]["replies"]["steps"] if "run" in step]
    install, check, *rest = steps
    assert install.startswith("pip install") and "git+https://" in install  # cslint is not on PyPI
    # The baseline the workflow reads, recorded as the README's CI section says.
    assert shell("cslint check support/ --write-baseline support/cslint-baseline.json", repo).returncode == 0
    summary = repo / "summary.md"
    result = shell(check, repo, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stdout + result.stderr  # everything is in the baseline
    assert summary.read_text().startswith("### ✅ cslint: 0 findings")
    (repo / "support" / "new.md").write_text("Please check our FAQ.")
    result = shell(check, repo, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    assert result.stdout.startswith("::warning file=support/new.md,line=1")
    for command in rest:
        result = shell(command, repo)
        assert result.returncode == 0, result.stderr
    assert json.loads((repo / "cslint.sarif").read_text())["runs"][0]["tool"]["driver"]["name"] == "cslint"


def test_gitlab_ci_script(repo):
    job = yaml.safe_load(block("# .gitlab-ci.yml"))["cslint"]
    install, *script = job["script"]
    assert "git+https://" in install
    for command in script:
        shell(command, repo)
    report = repo / job["artifacts"]["reports"]["codequality"]
    assert [issue["check_name"] for issue in json.loads(report.read_text())] == ["runaround"]


def test_pre_commit_hook_as_pinned(repo):
    (config,) = yaml.safe_load(block("# .pre-commit-config.yaml"))["repos"]
    (hook_use,) = config["hooks"]
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks[hook_use["id"]]
    if shutil.which("git") and (ROOT / ".git").exists():
        resolved = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{config['rev']}^{{commit}}"], cwd=ROOT, capture_output=True
        )
        if resolved.returncode != 0:  # a clone may only have the remote's branch
            resolved = subprocess.run(
                ["git", "rev-parse", "--verify", "--quiet", f"origin/{config['rev']}^{{commit}}"],
                cwd=ROOT,
                capture_output=True,
            )
        assert resolved.returncode == 0, f"rev {config['rev']!r} is not a ref of this repository"
    # What pre-commit does: the hook's entry with the staged files its patterns select,
    # the baseline among them.
    assert shell("cslint check support/ --write-baseline support/cslint-baseline.json", repo).returncode == 0
    staged = ["support/refund.md", "support/thanks.md", "support/cslint-baseline.json", "README.md"]
    (repo / "README.md").write_text("# Our replies\n")
    chosen = [
        name
        for name in staged
        if re.search(hook["files"], name)
        and re.search(hook_use["files"], name)
        and not re.search(hook["exclude"], name)
    ]
    assert "support/cslint-baseline.json" in chosen
    result = shell(" ".join([hook["entry"], *chosen]), repo)
    assert result.returncode == 1 and "runaround" in result.stdout  # the finding, and no input error
    assert "error" not in result.stderr


def test_check_without_arguments_in_the_example_repository():
    command = next(line for line in README.splitlines() if line.startswith("cd examples/canned-repo && cslint check"))
    result = shell(command.split("#")[0], ROOT)
    assert result.returncode == 1, result.stderr  # findings at fail_on: warning
    assert "replies/password-reset.md:6:61" in result.stdout and "drafts/" not in result.stdout
    assert "18 rules); 1 suppressed; not read: 1 excluded" in result.stdout


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs the source tree")
def test_install_from_a_built_wheel(tmp_path):
    """The Install section's wheel line, as written (``./cslint`` is the clone), installed
    into a folder of its own so the test environment stays as it is."""
    line = next(line for line in block("pip install").splitlines() if line.startswith("pip wheel"))
    build, install = (part.strip() for part in line.split("&&"))
    (tmp_path / "cslint").symlink_to(ROOT, target_is_directory=True)
    result = shell(build.replace("pip ", f"{sys.executable} -m pip ", 1), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = install.split()[-1]
    assert (tmp_path / wheel).is_file(), f"the README names {wheel}; built: {os.listdir(tmp_path / 'dist')}"
    site = tmp_path / "site"
    assert shell(f"{sys.executable} -m pip install -q --no-deps --target {site} {wheel}", tmp_path).returncode == 0
    run = shell(
        f"{sys.executable} -c 'import cslint; print(cslint.__file__)'"
        f" && echo '{FLAGGED}' | {sys.executable} -m cslint check -f json -",
        tmp_path,
        PYTHONPATH=str(site),
    )
    location, document = run.stdout.split("\n", 1)
    assert location.startswith(str(site))
    assert [f["rule"] for f in json.loads(document)["findings"]] == ["runaround"]  # the built-in rules shipped
