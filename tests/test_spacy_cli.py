"""cslint imports spaCy without its command line (a third of spaCy's import time on every
single-draft check), and code in the same process that uses spaCy's commands still gets them."""

import subprocess
import sys

import pytest


def run_python(code: str, **env: str) -> str:
    import os

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


LINT_A_DRAFT = """
import sys
from cslint.startup import configure_process
configure_process()  # as the command line does first
from cslint.engine.linter import Linter
from cslint.ruleset import load_rules
from cslint.model import Conversation, Turn
linter = Linter(list(load_rules().rules.values()))
conv = Conversation("d", "-", [Turn(speaker="agent", text="That is our policy, per our policy.")])
findings = linter.lint_one(conv)
print(len(findings) > 0, "typer" in sys.modules, "weasel" in sys.modules)
"""


def test_linting_does_not_import_spacys_command_line():
    assert run_python(LINT_A_DRAFT) == "True False False"


def test_opting_out_imports_spacy_as_spacy_does():
    assert run_python(LINT_A_DRAFT, CSLINT_SPACY_CLI="1") == "True True True"


@pytest.mark.parametrize(
    "use",
    [
        "import spacy.cli; print(callable(spacy.cli.download))",
        "from spacy.cli import download; print(callable(download))",
        "import spacy.cli.download as d; print(callable(d.download))",
        "import spacy; print(isinstance(spacy.info(silent=True), dict))",
    ],
)
def test_spacys_commands_still_work_in_the_same_process(use):
    out = run_python(
        "import cslint.startup; cslint.startup.configure_process(); import cslint.engine.nlp, spacy\n" + use
    )
    assert out == "True"


def test_importing_the_engine_changes_nothing_in_the_process():
    """Only the command line defers spaCy's command line (``cslint.startup``): a program that
    uses cslint as a library keeps its import system as it was."""
    code = "import sys; n = len(sys.meta_path); import cslint.engine.linter, spacy; print(len(sys.meta_path) == n)"
    assert run_python(code) == "True"


def test_the_command_line_defers_spacys_command_line():
    code = "import sys, runpy; sys.argv = ['cslint', 'rules']; import cslint.cli\n"
    code += "try:\n    cslint.cli.main()\nexcept SystemExit:\n    pass\n"
    code += "import spacy; print('typer' in sys.modules, file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stderr.strip().endswith("False"), result.stderr
