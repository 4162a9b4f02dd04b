"""Find rule packs (built-in and custom folders) and load every rule file in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cslint.boundedio import ReadLimitError, read_regular_file
from cslint.errors import RuleError
from cslint.ruleset.cache import RuleCache
from cslint.ruleset.precompiled import PrecompiledRules
from cslint.ruleset.rule import Rule
from cslint.yamlsource import MAX_YAML_BYTES, Positions

RULE_SUFFIXES = (".yaml", ".yml")


def builtin_rules_dir() -> Path:
    """The built-in rules: inside the installed package, or ``rules/`` of a source checkout."""
    packaged = resources.files("cslint") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    # Source checkout or editable install: src/cslint/ruleset/loader.py -> <repo>/rules
    return Path(__file__).resolve().parents[3] / "rules"


@dataclass
class LoadedRules:
    rules: dict[str, Rule] = field(default_factory=dict)
    errors: list[RuleError] = field(default_factory=list)


def rule_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def load_rule_file(
    path: Path,
    origin: str,
    display: str | None = None,
    cache: RuleCache | None = None,
    precompiled: PrecompiledRules | None = None,
) -> Rule:
    shown = display or str(path)
    try:
        raw = read_regular_file(path, MAX_YAML_BYTES)
    except OSError as exc:
        raise RuleError(f"cannot read rule file: {exc.strerror or exc}", shown) from None
    except ReadLimitError as exc:
        raise RuleError(f"cannot read rule file: {exc}", shown) from None
    # A built-in file exactly as cslint was built with it: checked then (see precompiled.py).
    built = precompiled.get(raw) if precompiled is not None else None
    if built is not None:
        return _rule(*built, path, shown, origin)
    cached = cache.get(raw) if cache is not None else None
    if cached is not None:
        try:
            return _rule(*cached, path, shown, origin)
        except Exception:  # noqa: BLE001 - a damaged cache entry must never stop a run
            # The entry reads as JSON but is not what we stored (edited, truncated, written by
            # another version): drop it and build the rule from the file, which stores a new one.
            if cache is not None:
                cache.drop(raw)
    data, positions = parse_rule_bytes(raw, shown)
    if cache is not None:
        cache.put(raw, data, positions)
    return _rule(data, positions, path, shown, origin)


def parse_rule_bytes(raw: bytes, shown: str) -> tuple[Any, Positions]:
    """A rule file's document (word lists expanded) and the line of each value, checked
    against the schema; RuleError, naming ``shown`` and the line, when it does not pass."""
    # Imported here: a run whose rules all come from the index or the cache needs neither.
    from cslint.ruleset.schema import validate_rule_document
    from cslint.ruleset.wordlists import expand_word_lists
    from cslint.yamlsource import load_yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"cannot read rule file: {exc}", shown) from None
    data, positions = load_yaml(text, shown, RuleError)
    data = expand_word_lists(data, positions, shown)
    validate_rule_document(data, positions, shown)
    return data, positions


def _rule(data, positions, path: Path, shown: str, origin: str) -> Rule:
    if data["id"] != path.stem:
        raise RuleError(f"id {data['id']!r} must match the file name {path.stem!r}", shown, positions.line(("id",)))
    return Rule.from_document(data, positions, shown, origin)


def load_rules(
    extra_dirs: Sequence[str | Path] = (),
    include_builtin: bool = True,
    cache: RuleCache | None = None,
    pack_names: Sequence[str] = (),
) -> LoadedRules:
    """Load the built-in rules, then the named rule packs (installed packages, see
    ``packs.py``), then each extra folder; a later rule with the same id replaces an earlier
    one, so a team can override a built-in rule with its own version. Files that validated
    before come from the rule cache (see ``cache.py``); built-in files as cslint was built
    with them, from its index (see ``precompiled.py``)."""
    from cslint.ruleset.packs import installed_packs, resolve_pack

    loaded = LoadedRules()
    cache = cache if cache is not None else RuleCache()
    precompiled = PrecompiledRules()
    packs: list[tuple[Path, str]] = []
    if include_builtin:
        packs.append((builtin_rules_dir(), "built-in"))
    available = installed_packs() if pack_names else {}
    for name in pack_names:
        try:
            pack = resolve_pack(name, available)
        except RuleError as exc:
            loaded.errors.append(exc)
            continue
        packs.append((pack.folder, pack.origin))
    for folder in extra_dirs:
        packs.append((Path(folder), str(folder)))
    for folder, origin in packs:
        if not folder.is_dir():
            loaded.errors.append(RuleError("rule folder does not exist or is not a folder", str(folder)))
            continue
        for path in rule_files(folder):
            display = (
                f"{origin}:{path.relative_to(folder)}"
                if origin == "built-in" or origin.startswith("pack ")
                else str(path)
            )
            try:
                rule = load_rule_file(path, origin, display, cache, precompiled if origin == "built-in" else None)
            except RuleError as exc:
                loaded.errors.append(exc)
                continue
            loaded.rules[rule.id] = rule
    return loaded
