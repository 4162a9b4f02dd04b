"""What makes a spaCy token pattern acceptable to the matching service: the attributes a
blank pipeline sets, and a bound on how costly it is to match.

Token attributes available from the pipeline: ``LOWER``, ``TEXT``, ``NORM``/``LEMMA`` (the
lower-cased lookup lemma), ``IS_*`` / ``LIKE_*`` flags, ``LENGTH``, ``IS_SENT_START``, and the
operators ``OP``, ``IN``, ``NOT_IN``, ``REGEX``. Part-of-speech and dependency attributes need a
trained pipeline, which cslint does not require, so they are rejected.
"""

from __future__ import annotations

import re
from typing import Any

#: spaCy's token Matcher keeps every partial match alive, so a wildcard ("unfortunately" then
#: any words, ``OP: "*"``) over a run-on text of n tokens costs n² steps: 8,000 repetitions of
#: "unfortunately" took 3 s, a megabyte would take most of an hour. Longer documents are
#: matched in overlapping windows: the cost is linear, and every match of up to
#: MATCH_OVERLAP tokens is still found (a token pattern is a phrase, not a paragraph).
MATCH_WINDOW = 128
MATCH_OVERLAP = 48

#: Attributes a blank pipeline never sets: a pattern using them would silently never match.
UNAVAILABLE_ATTRS = frozenset({"POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "HEAD"})

#: spaCy's Matcher follows every way a pattern can match: each optional token doubles the
#: partial matches, and each repeated token (``*``, ``+``, ``{n,}``) multiplies them by the
#: number of tokens it can absorb: up to a whole matching window (MATCH_WINDOW) when it
#: accepts any word, only runs of its listed words otherwise. Twenty ``OP: "?"`` tokens took
#: 23 s on 100 words; eight ``OP: "*"`` tokens never finished on 50. A pattern's estimated
#: cost, 2^optional x (window for each open repeated token, 8 for a listed one), is limited;
#: the built-in rules stay within it (the costliest, 512: two listed repeats and three ``?``).
MAX_PATTERN_TOKENS = 32
MAX_PATTERN_COST = 1024
LISTED_REPEAT_COST = 8
#: Token attributes that restrict a token to listed words (a value, ``IN`` or ``REGEX``).
_LISTING_ATTRS = frozenset({"TEXT", "ORTH", "LOWER", "NORM", "LEMMA", "_"})


def used_attrs(pattern: list[dict[str, Any]]) -> set[str]:
    """The attribute names (upper-cased) that the tokens of ``pattern`` test."""
    return {str(key).upper() for token in pattern if isinstance(token, dict) for key in token}


def _operator_kind(op: Any) -> str | None:
    op = str(op)
    if op in ("*", "+") or re.fullmatch(r"\{\d+,\}", op):
        return "repeated"
    if op == "?" or re.fullmatch(r"\{\d*,\d+\}", op):
        return "optional"
    return None


def _is_listed(token: dict[str, Any]) -> bool:
    """Whether a token accepts only listed words (so a repeat of it absorbs only their runs)."""
    for key, value in token.items():
        attr = str(key).upper()
        if attr not in _LISTING_ATTRS:
            continue
        if attr == "_":
            if isinstance(value, dict) and any(
                not isinstance(v, dict) or {"IN", "REGEX", "=="} & set(v) for v in value.values()
            ):
                return True
        elif not isinstance(value, dict) or {"IN", "REGEX", "=="} & set(value):
            return True
    return False


def pattern_cost(pattern: list[Any]) -> int:
    cost = 1
    for token in pattern:
        if not isinstance(token, dict):
            continue
        kind = _operator_kind(token.get("OP", token.get("op")))
        if kind == "optional":
            cost *= 2
        elif kind == "repeated":
            cost *= LISTED_REPEAT_COST if _is_listed(token) else MATCH_WINDOW
    return cost


def pattern_cost_problem(pattern: list[Any]) -> str | None:
    """Why ``pattern`` would be too costly to match, or None."""
    if len(pattern) > MAX_PATTERN_TOKENS:
        return f"has {len(pattern)} tokens; at most {MAX_PATTERN_TOKENS} are allowed"
    cost = pattern_cost(pattern)
    if cost > MAX_PATTERN_COST:
        return (
            f"is too costly to match (estimated {cost}, limit {MAX_PATTERN_COST}): each optional token (OP ?) doubles "
            "the work, and a repeated token (OP *, +) that accepts any word multiplies it by 128; use fewer, or list "
            "the words a repeated token may be (LOWER: {IN: [...]})"
        )
    return None


def unavailable_problem(pattern: list[Any]) -> str | None:
    """Why ``pattern`` could never match with cslint's blank pipeline, or None."""
    bad = used_attrs(pattern) & UNAVAILABLE_ATTRS
    if bad:
        return f"uses {', '.join(sorted(bad))}, which needs a trained pipeline; use LOWER, LEMMA/NORM, REGEX or IS_* attributes"
    return None
