"""Output formats. Importing this package registers every reporter in ``REPORTERS``."""

from cslint.reporters import csvout, github, html, jsonout, junit, line, markdown, sarif, text  # noqa: F401  (registration)
from cslint.reporters.base import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter"]
