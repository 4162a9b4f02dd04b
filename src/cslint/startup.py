"""Process-level settings of the command line, made in one place.

Nothing else in cslint changes the interpreter: importing a module has no side effects, so a
program that uses cslint as a library keeps its own import system and garbage collector. The
command line calls ``configure_process`` once when it starts and ``freeze_heap`` once its
linters are built.
"""

from __future__ import annotations

from cslint import spacy_cli


def configure_process() -> None:
    """Before spaCy is first imported: defer spaCy's command line, which linting never uses
    and which is a third of spaCy's import time (see ``spacy_cli``)."""
    spacy_cli.defer()


def freeze_heap() -> None:
    """Take everything built so far out of Python's cyclic garbage collector (``gc.freeze``).

    Importing spaCy and compiling the rules leave some 75,000 long-lived objects. Linting
    allocates steadily, so every few hundred turns a full collection scanned them all, 15-20 ms
    each: up to a fifth of a run's time. They live until the process ends anyway. Called once
    the linters are built (and before worker processes fork, which then share those pages
    instead of copying them when a collection would touch them)."""
    import gc

    gc.freeze()
