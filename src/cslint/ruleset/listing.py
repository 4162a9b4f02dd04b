"""``cslint rules``: the loaded rules as a table or JSON, with where each came from."""

from __future__ import annotations

import json
import sys

from cslint.ruleset.loader import LoadedRules
from cslint.ruleset.packs import installed_packs


def rule_rows(loaded: LoadedRules, show_all: bool) -> list[dict]:
    return [
        {
            "id": rule.id,
            "category": rule.category,
            "severity": rule.severity.label,
            "enabled": rule.enabled,
            "title": rule.title,
            "origin": rule.origin,
            "path": rule.path,
        }
        for rule in sorted(loaded.rules.values(), key=lambda r: r.id)
        if rule.enabled or show_all
    ]


def print_rules(loaded: LoadedRules, show_all: bool, output_format: str) -> None:
    rows = rule_rows(loaded, show_all)
    in_use = {row["origin"].split(" ")[1] for row in rows if row["origin"].startswith("pack ")}
    unused_packs = sorted(name for name in installed_packs() if name not in in_use)
    if output_format == "json":
        print(json.dumps({"rules": rows, "installed_packs_not_used": unused_packs}, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "category", "severity", "default", "origin"):
        table.add_column(column, no_wrap=True)
    table.add_column("title")
    for row in rows:
        table.add_row(
            row["id"], row["category"], row["severity"], "on" if row["enabled"] else "off", row["origin"], row["title"]
        )
    # Piped output is not cut to 80 columns: a row per rule, whole.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 240)
    console.print(table)
    if unused_packs:
        console.print(f"installed rule packs not in use (add to 'packs:' to use): {', '.join(unused_packs)}")
