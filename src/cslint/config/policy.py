"""Apply settings to the loaded rules: which rules run, with which options and severities,
and — through ``per_path`` — which findings count for which file.

The linter runs every rule any file may need (the global selection plus whatever a
``per_path`` entry selects); ``RulePolicy.apply`` then keeps, for each file, only the findings
of the rules selected for it, at the severity configured for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from cslint.config.files import key_path_text
from cslint.config.settings import PathOverride, Settings, relative_to_root
from cslint.config.validate import did_you_mean
from cslint.errors import ConfigError
from cslint.globs import glob_matches
from cslint.model import Finding, Severity
from cslint.ruleset.rule import Rule
from cslint.ruleset.schema import option_problem
from cslint.ruleset.selection import ALL, select_rules


def _categories(rules: dict[str, Rule]) -> dict[str, set[str]]:
    categories: dict[str, set[str]] = {}
    for rule in rules.values():
        categories.setdefault(rule.category, set()).add(rule.id)
    return categories


def check_rule_references(settings: Settings, rules: dict[str, Rule]) -> None:
    """Every rule id (or category) the settings name must exist: ConfigError naming the
    file, line and key otherwise, with a did-you-mean."""
    names = sorted(set(rules) | set(_categories(rules)) | {ALL})
    ids = sorted(rules)

    def fail(key_path: tuple, name: str, choices: list[str], what: str) -> None:
        path, line = settings.where(*key_path)
        label = key_path_text(key_path)
        origin = settings.origins.get(str(key_path[0]), "")
        if path is None and origin.startswith("-"):
            label = origin
        raise ConfigError(
            f"{label}: no {what} named {name!r}{did_you_mean(name, choices)}; see 'cslint rules'", path, line
        )

    for key in ("select", "ignore", "extend_select", "extend_ignore"):
        for i, name in enumerate(getattr(settings, key)):
            if name not in names and name.lower() != ALL:
                fail((key, i), name, names, "rule or category")
    for key in ("severity", "rule_options"):
        for rule_id in getattr(settings, key):
            if rule_id not in rules:
                fail((key, rule_id), rule_id, ids, "rule")
    for i, rule_id in enumerate(settings.scorecard.critical):
        if rule_id not in rules:
            fail(("scorecard", "critical", i), rule_id, ids, "rule")
    for rule_id in settings.scorecard.weights:
        if rule_id not in rules:
            fail(("scorecard", "weights", rule_id), rule_id, ids, "rule")
    for rule_id, options in settings.rule_options.items():
        problem = option_problem(options, [*rules[rule_id].detect, *rules[rule_id].unless])
        if problem:
            message, subpath = problem
            path, line = settings.where("rule_options", rule_id, *subpath)
            raise ConfigError(f"{key_path_text(('rule_options', rule_id))}.{message}", path, line)
    for override in settings.per_path:
        for key in ("select", "ignore"):
            for i, name in enumerate(getattr(override, key) or ()):
                if name not in names and name.lower() != ALL:
                    fail(("per_path", override.pattern, key, i), name, names, "rule or category")
        for rule_id in override.severity:
            if rule_id not in rules:
                fail(("per_path", override.pattern, "severity", rule_id), rule_id, ids, "rule")


def configured_rules(rules: dict[str, Rule], settings: Settings) -> dict[str, Rule]:
    """The rules with ``rule_options`` merged over each rule's own ``options``."""
    out = dict(rules)
    for rule_id, options in settings.rule_options.items():
        if rule_id in out:
            out[rule_id] = dataclasses.replace(out[rule_id], options={**out[rule_id].options, **options})
    return out


class RulePolicy:
    """Which rules run, and what counts for each file."""

    def __init__(self, rules: dict[str, Rule], settings: Settings) -> None:
        self.rules = rules
        self.settings = settings
        self.global_ids = {
            r.id
            for r in select_rules(
                rules, settings.select, (*settings.ignore, *settings.extend_ignore), settings.extend_select
            )
        }
        self._per_file: dict[str, tuple[frozenset[str], dict[str, Severity]]] = {}

    def rules_to_run(self) -> list[Rule]:
        """The global selection plus every rule a ``per_path`` entry selects."""
        ids = set(self.global_ids)
        for override in self.settings.per_path:
            if override.select is not None:
                ids |= {r.id for r in select_rules(self.rules, override.select, override.ignore)}
        return [self.rules[i] for i in sorted(ids)]

    def _for_path(self, path: str) -> tuple[frozenset[str], dict[str, Severity]]:
        cached = self._per_file.get(path)
        if cached is not None:
            return cached
        ids = set(self.global_ids)
        severity: dict[str, Severity] = {}
        relative = relative_to_root(self.settings, path) if path != "<stdin>" else None
        for override in self.matching(relative):
            if override.select is not None:
                ids = {r.id for r in select_rules(self.rules, override.select, ())}
            ids -= {r.id for r in self.rules.values() if _named(r, override.ignore)}
            severity.update(override.severity)
        result = (frozenset(ids), severity)
        self._per_file[path] = result
        return result

    def matching(self, relative: str | None) -> Iterable[PathOverride]:
        if relative is None:
            return []
        return [o for o in self.settings.per_path if glob_matches(o.pattern, relative)]

    def apply(self, path: str, findings: list[Finding]) -> list[Finding]:
        """The findings that count for ``path``, with its per-path severities."""
        ids, severity = self._for_path(path) if self.settings.per_path else (self.global_ids, {})
        out = []
        for f in findings:
            if f.rule not in ids:
                continue
            if f.rule in severity and severity[f.rule] != f.severity:
                f = dataclasses.replace(f, severity=severity[f.rule])
            out.append(f)
        return out


def _named(rule: Rule, names: Iterable[str]) -> bool:
    names = set(names)
    return rule.id in names or rule.category in names or ALL in {n.lower() for n in names}
