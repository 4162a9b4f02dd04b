"""The kinds a rule's detectors pick with ``kind:``: a small, closed set, each a module with its
schema, its documentation (a YAML example) and its tests.

Turn-level: ``phrases`` | ``pattern`` | ``regex`` (the match kind, ``match.py``), ``metric``
(``measure.py``), ``absence``, ``mood`` (``mood.py``). Conversation-level: ``reply`` (what a reply does or lacks, and
how late it came), ``already-given``, ``repetition``, ``terms``, ``model`` (learned,
``learned.py``). Exception-only (for ``unless``): ``said-before``, ``defined``,
``accepted-term`` (``context.py``), ``customer-asked`` (``asked.py``), ``model-below``.

A new kind is a deliberate change: a module with a ``Kind`` subclass, listed in ``KIND_CLASSES``
below, with its own tests. A new rule is data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from cslint.engine.kinds.absence import AbsenceKind
from cslint.engine.kinds.already_given import AlreadyGivenKind
from cslint.engine.kinds.asked import CustomerAsked
from cslint.engine.kinds.base import COMMON_PROPERTIES, CompileContext, Hit, Kind
from cslint.engine.kinds.context import CONDITION_KINDS, ConversationCondition
from cslint.engine.kinds.learned import ModelBelow, ModelKind
from cslint.engine.kinds.match import MATCH_KINDS
from cslint.engine.kinds.measure import MetricKind
from cslint.engine.kinds.mood import CustomerMood, MoodKind
from cslint.engine.kinds.repetition import RepetitionKind
from cslint.engine.kinds.reply import ReplyKind
from cslint.engine.kinds.terms import TermsKind

#: Every kind, in the order the README's tables list them.
KIND_CLASSES: tuple[type[Kind], ...] = (
    *MATCH_KINDS,
    MetricKind,
    AbsenceKind,
    MoodKind,
    ReplyKind,
    AlreadyGivenKind,
    RepetitionKind,
    TermsKind,
    ModelKind,
    *CONDITION_KINDS,
    CustomerAsked,
    CustomerMood,
    ModelBelow,
)

#: The registry: ``kind:`` name -> class. Read-only: kinds are code, not run-time state.
KINDS: Mapping[str, type[Kind]] = MappingProxyType({cls.kind: cls for cls in KIND_CLASSES})


def kinds_in(specs: Iterable[dict[str, Any]]) -> list[type[Kind]]:
    """The kinds of ``specs`` and of the detectors nested in them (unknown kinds are passed
    over: the rule's own validation reports them)."""
    found: list[type[Kind]] = []
    for spec in specs:
        cls = KINDS.get(spec.get("kind")) if isinstance(spec, dict) else None  # type: ignore[arg-type]
        if cls is None:
            continue
        if cls not in found:
            found.append(cls)
        found += [k for k in kinds_in(sub for _, sub in cls.nested_specs(spec)) if k not in found]
    return found


def plain(schema: Any) -> Any:
    """A schema fragment as plain dicts and lists (kinds keep theirs read-only; validators and
    anything that serialises a schema expect JSON-like values)."""
    if isinstance(schema, Mapping):
        return {key: plain(value) for key, value in schema.items()}
    if isinstance(schema, (list, tuple)):
        return [plain(value) for value in schema]
    return schema


def option_properties(specs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The rule options the detector ``specs`` read, with their schemas."""
    found: dict[str, Any] = {}
    for cls in kinds_in(specs):
        found.update(plain(cls.option_properties))
    return found


def detector_schema(kind: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-Schema of one detector spec of ``kind``."""
    cls = KINDS[kind]
    return {
        "type": "object",
        "properties": plain({**COMMON_PROPERTIES, **cls.properties, **(extra or {})}),
        "required": ["kind", *cls.required],
        "additionalProperties": False,
    }


def uses_lemmas(spec: dict[str, Any]) -> bool:
    """Whether a detector spec needs lemmas from the pipeline."""
    return KINDS[spec["kind"]].uses_lemmas(spec, KINDS)


__all__ = [
    "KINDS",
    "KIND_CLASSES",
    "CompileContext",
    "ConversationCondition",
    "Hit",
    "Kind",
    "detector_schema",
    "kinds_in",
    "option_properties",
    "uses_lemmas",
]
