"""Pick the rules a run uses: by id or category, with did-you-mean for typos."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from cslint.errors import ConfigError
from cslint.ruleset.rule import Rule

ALL = "all"


def _expand(names: Iterable[str], rules: dict[str, Rule], option: str) -> set[str]:
    categories: dict[str, set[str]] = {}
    for rule in rules.values():
        categories.setdefault(rule.category, set()).add(rule.id)
    chosen: set[str] = set()
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name.lower() == ALL:
            chosen.update(rules)
        elif name in rules:
            chosen.add(name)
        elif name in categories:
            chosen.update(categories[name])
        else:
            known = sorted(set(rules) | set(categories))
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{option}: no rule or category named {name!r}{hint}")
    return chosen


def select_rules(
    rules: dict[str, Rule], select: Iterable[str] = (), ignore: Iterable[str] = (), extend_select: Iterable[str] = ()
) -> list[Rule]:
    """Without ``select`` the rules enabled by default run; ``select`` names rules or
    categories to run instead (including rules that are off by default); ``extend_select``
    adds to either; ``ignore`` removes."""
    select = [s for s in select if s.strip()]
    if select:
        ids = _expand(select, rules, "--select")
    else:
        ids = {rule_id for rule_id, rule in rules.items() if rule.enabled}
    ids |= _expand(extend_select, rules, "--extend-select")
    ids -= _expand(ignore, rules, "--ignore")
    return [rules[i] for i in sorted(ids)]
