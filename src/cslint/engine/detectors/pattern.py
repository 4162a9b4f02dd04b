"""``kind: pattern`` — spaCy Matcher token patterns, validated when the rule compiles.

Token attributes available from the pipeline: ``LOWER``, ``TEXT``, ``NORM``/``LEMMA`` (the
lower-cased lookup lemma), ``IS_*`` / ``LIKE_*`` flags, ``LENGTH``, ``IS_SENT_START``, and the
operators ``OP``, ``IN``, ``NOT_IN``, ``REGEX``. Part-of-speech and dependency attributes need a
trained pipeline, which cslint does not require, so they are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cslint.engine.detectors.base import CharSpan, CompileContext, Detector, TurnView, register
from cslint.engine.detectors.regex import compile_re2
from cslint.errors import RuleError

#: Attributes a blank pipeline never sets: a pattern using them would silently never match.
_UNAVAILABLE = {"POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "HEAD"}

#: spaCy's Matcher follows every way a pattern can match: each optional token doubles the
#: partial matches, and each repeated token (``*``, ``+``, ``{n,}``) multiplies them by the
#: number of tokens it can absorb: up to a whole matching window (``matchbank.MATCH_WINDOW``)
#: when it accepts any word, only runs of its listed words otherwise. Twenty ``OP: "?"``
#: tokens took 23 s on 100 words; eight ``OP: "*"`` tokens never finished on 50. A pattern's
#: estimated cost, 2^optional x (window for each open repeated token, 8 for a listed one), is
#: limited; the built-in rules stay within it (the costliest, 512: two listed repeats and three ``?``).
MAX_PATTERN_TOKENS = 32
MAX_PATTERN_COST = 1024
LISTED_REPEAT_COST = 8
#: Token attributes that restrict a token to listed words (a value, ``IN`` or ``REGEX``).
_LISTING_ATTRS = {"TEXT", "ORTH", "LOWER", "NORM", "LEMMA", "_"}

#: Token attributes whose text ``REGEX`` can test, and the Token property holding it.
_REGEX_ATTRS = {
    "TEXT": "text",
    "ORTH": "orth_",
    "LOWER": "lower_",
    "NORM": "norm_",
    "LEMMA": "lemma_",
    "SHAPE": "shape_",
    "PREFIX": "prefix_",
    "SUFFIX": "suffix_",
}


def _used_attrs(pattern: list[dict[str, Any]]) -> set[str]:
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
    from cslint.engine.matchbank import MATCH_WINDOW

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


class _Re2Predicates:
    """``REGEX`` in token patterns, run by RE2 instead of Python's backtracking ``re``.

    spaCy would test ``{TEXT: {REGEX: "(a+)+$"}}`` with ``re.search``, which takes exponential
    time on one long token. Each such predicate becomes a boolean token extension computed with
    RE2 (linear time), which the Matcher tests instead: ``{_: {cslint_re_3: true}}``.
    """

    names: dict[tuple[str, str], str] = {}
    #: extension name -> (the token property it tests, e.g. ``lower_``, or ``_field``; regex)
    table: dict[str, tuple[str, Any]] = {}

    @classmethod
    def extension(cls, attr: str, pattern: str) -> str:
        from spacy.tokens import Token

        key = (attr, pattern)
        if key not in cls.names:
            regex = compile_re2(pattern, ignore_case=False)
            name = f"cslint_re_{len(cls.names)}"
            if attr.startswith("_"):
                field = attr[1:]
                getter = lambda token, regex=regex, field=field: _search(regex, getattr(token._, field, None))  # noqa: E731
                prop = attr
            else:
                prop = _REGEX_ATTRS[attr]
                getter = lambda token, regex=regex, prop=prop: _search(regex, getattr(token, prop))  # noqa: E731
            Token.set_extension(name, getter=getter, force=True)
            cls.names[key] = name
            cls.table[name] = (prop, regex)
        return cls.names[key]


def _search(regex: Any, value: Any) -> bool:
    return isinstance(value, str) and regex.search(value) is not None


def with_re2_predicates(pattern: list[Any]) -> list[Any]:
    """``pattern`` with every ``REGEX`` predicate moved to an RE2-backed extension; RuleError
    for a regular expression RE2 cannot compile."""
    out = []
    for token in pattern:
        if not isinstance(token, dict):
            out.append(token)
            continue
        token = dict(token)
        extensions = dict(token.get("_") or {}) if isinstance(token.get("_") or {}, dict) else token.get("_")
        for key in list(token):
            attr = str(key).upper()
            value = token[key]
            if attr == "_" and isinstance(extensions, dict):
                for field, predicate in list(extensions.items()):
                    if isinstance(predicate, dict) and "REGEX" in predicate:
                        rest = {k: v for k, v in predicate.items() if k != "REGEX"}
                        extensions[_Re2Predicates.extension("_" + field, str(predicate["REGEX"]))] = True
                        if rest:
                            extensions[field] = rest
                        else:
                            del extensions[field]
            elif attr in _REGEX_ATTRS and isinstance(value, dict) and "REGEX" in value:
                rest = {k: v for k, v in value.items() if k != "REGEX"}
                if isinstance(extensions, dict):
                    extensions[_Re2Predicates.extension(attr, str(value["REGEX"]))] = True
                if rest:
                    token[key] = rest
                else:
                    del token[key]
        if extensions:
            token["_"] = extensions
        out.append(token)
    return out


@register
class PatternDetector(Detector):
    kind = "pattern"
    properties = {
        "patterns": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        },
    }
    required = ("patterns",)

    @classmethod
    def validate_spec(cls, spec: dict[str, Any]):
        """Checked when the rule loads: a pattern too costly to match is refused."""
        for i, pattern in enumerate(spec["patterns"]):
            problem = pattern_cost_problem(pattern)
            if problem:
                return f"pattern {i + 1} {problem}", ("patterns", i)
        return None

    def __init__(self, spec: dict[str, Any], ctx: CompileContext) -> None:
        super().__init__(spec, ctx)
        for i, pattern in enumerate(spec["patterns"]):
            bad = _used_attrs(pattern) & _UNAVAILABLE
            if bad:
                raise RuleError(
                    f"pattern {i + 1} uses {', '.join(sorted(bad))}, which needs a trained "
                    "pipeline; use LOWER, LEMMA/NORM, REGEX or IS_* attributes",
                    subpath=("patterns", i),
                )
            problem = pattern_cost_problem(pattern)
            if problem:
                raise RuleError(f"pattern {i + 1} {problem}", subpath=("patterns", i))
            try:
                pattern = with_re2_predicates(pattern)
            except RuleError as exc:
                raise RuleError(f"pattern {i + 1}: {exc.message}", subpath=("patterns", i)) from None
            try:
                ctx.bank.add_patterns(self.key, [pattern])
            except (ValueError, KeyError, TypeError) as exc:
                # spaCy's message names our internal key and pattern 0; keep only the problem.
                detail = " ".join(str(exc).split())
                detail = detail.split("Pattern 0:", 1)[-1].strip(" -")
                raise RuleError(f"invalid spaCy pattern {i + 1}: {detail}", subpath=("patterns", i)) from None

    @classmethod
    def uses_lemmas(cls, spec: dict[str, Any]) -> bool:
        return any(_used_attrs(p) & {"LEMMA", "NORM"} for p in spec.get("patterns", []))

    def may_find(self, view: TurnView) -> bool:
        return self.key in view.matches

    def triggers(self) -> tuple[frozenset[str], frozenset[int]]:
        return frozenset([self.key]), frozenset()

    def find(self, view: TurnView) -> Iterable[CharSpan]:
        return self.token_spans_to_chars(view, view.matches.get(self.key, ()))
