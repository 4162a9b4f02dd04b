"""Regression tests for the README's "Guarantees", one or more per breakage of issue 17 (the
number in each test's name). Hang tests run cslint in a subprocess with a timeout."""

import codecs
import csv
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

FIX_RULES = Path(__file__).parent / "fixtures" / "fix-rules"
CSLINT = [sys.executable, "-m", "cslint"]
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX files and signals")
is_root = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534


def conversation_line(i: int, text: str = "Please visit our website and fill out the form.") -> str:
    return json.dumps({"id": f"c{i}", "turns": [{"speaker": "agent", "text": text}]}) + "\n"


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.jsonl"
    path.write_text(conversation_line(1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_input(tmp_path_factory):
    """About 2.5 MB: over the size at which worker processes are used."""
    path = tmp_path_factory.mktemp("big") / "chats.jsonl"
    text = "We apologize for any inconvenience. Please visit our website and fill out the claim form. " * 3
    with path.open("w", encoding="utf-8") as out:
        for i in range(9_000):
            out.write(conversation_line(i, text))
    return path


def run(args, timeout=120, **kwargs):
    return subprocess.run(CSLINT + [str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)


# 1 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_1_an_output_that_is_an_input_is_refused(good, run_cli, option):
    before = good.read_bytes()
    result = run_cli("check", "--no-config", "-f", "json", option, good, good)
    assert result.exit_code == 2
    assert "would overwrite the input" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert good.read_bytes() == before


def test_1_an_output_through_a_link_to_an_input_is_refused(good, tmp_path, run_cli):
    (tmp_path / "link.json").symlink_to(good)
    result = run_cli("check", "--no-config", "-f", "json", "-o", tmp_path / "link.json", good)
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr


def test_1_two_outputs_naming_one_file_are_refused(good, tmp_path, run_cli):
    report = tmp_path / "r.json"
    result = run_cli("check", "--no-config", "-f", "json", "-o", report, "--write-baseline", report, good)
    assert result.exit_code == 2 and "name the same file" in result.stderr and not report.exists()


# 2 -------------------------------------------------------------------------------------------


@posix_only
def test_2_output_to_a_symlink_writes_its_target(good, tmp_path, run_cli):
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    run_cli("check", "--no-config", "-f", "json", "-o", link, good)
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["summary"]


@posix_only
def test_2_output_to_a_device_writes_through_it(good, tmp_path, run_cli):
    device = tmp_path / "mynull"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    run_cli("check", "--no-config", "-f", "json", "-o", device, good)
    assert stat.S_ISCHR(device.stat().st_mode)


@posix_only
def test_2_output_to_a_fifo_and_dev_stdout_is_written_not_replaced(good, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = run(["check", "--no-config", "-f", "json", "-o", fifo, good], timeout=60)
        received = reader.communicate(timeout=60)[0]
    finally:
        if reader.poll() is None:  # cslint never opened the FIFO: do not wait for cat
            reader.kill()
            reader.wait()
    assert stat.S_ISFIFO(fifo.stat().st_mode) and json.loads(received)["summary"], result.stderr
    result = run(["check", "--no-config", "-f", "json", "-o", "/dev/stdout", good], timeout=60)
    assert '"summary"' in result.stdout


# 3 -------------------------------------------------------------------------------------------


def child_pids(pid: int) -> list[str]:
    """The children of ``pid``, from /proc (no procps needed)."""
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        pytest.skip("needs /proc/PID/task/PID/children (Linux)")


@posix_only
def test_3_a_killed_worker_is_reported_not_waited_for(big_input):
    process = subprocess.Popen(
        CSLINT + ["check", "--no-config", "-f", "line", "--jobs", "2", str(big_input)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline()  # the workers are linting
        workers = child_pids(process.pid)
        assert workers
        os.kill(int(workers[0]), signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 2, stderr
    assert "a worker process died (killed by SIGKILL)" in stderr and "Traceback" not in stderr


# 4 -------------------------------------------------------------------------------------------


@posix_only
def test_4_a_fifo_in_a_walked_folder_is_skipped_and_named(good, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(good, folder)
    os.mkfifo(folder / "pipe.json")
    result = run(["check", "--no-config", "--fail-on", "info", "-f", "line", folder], timeout=60)
    assert result.returncode == 1, result.stderr
    assert "not regular files" in result.stderr and "pipe.json (a FIFO)" in result.stderr


@posix_only
@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_4_a_fifo_config_or_baseline_is_an_error_not_a_hang(good, tmp_path, option):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    result = run(["check", option, fifo, good], timeout=60)
    assert result.returncode == 2 and "a FIFO, not a regular file" in result.stderr


@posix_only
def test_4_a_fifo_named_cslint_yaml_is_reported(good, tmp_path):
    os.mkfifo(tmp_path / ".cslint.yaml")
    result = run(["check", good], timeout=60, cwd=tmp_path)
    assert result.returncode == 2 and "a FIFO, not a regular file" in result.stderr


# 5 -------------------------------------------------------------------------------------------


def reference_raw_offset(document: str, quote: int, decoded_offset: int) -> int:
    """The former character-by-character walk, as the reference."""
    i, n = quote + 1, 0
    while n < decoded_offset and i < len(document):
        if document[i] == "\\":
            if document[i + 1 : i + 2] == "u":
                code = int(document[i + 2 : i + 6], 16)
                i += 12 if 0xD800 <= code < 0xDC00 and document[i + 6 : i + 8] == "\\u" else 6
            else:
                i += 2
        else:
            i += 1
        n += 1
    return i


def test_5_json_offsets_match_the_reference_and_are_scanned_once(monkeypatch):
    from cslint.readers import offsets
    from cslint.readers._support import jsonpos

    text = 'Line "one"\n\ttab é \U0001f600 \\ end ' * 50
    document = json.dumps({"turns": [{"text": text}]})
    quote = document.index('"text": ') + len('"text": ')
    for offset in range(0, len(text) + 3, 7):
        assert jsonpos.raw_offset(document, quote, offset) == reference_raw_offset(document, quote, offset)

    calls = []
    real = offsets.json_string_map
    monkeypatch.setattr(jsonpos, "json_string_map", lambda *a: calls.append(a) or real(*a))
    positions = jsonpos.JsonDocumentPositions(document)
    for offset in range(0, len(text), 3):
        positions.locate(("turns", 0, "text"), offset)
    assert len(calls) == 1


def test_5_csv_field_offsets_are_scanned_once(monkeypatch):
    from cslint.readers import csvreader

    text = 'say ""hi""\nagain ' * 200
    csv_file = csvreader.CsvFile(f'id,text\n1,"{text}"\n', ",")
    row = list(csv_file.records())[1]
    calls = []
    real = csvreader.quoted_field_map
    monkeypatch.setattr(csvreader, "quoted_field_map", lambda *a: calls.append(a) or real(*a))
    decoded = row.fields[1]
    where = csv_file.locate(row, 1, decoded.index("again"))
    assert (where.line, where.column) == (3, 1)
    for offset in range(0, len(decoded), 5):
        csv_file.locate(row, 1, offset)
    assert len(calls) == 1


def test_5_fix_scans_a_turn_once_per_rule(monkeypatch, tmp_path, run_cli):
    from cslint import fixing

    reply = tmp_path / "reply.txt"
    reply.write_text("Sorry for any inconvenience. " * 300, encoding="utf-8")
    calls = []
    real = fixing.phrase_matches
    monkeypatch.setattr(fixing, "phrase_matches", lambda *a: calls.append(a) or real(*a))
    result = run_cli("fix", "--no-config", "--rules", FIX_RULES, "--select", "any-inconvenience", reply)
    assert "300 safe fix(es) available" in result.stderr
    assert len(calls) == 1


# 6 -------------------------------------------------------------------------------------------


@posix_only
def test_6_a_link_to_dev_zero_in_a_walked_folder_is_not_read(good, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(good, folder)
    (folder / "zero.json").symlink_to("/dev/zero")
    result = run(["check", "--no-config", "--fail-on", "info", "-f", "line", folder], timeout=60)
    assert result.returncode == 1 and "zero.json (a character device)" in result.stderr


def test_6_reads_stop_at_the_limit_whatever_the_size_says(monkeypatch, run_cli, tmp_path):
    from cslint.boundedio import ReadLimitError, read_at_most, read_input_file

    class Endless:
        given = 0

        def read(self, n):
            chunk = b"y" * n
            self.given += len(chunk)
            return chunk

    endless = Endless()
    with pytest.raises(ReadLimitError):
        read_at_most(endless, 10_000)
    assert endless.given <= 10_001
    if os.path.exists("/dev/zero"):
        with pytest.raises(ReadLimitError):
            read_input_file("/dev/zero", 4096)

    monkeypatch.setattr("cslint.readers.base.MAX_WHOLE_FILE_BYTES", 1000)
    result = run_cli("check", "--no-config", "-", input="Please visit our website.\n" * 200)
    assert result.exit_code == 2 and "standard input is larger than the 1000 bytes limit" in result.stderr


def test_6_a_huge_rule_file_is_refused_without_reading_it_whole(tmp_path, run_cli):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "huge.yaml").write_bytes(b"# " + b"x" * (3 * 2**20) + b"\n")
    result = run_cli("rules", "--rules", rules)
    assert result.exit_code == 2 and "larger than the 2 MiB limit" in result.stderr


def test_6_jobs_are_capped_with_a_notice(good, run_cli):
    result = run_cli("check", "--no-config", "--jobs", "100000", good)
    assert "note: --jobs 100000 is more than 4 per core" in result.stderr


def test_6_endless_jsonl_line_is_an_error(tmp_path, monkeypatch, run_cli):
    monkeypatch.setattr("cslint.readers.native.MAX_WHOLE_FILE_BYTES", 100)
    path = tmp_path / "long.jsonl"
    path.write_text(conversation_line(1) + "x" * 500 + "\n" + conversation_line(2), encoding="utf-8")
    result = run_cli("check", "--no-config", "-f", "line", path)
    assert result.exit_code == 2 and "a line larger than the 100 bytes limit" in result.stderr


# 7 -------------------------------------------------------------------------------------------

REPLY = "We apologise for any inconvenience.\n"


def fix(run_cli, *paths):
    return run_cli("fix", "--write", "--no-config", "--rules", FIX_RULES, "--select", "any-inconvenience", *paths)


def test_7_a_file_changed_during_the_run_is_not_replaced(tmp_path, run_cli, monkeypatch):
    from cslint import fixing

    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    real = fixing.read_raw

    def read_then_append(path, encoding):
        raw = real(path, encoding)
        time.sleep(0.01)  # a distinct modification time even on coarse clocks
        with open(path, "a", encoding="utf-8") as out:
            out.write("A line added meanwhile.\n")
        return raw

    monkeypatch.setattr(fixing, "read_raw", read_then_append)
    result = fix(run_cli, reply)
    assert result.exit_code == 2 and "changed since cslint read it" in result.stderr
    assert "0 safe fix(es) applied" in result.stderr
    assert reply.read_text(encoding="utf-8") == REPLY + "A line added meanwhile.\n"


@posix_only
def test_7_links_are_followed_and_hard_links_kept(tmp_path, run_cli):
    target = tmp_path / "target.txt"
    target.write_text(REPLY, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fix(run_cli, link)
    assert link.is_symlink() and "the inconvenience" in target.read_text(encoding="utf-8")

    first = tmp_path / "first.txt"
    first.write_text(REPLY, encoding="utf-8")
    second = tmp_path / "second.txt"
    os.link(first, second)
    fix(run_cli, first)
    assert os.path.samefile(first, second) and "the inconvenience" in second.read_text(encoding="utf-8")


@posix_only
@pytest.mark.skipif(not is_root, reason="giving a file to another user needs root")
def test_7_owner_and_mode_are_kept(tmp_path, run_cli):
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    os.chown(reply, NOBODY, NOBODY)
    os.chmod(reply, 0o600)
    fix(run_cli, reply)
    info = reply.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (NOBODY, NOBODY, 0o600)
    assert "the inconvenience" in reply.read_text(encoding="utf-8")


def test_7_utf16_big_endian_stays_big_endian(tmp_path, run_cli):
    reply = tmp_path / "reply.txt"
    reply.write_bytes(codecs.BOM_UTF16_BE + REPLY.encode("utf-16-be"))
    fix(run_cli, reply)
    data = reply.read_bytes()
    assert data.startswith(codecs.BOM_UTF16_BE)
    assert "the inconvenience" in data[2:].decode("utf-16-be")


# 8 -------------------------------------------------------------------------------------------


def test_8_text_output_keeps_every_field_on_its_line(tmp_path, run_cli):
    hostile = "x\n::error file=a.py::forged\r\n::add-mask::secret\u2028::warning::y \u202e\u2066evil"
    path = tmp_path / "c.json"
    path.write_text(
        json.dumps(
            {
                "id": hostile,
                "title": hostile,
                "turns": [{"speaker": "agent", "name": hostile, "text": "Please visit our website."}],
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("check", "--no-config", "--fail-on", "info", "--color", "never", path)
    assert result.exit_code == 1
    assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]
    for character in "\u2028\u202e\u2066\r":
        assert character not in result.stdout


# 9 -------------------------------------------------------------------------------------------


@posix_only
def test_9_a_closed_stdout_does_not_drop_the_files(big_input, tmp_path):
    small = tmp_path / "some.jsonl"
    with big_input.open(encoding="utf-8") as source:
        small.write_text("".join(next(source) for _ in range(200)), encoding="utf-8")
    report, baseline = tmp_path / "report.json", tmp_path / "base.json"
    process = subprocess.Popen(
        CSLINT
        + ["check", "--no-config", "-f", "json", "-o", str(report), "--write-baseline", str(baseline), str(small)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        process.stdout.readline()
        process.stdout.close()  # `| head -1`
        stderr = process.stderr.read().decode()
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert json.loads(report.read_text(encoding="utf-8"))["summary"], stderr
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"], stderr
    assert "Traceback" not in stderr


# 10 ------------------------------------------------------------------------------------------


def test_10_a_symlinked_sub_folder_is_named(good, tmp_path, run_cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(good, outside)
    walked = tmp_path / "walked"
    walked.mkdir()
    (walked / "linked").symlink_to(outside)
    result = run_cli("check", "--no-config", walked)
    assert "did not follow 1 symbolic link(s) to folders" in result.stderr and "linked" in result.stderr


def as_nobody(function):
    """``function()``'s JSON-able result, computed in a forked child running as nobody (the
    interpreter need not be runnable by nobody: nothing is executed, the child only forks)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = json.dumps(function())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = json.dumps({"child error": repr(exc)})
        os.write(write_end, result.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(child, 0)
    return json.loads(data)


@posix_only
@pytest.mark.skipif(not is_root, reason="dropping to another user needs root")
def test_10_an_unreadable_sub_folder_is_an_error(good):
    from cslint.readers import collect_inputs

    base = Path(tempfile.mkdtemp(prefix="cslint-walk-"))
    try:
        os.chmod(base, 0o755)
        (base / "ok").mkdir(mode=0o755)
        shutil.copy(good, base / "ok" / "good.jsonl")
        os.chmod(base / "ok" / "good.jsonl", 0o644)
        locked = base / "locked"
        locked.mkdir(mode=0o700)
        shutil.copy(good, locked / "lost.jsonl")

        def walk():
            inputs = collect_inputs([str(base)])
            return {"sources": [s.path for s in inputs.sources], "errors": [str(e) for e in inputs.errors]}

        result = as_nobody(walk)
    finally:
        shutil.rmtree(base)
    assert result["sources"] == [str(base / "ok" / "good.jsonl")], result
    assert result["errors"] == [f"{locked}: cannot read folder: Permission denied; its files were not linted"]


# 11 ------------------------------------------------------------------------------------------


def test_11_a_damaged_cache_entry_is_rebuilt(tmp_path, good, monkeypatch):
    from cslint.ruleset import load_rules
    from cslint.ruleset.cache import RuleCache
    from cslint.ruleset.loader import builtin_rules_dir

    folder = tmp_path / "cache"
    team = tmp_path / "team-rules"  # the built-in rules as a team folder: read through the cache
    shutil.copytree(builtin_rules_dir(), team)
    first = load_rules([team], include_builtin=False, cache=RuleCache(folder))
    assert not first.errors
    entries = sorted(folder.glob("rule-*.json"))
    assert entries
    for entry in entries:  # a valid JSON entry whose rule lost a required key
        document = json.loads(entry.read_text(encoding="utf-8"))
        del document["data"]["description"]
        entry.write_text(json.dumps(document), encoding="utf-8")
    cache = RuleCache(folder)
    again = load_rules([team], include_builtin=False, cache=cache)
    assert not again.errors and again.rules.keys() == first.rules.keys()
    assert cache.hits == 0
    assert all("description" in json.loads(e.read_text(encoding="utf-8"))["data"] for e in folder.glob("rule-*.json"))


# 12 ------------------------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_12_a_terminated_run_leaves_no_temporary_file(big_input, tmp_path, signal_number):
    out = tmp_path / "out"
    out.mkdir()
    # --scores is written like -o (collected during the run, put in place at the end); with it
    # the text report still streams to stdout, which tells the test that linting has started.
    process = subprocess.Popen(
        CSLINT + ["check", "--no-config", "--scores", str(out / "scores.csv"), "-j", "1", str(big_input)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline()  # linting has started
        assert os.listdir(out) == []  # nothing on disk until the report is written
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + signal_number, stderr
    assert os.listdir(out) == [] and "Traceback" not in stderr


# 13 ------------------------------------------------------------------------------------------


def test_13_long_turn_notice_comes_back_from_workers(monkeypatch, builtin_rules):
    from cslint.engine import linter as linter_module
    from cslint.engine.parallel import lint_parallel
    from cslint.model import Conversation, Turn

    monkeypatch.setattr(linter_module, "MAX_TURN_CHARS", 40)
    linter = linter_module.Linter([builtin_rules["runaround"]])
    conversations = [
        Conversation(f"c{i}", "x.jsonl", [Turn("agent", "Please visit our website and fill out the form. " * 3)])
        for i in range(3)
    ]
    results = list(lint_parallel(linter, conversations, jobs=2))
    assert len(results) == 3
    assert any("only the first 40 were linted" in n for n in linter.notices)


# 14 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"version": 1, "findings": [{"fingerprint": ["a"]}, {"fingerprint": {"b": 1}}, 7]}',
        '{"version": ' + "9" * 5000 + ', "findings": []}',
        '{"version": 1, "findings": {"not": "a list"}}',
    ],
    ids=["deep", "wrong-types", "huge-int", "findings-not-list"],
)
def test_14_hostile_baselines_are_one_line_errors(content, tmp_path, good, run_cli):
    baseline = tmp_path / "base.json"
    baseline.write_text(content, encoding="utf-8")
    result = run_cli("check", "--no-config", "--fail-on", "info", "--baseline", baseline, good)
    if content.startswith('{"version": 1, "findings": [{'):
        assert result.exit_code == 1, result.stderr  # odd entries are ignored, the rest is used
    else:
        assert result.exit_code == 2 and "baseline" in result.stderr
    assert "internal error" not in result.stderr and len(result.stderr.strip().splitlines()) <= 1


@pytest.mark.parametrize("encoding", ["rot13", "hex", "zlib", "undefined", "punycode", "idna", "utf-7", "nul\x00"])
def test_14_odd_encodings_are_one_line_errors(encoding, tmp_path, run_cli):
    path = tmp_path / "reply.txt"
    path.write_text("Please visit our website.\n", encoding="utf-8")
    for command in ("check", "fix"):
        result = run_cli(command, "--no-config", "--encoding", encoding, path)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert result.exit_code in (0, 1, 2)


# also noted: per-config set-up --------------------------------------------------------------


def test_folders_with_equal_settings_share_one_linter(tmp_path):
    from cslint.session import LintRequest, LintSession

    for i in range(5):
        folder = tmp_path / f"team{i}"
        folder.mkdir()
        (folder / ".cslint.yaml").write_text("ignore: [jargon]\n", encoding="utf-8")
        (folder / "a.txt").write_text("Please visit our website.\n", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / ".cslint.yaml").write_text("ignore: [runaround]\n", encoding="utf-8")
    (tmp_path / "other" / "a.txt").write_text("Please visit our website.\n", encoding="utf-8")
    session = LintSession(LintRequest(paths=(str(tmp_path),)), on_error=print)
    findings = [f.rule for linted in session.lint(print) for f in linted.findings]
    assert findings.count("runaround") == 5
    # the run's own (defaults), the five equal team configs, and the other one
    assert len(session.groups) == 7 and len(session.linters) == 3


@posix_only
def test_4_a_fifo_named_on_the_command_line_is_read_once(good, tmp_path):
    fifo = tmp_path / "chats"  # no ending: the format is sniffed from the bytes read
    os.mkfifo(fifo)
    with open(good, "rb") as data:
        writer = subprocess.Popen(["sh", "-c", f"cat > '{fifo}'"], stdin=data)
        result = run(["check", "--no-config", "--fail-on", "info", "-f", "line", fifo], timeout=60)
        writer.wait(timeout=60)
    assert result.returncode == 1 and "runaround" in result.stdout, result.stderr


@given(text=st.text(max_size=300), data=st.data())
def test_5_json_offsets_match_the_reference_for_any_text(text, data):
    from cslint.readers._support.jsonpos import JsonDocumentPositions

    ensure_ascii = data.draw(st.booleans())
    document = json.dumps({"t": text}, ensure_ascii=ensure_ascii)
    quote = document.index('"t": ') + len('"t": ')
    positions = JsonDocumentPositions(document)
    for offset in range(len(text) + 1):
        expected = reference_raw_offset(document, quote, offset)
        where = positions.locate(("t",), offset)
        assert (where.line, where.column) == (1, expected + 1)


@given(fields=st.lists(st.text(alphabet='ab"\n,é', max_size=30), min_size=1, max_size=4), data=st.data())
def test_5_csv_offsets_point_at_the_decoded_character(fields, data):
    import io

    from cslint.readers import csvreader

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["x", *fields])
    raw = "id\n" + buffer.getvalue()
    csv_file = csvreader.CsvFile(raw, ",")
    rows = list(csv_file.records())
    row = rows[-1]
    raw_lines = raw.split("\n")
    column = data.draw(st.integers(min_value=1, max_value=len(fields)))
    decoded = row.fields[column]
    for offset, character in enumerate(decoded):
        where = csv_file.locate(row, column, offset)
        line = raw_lines[where.line - 1] + "\n"  # a line break in a field ends its line
        assert line[where.column - 1] == character


# found by the longer property run -------------------------------------------------------------


def test_helpdesk_exports_with_lists_where_names_belong_are_read(tmp_path, run_cli):
    path = tmp_path / "intercom.json"
    part = {"part_type": [], "body": "<p>Please contact your bank.</p>", "author": {"type": "admin"}}
    path.write_text(
        json.dumps(
            {
                "source": {
                    "type": "conversation",
                    "id": "1",
                    "body": "<p>Charged twice.</p>",
                    "author": {"type": "user"},
                },
                "conversation_parts": {"conversation_parts": [part]},
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("check", "--no-config", "-f", "line", path)
    assert "internal error" not in result.stderr and result.exit_code in (0, 1), result.stderr


def test_a_csv_without_message_text_is_an_error_not_nothing(tmp_path, run_cli):
    path = tmp_path / "export.csv"
    path.write_bytes(b"conversation_id,response\r\n0\r\n")
    result = run_cli("check", "--no-config", path)
    assert result.exit_code == 2 and "no row has message text" in result.stderr
