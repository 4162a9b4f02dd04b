"""cslint only reads its inputs, and every file it writes (--output, --write-baseline,
``fix --write``) is replaced atomically: a failure mid-write leaves the old file as it was and
no temporary file behind."""

import builtins
import io
import json
import os
from pathlib import Path

import pytest

from cslint.cli import FORMATS

FIXTURES = Path(__file__).parent / "fixtures"
SAFE_FIX_RULES = FIXTURES / "fix-rules"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below ``folder`` (hidden ones too): bytes, modification time, mode."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            stat = path.stat()
            out[str(path.relative_to(folder))] = (path.read_bytes(), stat.st_mtime_ns, stat.st_mode)
    return out


@pytest.fixture
def inputs(tmp_path):
    """A folder with one input of every format, a config, a suppression and a fixable reply."""
    folder = tmp_path / "support"
    folder.mkdir()
    (folder / ".cslint.yaml").write_text("speakers: {Sam: agent}\n", encoding="utf-8")
    (folder / "reply.md").write_text(
        "---\ntitle: Refund\n---\nWe apologize for any inconvenience. Please visit our website.\n", encoding="utf-8"
    )
    (folder / "quiet.txt").write_text(
        "# cslint-disable-next-line runaround -- approved\nPlease visit our website.\n", encoding="utf-8"
    )
    (folder / "chat.log").write_text("Customer: Where is my order?\nSam: Please visit our website.\n", encoding="utf-8")
    (folder / "c.json").write_text(
        json.dumps({"id": "c", "turns": [{"speaker": "agent", "text": "Please visit our website."}]}), encoding="utf-8"
    )
    (folder / "c.jsonl").write_text(
        json.dumps({"id": "d", "turns": [{"speaker": "agent", "text": "Check our FAQ."}]}) + "\n", encoding="utf-8"
    )
    (folder / "t.csv").write_text("ticket_id,role,message\nT1,agent,Please visit our website.\n", encoding="utf-8")
    (folder / "r.yaml").write_text("- title: A\n  body: Please visit our website.\n", encoding="utf-8")
    (folder / "r.html").write_text("<p>Please visit our website.</p>", encoding="utf-8")
    for name in ("agent_reply.eml", "thread.mbox"):
        (folder / name).write_bytes((FIXTURES / "email" / name).read_bytes())
    (folder / "broken.json").write_text("{nope", encoding="utf-8")
    (folder / "binary.log").write_bytes(b"\x00\x01\x02")
    os.utime(folder / "reply.md", ns=(1_000_000_000, 1_000_000_000))  # an old mtime is kept
    return folder


class OpenRecorder:
    """Records every file opened for writing (builtins.open / io.open / os.open)."""

    def __init__(self, monkeypatch):
        self.written: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def recording_open(file, mode="r", *args, **kwargs):
            if any(flag in mode for flag in "wax+"):
                self.written.append(str(file))
            return real_open(file, mode, *args, **kwargs)

        def recording_os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND):
                self.written.append(str(path))
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", recording_open)
        monkeypatch.setattr(io, "open", recording_open)
        monkeypatch.setattr(os, "open", recording_os_open)


def test_inputs_are_only_read(inputs, tmp_path, run_cli, monkeypatch):
    before = snapshot(inputs)
    recorder = OpenRecorder(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    for fmt in FORMATS:
        result = run_cli("check", "-f", fmt, inputs)
        assert result.exit_code == 2, result.output  # broken.json and binary.log
        result = run_cli(
            "check", "-f", fmt, "--output", out / f"report.{fmt}", "--write-baseline", out / "baseline.json", inputs
        )
        assert result.exit_code == 2, result.output
    result = run_cli("check", "--baseline", out / "baseline.json", inputs)
    assert result.exit_code == 2
    result = run_cli("fix", "--rules", SAFE_FIX_RULES, inputs)  # a dry run: a diff, no write
    assert "any inconvenience" in result.output and result.exit_code == 2
    run_cli("config", "show", inputs)
    assert snapshot(inputs) == before  # bytes, mtimes and modes; no file added (no temp file)
    assert all(Path(p).resolve().is_relative_to(out.resolve()) for p in recorder.written), recorder.written


def fail_replace(monkeypatch):
    def replace(src, dst, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)


def fail_fsync(monkeypatch):
    def fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)


