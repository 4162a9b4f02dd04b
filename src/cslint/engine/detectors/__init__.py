"""Detector kinds. Importing this package registers every kind in ``DETECTOR_KINDS``.

Turn-level kinds: phrases, pattern, regex, metric, absence.
Conversation-level kinds: reply, already-given, repetition, count, timing, terms.
Exception-only kinds (for ``unless``): said-before, defined, accepted-term, customer-asked.
"""

from cslint.engine.detectors import (  # noqa: F401  (registration)
    absence,
    asked,
    context,
    count,
    given,
    metric,
    pattern,
    phrases,
    regex,
    repetition,
    reply,
    terms,
    timing,
)
from cslint.engine.detectors.base import DETECTOR_KINDS, CompileContext, Detector, TurnView

__all__ = ["DETECTOR_KINDS", "CompileContext", "Detector", "TurnView"]
