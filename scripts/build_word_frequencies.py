#!/usr/bin/env python3
"""Build the compact English word-frequency list cslint ships for word rarity (``rare_below``
of ``kind: terms``).

Usage:
  python scripts/build_word_frequencies.py [--output src/cslint/lexicons/english-zipf.txt.gz]
                                           [--min-zipf 2.5]

Needs ``wordfreq`` (in the ``bench`` extra; never a run-time dependency: its wheel is ~56 MB
and cslint needs one number per common English word). The output is gzipped text, one line
per Zipf band of 0.1: ``<zipf × 10><TAB><words separated by spaces>``, lower-case ASCII words
only (the only ones the rarity check looks up) with a Zipf frequency of at least
``--min-zipf`` in wordfreq's ``large`` English list; a word not in the file is rarer than that.
Zipf 3 is about once per million words, 6 once per thousand. The same wordfreq version gives
the same file (the gzip header carries no time stamp).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"[a-z]+")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "src" / "cslint" / "lexicons" / "english-zipf.txt.gz")
    parser.add_argument("--min-zipf", type=float, default=2.5)
    args = parser.parse_args(argv)
    try:
        from wordfreq import top_n_list, zipf_frequency
    except ImportError:
        print("error: wordfreq is not installed (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    bands: dict[int, list[str]] = defaultdict(list)
    for word in top_n_list("en", 1_000_000, wordlist="large"):
        if not _WORD.fullmatch(word):
            continue
        zipf = zipf_frequency(word, "en", wordlist="large")
        if zipf < args.min_zipf:
            break  # the list is in descending frequency
        bands[round(zipf * 10)].append(word)
    lines = [f"{band}\t{' '.join(sorted(words))}\n" for band, words in sorted(bands.items(), reverse=True)]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write("".join(lines).encode("ascii"))
    count = sum(len(words) for words in bands.values())
    print(f"{args.output}: {count} words, {args.output.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
