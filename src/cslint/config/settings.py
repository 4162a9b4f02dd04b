"""Settings from three layers — built-in defaults, the config file, command-line flags —
merged by one pure function, with the origin of every value kept for ``cslint config show``.

Merge order (later wins): defaults < config file < flags. Most keys are replaced whole by a
later layer (``--select`` replaces the file's ``select``); ``rules`` and ``exclude`` lists are
joined, and the ``speakers`` and ``severity`` mappings are merged entry by entry.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cslint.config.files import ConfigDocument, display_path
from cslint.config.keys import KEYS
from cslint.config.validate import validate_document
from cslint.errors import ConfigError
from cslint.globs import glob_problem
from cslint.model import Severity
from cslint.scorecard import ScorecardConfig
from cslint.vocabulary import Vocabulary

DEFAULT = "default"


@dataclass(frozen=True)
class PathOverride:
    """``per_path`` entry: select/ignore/severity for the files ``pattern`` matches."""

    pattern: str
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    origin: str = ""


@dataclass(frozen=True)
class Layer:
    """One source of settings: normalised values and where each came from."""

    values: Mapping[str, Any]
    origins: Mapping[str, str]


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    extend_select: tuple[str, ...]
    extend_ignore: tuple[str, ...]
    severity: Mapping[str, Severity]
    min_severity: Severity
    fail_on: Severity
    rules: tuple[Path, ...]
    packs: tuple[str, ...]
    language: str
    speakers: Mapping[str, str]
    agent_domains: tuple[str, ...]
    csv_columns: Mapping[str, str]
    vocabulary: Vocabulary
    per_path: tuple[PathOverride, ...]
    exclude: tuple[str, ...]
    rule_options: Mapping[str, Mapping[str, Any]]
    scorecard: ScorecardConfig
    #: A team's model folder (``cslint train``) for ``kind: model`` detectors; None: built-in.
    models: Path | None
    #: Where each key's value came from: "default", "FILE:LINE" or a flag such as "--select".
    origins: Mapping[str, str]
    #: The config file in use, and the folder its relative paths and globs start from.
    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    document: ConfigDocument | None = None
    #: Dask scheduler address or ``local:N`` (None: this machine's processes, --jobs).
    scheduler: str | None = None

    def where(self, *key_path: Any) -> tuple[str | None, int | None]:
        """(file, line) of a value from the config file, for error messages."""
        if self.document is None or self.origins.get(str(key_path[0]), DEFAULT).startswith(("-", DEFAULT)):
            return None, None
        return display_path(self.document.path), self.document.positions.line(key_path)


# -- normalising one layer -----------------------------------------------------------------


def _severities(mapping: Mapping[str, str]) -> dict[str, Severity]:
    return {rule: Severity.parse(level) for rule, level in mapping.items()}


def _normalise(name: str, value: Any, base: Path, origin: str, where: ConfigDocument | None) -> Any:
    """Turn a validated raw value into the form Settings holds."""
    if name in ("select", "ignore", "extend_select", "extend_ignore", "packs"):
        return tuple(v.strip() for v in value if v.strip())
    if name == "severity":
        return _severities(value)
    if name in ("min_severity", "fail_on"):
        return Severity.parse(value)
    if name == "rules":
        # Relative folders start at the config file's folder (or, for --rules, the current one).
        return tuple(base / Path(v).expanduser() for v in value)
    if name == "language":
        return value
    if name == "speakers":
        return {str(label).strip().lower(): role for label, role in value.items()}
    if name == "agent_domains":
        return tuple(v.strip().lower() for v in value if v.strip())
    if name == "csv_columns":
        from cslint.readers.csvreader import COLUMN_ROLES

        for role in value:
            if role not in COLUMN_ROLES:
                line = where.positions.line((name, role)) if where else None
                raise ConfigError(
                    f"csv_columns: unknown column role {role!r} (expected one of {', '.join(COLUMN_ROLES)})",
                    display_path(where.path) if where else origin,
                    line,
                )
        return dict(value)
    if name == "vocabulary":
        return Vocabulary(tuple(value.get("accept", ())), tuple(value.get("reject", ())))
    if name in ("exclude", "per_path"):
        patterns = value if name == "exclude" else list(value)
        for i, pattern in enumerate(patterns):
            problem = glob_problem(pattern)
            if problem:
                line = where.positions.line((name, i if name == "exclude" else pattern)) if where else None
                raise ConfigError(f"{name}: {problem}", display_path(where.path) if where else origin, line)
        if name == "exclude":
            return tuple(value)
        overrides = []
        for pattern, entry in value.items():
            line = where.positions.line((name, pattern)) if where else None
            overrides.append(
                PathOverride(
                    pattern=pattern,
                    select=tuple(entry["select"]) if "select" in entry else None,
                    ignore=tuple(entry.get("ignore", ())),
                    severity=_severities(entry.get("severity", {})),
                    origin=f"{display_path(where.path)}:{line}" if where and line else origin,
                )
            )
        return tuple(overrides)
    if name == "scheduler":
        return value
    if name == "rule_options":
        return {rule: dict(options) for rule, options in value.items()}
    if name == "scorecard":
        return ScorecardConfig.from_mapping(value)
    if name == "models":
        return None if value is None else base / Path(value).expanduser()
    raise AssertionError(f"no normaliser for config key {name!r}")  # a KEYS entry without one


def defaults_layer() -> Layer:
    values = {name: _normalise(name, key.default, Path.cwd(), DEFAULT, None) for name, key in KEYS.items()}
    return Layer(values, {name: DEFAULT for name in KEYS})


def file_layer(document: ConfigDocument) -> Layer:
    """The config file's settings; ConfigError naming ``file:line`` for any bad key or value."""
    validate_document(document)
    shown = display_path(document.path)
    values, origins = {}, {}
    for name, raw in document.data.items():
        line = document.positions.line((name,))
        origins[name] = f"{shown}:{line}" if line else shown
        values[name] = _normalise(name, raw, document.folder, origins[name], document)
    return Layer(values, origins)


