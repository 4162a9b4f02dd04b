"""Compiling one rule's regular expression with RE2, with errors a rule author can act on.

RE2 runs in linear time: a user's pathological pattern such as ``(a+)+$`` cannot hang a run.
The price is that look-arounds and back-references are not supported; a pattern that uses
them is reported at load time with the rule file and line.
"""

from __future__ import annotations

from typing import Any

from cslint.errors import RuleError, shown

#: Longer regular expressions are refused: nobody writes one by hand, and a generated
#: alternation of a dictionary belongs in a ``phrases`` list.
MAX_REGEX_CHARS = 5_000


def compile_re2(pattern: str, ignore_case: bool = True) -> Any:
    """The compiled RE2 regex; RuleError naming the pattern when RE2 refuses it."""
    import re2

    if len(pattern) > MAX_REGEX_CHARS:
        raise RuleError(
            f"regular expression of {len(pattern):,} characters ({shown(pattern, 40)}); at most {MAX_REGEX_CHARS:,} are allowed: use a 'phrases' list for long lists of words"
        )
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise RuleError(
            f"invalid regular expression {shown(pattern)}: {detail} (RE2 syntax: no look-arounds or back-references)"
        ) from None
