"""Analysis results for repeated identical turn texts.

Pasted macros and templates repeat a lot in real transcripts ("Thanks for reaching out! ..."),
so the spaCy doc and matcher results of a text are kept in a small LRU cache and reused.
Docs are only read after analysis, so sharing one between turns is safe. ``CSLINT_NO_CACHE=1``
turns it off like every other cache, so that timings taken with it measure the analysis itself.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from cslint.cacheswitch import caches_disabled

#: Texts longer than this are rarely repeated and costly to keep.
MAX_CACHED_CHARS = 4000
DEFAULT_ENTRIES = 4096


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
        self._data: OrderedDict[str, Any] = OrderedDict()
        self.stats = CacheStats()

    def get(self, text: str) -> Any | None:
        self.stats.lookups += 1
        if self.entries <= 0 or len(text) > MAX_CACHED_CHARS:
            return None
        found = self._data.get(text)
        if found is not None:
            self._data.move_to_end(text)
            self.stats.hits += 1
        return found

    def put(self, text: str, value: Any) -> None:
        if self.entries <= 0 or len(text) > MAX_CACHED_CHARS:
            return
        self._data[text] = value
        self._data.move_to_end(text)
        while len(self._data) > self.entries:
            self._data.popitem(last=False)
