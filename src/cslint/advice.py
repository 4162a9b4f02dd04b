"""A rule's advice: its ``better:`` wordings and its ``fix`` text, owned here and used by both
the findings (the ``fix`` each one carries) and ``cslint fix`` (the safe rewordings).

Advice belongs to the trigger that matched: a detector of ``detect:`` may carry its own
``fix`` and ``better`` (a slogan, a data demand and a pasted repeat get different advice
within one rule); without them it falls back to the rule's.

.. code-block:: yaml

    better:
      - instead_of: please do not hesitate to
        say: feel free to
        safe: true      # cslint fix may apply it: the meaning is kept wherever the phrase appears
"""

from __future__ import annotations

import re
from typing import Any

from cslint.ruleset.rule import Advice, Rule


def fix_for(advice: Advice, passage: str) -> str:
    """The advice for a flagged passage, preceded by a better wording when the passage has one
    ("Instead of “X”, say “Y”. ...")."""
    lowered = " ".join(passage.lower().split())
    # A wording whose phrase is in the passage first; only then one whose phrase holds the
    # whole (short) passage: "visit our website" is not "please visit our website".
    chosen = next((b for b in advice.better if b["instead_of"].lower() in lowered), None)
    if chosen is None and lowered:
        chosen = next((b for b in advice.better if lowered in b["instead_of"].lower()), None)
    if chosen is None:
        return advice.fix
    return f"Instead of “{chosen['instead_of']}”, say “{chosen['say']}”. {advice.fix}"


#: The better wording ``fix_for`` puts before the advice paragraph.
_BETTER_LEAD = re.compile(r"^Instead of “[^”]*”, say “[^”]*”\. ")


def paragraph_of(fix: str) -> str:
    """A finding's ``fix`` without the better wording ``fix_for`` put before it: the advice
    paragraph of the trigger that matched (``--fixes once`` lists each one once)."""
    return _BETTER_LEAD.sub("", fix, count=1)


def safe_betters(rule: Rule) -> list[dict[str, Any]]:
    """The rule's safe replacements (its own and its detectors'), for ``cslint fix``: safe means
    meaning-preserving wherever the phrase appears, so it does not matter which detector
    flagged the passage. One whose replacement contains the phrase it replaces would change
    the text again on every run, so it is never applied."""
    return [
        b for b in rule.all_better() if b.get("safe") is True and b["instead_of"].casefold() not in b["say"].casefold()
    ]


def match_case(original: str, replacement: str) -> str:
    """Keep the original's capitalisation: "Any inconvenience" -> "The inconvenience". An
    acronym's capitals are its spelling, not a sentence start: "KB article" -> "help article"."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    first_word = original.split()[0] if original.split() else original
    acronym = len(first_word) > 1 and first_word.isupper()
    if original[:1].isupper() and not acronym and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
