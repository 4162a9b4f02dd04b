"""startup.py: what the command line does to the interpreter, and that a library user's
garbage-collector settings are left alone."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_start_up_collects_rarely_and_linting_collects_as_before():
    out = run(
        "import gc; before = gc.get_threshold(); "
        "from cslint.startup import configure_process, freeze_heap; "
        "configure_process(); during = gc.get_threshold(); freeze_heap(); after = gc.get_threshold(); "
        "print(before == after, during[0] > 10 * before[0], during[1:] == before[1:])"
    )
    assert out == "True True True"


def test_freeze_heap_keeps_a_host_programs_own_threshold():
    out = run(
        "import gc; gc.set_threshold(1234, 11, 12); "
        "from cslint.startup import freeze_heap; freeze_heap(); print(gc.get_threshold())"
    )
    assert out == "(1234, 11, 12)"


def test_importing_cslint_changes_no_collector_setting():
    out = run(
        "import gc; before = gc.get_threshold(); import cslint.cli, cslint.engine, cslint.session; "
        "print(gc.get_threshold() == before and gc.isenabled())"
    )
    assert out == "True"
