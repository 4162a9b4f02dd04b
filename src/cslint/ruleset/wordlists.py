"""Named word lists: declared once in a rule's ``words:`` and used by name.

.. code-block:: yaml

    words:
      visit: [visit, check, see, consult]
      site: [website, site, faq, portal]
    detect:
      - kind: pattern
        patterns:
          - [{LOWER: {IN: $visit}}, {LOWER: our}, {LOWER: {IN: [$site, page]}}]
      - kind: phrases
        phrases: [$site, help centre]

A value ``$name`` stands for the list; an item ``$name`` inside a list stands for its words,
in place. References are resolved when the rule loads (before it is validated), so every kind
sees plain lists; an unknown name is an error naming the rule file and line.
"""

from __future__ import annotations

import re
from typing import Any

from cslint.errors import RuleError
from cslint.yamlsource import Positions

#: ``$name``: a letter, then letters, digits, ``-`` or ``_``.
REFERENCE = re.compile(r"\$([A-Za-z][\w-]*)")
#: The rule sections whose values may name word lists.
SECTIONS = ("detect", "unless")


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def expand_word_lists(data: Any, positions: Positions, path: str) -> Any:
    """``data`` with every ``$name`` in its detectors replaced by the ``words:`` list of that
    name (``words`` is kept, for ``cslint explain``). Documents that are not mappings, or have
    no references, come back as they are."""
    if not isinstance(data, dict):
        return data
    lists = data.get("words")
    if lists is not None and not isinstance(lists, dict):
        return data  # the schema reports it, with its line

    def resolve(name: str, at: tuple) -> list[Any]:
        words = (lists or {}).get(name)
        if not isinstance(words, list):
            known = ", ".join(sorted(lists or {})) or "none declared"
            raise RuleError(f"unknown word list ${name} (word lists: {known})", path, positions.line(at))
        return words

    def walk(value: Any, at: tuple) -> Any:
        if _is_reference(value):
            return list(resolve(value[1:], at))
        if isinstance(value, list):
            out: list[Any] = []
            for i, item in enumerate(value):
                if _is_reference(item):
                    out.extend(resolve(item[1:], (*at, i)))
                else:
                    out.append(walk(item, (*at, i)))
            return out
        if isinstance(value, dict):
            return {key: walk(item, (*at, key)) for key, item in value.items()}
        return value

    expanded = dict(data)
    for section in SECTIONS:
        if section in data:
            expanded[section] = walk(data[section], (section,))
    return expanded
