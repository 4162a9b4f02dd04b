"""``cslint check --statistics``: how many findings each rule has, instead of the findings
(as ``ruff check --statistics`` and ``flake8 --statistics`` print), most frequent first::

    12  runaround      warning  Sends the customer off to do the work themselves
     3  jargon         warning  Uses an internal term or acronym ...

With ``--format json`` the same as a JSON list of ``{"rule", "count", "severity", "title"}``.
"""

from __future__ import annotations

import json

from cslint.reporters.base import Reporter
from cslint.results import CheckResults
from cslint.textsafety import printable


def rule_counts(result: CheckResults) -> list[dict]:
    titles = {rule.id: rule.title for rule in result.rules}
    return [
        {"rule": rule, "count": count, "severity": result.worst_by_rule[rule].label, "title": titles.get(rule, "")}
        for rule, count in sorted(result.by_rule().items(), key=lambda kv: (-kv[1], kv[0]))
    ]


class StatisticsReporter(Reporter):
    """Not an output format of its own: ``--statistics`` replaces the report with it."""

    name = "statistics"
    streams = True
    for_humans = True

    def __init__(self, stream, color: bool | None = None, as_json: bool = False) -> None:
        super().__init__(stream, color)
        self.as_json = as_json

    def finish(self, result: CheckResults) -> None:
        rows = rule_counts(result)
        if self.as_json:
            self.stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        width = max((len(str(row["count"])) for row in rows), default=1)
        id_width = max((len(row["rule"]) for row in rows), default=0)
        for row in rows:
            self.stream.write(
                printable(
                    f"{row['count']:>{width}}  {row['rule']:<{id_width}}  {row['severity']:<7}  {row['title']}".rstrip()
                )
                + "\n"
            )
