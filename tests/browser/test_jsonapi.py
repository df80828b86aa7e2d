"""A person uses the fetch-driven to-do page in Chromium, against the real JSON API."""

from __future__ import annotations

import collections.abc as cabc
import json
import typing as t
import urllib.request

import pytest
from playwright.sync_api import expect
from playwright.sync_api import Page

if t.TYPE_CHECKING:
    from conftest import Screenshots
    from conftest import Server

pytestmark = pytest.mark.browser

#: The page's accent colour (jsonapi/static/style.css): proves it is styled.
HEADING_TEAL = "rgb(7, 94, 90)"


@pytest.fixture
def todos(serve: cabc.Callable[..., Server]) -> Server:
    """The JSON API example under gunicorn."""
    return serve("jsonapi", "jsonapi:create_app()")


def api_items(server: Server) -> list[dict[str, t.Any]]:
    """What the API holds now, asked directly rather than through the page."""
    with urllib.request.urlopen(server.url + "/api/todos", timeout=10) as response:
        items: list[dict[str, t.Any]] = json.load(response)
    return items


def test_add_complete_delete(
    page: Page, todos: Server, screenshots: Screenshots
) -> None:
    page.goto(todos.url + "/")
    expect(page.locator("#app")).to_have_attribute("aria-busy", "false")
    expect(page.locator("h1")).to_have_css("color", HEADING_TEAL)
    expect(page.get_by_text("Nothing to do.")).to_be_visible()
    screenshots(page, "empty")

    # The API's validation message reaches the page.
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert")).to_have_text("Title is required.")
    screenshots(page, "blank-title-refused")

    # Add two items: they appear without a page load.
    new = page.get_by_label("New to-do")
    new.fill("Buy milk")
    new.press("Enter")
    items = page.locator("li.todo")
    expect(items).to_have_count(1)
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(new).to_have_value("")
    new.fill("Write the docs")
    page.get_by_role("button", name="Add").click()
    expect(items).to_have_count(2)
    expect(items.locator(".title")).to_have_text(["Buy milk", "Write the docs"])
    expect(page.locator("#remaining")).to_have_text("2 of 2 left")
    screenshots(page, "two-added")
    assert [item["title"] for item in api_items(todos)] == [
        "Buy milk",
        "Write the docs",
    ]

    # Tick one off.
    items.filter(has_text="Buy milk").get_by_role("checkbox").check()
    expect(items.filter(has_text="Buy milk")).to_have_class("todo done")
    expect(page.locator("#remaining")).to_have_text("1 of 2 left")
    screenshots(page, "one-done")

    # A reload shows what the server kept.
    page.reload()
    expect(page.locator("#app")).to_have_attribute("aria-busy", "false")
    expect(items.filter(has_text="Buy milk").get_by_role("checkbox")).to_be_checked()
    expect(
        items.filter(has_text="Write the docs").get_by_role("checkbox")
    ).not_to_be_checked()
    screenshots(page, "reloaded")

    # Delete it.
    page.get_by_role("button", name="Delete Buy milk").click()
    expect(items).to_have_count(1)
    expect(items.locator(".title")).to_have_text(["Write the docs"])
    expect(page.locator("#remaining")).to_have_text("1 of 1 left")
    screenshots(page, "one-deleted")
    assert [(item["title"], item["done"]) for item in api_items(todos)] == [
        ("Write the docs", False)
    ]
