"""Output formats. Importing this package registers every reporter in ``REPORTERS``."""

from cslint.reporters import github, gitlab, jsonout, junit, line, markdown, rdjson, sarif, text  # noqa: F401  (registration)
from cslint.reporters.base import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter"]
