"""A rule's advice: its ``better:`` wordings and its ``fix`` text, owned here and used by both
the findings (the ``fix`` each one carries) and ``cslint fix`` (the safe rewordings).

.. code-block:: yaml

    better:
      - instead_of: any inconvenience
        say: the trouble this caused
        safe: true      # cslint fix may apply it: correct wherever the phrase appears
"""

from __future__ import annotations

from typing import Any

from cslint.ruleset.rule import Rule


def fix_for(rule: Rule, passage: str) -> str:
    """The rule's advice for a flagged passage, preceded by a better wording when the passage
    has one ("Instead of “X”, say “Y”. ...")."""
    lowered = " ".join(passage.lower().split())
    for better in rule.better:
        phrase = better["instead_of"].lower()
        if phrase in lowered or (lowered and lowered in phrase):
            return f"Instead of “{better['instead_of']}”, say “{better['say']}”. {rule.fix}"
    return rule.fix


def safe_betters(rule: Rule) -> list[dict[str, Any]]:
    """The rule's safe replacements, for ``cslint fix``. One whose replacement contains the
    phrase it replaces would change the text again on every run, so it is never applied."""
    return [b for b in rule.better if b.get("safe") is True and b["instead_of"].casefold() not in b["say"].casefold()]


def match_case(original: str, replacement: str) -> str:
    """Keep the original's capitalisation: "Any inconvenience" -> "The inconvenience"."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement
