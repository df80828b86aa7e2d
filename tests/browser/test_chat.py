"""Two people chat in Chromium through the WebSocket chat example under uvicorn."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect
from playwright.sync_api import Page

if t.TYPE_CHECKING:
    from conftest import Screenshots
    from conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def chat(serve: cabc.Callable[..., Server]) -> cabc.Iterator[str]:
    """The chat example under a real uvicorn process; yields its base URL."""
    server = serve("chat", "chat:create_app()", asgi=True)
    yield server.url
    server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, log


def join(page: Page, url: str, name: str) -> None:
    page.goto(url + "/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_label("Message")).to_be_visible()


def test_two_people_chat(
    page: Page, browser: Browser, chat: str, screenshots: Screenshots
) -> None:
    log = page.locator("#log")
    join(page, chat, "ada")
    expect(log).to_contain_text("ada joined")
    expect(page.locator("#present")).to_have_text("Here: ada")

    other_context = browser.new_context(viewport={"width": 1000, "height": 720})
    other_context.set_default_timeout(10_000)
    try:
        other = other_context.new_page()
        join(other, chat, "bob")
        for someone in (page, other):
            expect(someone.locator("#log")).to_contain_text("bob joined")
            expect(someone.locator("#present")).to_have_text("Here: ada, bob")

        message = page.get_by_label("Message")
        message.fill("hello bob")
        message.press("Enter")
        expect(other.locator("#log")).to_contain_text("ada: hello bob")
        expect(message).to_have_value("")
        other.get_by_label("Message").fill("hi ada")
        other.get_by_role("button", name="Send").click()
        expect(log).to_contain_text("ada: hello bob")
        expect(log).to_contain_text("bob: hi ada")
        screenshots(page, "ada")
        screenshots(other, "bob")
    finally:
        other_context.close()

    # Bob's tab is gone: the server noticed and told Ada.
    expect(log).to_contain_text("bob left")
    expect(page.locator("#present")).to_have_text("Here: ada")
    screenshots(page, "bob-left")
