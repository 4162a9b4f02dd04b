"""Analysis results for repeated identical turn texts.

Pasted macros and templates repeat a lot in real transcripts ("Thanks for reaching out! ..."),
so the spaCy doc and matcher results of a text are kept in a small LRU cache and reused.
Docs are only read after analysis, so sharing one between turns is safe. ``CSLINT_NO_CACHE=1``
turns it off like every other cache, so that timings taken with it measure the analysis itself.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from cslint.cacheswitch import caches_disabled

#: Texts longer than this are rarely repeated and costly to keep.
MAX_CACHED_CHARS = 4000
#: Entries kept. Each holds a doc and its matches (~7 KB for a chat turn). On eleven public
#: corpora (chat, e-mail, tickets, macros) identical turn texts were rare (0-0.7% of turns,
#: 5.6% on one small set) and recurred close together: 1,024 entries found as many repeats as
#: 4,096 (within 0.1 point) and keep ~7 MB a process instead of ~29.
DEFAULT_ENTRIES = 1024


@dataclass
class CacheStats:
    lookups: int = 0
    hits: int = 0

    @property
    def hit_rate(self) -> float:
        return self.hits / self.lookups if self.lookups else 0.0

    def add(self, other: CacheStats) -> None:
        self.lookups += other.lookups
        self.hits += other.hits


class AnalysisCache:
    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self.entries = 0 if caches_disabled() else entries
        #: (text, what was matched in it) -> the analysis
        self._data: OrderedDict[tuple[str, Hashable], Any] = OrderedDict()
        self.stats = CacheStats()

    def get(self, text: str, selection: Hashable = None) -> Any | None:
        """The analysis of ``text`` with the matchers of ``selection`` (a turn that needs
        fewer matchers gets its own entry), or None."""
        self.stats.lookups += 1
        if self.entries <= 0 or len(text) > MAX_CACHED_CHARS:
            return None
        found = self._data.get((text, selection))
        if found is not None:
            self._data.move_to_end((text, selection))
            self.stats.hits += 1
        return found

    def put(self, text: str, value: Any, selection: Hashable = None) -> None:
        if self.entries <= 0 or len(text) > MAX_CACHED_CHARS:
            return
        self._data[(text, selection)] = value
        self._data.move_to_end((text, selection))
        while len(self._data) > self.entries:
            self._data.popitem(last=False)
