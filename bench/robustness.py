#!/usr/bin/env python3
"""Costs that must not grow faster than the input: position mapping and per-folder configs.

    python bench/robustness.py            # the figures below, each against its target
    python bench/robustness.py --size 50  # the long turn in KB (default 200)

1. one long agent turn of repeated phrases (thousands of findings) as JSON and as CSV against
   the same text as ``.txt``: mapping each finding back to its line and column must not
   rescan the turn (target: at most 1.5x the ``.txt`` time);
2. ``cslint fix`` (dry run) on that ``.txt`` against ``cslint check`` (target: at most 1.5x);
3. 200 folders, each with its own ``.cslint.yaml`` (all the same settings) and one small file,
   against the same with ``--no-config`` (target: at most 3x the time, 1.5x the peak memory).

Each figure is the median of interleaved runs of whole ``cslint`` processes (start-up included),
so the targets are ratios: the machine may be shared and absolute times drift.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHRASES = "We apologize for any inconvenience.\nPlease visit our website. "
CSLINT = [sys.executable, "-m", "cslint"]


def timed(args: list[str]) -> float:
    """Wall seconds of one cslint process."""
    started = time.perf_counter()
    subprocess.run(CSLINT + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def peak_kb(args: list[str]) -> int:
    """Peak memory (KB) of one cslint process, measured by a fresh interpreter (a process's
    ``ru_maxrss`` of its children only grows, so each figure needs its own parent)."""
    result = subprocess.run([sys.executable, __file__, "--peak-of", *args], capture_output=True, text=True, check=False)
    return int(result.stdout.strip() or 0)


def paired(a: list[str], b: list[str], repeats: int) -> tuple[float, float, float]:
    """Medians of A's and B's times and of the A/B ratio, runs interleaved A B A B ..."""
    times_a, times_b, ratios = [], [], []
    for _ in range(repeats):
        ta = timed(a)
        tb = timed(b)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


def write_long_turn(folder: Path, size_kb: int) -> dict[str, Path]:
    text = PHRASES * max(1, size_kb * 1024 // len(PHRASES))
    paths = {suffix: folder / f"long.{suffix}" for suffix in ("json", "csv", "txt")}
    paths["json"].write_text(
        json.dumps(
            {"id": "long", "turns": [{"speaker": "customer", "text": "Hi"}, {"speaker": "agent", "text": text}]}
        ),
        encoding="utf-8",
    )
    with paths["csv"].open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "speaker", "text"])
        writer.writerow(["long", "customer", "Hi"])
        writer.writerow(["long", "agent", text.replace("website", 'web "site"')])
    paths["txt"].write_text(text, encoding="utf-8")
    return paths


def write_config_folders(folder: Path, count: int) -> Path:
    root = folder / "teams"
    for i in range(count):
        team = root / f"team{i:03d}"
        team.mkdir(parents=True)
        (team / ".cslint.yaml").write_text("ignore: [jargon]\n", encoding="utf-8")
        (team / "reply.txt").write_text("Please visit our website.\n", encoding="utf-8")
    return root


def verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200, help="the long turn, in KB")
    parser.add_argument("--folders", type=int, default=200, help="folders with their own config")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    misses = 0
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = write_long_turn(folder, options.size)
        check = ["check", "--no-config", "-f", "line", "-j", "1"]
        text_run = check + [str(paths["txt"])]
        for suffix in ("json", "csv"):
            a, b, ratio = paired(check + [str(paths[suffix])], text_run, options.repeats)
            print(
                f"{options.size} KB turn, {suffix} vs txt: {a:.2f}s vs {b:.2f}s = {ratio:.2f}x (<= 1.5x) {verdict(ratio, 1.5)}"
            )
            misses += ratio > 1.5
        fix = ["fix", "--no-config", str(paths["txt"])]
        a, b, ratio = paired(fix, text_run, options.repeats)
        print(
            f"{options.size} KB turn, fix vs check: {a:.2f}s vs {b:.2f}s = {ratio:.2f}x (<= 1.5x) {verdict(ratio, 1.5)}"
        )
        misses += ratio > 1.5

        root = write_config_folders(folder, options.folders)
        with_configs = ["check", "-f", "line", str(root)]
        without = ["check", "--no-config", "-f", "line", str(root)]
        a, b, ratio = paired(with_configs, without, options.repeats)
        print(
            f"{options.folders} config folders vs --no-config: {a:.2f}s vs {b:.2f}s = {ratio:.2f}x (<= 3x) {verdict(ratio, 3)}"
        )
        misses += ratio > 3
        peak_with, peak_without = peak_kb(with_configs), peak_kb(without)
        if peak_with and peak_without:
            memory_ratio = peak_with / peak_without
            print(
                f"{options.folders} config folders peak memory: {peak_with // 1024} MB vs {peak_without // 1024} MB"
                f" = {memory_ratio:.2f}x (<= 1.5x) {verdict(memory_ratio, 1.5)}"
            )
            misses += memory_ratio > 1.5
    return 1 if misses else 0


def peak_of(args: list[str]) -> int:
    """Peak memory (KB) of one cslint process run from this (fresh) interpreter."""
    subprocess.run(CSLINT + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--peak-of":
        print(peak_of(sys.argv[2:]))
        sys.exit(0)
    sys.exit(main())
