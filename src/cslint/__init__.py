"""cslint: a linter for customer-service conversations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cslint")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
