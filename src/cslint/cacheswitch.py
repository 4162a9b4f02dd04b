"""The one switch that turns off every cache cslint keeps: ``CSLINT_NO_CACHE``.

Both the rule-file cache on disk and the in-process analysis cache read it, so a run with the
switch on does all its work and a benchmark taken with it measures the engine, not the cache.
"""

from __future__ import annotations

import os

#: The environment variable, and the values that leave caches on (as if it were unset).
NO_CACHE_VARIABLE = "CSLINT_NO_CACHE"
_OFF_VALUES = frozenset({"", "0", "false", "no", "off"})


def caches_disabled() -> bool:
    """Whether ``CSLINT_NO_CACHE`` asks for every cache to be off (``1``, ``true``, ...)."""
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in _OFF_VALUES
