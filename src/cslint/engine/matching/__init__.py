"""The matching service: phrases, token patterns and regular expressions registered by the
kinds, pre-filtered and run by the service (``service.MatchingService``, built by the linter).

Kinds use only what this module exports (handles, and the checks a rule's patterns pass when
it loads); the other modules of the package are the service's internals. Importing this module
does not import spaCy.
"""

from cslint.engine.matching.handles import Handle, InvalidPattern, RegexHandle, Registry, TokenHandle, Trigger
from cslint.engine.matching.patterns import pattern_cost_problem, unavailable_problem, used_attrs
from cslint.engine.matching.readers import ANY_TURN, Reader, Selection
from cslint.engine.matching.regexes import compile_re2

__all__ = [
    "ANY_TURN",
    "Handle",
    "InvalidPattern",
    "Reader",
    "RegexHandle",
    "Registry",
    "Selection",
    "TokenHandle",
    "Trigger",
    "compile_re2",
    "pattern_cost_problem",
    "unavailable_problem",
    "used_attrs",
]
