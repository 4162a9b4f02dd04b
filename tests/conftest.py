import atexit
import os
import shutil
import tempfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

# CI runs a short, fixed number of examples per property; `HYPOTHESIS_PROFILE=long` runs many
# more locally (see README, "Guarantees").
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The suite never writes to the user's cache folder: its rule cache lives in a temporary one
# (inherited by the CLI subprocesses that tests start).
_CACHE = tempfile.mkdtemp(prefix="cslint-test-cache-")
os.environ["CSLINT_CACHE_DIR"] = _CACHE
os.environ.pop("CSLINT_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, True)

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


@pytest.fixture(scope="session")
def run_cli_bytes():
    """A CLI runner usable from hypothesis tests (session-scoped, bytes on stdin)."""
    return Invoke()
