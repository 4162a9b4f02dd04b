"""Find and read the config file: ``.cslint.yaml`` (or ``.cslint.yml``), or the
``[tool.cslint]`` table of ``pyproject.toml``.

The search starts at the first linted path (its folder, for a file; the current folder for
standard input) and goes up to the file-system root; the first folder holding a config wins.
In one folder ``.cslint.yaml`` beats ``pyproject.toml``, and a ``pyproject.toml`` without a
``[tool.cslint]`` table is passed over.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cslint.boundedio import ReadLimitError, read_regular_file
from cslint.errors import ConfigError
from cslint.yamlsource import MAX_YAML_BYTES, Positions, load_yaml

#: A pyproject.toml holds a whole project's settings, and TOML has no aliases to expand: it may
#: be larger than a YAML config, but is still read with a bound.
MAX_TOML_BYTES = 16 * 1024 * 1024

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

YAML_NAMES = (".cslint.yaml", ".cslint.yml")
PYPROJECT = "pyproject.toml"
TOML_TABLE = ("tool", "cslint")


@dataclass
class ConfigDocument:
    """A config file's ``cslint`` settings as written, with the line of every value."""

    path: Path
    data: dict[str, Any]
    positions: Positions = field(default_factory=Positions)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def where(self, key_path: tuple) -> str:
        line = self.positions.line(key_path)
        return f"{display_path(self.path)}:{line}" if line else display_path(self.path)


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def key_path_text(path: tuple) -> str:
    """``("per_path", "legacy/**", "select", 0)`` -> ``per_path["legacy/**"].select[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += f"[{json.dumps(str(part))}]"
    return out


def _has_cslint_table(pyproject: Path) -> bool:
    try:
        text = read_regular_file(pyproject, MAX_TOML_BYTES).decode("utf-8-sig")
    except (OSError, ReadLimitError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*cslint\s*[\].]", text, re.MULTILINE) is not None


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a file or folder), or None."""
    start = start.resolve() if start.exists() else Path.cwd().resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        for name in YAML_NAMES:
            # exists(), not is_file(): a FIFO or folder of that name is reported, not skipped.
            if (candidate / name).exists():
                return candidate / name
        if (candidate / PYPROJECT).is_file() and _has_cslint_table(candidate / PYPROJECT):
            return candidate / PYPROJECT
    return None


def read_config(path: Path) -> ConfigDocument:
    """Parse a config file; ConfigError (``file:line: ...``) if it is not valid YAML/TOML."""
    shown = display_path(path)
    try:
        limit = MAX_TOML_BYTES if path.name == PYPROJECT or path.suffix == ".toml" else MAX_YAML_BYTES
        text = read_regular_file(path, limit).decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("config file not found", shown) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", shown) from None
    except (ReadLimitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", shown) from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        return _read_toml(path, text, shown)
    data, positions = load_yaml(text, shown, ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("a config file must be a mapping of keys (select, ignore, ...)", shown, positions.line(()))
    return ConfigDocument(path, data, positions)


def _read_toml(path: Path, text: str, shown: str) -> ConfigDocument:
    try:
        document = tomllib.loads(text)
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ConfigError("invalid TOML: values nested too deeply", shown) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"invalid TOML: {exc}", shown, int(match.group(1)) if match else None) from None
    data: Any = document
    for part in TOML_TABLE:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise ConfigError("[tool.cslint] must be a table", shown)
    return ConfigDocument(path, data, toml_positions(text, TOML_TABLE))


_TOML_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""^\s*(?P<key>(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_TOML_PART = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)""")


def _dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _TOML_PART.findall(name))


def toml_positions(text: str, table: tuple[str, ...]) -> Positions:
    """Lines of the keys under ``table`` (tomllib keeps no positions). Good enough for error
    messages: the line of each key, of each ``[table.sub]`` header, and of inline
    ``{...}`` entries on their key's line; anything finer falls back to the enclosing key."""
    positions = Positions()
    current: tuple[str, ...] | None = None
    depth = 0  # open brackets of a multi-line value: its lines hold no keys of the table
    for number, line in enumerate(text.split("\n"), start=1):
        if depth == 0:
            header = _TOML_HEADER.match(line)
            if header:
                name = _dotted(header.group("name"))
                current = name[len(table) :] if name[: len(table)] == table else None
                if current is not None:
                    positions.record(current, number)
                continue
            key = _TOML_KEY.match(line)
            if key and current is not None:
                positions.record(current + _dotted(key.group("key")), number)
        depth = max(0, depth + _bracket_balance(line))
    return positions


def _bracket_balance(line: str) -> int:
    """Open minus closed ``[``/``{`` on a line, outside strings and comments."""
    balance = 0
    quote = None
    for ch in line:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            balance += 1
        elif ch in "]}":
            balance -= 1
    return balance
