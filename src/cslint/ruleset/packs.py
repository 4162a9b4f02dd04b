"""Rule packs as Python packages: the ``cslint.rules`` entry-point group.

A team publishes its rules like any package and pins it with its other dependencies; the
package declares where its rule files are::

    # pyproject.toml of the pack
    [project.entry-points."cslint.rules"]
    acme = "acme_cslint_rules"          # a package whose folder holds the *.yaml rule files

and a repository turns it on by name: ``packs: [acme]`` in ``.cslint.yaml`` (or ``--pack
acme``). Installed packs are not used until named, so installing a package never changes
what a run reports behind the config's back. An entry point may also name an attribute
(``module:RULES_DIR``) that is a folder path, or a function returning one.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from cslint.errors import RuleError

GROUP = "cslint.rules"


@dataclass(frozen=True)
class Pack:
    name: str
    folder: Path
    #: Shown by ``cslint rules`` as a rule's origin: "pack acme (acme-cslint-rules 1.2.0)".
    origin: str


def installed_packs() -> dict[str, metadata.EntryPoint]:
    """The packs installed in this environment, by entry-point name."""
    return {ep.name: ep for ep in metadata.entry_points(group=GROUP)}


def _folder_of(loaded: object) -> Path:
    if isinstance(loaded, types.ModuleType):
        locations = list(getattr(loaded, "__path__", []))  # a package (also a namespace package)
        if locations:
            return Path(locations[0])
        if loaded.__file__:
            return Path(loaded.__file__).parent
    if callable(loaded):
        loaded = loaded()
    if isinstance(loaded, (str, Path)):
        return Path(loaded)
    raise TypeError(f"expected a package, a folder path or a function returning one, not {type(loaded).__name__}")


def resolve_pack(name: str, available: dict[str, metadata.EntryPoint] | None = None) -> Pack:
    """The folder of the installed pack ``name``; RuleError saying what is installed if none."""
    available = installed_packs() if available is None else available
    entry = available.get(name)
    if entry is None:
        known = ", ".join(sorted(available)) or "none"
        raise RuleError(
            f"no rule pack named {name!r} is installed (installed packs: {known}); install its package,"
            f" which declares a {GROUP!r} entry point",
            f"pack {name}",
        )
    try:
        folder = _folder_of(entry.load())
    except Exception as exc:  # noqa: BLE001 - a broken third-party package must not stop the run
        raise RuleError(
            f"cannot load rule pack {name!r} ({entry.value}): {type(exc).__name__}: {exc}", f"pack {name}"
        ) from None
    dist = entry.dist
    label = f"pack {name} ({dist.name} {dist.version})" if dist is not None else f"pack {name}"
    return Pack(name, folder, label)
