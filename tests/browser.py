"""Headless Chromium for the HTML report tests, driven by Playwright (never downloaded:
Debian's ``chromium`` package, installed by ``.ci/run``): finding it, and watching a page."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The one definition of how the report's browser is found and started (scripts/headless.py).
_spec = importlib.util.spec_from_file_location(
    "cslint_headless", Path(__file__).parent.parent / "scripts" / "headless.py"
)
headless = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(headless)


def chromium_or_skip() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'")
    found = headless.find_chromium()
    if found:
        return found
    pytest.skip(
        "no Chromium here: install Debian's 'chromium' package (.ci/run does, as root) to run the browser tests"
    )


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught errors, dialogs (alert()),
    requests that leave the file."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.requests.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.page_errors, self.page_errors
        assert not self.dialogs, self.dialogs
        assert not self.requests, self.requests
