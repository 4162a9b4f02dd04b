"""A cache of validated rule files, so that a run skips YAML parsing and schema checks.

Parsing ~20 rule files and checking them against the schema took ~90 ms of every run (a
single draft on standard input included) and imported PyYAML and jsonschema. A rule file
that passed is stored as JSON (its document and the line of every value) under a name that
is the SHA-256 of

* the file's bytes: any edit, however small and whatever its time stamp, is a new entry;
* a fingerprint of the code that parses and validates it: cslint's own modules (size and
  modification time of each) and the installed PyYAML, jsonschema and RE2 bindings.

Only files that passed are stored, so every error is still reported, with its line, on every
run. Entries are JSON, never pickle: a tampered cache cannot run code, and an entry that does
not read back exactly is ignored. The folder is ``$CSLINT_CACHE_DIR``, else the platform's
user cache folder (platformdirs: ``$XDG_CACHE_HOME/cslint`` or ``~/.cache/cslint`` on Linux,
``~/Library/Caches/cslint`` on macOS, under ``%LOCALAPPDATA%`` on Windows); it is created private (0700) and not
used if another user owns it or others may write to it. ``CSLINT_NO_CACHE=1`` turns the
cache off (and every other cache: ``cslint.cacheswitch``); an unwritable folder just means no cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from cslint.boundedio import ReadLimitError, read_regular_file
from cslint.cacheswitch import caches_disabled
from cslint.yamlsource import MAX_YAML_BYTES, Positions

#: Bump when the entry layout changes.
FORMAT = "cslint-rule-cache-1"
#: Installed packages whose behaviour decides whether a rule file parses and validates.
_DEPENDENCIES = ("yaml", "jsonschema", "re2")
#: An entry holds a rule file (at most MAX_YAML_BYTES) and the line of each of its values.
MAX_ENTRY_BYTES = 4 * MAX_YAML_BYTES


def cache_dir() -> Path | None:
    if caches_disabled():
        return None
    explicit = os.environ.get("CSLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    import platformdirs

    return platformdirs.user_cache_path("cslint", appauthor=False)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever cslint's code or a parsing/validation dependency changes."""
    import cslint

    digest = hashlib.sha256(FORMAT.encode())
    package = Path(cslint.__file__).parent
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                _add_stat(digest, os.path.join(root, name))
    for module in _DEPENDENCIES:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        origin = getattr(spec, "origin", None)
        digest.update(module.encode())
        if origin:
            _add_stat(digest, origin)
    return digest.hexdigest()


def _add_stat(digest: Any, path: str) -> None:
    try:
        info = os.stat(path)
    except OSError:
        return
    digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())


def as_json(value: Any) -> str | None:
    """``value`` as JSON text, or None when it is not plain JSON data or would not read back
    identical (e.g. a mapping with integer keys)."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        back = json.loads(text)
    except (TypeError, ValueError):
        return None
    return text if _same(back, value) else None


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (JSON turns int keys into strings)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(k, k2) for k, k2 in zip(a, b)) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


class RuleCache:
    """Validated rule documents by the SHA-256 of (code fingerprint, file bytes)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else cache_dir()
        self.hits = 0
        self.misses = 0
        self._usable: bool | None = None

    @classmethod
    def off(cls) -> RuleCache:
        """A cache that stores and finds nothing (every file is parsed and validated)."""
        cache = cls()
        cache.folder = None
        return cache

    def _ready(self, create: bool) -> bool:
        if self.folder is None:
            return False
        if self._usable is None or (create and not self._usable):
            self._usable = self._check_folder(create)
        return self._usable

    def _check_folder(self, create: bool) -> bool:
        folder = self.folder
        if folder is None:
            return False
        try:
            if create:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode):
            return False
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return False  # someone else could plant entries: do not trust it
        return True

    def _entry(self, raw: bytes) -> Path:
        digest = hashlib.sha256(code_fingerprint().encode() + b"\0" + raw).hexdigest()
        assert self.folder is not None  # only called once the folder is usable
        return self.folder / f"rule-{digest}.json"

    def get(self, raw: bytes) -> tuple[Any, Positions] | None:
        if not self._ready(create=False):
            return None
        try:
            entry = json.loads(read_regular_file(self._entry(raw), MAX_ENTRY_BYTES).decode("utf-8"))
            data = entry["data"]
            if not isinstance(data, dict):
                raise TypeError("not a rule document")
            positions = Positions.from_rows(entry["positions"])
        except (OSError, ReadLimitError, ValueError, KeyError, TypeError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return data, positions

    def drop(self, raw: bytes) -> None:
        """Forget the entry for ``raw`` (it did not make a valid rule); ``put`` stores a new one."""
        if self._ready(create=False):
            with contextlib.suppress(OSError):
                self._entry(raw).unlink()
        self.hits -= 1
        self.misses += 1

    def put(self, raw: bytes, data: Any, positions: Positions) -> None:
        if not self._ready(create=True):
            return
        text = as_json({"data": data, "positions": positions.rows()})
        if text is None:
            return  # would not read back the same: always parse this file
        target = self._entry(raw)
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".rule-", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target)
        except BaseException as exc:  # also SIGTERM (cslint.signals): no temporary file left
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if not isinstance(exc, OSError):
                raise