def flag_layer(flags: Mapping[str, Any], cwd: Path | None = None) -> Layer:
    """Settings given on the command line: ``{key: value}`` for the flags actually given
    (values as click parsed them; folders relative to the current folder)."""
    cwd = cwd or Path("")
    values, origins = {}, {}
    for name, raw in flags.items():
        key = KEYS[name]
        values[name] = _normalise(name, raw, cwd, key.flag or name, None)
        origins[name] = key.flag or name
    return Layer(values, origins)


# -- the merge -----------------------------------------------------------------------------


def merge_layers(*layers: Layer) -> Layer:
    """Later layers win; see the module docstring for the keys that join or merge."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in layers:
        for name, value in layer.values.items():
            origin = layer.origins[name]
            strategy = KEYS[name].merge
            if name in values and origins[name] != DEFAULT and strategy == "extend":
                values[name] = tuple(values[name]) + tuple(value)
                origins[name] = f"{origins[name]} + {origin}"
            elif name in values and origins[name] != DEFAULT and strategy == "update":
                values[name] = {**values[name], **value}
                origins[name] = f"{origins[name]} + {origin}"
            else:
                values[name] = value
                origins[name] = origin
    return Layer(values, origins)


def merge_settings(
    defaults: Layer, file: Layer | None, flags: Layer, document: ConfigDocument | None = None
) -> Settings:
    """The one place settings are combined: defaults < config file < flags. Pure: the same
    layers always give the same Settings."""
    merged = merge_layers(defaults, *([file] if file else []), flags)
    return Settings(
        **merged.values,
        origins=dict(merged.origins),
        config_file=document.path if document else None,
        root=document.folder.resolve() if document else Path.cwd().resolve(),
        document=document,
    )


def relative_to_root(settings: Settings, path: str) -> str:
    """``path`` (as given on the command line) relative to the config folder, ``/``-separated,
    for matching ``exclude`` and ``per_path`` globs."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(settings.root).as_posix()
    except ValueError:
        return absolute.as_posix()
