"""Headless Chromium for the HTML report's screenshots, benchmark and tests: Debian's
``chromium`` package driven by Playwright for Python. Never ``playwright install``: that
downloads a browser; this uses the one the system has."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """The system's Chromium, or None."""
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


def launch(playwright, executable: str | None = None):
    """A headless Chromium browser (``playwright`` is a started ``sync_playwright()``)."""
    executable = executable or find_chromium()
    if executable is None:
        raise SystemExit("error: no Chromium found; install one (Debian: apt-get install chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
