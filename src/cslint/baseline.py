"""Baselines: record today's findings so that CI fails only on new ones.

``cslint check --write-baseline FILE`` records a fingerprint of every finding;
``cslint check --baseline FILE`` then reports only findings whose fingerprint is not in it.

A fingerprint hashes the rule, the path (relative to the baseline file's folder, so the run
may start anywhere), the conversation id, the flagged text — lower-cased, whitespace
collapsed — and which occurrence of that same text it is in the conversation. Line numbers
are left out on purpose: findings survive edits elsewhere in the file, reordered
conversations and re-wrapped text.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import cslint
from cslint.atomicfile import write_atomic
from cslint.boundedio import ReadLimitError, read_regular_file
from cslint.errors import ConfigError
from cslint.model import Finding

FORMAT_VERSION = 1
#: A baseline holds one short fingerprint per finding: this is millions of them.
MAX_BASELINE_BYTES = 512 * 1024 * 1024


def normalise_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _path_key(path: str, base: Path) -> str:
    if path in ("-", "<stdin>"):
        return "<stdin>"
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, base)).as_posix()


class Fingerprinter:
    """Fingerprints for findings, counting repeated identical findings per conversation."""

    def __init__(self, base: Path) -> None:
        self.base = base.resolve()

    def fingerprints(self, findings: Iterable[Finding]) -> list[str]:
        """In finding order; call once per conversation (occurrences count within one call)."""
        seen: Counter = Counter()
        out = []
        for f in findings:
            key = (f.rule, _path_key(f.path, self.base), f.conversation, normalise_text(f.text))
            occurrence = seen[key]
            seen[key] += 1
            # surrogatepass: a path that is not valid UTF-8 still hashes (and always the same way).
            digest = hashlib.sha256("\x1f".join((*key, str(occurrence))).encode("utf-8", "surrogatepass")).hexdigest()
            out.append(digest[:32])
        return out


@dataclass
class Baseline:
    path: Path
    fingerprints: set[str] = field(default_factory=set)
    #: Fingerprints of this run that were found in the baseline.
    matched: set[str] = field(default_factory=set)

    @property
    def fingerprinter(self) -> Fingerprinter:
        return Fingerprinter(self.path.parent if str(self.path.parent) else Path("."))

    def split(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings already in the baseline) of one conversation."""
        new, known = [], []
        for f, fp in zip(findings, self.fingerprinter.fingerprints(findings)):
            if fp in self.fingerprints:
                known.append(f)
                self.matched.add(fp)
            else:
                new.append(f)
        return new, known

    @property
    def fixed(self) -> int:
        """Baseline entries no finding of this run matched (fixed, or changed text)."""
        return len(self.fingerprints - self.matched)


def load_baseline(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        document = json.loads(read_regular_file(path, MAX_BASELINE_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError("baseline file not found (create it with --write-baseline)", str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read baseline: {exc.strerror or exc}", str(path)) from None
    except (ReadLimitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read baseline: {exc}", str(path)) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline is not valid JSON: {exc.msg}", str(path), exc.lineno) from None
    except RecursionError:
        raise ConfigError("baseline is not a cslint baseline: JSON nested too deeply", str(path)) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise ConfigError(f"baseline is not valid JSON: {exc}", str(path)) from None
    if (
        not isinstance(document, dict)
        or document.get("version") != FORMAT_VERSION
        or not isinstance(document.get("findings"), list)
    ):
        raise ConfigError(
            f"not a cslint baseline (version {FORMAT_VERSION}); write a new one with --write-baseline", str(path)
        )
    prints = (entry.get("fingerprint") for entry in document["findings"] if isinstance(entry, dict))
    return Baseline(path, {p for p in prints if isinstance(p, str)})


class BaselineWriter:
    """Collects findings during a run and writes them at the end (atomically)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.fingerprinter = Fingerprinter(self.path.parent if str(self.path.parent) else Path("."))
        self.entries: list[dict] = []

    def add(self, findings: list[Finding]) -> None:
        """The findings of one conversation."""
        for f, fp in zip(findings, self.fingerprinter.fingerprints(findings)):
            self.entries.append(
                {
                    "fingerprint": fp,
                    "rule": f.rule,
                    "path": _path_key(f.path, self.fingerprinter.base),
                    "conversation": f.conversation,
                    "text": f.text,
                }
            )

    def write(self) -> int:
        entries = sorted(self.entries, key=lambda e: (e["path"], e["conversation"], e["rule"], e["fingerprint"]))
        document = {
            "version": FORMAT_VERSION,
            "tool": {"name": "cslint", "version": cslint.__version__},
            "findings": entries,
        }
        try:
            write_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            raise ConfigError(f"cannot write baseline: {exc.strerror or exc}", str(self.path)) from None
        return len(entries)
