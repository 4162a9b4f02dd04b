"""Detector kinds. Importing this package registers every kind in ``DETECTOR_KINDS``."""

from cslint.engine.detectors import pattern, phrases, regex  # noqa: F401  (registration)
from cslint.engine.detectors.base import DETECTOR_KINDS, CompileContext, Detector, TurnView

__all__ = ["DETECTOR_KINDS", "CompileContext", "Detector", "TurnView"]
