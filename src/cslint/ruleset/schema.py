"""The schema of a rule file, built from the detector kinds that are registered.

Validation errors name ``file:line`` and, for an unknown key, the nearest valid key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cslint.engine.kinds import KINDS, detector_schema, kinds_in, option_properties
from cslint.errors import RuleError, shown
from cslint.model import SEVERITY_NAMES, SPEAKERS
from cslint.yamlsource import Positions

if TYPE_CHECKING:
    import jsonschema

_TEXT = {"type": "string", "minLength": 1}

_TURN_EXAMPLE = {
    "type": "object",
    "properties": {
        "speaker": {"type": "string"},
        "text": {"type": "string"},
        "name": {"type": "string"},
        "time": {"type": "string"},
    },
    "required": ["speaker", "text"],
    "additionalProperties": False,
}

#: An example is a string (one turn by the rule's first speaker), or a small conversation whose
#: turns are ``{speaker: text}`` shorthands or full turn objects. ``[[...]]`` marks the span
#: a flagging example must flag.
_EXAMPLE = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {
                "turns": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "oneOf": [
                            _TURN_EXAMPLE,
                            {
                                "type": "object",
                                "minProperties": 1,
                                "maxProperties": 1,
                                "propertyNames": {"enum": list(SPEAKERS)},
                                "additionalProperties": {"type": "string"},
                            },
                        ]
                    },
                },
                "channel": {"type": "string"},
                "note": {"type": "string"},
            },
            "required": ["turns"],
            "additionalProperties": False,
        },
    ]
}

#: A ``better:`` list: wordings a customer could receive in place of a phrase (see advice.py).
_BETTER = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"instead_of": _TEXT, "say": _TEXT, "safe": {"type": "boolean"}},
        "required": ["instead_of", "say"],
        "additionalProperties": False,
    },
}

#: The advice a detector of ``detect:`` may carry for what it catches, in place of the rule's
#: ``description.fix`` and before the rule's ``better:`` (see ``Rule.advice_for``).
DETECTOR_ADVICE = {"fix": _TEXT, "better": _BETTER}

RULE_KEYS = {
    "id": _TEXT,
    "title": _TEXT,
    "category": _TEXT,
    "severity": {"enum": list(SEVERITY_NAMES)},
    "enabled": {"type": "boolean"},
    "message": _TEXT,
    "description": {
        "type": "object",
        "properties": {"what": _TEXT, "why": _TEXT, "fix": _TEXT},
        "required": ["what", "why", "fix"],
        "additionalProperties": False,
    },
    "better": _BETTER,
    "links": {"type": "array", "minItems": 1, "items": _TEXT},
    "tags": {"type": "array", "items": _TEXT},
    "scope": {
        "type": "object",
        "properties": {
            "speakers": {"type": "array", "minItems": 1, "items": {"enum": list(SPEAKERS)}},
            "channels": {"type": "array", "minItems": 1, "items": _TEXT},
            "exclude_channels": {"type": "array", "minItems": 1, "items": _TEXT},
            "language": {"enum": ["en", "any"]},
            "position": {"enum": ["any", "first", "last"]},
        },
        "additionalProperties": False,
    },
    # Named word lists, used in detectors as $name (see ruleset/wordlists.py).
    "words": {
        "type": "object",
        "propertyNames": {"pattern": "^[A-Za-z][\\w-]*$"},
        "additionalProperties": {"type": "array", "minItems": 1, "items": _TEXT},
    },
    "detect": {"type": "array", "minItems": 1, "items": {"type": "object"}},
    "unless": {"type": "array", "items": {"type": "object"}},
    "options": {"type": "object"},
    "examples": {
        "type": "object",
        "properties": {
            "flag": {"type": "array", "minItems": 1, "items": _EXAMPLE},
            "pass": {"type": "array", "minItems": 1, "items": _EXAMPLE},
        },
        "required": ["flag", "pass"],
        "additionalProperties": False,
    },
}

REQUIRED_KEYS = ["id", "title", "category", "severity", "message", "description", "links", "detect", "examples"]

RULE_SCHEMA = {
    "type": "object",
    "properties": RULE_KEYS,
    "required": REQUIRED_KEYS,
    "additionalProperties": False,
}

#: ``unless`` entries say how close the exception must be to the match.
UNLESS_PROPERTIES = {"within": {"enum": ["match", "sentence", "turn"]}}


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _error_text(error: jsonschema.ValidationError, schema: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    prefix = f"{where}: " if where else ""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        return "; ".join(f"{prefix}unknown key {k!r}{_suggest(k, allowed)}" for k in extra)
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        return f"{prefix}{shown(error.instance)} is not one of {', '.join(options)}{_suggest(error.instance, options)}"
    if error.validator == "required":
        return f"{prefix}{error.message.replace(' is a required property', '')} is required"
    if error.validator == "oneOf":
        return f"{prefix}not a valid example: give a string, or {{turns: [...]}} with speaker/text turns"
    if error.validator == "type":
        return f"{prefix}{shown(error.instance)} is not of type {error.validator_value!r}"
    if error.validator == "pattern":
        return f"{prefix}{shown(error.instance)} is not in the expected form"
    return f"{prefix}{error.message}"


def _raise_first(
    errors: list[jsonschema.ValidationError], base_path: tuple, positions: Positions, path: str, schema: dict[str, Any]
) -> None:
    if not errors:
        return
    # An unknown key is usually the cause of a "required" error next to it (a typo): report it first.
    error = min(
        errors,
        key=lambda e: (e.validator != "additionalProperties", positions.line(base_path + tuple(e.absolute_path)) or 0),
    )
    instance_path = base_path + tuple(error.absolute_path)
    line = positions.line(instance_path)
    if error.validator == "additionalProperties":
        # Point at the unknown key itself rather than at its parent mapping.
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            line = positions.line(instance_path + (extra[0],)) or line
    raise RuleError(_error_text(error, schema), path, line)


def validate_rule_document(data: Any, positions: Positions, path: str) -> None:
    """Raise RuleError for the first schema problem in a rule document."""
    if not isinstance(data, dict):
        raise RuleError("a rule file must be a mapping of keys (id, title, detect, ...)", path, positions.line(()))
    import jsonschema  # imported only when a file is validated

    validator = jsonschema.Draft202012Validator(RULE_SCHEMA)
    _raise_first(list(validator.iter_errors(data)), (), positions, path, RULE_SCHEMA)
    for section in ("detect", "unless"):
        for i, spec in enumerate(data.get(section) or []):
            _validate_detector(spec, (section, i), section == "unless", False, positions, path)
    _check_wordings(data, positions, path)
    problem = option_problem(data.get("options") or {}, [*data["detect"], *(data.get("unless") or [])])
    if problem:
        message, subpath = problem
        raise RuleError(f"options.{message}", path, positions.line(("options", *subpath)))


def _check_wordings(data: dict[str, Any], positions: Positions, path: str) -> None:
    """Every ``say`` of the rule and of its detectors must be wording a customer could receive
    (``ruleset/wording.py``): a rule pack cannot ship an instruction in quotes or a claim of
    an action the agent may not have taken."""
    from cslint.ruleset.wording import say_problem

    lists: list[tuple[tuple, list[Any]]] = [(("better",), data.get("better") or [])]
    lists += [(("detect", i, "better"), spec.get("better") or []) for i, spec in enumerate(data["detect"])]
    for at, betters in lists:
        for j, better in enumerate(betters):
            problem = say_problem(better["say"])
            if problem:
                where = ".".join(str(p) for p in at) + f"[{j}].say"
                raise RuleError(f"{where}: {shown(better['say'])} {problem}", path, positions.line((*at, j, "say")))


def option_problem(options: Mapping[str, Any], specs: list[dict[str, Any]]) -> tuple[str, tuple] | None:
    """The first problem with a rule's ``options`` (from the rule file or the config's
    ``rule_options``) for the detectors ``specs`` that read them: ``(message starting with the
    option's name, key path)``, or None. Options no detector reads are left alone."""
    import jsonschema  # imported only when options are validated

    schema = {"type": "object", "properties": option_properties(specs)}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(options))
    if errors:
        error = min(errors, key=lambda e: [str(p) for p in e.absolute_path])
        where = ".".join(str(p) for p in error.absolute_path)
        return f"{where}: {error.message}", tuple(error.absolute_path)
    for cls in kinds_in(specs):
        problem = cls.validate_options(options)
        if problem:
            return problem
    return None


