"""Fixtures for end-to-end tests in headless Chromium: Debian's chromium driven by Playwright.

Playwright's own browser download does not work offline, so the system browser is
used (``CHROMIUM_PATH``, default /usr/bin/chromium; ``scripts/ensure-chromium``
installs it). A missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags that let Chromium run as root in a closed network without phoning home.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/ensure-chromium or set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Visit:
    """One browser tab on the live server that records every host it contacts."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.context = browser.new_context(locale="es-ES")
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.foreign_requests: list[str] = []
        own_host = urlsplit(base_url).netloc
        self.page.on(
            "request",
            lambda request: (
                self.foreign_requests.append(request.url)
                if urlsplit(request.url).scheme in {"http", "https"}
                and urlsplit(request.url).netloc != own_host
                else None
            ),
        )

    def go(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def accessibility_violations(self) -> list[str]:
        """WCAG 2.1 A/AA violations axe-core finds on the current page."""
        import axe_playwright_python

        script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
        self.page.evaluate(script)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} element(s): "
            f"{', '.join(node['target'][0] for node in violation['nodes'][:3])})"
            for violation in result["violations"]
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, live_server) -> Iterator[Visit]:
    tab = Visit(chromium, live_server.url)
    yield tab
    tab.close()
