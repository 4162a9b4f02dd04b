"""Configuration: defaults, the config file and command-line flags, merged into ``Settings``.

``load_settings`` is the entry point: it finds the config file (or takes ``--config``),
validates it with ``file:line`` errors, and merges the layers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cslint.config.files import ConfigDocument, find_config, read_config
from cslint.config.settings import (
    Layer,
    PathOverride,
    Settings,
    defaults_layer,
    display_path,
    file_layer,
    flag_layer,
    merge_layers,
    merge_settings,
    relative_to_root,
)
from cslint.errors import ConfigError

__all__ = [
    "ConfigDocument",
    "ConfigError",
    "Layer",
    "PathOverride",
    "Settings",
    "config_start",
    "defaults_layer",
    "display_path",
    "file_layer",
    "find_config",
    "flag_layer",
    "load_settings",
    "merge_layers",
    "merge_settings",
    "read_config",
    "relative_to_root",
]


def config_start(paths: Iterable[str]) -> Path:
    """Where the search for a config file starts: the first linted path, else the current folder."""
    for raw in paths:
        if raw != "-":
            return Path(raw)
    return Path.cwd()


def load_settings(
    paths: Iterable[str],
    flags: Mapping[str, Any],
    config_file: str | Path | None = None,
    use_config: bool = True,
) -> Settings:
    """Settings for linting ``paths``: ``config_file`` if given, else the nearest config file
    (unless ``use_config`` is false), overridden by ``flags``. Raises ConfigError."""
    document: ConfigDocument | None = None
    if config_file is not None:
        document = read_config(Path(config_file))
    elif use_config:
        found = find_config(config_start(paths))
        if found is not None:
            document = read_config(found)
    file = file_layer(document) if document is not None else None
    return merge_settings(defaults_layer(), file, flag_layer(flags), document)
