"""Ctrl-C during a long ``cslint check`` exits with status 130, one line, no traceback — with
one process and with worker processes (a terminal sends SIGINT to the whole process group)."""

import json
import os
import signal
import subprocess
import sys

import pytest
from helpers import ctrl_c_deliverable

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


@pytest.fixture(scope="module")
def large_input(tmp_path_factory):
    """About 3 MB of conversations: minutes of work, well over the in-process limit."""
    path = tmp_path_factory.mktemp("big") / "chats.jsonl"
    turns = [
        {
            "speaker": "customer",
            "text": "My order 12345 never arrived and nobody answers my e-mails, this is the third time I'm asking.",
        },
        {
            "speaker": "agent",
            "text": "We apologize for any inconvenience. Please visit our website and fill out the claim form, it's our policy.",
        },
    ]
    with path.open("w", encoding="utf-8") as out:
        for i in range(12_000):
            out.write(
                json.dumps({"id": f"c{i}", "turns": turns + [{"speaker": "agent", "text": f"Ticket {i}: see above."}]})
                + "\n"
            )
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_without_a_traceback(large_input, jobs):
    with ctrl_c_deliverable():
        process = subprocess.Popen(
            [sys.executable, "-m", "cslint", "check", "--no-config", "-f", "line", "--jobs", jobs, str(large_input)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    try:
        first = process.stdout.readline()  # linting has started: findings stream out
        assert first, process.stderr.read().decode()
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    text = stderr.decode("utf-8", "replace")
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.strip().splitlines()[-1] == "interrupted", text
