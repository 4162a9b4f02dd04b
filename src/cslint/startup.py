"""Process-level settings of the command line, made in one place.

Nothing else in cslint changes the interpreter: importing a module has no side effects, so a
program that uses cslint as a library keeps its own import system and garbage collector. The
command line calls ``configure_process`` once when it starts and ``freeze_heap`` once its
linters are built.
"""

from __future__ import annotations

import gc

from cslint import spacy_cli

#: The collector's thresholds when this module is imported (Python's defaults unless the
#: host set others before).
_DEFAULT_THRESHOLD = gc.get_threshold()
#: Allocations between two young-generation collections while starting up (default 700).
_STARTUP_GEN0 = 100_000


def configure_process() -> None:
    """Before spaCy is first imported: defer spaCy's command line, which linting never uses
    and which is a third of spaCy's import time (see ``spacy_cli``); and rare cyclic garbage
    collections until ``freeze_heap``: start-up (imports, the pipeline, the rules) makes
    long-lived objects, not garbage (~1.5% of a cold draft's CPU went to collecting over
    them). A command that never calls ``freeze_heap`` still collects, less often."""
    spacy_cli.defer()
    gc.set_threshold(_STARTUP_GEN0, *gc.get_threshold()[1:])


def freeze_heap() -> None:
    """Take everything built so far out of Python's cyclic garbage collector (``gc.freeze``).

    Importing spaCy and compiling the rules leave some 75,000 long-lived objects. Linting
    allocates steadily, so every few hundred turns a full collection scanned them all, 15-20 ms
    each: up to a fifth of a run's time. They live until the process ends anyway. Called once
    the linters are built (and before worker processes fork, which then share those pages
    instead of copying them when a collection would touch them). Start-up is over then: a
    young-generation threshold ``configure_process`` raised goes back to the one at import."""
    gc.freeze()
    threshold = gc.get_threshold()
    if threshold[0] == _STARTUP_GEN0:
        gc.set_threshold(_DEFAULT_THRESHOLD[0], *threshold[1:])
