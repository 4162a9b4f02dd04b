"""``REGEX`` tests inside token patterns, run by RE2 instead of Python's backtracking ``re``.

spaCy would test ``{TEXT: {REGEX: "(a+)+$"}}`` with ``re.search``, which takes exponential
time on one long token. Each such predicate becomes a boolean token extension computed with
RE2 (linear time), which the Matcher tests instead: ``{_: {cslint_re_<digest>: true}}``.

spaCy's Matcher can only read extension attributes registered on its ``Token`` class, so this
is the one thing cslint registers with spaCy. The registration is content-addressed and never
forced: the extension's name is a digest of the token property and the pattern, and its getter
is a pure function of those two, so two linters (or two runs) that register the same predicate
register the same thing, and one linter's rules never change what another's patterns mean.
Which predicates a linter uses is kept per service (``PredicateTable``), not per process.
"""

from __future__ import annotations

import hashlib
from types import MappingProxyType
from typing import Any

from cslint.engine.matching.regexes import compile_re2

#: Token attributes whose text ``REGEX`` can test, and the Token property holding it.
REGEX_ATTRS = MappingProxyType(
    {
        "TEXT": "text",
        "ORTH": "orth_",
        "LOWER": "lower_",
        "NORM": "norm_",
        "LEMMA": "lemma_",
        "SHAPE": "shape_",
        "PREFIX": "prefix_",
        "SUFFIX": "suffix_",
    }
)


def _search(regex: Any, value: Any) -> bool:
    return isinstance(value, str) and regex.search(value) is not None


def _extension_name(prop: str, pattern: str) -> str:
    digest = hashlib.sha1(f"{prop}\x00{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"cslint_re_{digest}"


class PredicateTable:
    """The RE2 predicates of one matching service: extension name -> (token property, regex)."""

    def __init__(self) -> None:
        self.table: dict[str, tuple[str, Any]] = {}

    def extension(self, attr: str, pattern: str) -> str:
        """The name of the boolean token extension that tests ``pattern`` on ``attr``."""
        from spacy.tokens import Token

        prop = attr if attr.startswith("_") else REGEX_ATTRS[attr]
        name = _extension_name(prop, pattern)
        if name in self.table:
            return name
        regex = compile_re2(pattern, ignore_case=False)
        if not Token.has_extension(name):
            if prop.startswith("_"):
                field = prop[1:]
                getter = lambda token, regex=regex, field=field: _search(regex, getattr(token._, field, None))  # noqa: E731
            else:
                getter = lambda token, regex=regex, prop=prop: _search(regex, getattr(token, prop))  # noqa: E731
            Token.set_extension(name, getter=getter)
        self.table[name] = (prop, regex)
        return name

    def rewrite(self, pattern: list[Any]) -> list[Any]:
        """``pattern`` with every ``REGEX`` predicate moved to an RE2-backed extension;
        RuleError for a regular expression RE2 cannot compile."""
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
                            extensions[self.extension("_" + field, str(predicate["REGEX"]))] = True
                            if rest:
                                extensions[field] = rest
                            else:
                                del extensions[field]
                elif attr in REGEX_ATTRS and isinstance(value, dict) and "REGEX" in value:
                    rest = {k: v for k, v in value.items() if k != "REGEX"}
                    if isinstance(extensions, dict):
                        extensions[self.extension(attr, str(value["REGEX"]))] = True
                    if rest:
                        token[key] = rest
                    else:
                        del token[key]
            if extensions:
                token["_"] = extensions
            out.append(token)
        return out
