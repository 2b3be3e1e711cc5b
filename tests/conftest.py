"""Fixtures shared by the browser tests (test_browser.py, test_browser_literate.py)."""

from pathlib import Path

import pytest
from test_browser import CHROMIUM, FLAGS


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make chromium` installs Debian's package")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
