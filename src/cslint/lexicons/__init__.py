"""Lexicons that ship inside cslint: data read once, on first use, never downloaded.

``zipf(word)``: how common a lower-case English word is, on the Zipf scale (log10 of
occurrences per billion words: 3 ≈ once per million words, 6 ≈ once per thousand), from
wordfreq's ``large`` English list, cut at ``FLOOR`` and built by
``scripts/build_word_frequencies.py``. A word the list does not hold is rarer than ``FLOOR``
and gets 0.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

#: The lowest Zipf frequency the shipped list holds (``--min-zipf`` of the build script):
#: thresholds below it cannot tell words apart.
FLOOR = 2.5
_FILE = "english-zipf.txt.gz"


@functools.cache
def _table() -> Mapping[str, float]:
    """Word → Zipf frequency, read from the package the first time a word is looked up (about
    50,000 words: a few tens of milliseconds, paid only by runs that ask)."""
    data = gzip.decompress(resources.files(__package__).joinpath(_FILE).read_bytes()).decode("ascii")
    table: dict[str, float] = {}
    for line in data.splitlines():
        band, _, words = line.partition("\t")
        value = int(band) / 10
        table.update(dict.fromkeys(words.split(), value))
    return MappingProxyType(table)


def preload() -> None:
    """Read the list now rather than on the first lookup (before worker processes fork, so
    that they share one copy)."""
    _table()


def zipf(word: str) -> float:
    """The Zipf frequency of ``word`` (matched in lower case); 0 when rarer than ``FLOOR``."""
    return _table().get(word.lower(), 0.0)
