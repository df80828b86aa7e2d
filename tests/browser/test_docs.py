"""A reader opens the built documentation in Chromium and finds their way.

The site is the one ``hatch run docs`` builds (``docs/_build/html``); the
``docs_site`` fixture (tests/conftest.py) builds it first when it is missing
or older than its sources. It is served the way ``hatch run docs-serve``
serves it: the standard library's HTTP server, here on a free loopback port
in a thread of the test process.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import http.server
import pathlib
import re
import threading
import typing as t

import pytest
from playwright.sync_api import expect
from playwright.sync_api import Page
from playwright.sync_api import ViewportSize

if t.TYPE_CHECKING:
    from conftest import Screenshots

pytestmark = pytest.mark.browser


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: t.Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(docs_site: pathlib.Path) -> cabc.Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a free port)."""
    handler = functools.partial(QuietHandler, directory=str(docs_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def heading(text: str) -> re.Pattern[str]:
    """A page title as shown, followed by Sphinx's permalink sign."""
    return re.compile(rf"^{re.escape(text)}\W*$")


#: Wide enough for furo's desktop layout, where the navigation is a sidebar
#: (narrower windows fold it behind a menu button).
DESKTOP: ViewportSize = {"width": 1400, "height": 900}


def test_index_renders_with_its_navigation(
    page: Page, site_url: str, screenshots: Screenshots
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/index.html")
    expect(page).to_have_title("Kolben")
    expect(page.locator("h1").first).to_have_text(heading("Kolben"))
    # furo's theme is applied: its stylesheet laid out the sidebar.
    sidebar = page.locator(".sidebar-tree")
    expect(sidebar).to_be_visible()
    expect(sidebar.locator(".caption-text")).to_have_text(
        ["Guide", "The parts", "API reference", "Operating Kolben"]
    )
    for link in ("Getting started", "Kolben and Flask", "Deploying under gunicorn"):
        expect(sidebar.get_by_role("link", name=link, exact=True)).to_be_visible()
    screenshots(page, "index")

    sidebar.get_by_role("link", name="Tutorial: Flaskr").click()
    expect(page.locator("h1").first).to_have_text(heading("Tutorial: Flaskr"))
    # The tutorial shows code included from the example application.
    content = page.locator("#furo-main-content")
    content.get_by_role("link", name="The application factory").click()
    expect(page.locator("div.highlight").first).to_contain_text("def create_app(")
    screenshots(page, "tutorial")


def test_search_finds_the_session_middleware_page(
    page: Page, site_url: str, screenshots: Screenshots
) -> None:
    page.goto(site_url + "/index.html")
    search = page.locator("input[name=q]").first
    search.fill("SessionMiddleware")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\.html\?q=SessionMiddleware"))
    results = page.locator("#search-results")
    link = results.get_by_role(
        "link", name="kolben.sessions.SessionMiddleware", exact=True
    )
    expect(link).to_be_visible()
    screenshots(page, "search-results")

    link.click()
    expect(page.locator("h1").first).to_have_text(heading("kolben-sessions"))
    entry = page.locator('[id="kolben.sessions.SessionMiddleware"]')
    expect(entry).to_be_visible()
    screenshots(page, "session-middleware")
