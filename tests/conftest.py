import pytest
from click.testing import CliRunner

from cslint.cli import cli


@pytest.fixture(scope="session")
def builtin_rules():
    from cslint.ruleset import load_rules

    loaded = load_rules()
    assert not loaded.errors, loaded.errors
    return loaded.rules


@pytest.fixture(scope="session")
def builtin_linter(builtin_rules):
    from cslint.engine.linter import Linter

    return Linter(sorted(builtin_rules.values(), key=lambda r: r.id))


class Invoke:
    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        return self.runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def run_cli():
    return Invoke()