def interrupt_write(monkeypatch):
    from cslint.reporters.sarif import SarifReporter
    from cslint.reporters.text import TextReporter

    def dumps(*args, **kwargs):  # the baseline writer serialises, then is interrupted
        raise KeyboardInterrupt

    monkeypatch.setattr(json, "dumps", dumps)
    monkeypatch.setattr(
        SarifReporter,
        "finish",
        lambda self, result: (self.stream.write('{"partial": '), (_ for _ in ()).throw(KeyboardInterrupt()))[0],
    )
    monkeypatch.setattr(TextReporter, "finish", lambda self, result: None)


FAILURES = {"rename fails": fail_replace, "flush fails": fail_fsync}


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failed_output_and_baseline_writes_keep_the_old_files(inputs, tmp_path, run_cli, monkeypatch, failure):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.sarif").write_text("old report\n", encoding="utf-8")
    (out / "baseline.json").write_text("old baseline\n", encoding="utf-8")
    FAILURES[failure](monkeypatch)
    result = run_cli("check", "-f", "sarif", "--output", out / "report.sarif", inputs / "reply.md")
    assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output, result.output
    result = run_cli("check", "--write-baseline", out / "baseline.json", inputs / "reply.md")
    assert result.exit_code == 2 and "cannot write baseline" in result.output, result.output
    assert (out / "report.sarif").read_text() == "old report\n"
    assert (out / "baseline.json").read_text() == "old baseline\n"
    assert no_temp_files(out)


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failed_fix_write_keeps_the_old_file(inputs, run_cli, monkeypatch, failure):
    before = (inputs / "reply.md").read_bytes()
    FAILURES[failure](monkeypatch)
    result = run_cli("fix", "--write", "--rules", SAFE_FIX_RULES, inputs / "reply.md")
    assert result.exit_code == 2 and "cannot write" in result.output, result.output
    assert (inputs / "reply.md").read_bytes() == before
    assert no_temp_files(inputs)


def test_interrupted_writes_leave_no_temp_file(inputs, tmp_path, run_cli, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.sarif").write_text("old report\n", encoding="utf-8")
    (out / "baseline.json").write_text("old baseline\n", encoding="utf-8")
    interrupt_write(monkeypatch)
    for args in (("-f", "sarif", "--output", out / "report.sarif"), ("--write-baseline", out / "baseline.json")):
        result = run_cli("check", *args, inputs / "reply.md")
        assert isinstance(result.exception, SystemExit) and result.exit_code != 0  # click: "Aborted!"
    assert (out / "report.sarif").read_text() == "old report\n"
    assert (out / "baseline.json").read_text() == "old baseline\n"
    assert no_temp_files(out)


def test_fix_that_the_encoding_cannot_hold_keeps_the_file(tmp_path, run_cli):
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = (SAFE_FIX_RULES / "any-inconvenience.yaml").read_text(encoding="utf-8")
    (rules / "any-inconvenience.yaml").write_text(
        rule.replace("say: the inconvenience", "say: the “inconvenience”"), encoding="utf-8"
    )
    reply = tmp_path / "reply.txt"
    reply.write_bytes("Désolé: we apologize for any inconvenience.\n".encode("latin-1"))
    assert "say: the “inconvenience”" in (rules / "any-inconvenience.yaml").read_text(encoding="utf-8")
    result = run_cli("fix", "--write", "--no-config", "--encoding", "latin-1", "--rules", rules, reply)
    assert result.exit_code == 2 and "cannot hold" in result.output, result.output
    assert reply.read_bytes() == "Désolé: we apologize for any inconvenience.\n".encode("latin-1")
    assert no_temp_files(tmp_path)