def _validate_detector(
    spec: dict[str, Any], at: tuple, in_unless: bool, nested: bool, positions: Positions, path: str
) -> None:
    kinds = sorted(KINDS)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in at).lstrip(".")
    kind = spec.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        line = positions.line(at + ("kind",)) or positions.line(at)
        what = f"unknown detector kind {kind!r}{_suggest(kind, kinds)}" if kind else "detector has no 'kind'"
        raise RuleError(f"{where}: {what}; kinds: {', '.join(kinds)}", path, line)
    cls = KINDS[kind]
    if cls.conversational and (in_unless or nested):
        raise RuleError(
            f"{where}: kind {kind!r} looks at whole conversations and cannot be used here", path, positions.line(at)
        )
    if "min_turns" in spec and (in_unless or nested or cls.conversational):
        raise RuleError(
            f"{where}: 'min_turns' counts the turns a turn-level detector of 'detect' matches in; it cannot be used here",
            path,
            positions.line(at + ("min_turns",)),
        )
    if cls.contextual and not in_unless:
        raise RuleError(f"{where}: kind {kind!r} is an exception: use it under 'unless'", path, positions.line(at))
    extra = UNLESS_PROPERTIES if in_unless else None if nested else DETECTOR_ADVICE
    schema = detector_schema(kind, extra)
    import jsonschema  # imported only when a file is validated

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(spec))
    _raise_first(errors, at, positions, path, schema)
    for subpath, sub in cls.nested_specs(spec):
        if not isinstance(sub, dict):
            raise RuleError(f"{where}: expected a detector (a mapping with 'kind')", path, positions.line(at + subpath))
        _validate_detector(sub, at + subpath, False, True, positions, path)
    problem = cls.validate_spec(spec)
    if problem:
        message, subpath = problem if isinstance(problem, tuple) else (problem, ())
        raise RuleError(f"{where}: {message}", path, positions.line(at + subpath))
