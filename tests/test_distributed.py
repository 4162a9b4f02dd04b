"""--scheduler: a Dask cluster gives what one process gives, in the same order, even when a
worker dies mid-run; planning cuts large JSONL files at line boundaries, every line once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from helpers import ctrl_c_deliverable

from cslint.check_command import CheckRequest, run_check
from cslint.distributed.partition import Piece, count_lines, numbered_lines, plan_tasks, read_range
from cslint.readers import ReadOptions, Source
from cslint.session import LintRequest, LintSession

distributed = pytest.importorskip("distributed")

FIXTURES = Path(__file__).parent / "fixtures"
AGENT_TEXTS = [
    "Please visit our website for more information.",
    "Thanks, I've refunded the order today.",
    "You'll need to call our billing line, it's our policy.",
    "We apologize for any inconvenience. Please check our FAQ.",
    "Per our policy that is not possible. cslint-disable-line runaround -- quoted policy",
]


def write_multipart(path: Path, n: int = 400) -> Path:
    """A JSONL file with what crosses partition edges: lines without an id (their derived id
    is the line number), blank lines, repeated bad lines, a BOM and no final newline."""
    lines = []
    for i in range(n):
        turns = [
            {"speaker": "customer", "text": f"My order {10000 + i} is late, this is ridiculous!"},
            {"speaker": "agent", "text": AGENT_TEXTS[i % len(AGENT_TEXTS)] + f" Ref {i}."},
            {"speaker": "agent", "text": AGENT_TEXTS[(i + 2) % len(AGENT_TEXTS)]},
        ]
        if i % 9 == 1:  # suppressions: a reply's field, and an unknown rule id (an input error)
            turns[1]["cslint_disable"] = "rulebook, runaround -- quoted policy" if i % 2 else "no-such-rule"
        record = {"channel": "chat", "turns": turns} if i % 7 == 0 else {"id": f"c{i}", "turns": turns}
        lines.append(json.dumps(record))
        if i % 50 == 3:
            lines.append("")
        if i % 40 == 5:
            lines.append('{"not": "a conversation"}')
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    return path


# -- planning (no cluster) ---------------------------------------------------------------------


@pytest.mark.parametrize("partition_bytes", [1, 7, 100, 4096])
def test_ranges_hold_every_line_once_with_its_number(tmp_path, partition_bytes):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"b": "' + b"x" * 300 + b'"}\r\n{"c": 3}\n{"d": 4}')
    tasks = list(plan_tasks([(Source(str(path)), 0)], lambda _: ReadOptions(), partition_bytes))
    pieces = [t.pieces[0] for t in tasks]
    assert all(p.is_range for p in pieces) or partition_bytes >= path.stat().st_size
    got, first = [], 1
    for piece in pieces:
        data = read_range(piece) if piece.is_range else path.read_bytes()
        got += list(numbered_lines(data, first))
        first += count_lines(piece) if piece.is_range else 0
    assert got == list(enumerate(path.read_bytes().split(b"\n"), start=1))


def test_small_files_are_batched_and_other_formats_never_cut(tmp_path):
    for name in ("a.jsonl", "b.json", "c.jsonl"):
        (tmp_path / name).write_text('{"id": "x", "turns": []}\n' * 50)
    utf16 = tmp_path / "d.jsonl"
    utf16.write_bytes('{"id": "x", "turns": []}\n'.encode("utf-16") * 10)
    sources = [(Source(str(p)), 0) for p in sorted(tmp_path.iterdir())]
    tasks = list(plan_tasks(sources, lambda _: ReadOptions(), 600))
    kinds = [[(Path(p.display).name, p.part, p.parts) for p in t.pieces] for t in tasks]
    assert kinds[0] == [("a.jsonl", 0, 3)] and kinds[2] == [("a.jsonl", 2, 3)]
    assert [("b.json", 0, 1)] in kinds  # JSON is read whole: never cut
    assert [("d.jsonl", 0, 1)] in kinds  # UTF-16: never cut
    assert sum(len(k) for k in kinds) == 3 + 1 + 3 + 1
    assert isinstance(tasks[0].pieces[0], Piece)


def test_without_dask_the_option_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    status = run_check(CheckRequest(paths=(str(FIXTURES / "eval"),), use_config=False, flags={"scheduler": "local:2"}))
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err == ['error: --scheduler needs Dask, which is not installed: pip install "cslint[dask]"']


def test_version_mismatch_is_one_clear_error():
    from cslint.distributed.executor import check_versions
    from cslint.errors import CslintError

    class Client:
        def run(self, function):
            return {"tcp://w1:1": function(), "tcp://w2:1": "0.0.0-other"}

    with pytest.raises(CslintError, match=r"tcp://w2:1 has cslint 0.0.0-other, this client .*same version"):
        check_versions(Client())


# -- on a cluster -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    ) as cluster:
        yield cluster


def linted_stream(paths, scheduler=None, partition_bytes=None, flags=None, on_linted=None):
    """Everything reporters see: conversations, findings, suppressions, errors, in order."""
    from cslint.distributed import dask_executor

    errors: list[str] = []
    request = LintRequest(paths=tuple(str(p) for p in paths), flags=dict(flags or {}), use_config=False, jobs=1)
    session = LintSession(request, errors.append)
    if scheduler:
        session.executor = dask_executor(scheduler, partition_bytes)
    out = []
    for linted in session.lint(lambda e: errors.append(str(e))):
        conversation = linted.conversation
        out.append(
            (
                conversation.id,
                conversation.path,
                conversation.title,
                [(t.speaker, t.text, t.lintable) for t in conversation.turns],
                [f.to_dict() | {"turn_text": f.turn_text} for f in linted.findings],
                [s.to_dict() for s in linted.suppressed],
            )
        )
        if on_linted is not None:
            on_linted(len(out))
    return out, errors, session.files


def test_fixture_folders_and_custom_rules_as_one_process(cluster, tmp_path):
    paths = [FIXTURES / d for d in ("eval", "canned", "csv", "email", "helpdesk", "bad")]
    paths.append(write_multipart(tmp_path / "small.jsonl", n=40))
    flags = {"rules": [str(FIXTURES / "eval" / "rules")], "select": ["all"]}
    one = linted_stream(paths, flags=flags)
    assert len(one[0]) > 30 and one[1]  # a real comparison: conversations and errors
    assert any(c[4] for c in one[0]) and any(c[5] for c in one[0])  # findings and suppressions
    assert linted_stream(paths, cluster.scheduler_address, flags=flags) == one


def test_multipart_jsonl_as_one_process(cluster, tmp_path):
    path = write_multipart(tmp_path / "big.jsonl", n=300)
    one = linted_stream([path])
    assert len(one[0]) == 300 and len(one[1]) > 5 and any(c[5] for c in one[0])
    # Every reporter renders this stream: the same stream, the same reports.
    assert linted_stream([path], cluster.scheduler_address, partition_bytes=16 * 1024) == one


def test_multipart_jsonl_report_and_baseline(cluster, tmp_path, capsys):
    """End to end: the JSON report (to a file), the text on the terminal, the baseline."""
    path = write_multipart(tmp_path / "big.jsonl", n=200)
    baseline = tmp_path / "baseline.json"
    run_check(CheckRequest(paths=(str(path),), use_config=False, write_baseline=str(baseline), jobs=1))
    write_multipart(path, n=240)  # 40 conversations more: new findings
    capsys.readouterr()
    outputs = {}
    for mode, extra in (
        ("one", {"jobs": 1}),
        ("dask", {"flags": {"scheduler": cluster.scheduler_address}, "partition_bytes": 8 * 1024}),
    ):
        report = tmp_path / f"{mode}.json"
        request = CheckRequest(
            paths=(str(path),),
            use_config=False,
            output_format="json",
            output=str(report),
            color="never",
            baseline=str(baseline),
            **extra,
        )
        status = run_check(request)
        text = capsys.readouterr()
        outputs[mode] = (status, report.read_text(), text.out, text.err)
    summary = json.loads(outputs["one"][1])["summary"]
    assert outputs["one"][0] == 2 and summary["baselined"] and summary["findings"]
    assert outputs["dask"] == outputs["one"]


def test_file_urls_are_read_by_the_workers(cluster, tmp_path):
    path = write_multipart(tmp_path / "big.jsonl", n=120)
    one = linted_stream([path])
    url = linted_stream([path.as_uri()], cluster.scheduler_address, partition_bytes=8 * 1024)
    # Same conversations and findings; only the path shown is the URL.
    assert [c[0] for c in url[0]] == [c[0] for c in one[0]]
    assert [[f["rule"] for f in c[4]] for c in url[0]] == [[f["rule"] for f in c[4]] for c in one[0]]
    assert {c[1] for c in url[0]} == {path.as_uri()}


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, tmp_path):
    path = write_multipart(tmp_path / "big.jsonl", n=400)
    one = linted_stream([path])
    with distributed.Client(cluster.scheduler_address) as observer:
        pids = observer.run(os.getpid)
        killed = []

        def kill_a_busy_worker(seen: int) -> None:
            if killed or seen < 5:
                return
            busy = [w for w, tasks in observer.processing().items() if tasks and w in pids]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])

        dask = linted_stream([path], cluster.scheduler_address, partition_bytes=8 * 1024, on_linted=kill_a_busy_worker)
        assert killed, "no worker was busy to be killed"
    assert dask == one
    assert len(dask[0]) == len({(c[0], c[1]) for c in dask[0]})  # nothing twice


@pytest.mark.skipif(shutil.which("true") is None, reason="POSIX only")
def test_ctrl_c_cancels_the_cluster_work(tmp_path):
    import subprocess
    import time

    # Big enough that the work is still running when Ctrl-C comes, however fast the engine gets.
    path = write_multipart(tmp_path / "big.jsonl", n=30000)
    with ctrl_c_deliverable():
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cslint",
                "check",
                "--no-config",
                "-f",
                "line",
                "--scheduler",
                "local:2",
                "--partition-size",
                "32KB",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    time.sleep(6)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "interrupted"


def test_compose_example_runs_cslint_workers_against_its_scheduler():
    import yaml

    folder = Path(__file__).resolve().parents[1] / "examples" / "dask"
    services = yaml.safe_load((folder / "compose.yaml").read_text())["services"]
    assert services["worker"]["command"][:3] == ["dask", "worker", "tcp://scheduler:8786"]
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "--scheduler" in services["client"]["command"]
    assert 'pip install --no-cache-dir ".[dask]"' in (folder / "Dockerfile").read_text()
    for document in yaml.safe_load_all((folder / "kubernetes.yaml").read_text()):
        assert document["kind"] in ("Deployment", "Service")
