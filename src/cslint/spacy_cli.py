"""Import spaCy without loading its command line until someone uses it.

``import spacy`` imports ``spacy.cli`` for the ``spacy.info`` shortcut, and with it typer,
weasel and every training and project command: ~0.12 s of spaCy's ~0.38 s import, paid on
the start-up path of every ``cslint check -`` (an agent's single draft). cslint uses no spaCy
command. ``defer()`` registers an import hook, before spaCy is first imported, that makes
``spacy.cli`` and ``spacy.cli.info`` placeholder modules; the real ones are imported the first
time anyone reads an attribute of either (``spacy.cli.download``, a call of ``spacy.info()``),
so code in the same process that does use spaCy's commands behaves as before.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types
from typing import Any

_PACKAGE = "spacy.cli"
_DEFERRED = (_PACKAGE, "spacy.cli.info")


class _Placeholder(types.ModuleType):
    """Stands in for a module of ``spacy.cli`` until one of its attributes is read."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing the module (__path__, ...)
            raise AttributeError(name)
        return getattr(_load_real(self.__name__), name)


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: spaCy's own, imported on the first call."""
    return _load_real("spacy.cli.info").info(*args, **kwargs)


class _Hook(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self) -> None:
        self.active = True

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if not self.active or fullname not in _DEFERRED:
            return None
        spec = importlib.util.spec_from_loader(fullname, self, is_package=fullname == _PACKAGE)
        if spec is not None and fullname == _PACKAGE and path:
            # The real folder, so that ``import spacy.cli.download`` still finds its module.
            spec.submodule_search_locations = [os.path.join(entry, "cli") for entry in path]
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Placeholder(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        if module.__name__ == "spacy.cli.info":
            setattr(module, "info", _info)  # noqa: B010 (a placeholder module: no attribute to type)


_HOOK = _Hook()


def _load_real(name: str) -> types.ModuleType:
    """Swap the placeholders for spaCy's real command-line modules and return ``name``'s."""
    _HOOK.active = False
    for deferred in _DEFERRED:
        if isinstance(sys.modules.get(deferred), _Placeholder):
            del sys.modules[deferred]
    if _HOOK in sys.meta_path:
        sys.meta_path.remove(_HOOK)
    return importlib.import_module(name)  # also sets ``spacy.cli`` to the real package


def defer() -> None:
    """Install the hook, unless spaCy is already imported (then there is nothing to save)."""
    if "spacy" in sys.modules or _HOOK in sys.meta_path or not _HOOK.active:
        return
    if os.environ.get("CSLINT_SPACY_CLI") == "1":  # opt out: import spaCy exactly as spaCy does
        return
    sys.meta_path.insert(0, _HOOK)
