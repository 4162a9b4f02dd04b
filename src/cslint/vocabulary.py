"""A team's vocabulary: terms customers know (brand names, product terms, acronyms) that
rules such as ``jargon`` must accept, and terms the team never wants to see.

Set in the config file (``vocabulary: {accept: [...], reject: [...]}``) and handed to the
``Linter`` as its ``vocabulary`` attribute, where detectors can read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()

    def is_accepted(self, term: str) -> bool:
        """Case-insensitive: "Acme Cloud" accepts "acme cloud" too."""
        return term.strip().casefold() in {t.casefold() for t in self.accept}

    def is_rejected(self, term: str) -> bool:
        return term.strip().casefold() in {t.casefold() for t in self.reject}

    def __bool__(self) -> bool:
        return bool(self.accept or self.reject)
