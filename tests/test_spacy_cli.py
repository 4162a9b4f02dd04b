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
    out = run_python("import cslint.engine.nlp, cslint.engine.matchbank, spacy\n" + use)
    assert out == "True"
