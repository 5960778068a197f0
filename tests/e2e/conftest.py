"""The browser fixtures of the map tests (:mod:`in_browser`): one chromium per module that may only
read local files, and a check after each test that it asked for nothing else and met no error."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from in_browser import ARGS, CHROMIUM, Browser


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Debian's chromium, headless, whose every request off the local disk is blocked and noted."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1200, "height": 800})
        browser = Browser(context)

        def guard(route) -> None:
            if route.request.url.startswith(("file:", "data:", "blob:")):
                route.continue_()
            else:
                browser.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        yield browser
        context.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """The shared browser; each test ends with no network request and no script error."""
    chromium.blocked.clear()
    chromium.errors.clear()
    yield chromium
    for page in chromium.context.pages:
        page.close()
    assert chromium.blocked == []
    assert chromium.errors == []


