"""Finding, loading, validating and selecting rules."""

from cslint.ruleset.loader import LoadedRules, builtin_rules_dir, load_rules
from cslint.ruleset.rule import Rule, Scope
from cslint.ruleset.selection import select_rules

__all__ = ["LoadedRules", "Rule", "Scope", "builtin_rules_dir", "load_rules", "select_rules"]
