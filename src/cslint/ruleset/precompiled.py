"""The built-in rules, parsed and validated when cslint is built rather than on every run.

Reading the ~20 built-in rule files costs a cold process ~140 ms: PyYAML with line tracking,
importing jsonschema and checking each document against the schema. Those files are part of
the program, like its modules, so ``scripts/build_rule_index.py`` does that work once and
writes each file's checked document (and the line of each value, for messages) to
``builtin-rules.json`` next to this module, keyed by the SHA-256 of the file's bytes.

An entry is used only for exactly the bytes it was built from: a rule file edited since (a
local change, a patched install) is not in the index and is read the ordinary way, so the
index can make a run slower when it is stale but never different. ``tests/test_precompiled_rules.py``
rebuilds the index and fails when the committed one differs (a rule or the schema changed
without ``python scripts/build_rule_index.py``).

This is not a cache of anything a run produced, so ``CSLINT_NO_CACHE`` leaves it on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cslint.yamlsource import Positions

#: Bump when the layout changes; an index of another format is ignored.
FORMAT = "cslint-builtin-rules-1"
INDEX_PATH = Path(__file__).with_name("builtin-rules.json")


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class PrecompiledRules:
    """Checked rule documents by the SHA-256 of their file's bytes, read once, lazily."""

    def __init__(self, path: Path = INDEX_PATH) -> None:
        self.path = path
        self._entries: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            try:
                index = json.loads(self.path.read_text(encoding="utf-8"))
                entries = index["entries"] if index.get("format") == FORMAT else {}
                self._entries = entries if isinstance(entries, dict) else {}
            except (OSError, ValueError, AttributeError, KeyError):
                self._entries = {}  # no index (e.g. removed by a packager): parse the files
        return self._entries

    def get(self, raw: bytes) -> tuple[Any, Positions] | None:
        entry = self._load().get(digest(raw))
        if entry is None:
            return None
        return entry["data"], Positions.from_rows(entry["positions"])


def build_index(files: Iterable[Path]) -> dict[str, Any]:
    """The index of ``files`` (each must load without error), as ``builtin-rules.json`` holds it."""
    from cslint.ruleset.cache import as_json
    from cslint.ruleset.loader import parse_rule_bytes

    entries: dict[str, Any] = {}
    for path in files:
        raw = path.read_bytes()
        data, positions = parse_rule_bytes(raw, str(path))
        entry = {"file": path.name, "data": data, "positions": positions.rows()}
        if as_json(entry) is None:
            raise ValueError(f"{path}: its document would not read back the same from JSON; it cannot be indexed")
        entries[digest(raw)] = entry
    return {"format": FORMAT, "entries": dict(sorted(entries.items(), key=lambda item: item[1]["file"]))}


def render_index(index: dict[str, Any]) -> str:
    """The index as the committed file holds it: compact, one rule file a line, so a rebuild
    after editing one rule is a one-line diff."""
    lines = [
        f"{json.dumps(key)}:{json.dumps(entry, ensure_ascii=False, separators=(',', ':'))}"
        for key, entry in index["entries"].items()
    ]
    return "{" + f'"format":{json.dumps(index["format"])},"entries":{{\n' + ",\n".join(lines) + "\n}}\n"
