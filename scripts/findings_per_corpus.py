#!/usr/bin/env python3
"""Findings per 1,000 agent turns, per rule, on unlabelled corpora (precision in the wild).

Usage:
  python scripts/findings_per_corpus.py PATH [PATH ...] [--rules DIR] [--json] [--sample RULE --show N]

Each PATH (a file or a folder, any format cslint reads) is one corpus. The default rule set
runs (as ``cslint check`` does without configuration). Parts that cannot be read are counted
and skipped. ``--sample RULE --show N`` prints N findings of RULE per corpus (with the turn),
picked at random with a fixed seed, for a reviewer to judge.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter

from cslint.learning.evaluation import build_linter
from cslint.model import InputError
from cslint.readers import ReadOptions, collect_inputs, read_source


def conversations(path: str, problems: Counter):
    inputs = collect_inputs([path])
    problems["inputs"] += len(inputs.errors)
    for source in inputs.sources:
        for item in read_source(source, ReadOptions()):
            if isinstance(item, InputError):
                problems["parts"] += 1
            else:
                yield item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sample", metavar="RULE")
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args(argv)
    linter = build_linter(args.rules, [])
    table = {}
    for path in args.paths:
        problems: Counter = Counter()
        counts: Counter = Counter()
        agent_turns = 0
        picked = []
        for conversation, findings in linter.lint(conversations(path, problems)):
            agent_turns += sum(1 for t in conversation.turns if t.speaker == "agent")
            for finding in findings:
                counts[finding.rule] += 1
                if finding.rule == args.sample:
                    picked.append(finding)
        per_1000 = {rule: round(1000 * n / max(agent_turns, 1), 1) for rule, n in sorted(counts.items())}
        table[path] = {"agent_turns": agent_turns, "unreadable": dict(problems), "per_1000": per_1000}
        if args.sample:
            for finding in random.Random(0).sample(picked, min(args.show, len(picked))):
                print(f"\n[{path}] {finding.conversation} turn {finding.turn}: “{finding.text}”")
                print("  " + finding.turn_text[:600].replace("\n", "\n  "))
    if args.json:
        json.dump(table, sys.stdout, indent=2)
        print()
    elif not args.sample:
        rules = sorted({rule for entry in table.values() for rule in entry["per_1000"]})
        print("rule".ljust(27) + "".join(path.rstrip("/").split("/")[-1][:14].rjust(15) for path in table))
        print("agent turns".ljust(27) + "".join(str(e["agent_turns"]).rjust(15) for e in table.values()))
        for rule in rules:
            print(rule.ljust(27) + "".join(str(e["per_1000"].get(rule, 0.0)).rjust(15) for e in table.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
