#!/usr/bin/env python3
"""How fast a big HTML report opens and filters in headless Chromium.

    cslint check -f html -o report.html CORPUS_FOLDER
    python bench/report_open.py report.html --repeat 5

Each repeat opens the report in a fresh page and times, with the wall clock around the
browser calls (so Playwright's own round trips are included):

1. open: from navigation to the overview's numbers drawn (JSON parse + first page);
2. list: the conversation list with its filters (all conversations, first page of rows);
3. filter: choosing the most frequent rule in the rule filter until the count is updated;
4. search: typing a word until the count is updated (includes the 180 ms typing pause);
5. conversation: opening the first listed conversation until its turns are drawn.

Medians are printed with the targets (open under 3 s, every other step under 1 s): the
machine may be shared, so single runs are noisy. Needs Playwright (the ``test`` extra) and
a Chromium (Debian: ``apt-get install chromium``); never downloads a browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

TARGETS = {"open": 3.0, "list": 1.0, "filter": 1.0, "search": 1.0, "conversation": 1.0}


def measure(browser, report: Path, word: str) -> dict[str, float]:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    times: dict[str, float] = {}
    count = page.locator("#match-count")

    started = time.perf_counter()
    page.goto(report.resolve().as_uri())
    page.wait_for_selector("[data-kpi=conversations] .value")
    times["open"] = time.perf_counter() - started

    started = time.perf_counter()
    page.click("a[data-tab=conversations]")
    page.wait_for_selector(".convrow")
    times["list"] = time.perf_counter() - started
    total = count.get_attribute("data-count")

    rules = page.eval_on_selector_all("[data-filter=rule] option", "os => os.map(o => o.value).filter(Boolean)")
    started = time.perf_counter()
    page.select_option("[data-filter=rule]", rules[0])
    expect(count).not_to_have_attribute("data-count", total)
    times["filter"] = time.perf_counter() - started
    page.select_option("[data-filter=rule]", "")
    expect(count).to_have_attribute("data-count", total)

    started = time.perf_counter()
    page.fill("[data-filter=q]", word)
    expect(count).not_to_have_attribute("data-count", total)
    times["search"] = time.perf_counter() - started

    started = time.perf_counter()
    page.locator(".convrow").first.click()
    page.wait_for_selector("#turns .turn")
    times["conversation"] = time.perf_counter() - started
    page.close()
    if errors:
        raise SystemExit(f"error: the page reported errors: {errors[:3]}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--word", default="refund", help="the word typed in the search box")
    parser.add_argument("--chromium", default=None, help="the browser (default: the system's Chromium)")
    args = parser.parse_args()
    if not args.report.is_file():
        print(f"error: {args.report}: no such file", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from headless import launch

    runs = []
    with sync_playwright() as p:
        browser = launch(p, args.chromium)
        for _ in range(args.repeat):
            runs.append(measure(browser, args.report, args.word))
        browser.close()
    size = args.report.stat().st_size
    print(f"{args.report}: {size / 1e6:.1f} MB, {args.repeat} runs (median, min-max)")
    failed = False
    for step, target in TARGETS.items():
        values = [r[step] for r in runs]
        median = statistics.median(values)
        ok = median <= target
        failed |= not ok
        print(
            f"  {step:<13} {median:6.2f} s  ({min(values):.2f}-{max(values):.2f})  target {target:.0f} s  {'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
