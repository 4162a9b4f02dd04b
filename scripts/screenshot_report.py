"""Screenshots of an HTML report in headless Chromium (for the README's docs/ images).

    python scripts/screenshot_report.py report.html docs/report-overview.png
    python scripts/screenshot_report.py report.html docs/report-conversation.png --view "conversation/PATH/ID"

Needs Playwright for Python (the ``test`` extra) and a Chromium (Debian: ``apt-get install
chromium``); it never downloads a browser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--view", default="overview", help="the page's route after '#' (default: overview)")
    parser.add_argument("--width", type=int, default=1360)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not just the window")
    parser.add_argument("--chromium", default=None, help="the browser (default: the system's Chromium)")
    args = parser.parse_args()
    from headless import launch
    from playwright.sync_api import sync_playwright

    if not args.report.is_file():
        print(f"error: {args.report}: no such file", file=sys.stderr)
        return 2
    with sync_playwright() as p:
        browser = launch(p, args.chromium)
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        page.goto(args.report.resolve().as_uri() + "#" + args.view)
        page.wait_for_selector("#app > *")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png), full_page=args.full_page)
        browser.close()
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
