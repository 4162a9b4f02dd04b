"""``.gitignore`` files, honoured when walking folders (as ruff, ripgrep and black do).

Git's rules, as pathspec implements them: each ``.gitignore`` applies to its own folder and
below, a deeper file's patterns come after (and so win over) a shallower one's, ``!pattern``
re-includes, and a pattern ending in ``/`` matches folders only. The walk starts with the
``.gitignore`` files of the folders above the walked one, up to the repository root (the
folder holding ``.git``), so ``cslint check support/`` skips what the root ``.gitignore``
ignores, as ``git status`` would. Outside a repository only the walked tree's files apply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GITIGNORE = ".gitignore"
#: Linear-time matching: a .gitignore comes from anyone's repository (see ``cslint.globs``).
BACKEND = "re2"


@dataclass(frozen=True)
class _Layer:
    folder: str  # absolute, the folder holding the .gitignore
    spec: Any  # pathspec.GitIgnoreSpec


def _read_layer(folder: str) -> _Layer | None:
    path = os.path.join(folder, GITIGNORE)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:  # none, or unreadable: nothing is ignored because of it
        return None
    import pathspec  # here: a run without .gitignore files (a single draft) does not pay for it

    spec = pathspec.GitIgnoreSpec.from_lines(lines, backend=BACKEND)
    return _Layer(folder, spec) if spec.patterns else None


def repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` holding ``.git`` (a folder, or a file in a
    worktree or submodule)."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


class IgnoreRules:
    """The ``.gitignore`` layers in force for one folder of a walk."""

    def __init__(self, layers: tuple[_Layer, ...] = ()) -> None:
        self.layers = layers

    @classmethod
    def for_walk_root(cls, root: Path) -> IgnoreRules:
        """The layers of the folders above ``root`` up to its repository's root (``root``'s
        own ``.gitignore`` is added by ``descend``, like every other folder's)."""
        absolute = Path(os.path.abspath(root))
        top = repository_root(absolute)
        if top is None or top == absolute:
            return cls()
        chain = [absolute.parent]
        while chain[-1] != top:
            chain.append(chain[-1].parent)
        layers = (_read_layer(str(folder)) for folder in reversed(chain))
        return cls(tuple(layer for layer in layers if layer is not None))

    def descend(self, folder: str) -> IgnoreRules:
        """The rules for the entries of ``folder`` (absolute): these plus its ``.gitignore``."""
        layer = _read_layer(folder)
        return IgnoreRules(self.layers + (layer,)) if layer is not None else self

    def ignores(self, path: str, is_dir: bool) -> bool:
        """Whether git would ignore ``path`` (absolute): the last layer with a verdict decides."""
        verdict = None
        for layer in self.layers:
            relative = os.path.relpath(path, layer.folder).replace(os.sep, "/")
            if relative.startswith("../"):
                continue
            result = layer.spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)
