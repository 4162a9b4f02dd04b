"""Check a config document against the key table; errors name ``file:line`` and the key,
with a did-you-mean for misspelt keys and values."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from cslint.config.files import ConfigDocument, display_path, key_path_text
from cslint.config.keys import CONFIG_SCHEMA
from cslint.errors import ConfigError, shown

if TYPE_CHECKING:
    import jsonschema


def did_you_mean(word: Any, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "boolean": "true or false"}


def _key_path(path: tuple) -> str:
    return key_path_text(path)


def _describe(error: jsonschema.ValidationError) -> tuple[str, tuple]:
    """(message, path of the offending value) for one schema error."""
    path = tuple(error.absolute_path)
    where = _key_path(path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        key = extra[0] if extra else ""
        inside = f" in {where}" if where else ""
        return f"unknown key {key!r}{inside}{did_you_mean(key, allowed)}; valid keys: {', '.join(allowed)}", path + (
            key,
        )
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        return (
            f"{where}: {shown(error.instance)} is not one of {', '.join(options)}{did_you_mean(error.instance, options)}",
            path,
        )
    if error.validator == "type":
        expected = error.validator_value
        names = [_TYPE_NAMES.get(t, str(t)) for t in (expected if isinstance(expected, list) else [expected])]
        return f"{where or 'config'}: expected {' or '.join(names)}, found {shown(error.instance)}", path
    if error.validator == "minLength":
        return f"{where}: must not be empty", path
    return f"{where}: {error.message}", path


def _non_text_key(value: Any, at: tuple = ()) -> tuple | None:
    """The path of the first mapping key that is not text (YAML reads ``1:``, ``~:`` and
    ``true:`` as a number, null and a boolean), or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return at + (key,)
            found = _non_text_key(item, at + (key,))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _non_text_key(item, at + (i,))
            if found:
                return found
    return None


def validate_document(document: ConfigDocument) -> None:
    """Raise ConfigError for the first problem (in file order) in ``document``."""
    bad_key = _non_text_key(document.data)
    if bad_key is not None:
        inside = f" in {_key_path(bad_key[:-1])}" if bad_key[:-1] else ""
        key = bad_key[-1]
        what = f"an empty (null) key{inside}" if key is None else f'key {key!r}{inside} is not text; quote it ("{key}")'
        raise ConfigError(
            what if key is not None else f"{what} is not allowed",
            display_path(document.path),
            document.positions.line(bad_key),
        )
    import jsonschema  # imported only when a file is validated

    validator = jsonschema.Draft202012Validator(CONFIG_SCHEMA)
    errors = list(validator.iter_errors(document.data))
    if not errors:
        return
    described = [_describe(e) for e in errors]
    message, path = min(described, key=lambda d: document.positions.line(d[1]) or 0)
    raise ConfigError(message, display_path(document.path), document.positions.line(path))
