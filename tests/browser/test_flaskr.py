"""A person uses Flaskr in Chromium: register, log in, write, edit, delete, log out."""

from __future__ import annotations

import collections.abc as cabc
import pathlib
import re
import subprocess
import typing as t

import pytest
from playwright.sync_api import expect
from playwright.sync_api import Locator
from playwright.sync_api import Page

if t.TYPE_CHECKING:
    from conftest import Screenshots
    from conftest import Server

pytestmark = pytest.mark.browser

#: Colours from flaskr/static/style.css: seeing them proves the page is styled.
HEADER_BLUE = "rgb(31, 79, 117)"
ERROR_PINK = "rgb(255, 227, 227)"
OK_GREEN = "rgb(227, 249, 229)"


@pytest.fixture(params=["wsgi", "asgi"])
def flaskr(
    request: pytest.FixtureRequest,
    serve: cabc.Callable[..., Server],
    run_example: cabc.Callable[..., subprocess.CompletedProcess[str]],
    tmp_path: pathlib.Path,
) -> Server:
    """Flaskr on a database made by its own ``init-db`` command, under gunicorn
    (WSGI) and, as ``app.asgi_app``, under uvicorn (ASGI).
    """
    settings = {
        "FLASKR_DATABASE": str(tmp_path / "flaskr.sqlite"),
        "FLASKR_SECRET_KEY": "browser-test-secret",
    }
    init = run_example(
        "flaskr", "-m", "flask", "--app", "flaskr", "init-db", **settings
    )
    assert init.returncode == 0, init.stdout + init.stderr
    assert "Initialized the database." in init.stdout
    asgi = request.param == "asgi"
    return serve("flaskr", "flaskr:create_app()", asgi=asgi, **settings)


def flash(page: Page, category: str) -> Locator:
    """The flashed messages of ``category`` on ``page``."""
    return page.locator(f"p.flash.flash-{category}")


def test_register_post_edit_delete_logout(
    page: Page, flaskr: Server, screenshots: Screenshots
) -> None:
    page.goto(flaskr.url + "/")
    expect(page).to_have_title("Posts · Flaskr")
    expect(page.locator("header.site")).to_have_css("background-color", HEADER_BLUE)
    expect(page.get_by_text("No posts yet.")).to_be_visible()
    screenshots(page, "index-empty")

    # Register.
    page.get_by_role("link", name="Register").first.click()
    expect(page).to_have_url(flaskr.url + "/auth/register")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("analytical engine")
    screenshots(page, "register-form")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(flaskr.url + "/auth/login")
    expect(flash(page, "success")).to_have_text("Welcome, ada! Please log in.")
    expect(flash(page, "success")).to_have_css("background-color", OK_GREEN)
    screenshots(page, "registered")

    # A wrong password is refused with a flashed error.
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("difference engine")
    page.get_by_role("button", name="Log In").click()
    expect(flash(page, "error")).to_have_text("Incorrect username or password.")
    expect(flash(page, "error")).to_have_css("background-color", ERROR_PINK)
    expect(page.get_by_label("Username")).to_have_value("ada")
    screenshots(page, "login-failed")

    # Log in.
    page.get_by_label("Password").fill("analytical engine")
    page.get_by_role("button", name="Log In").click()
    expect(page).to_have_url(flaskr.url + "/")
    expect(page.locator(".who")).to_have_text("Signed in as ada")
    screenshots(page, "logged-in")

    # Write a post.
    page.get_by_role("link", name="New Post").click()
    page.get_by_label("Title").fill("Notes on the engine")
    page.get_by_label("Body").fill(
        "It weaves algebraic patterns\nas the loom weaves flowers."
    )
    screenshots(page, "create-form")
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(flaskr.url + "/")
    expect(flash(page, "success")).to_have_text("Published “Notes on the engine”.")

    # See it on the index.
    post = page.locator("article.post")
    expect(post).to_have_count(1)
    expect(post.locator("h2")).to_have_text("Notes on the engine")
    expect(post.locator(".about")).to_have_text(
        re.compile(r"^by ada on \d{4}-\d\d-\d\d$")
    )
    expect(post.locator(".body")).to_contain_text("as the loom weaves flowers.")
    screenshots(page, "post-on-index")

    # Edit it.
    post.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Title")).to_have_value("Notes on the engine")
    page.get_by_label("Title").fill("Notes on the Analytical Engine")
    screenshots(page, "edit-form")
    page.get_by_role("button", name="Save").click()
    expect(flash(page, "success")).to_have_text(
        "Saved “Notes on the Analytical Engine”."
    )
    expect(post.locator("h2")).to_have_text("Notes on the Analytical Engine")
    screenshots(page, "post-edited")

    # Delete it (the button asks for confirmation first).
    post.get_by_role("link", name="Edit").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(flaskr.url + "/")
    expect(flash(page, "success")).to_have_text(
        "Deleted “Notes on the Analytical Engine”."
    )
    expect(page.locator("article.post")).to_have_count(0)
    expect(page.get_by_text("No posts yet.")).to_be_visible()
    screenshots(page, "post-deleted")

    # Log out.
    page.get_by_role("button", name="Log Out").click()
    expect(flash(page, "success")).to_have_text("You have been logged out.")
    expect(page.get_by_role("link", name="Log In")).to_be_visible()
    expect(page.get_by_role("link", name="New Post")).to_have_count(0)
    screenshots(page, "logged-out")

    # Writing now needs logging in again, and brings you back afterwards.
    page.goto(flaskr.url + "/create")
    expect(page).to_have_url(flaskr.url + "/auth/login?next=/create")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("analytical engine")
    page.get_by_role("button", name="Log In").click()
    expect(page).to_have_url(flaskr.url + "/create")
    screenshots(page, "back-to-create")


def test_dismissing_the_confirmation_keeps_the_post(
    page: Page, flaskr: Server, screenshots: Screenshots
) -> None:
    page.goto(flaskr.url + "/auth/register")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("cobol")
    page.get_by_role("button", name="Register").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("cobol")
    page.get_by_role("button", name="Log In").click()
    page.get_by_role("link", name="New Post").click()
    page.get_by_label("Title").fill("Keep me")
    page.get_by_role("button", name="Publish").click()

    page.locator("article.post").get_by_role("link", name="Edit").click()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete").click()
    # Nothing was sent: still on the edit page, and the post is still there.
    expect(page).to_have_url(re.compile(r"/\d+/update$"))
    page.goto(flaskr.url + "/")
    expect(page.locator("article.post h2")).to_have_text("Keep me")
    screenshots(page, "post-kept")
