#!/usr/bin/env python3
"""Parse and check the built-in rules once, for every run: writes
src/cslint/ruleset/builtin-rules.json (see cslint/ruleset/precompiled.py).

    python scripts/build_rule_index.py          # after changing a file in rules/ or the schema
    python scripts/build_rule_index.py --check  # exit 1 when the committed index is stale
"""

from __future__ import annotations

import argparse
import sys

from cslint.errors import RuleError
from cslint.ruleset.loader import builtin_rules_dir, rule_files
from cslint.ruleset.precompiled import INDEX_PATH, build_index, render_index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only say whether the committed index is up to date")
    args = parser.parse_args()
    try:
        text = render_index(build_index(rule_files(builtin_rules_dir())))
    except (RuleError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    current = INDEX_PATH.read_text(encoding="utf-8") if INDEX_PATH.exists() else ""
    if args.check:
        if text != current:
            print(f"{INDEX_PATH} is stale: run python scripts/build_rule_index.py", file=sys.stderr)
            return 1
        print(f"{INDEX_PATH} is up to date")
        return 0
    if text != current:
        INDEX_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {INDEX_PATH} ({len(text):,} bytes)")
    else:
        print(f"{INDEX_PATH} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
