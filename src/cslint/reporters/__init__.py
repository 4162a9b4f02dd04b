"""Output formats. Importing this package registers every reporter in ``REPORTERS``."""

from cslint.reporters import (  # noqa: F401  (registration)
    csvout,
    github,
    gitlab,
    html,
    jsonout,
    junit,
    line,
    markdown,
    rdjson,
    sarif,
    text,
)
from cslint.reporters.base import REPORTERS, Reporter

__all__ = ["REPORTERS", "Reporter"]
