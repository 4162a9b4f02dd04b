"""Every configuration key: its schema, default, how it merges, and its documentation.

One table drives validation (JSON-Schema with ``file:line`` errors), the merge, ``cslint
config show`` and the starter file of ``cslint init``: a new key is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cslint.model import SEVERITY_NAMES, SPEAKERS

_NAME = {"type": "string", "minLength": 1}
_NAMES = {"type": "array", "items": _NAME}
_SEVERITY = {"enum": list(SEVERITY_NAMES)}
_SEVERITY_MAP = {"type": "object", "additionalProperties": _SEVERITY}
_WEIGHT = {"type": "number", "minimum": 0}

#: The keys a ``per_path`` entry may set for the files its glob matches.
PER_PATH_KEYS = {"select": _NAMES, "ignore": _NAMES, "severity": _SEVERITY_MAP}


@dataclass(frozen=True)
class Key:
    name: str
    schema: dict[str, Any]
    default: Any
    help: str
    #: replace: a later layer's value replaces the earlier one; extend: lists are joined;
    #: update: mappings are merged entry by entry (a later layer wins per entry).
    merge: str = "replace"
    #: The command-line option that sets it, if any.
    flag: str | None = None


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key(
            "select",
            _NAMES,
            [],
            "Rule ids or categories to run instead of the rules on by default ('all' for every rule).",
            flag="--select",
        ),
        Key("ignore", _NAMES, [], "Rule ids or categories not to run.", flag="--ignore"),
        Key(
            "extend_select",
            _NAMES,
            [],
            "Rule ids or categories to run in addition to the selection (e.g. rules that are off by default).",
            merge="extend",
            flag="--extend-select",
        ),
        Key(
            "extend_ignore",
            _NAMES,
            [],
            "Rule ids or categories not to run, in addition to 'ignore'.",
            merge="extend",
            flag="--extend-ignore",
        ),
        Key("severity", _SEVERITY_MAP, {}, "Per-rule severity: {rule-id: info|warning|error}.", merge="update"),
        Key("min_severity", _SEVERITY, "info", "Show findings at or above this severity.", flag="--min-severity"),
        Key("fail_on", _SEVERITY, "warning", "Exit 1 if a finding is at or above this severity.", flag="--fail-on"),
        Key(
            "rules", _NAMES, [], "Folders of custom rules, relative to the config file.", merge="extend", flag="--rules"
        ),
        Key(
            "packs",
            _NAMES,
            [],
            "Installed rule packs to use, by name (Python packages with a 'cslint.rules' entry point).",
            merge="extend",
            flag="--pack",
        ),
        Key(
            "language",
            {"enum": ["auto", "en"]},
            "auto",
            "auto: English-only rules skip turns that do not read as English (counted); en: lint every turn as English.",
            flag="--language",
        ),
        Key(
            "speakers",
            {"type": "object", "additionalProperties": {"enum": list(SPEAKERS)}},
            {},
            "Speaker labels or names and their role, as --speaker: {Sam: agent}.",
            merge="update",
            flag="--speaker",
        ),
        Key(
            "agent_domains",
            _NAMES,
            [],
            "E-mail: domains or addresses whose messages are the agent's, as --agent-domain.",
            merge="extend",
            flag="--agent-domain",
        ),
        Key(
            "csv_columns",
            {"type": "object", "additionalProperties": _NAME},
            {},
            "CSV: which column holds what, as --csv-columns: {id: ticket_id, text: body}.",
            merge="update",
            flag="--csv-columns",
        ),
        Key(
            "vocabulary",
            {
                "type": "object",
                "properties": {"accept": _NAMES, "reject": _NAMES},
                "additionalProperties": False,
            },
            {"accept": [], "reject": []},
            "Team terms: accept (brand names, product terms, acronyms customers know) and reject.",
        ),
        Key(
            "per_path",
            {
                "type": "object",
                "additionalProperties": {"type": "object", "properties": PER_PATH_KEYS, "additionalProperties": False},
            },
            {},
            "Overrides by glob, relative to the config file: {'legacy/**': {ignore: [...], severity: {...}}}.",
        ),
        Key(
            "scheduler",
            {"type": ["string", "null"], "minLength": 1},
            None,
            "Run 'cslint check' on a Dask cluster: its scheduler's address, or local:N (needs cslint[dask]).",
            flag="--scheduler",
        ),
        Key("exclude", _NAMES, [], "Globs of files never linted, relative to the config file.", merge="extend"),
        Key(
            "models",
            {"type": ["string", "null"], "minLength": 1},
            None,
            "A model folder from 'cslint train' (relative to the config file): the rules' learned detectors use it.",
            flag="--models",
        ),
        Key(
            "rule_options",
            {"type": "object", "additionalProperties": {"type": "object"}},
            {},
            "Options for rules, merged into each rule's own options: {rule-id: {...}}.",
        ),
        Key(
            "scorecard",
            {
                "type": "object",
                "properties": {
                    "weights": {"type": "object", "additionalProperties": _WEIGHT},
                    "severity_weights": {
                        "type": "object",
                        "properties": {name: _WEIGHT for name in SEVERITY_NAMES},
                        "additionalProperties": False,
                    },
                    "critical": _NAMES,
                    "pass_mark": {"type": "number", "minimum": 0, "maximum": 100},
                    "min_conversations": {"type": "integer", "minimum": 0},
                },
                "additionalProperties": False,
            },
            {},
            "Scores (HTML/CSV/JSON reports): points off per finding by rule or severity, critical rules that fail a conversation, the pass mark.",
        ),
    )
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {name: key.schema for name, key in KEYS.items()},
    "additionalProperties": False,
}
