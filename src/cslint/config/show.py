"""``cslint config show``: the merged settings, one key a line, with where each came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cslint.config.keys import KEYS
from cslint.config.settings import PathOverride, Settings, display_path
from cslint.model import Severity
from cslint.scorecard import ScorecardConfig
from cslint.vocabulary import Vocabulary


def plain(value: Any) -> Any:
    """A settings value as plain JSON data."""
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Vocabulary):
        return {"accept": list(value.accept), "reject": list(value.reject)}
    if isinstance(value, ScorecardConfig):
        return {key: v for key, v in value.to_dict().items() if key != "formula"}
    if isinstance(value, PathOverride):
        entry: dict[str, Any] = {}
        if value.select is not None:
            entry["select"] = list(value.select)
        if value.ignore:
            entry["ignore"] = list(value.ignore)
        if value.severity:
            entry["severity"] = plain(value.severity)
        return entry
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _value(settings: Settings, name: str) -> Any:
    if name == "per_path":  # kept as a list of overrides; shown as written: {glob: {...}}
        return {o.pattern: plain(o) for o in settings.per_path}
    return plain(getattr(settings, name))


def settings_document(settings: Settings) -> dict[str, Any]:
    return {
        "config_file": display_path(settings.config_file) if settings.config_file else None,
        "settings": {name: {"value": _value(settings, name), "from": settings.origins[name]} for name in KEYS},
    }


def render_settings(settings: Settings) -> str:
    document = settings_document(settings)
    lines = [f"# config file: {document['config_file'] or '(none found; built-in defaults)'}"]
    width = max(len(name) for name in KEYS)
    for name, entry in document["settings"].items():
        value = json.dumps(entry["value"], ensure_ascii=False)
        lines.append(f"{name + ':':<{width + 1}} {value}  # from {entry['from']}")
    return "\n".join(lines) + "\n"
