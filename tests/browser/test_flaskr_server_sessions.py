"""Flaskr on server-side sessions: one setting, and logging in still works.

``SESSION_TYPE=sqlite`` (here as ``FLASKR_SESSION_TYPE``, the way Flaskr reads
its settings from the environment) moves the session into a SQLite file; the
browser then carries only a signed session id.
"""

from __future__ import annotations

import collections.abc as cabc
import pathlib
import sqlite3
import subprocess
import typing as t

import pytest
from playwright.sync_api import expect
from playwright.sync_api import Page

if t.TYPE_CHECKING:
    from conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def sessions_file(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "sessions.sqlite3"


@pytest.fixture
def flaskr(
    serve: cabc.Callable[..., Server],
    run_example: cabc.Callable[..., subprocess.CompletedProcess[str]],
    tmp_path: pathlib.Path,
    sessions_file: pathlib.Path,
) -> Server:
    settings = {
        "FLASKR_DATABASE": str(tmp_path / "flaskr.sqlite"),
        "FLASKR_SECRET_KEY": "browser-test-secret",
        "FLASKR_SESSION_TYPE": "sqlite",
        # Only so the test's file is not the instance folder's default.
        "FLASKR_SESSION_SQLITE_PATH": str(sessions_file),
    }
    init = run_example(
        "flaskr", "-m", "flask", "--app", "flaskr", "init-db", **settings
    )
    assert init.returncode == 0, init.stdout + init.stderr
    return serve("flaskr", "flaskr:create_app()", **settings)


def records(path: pathlib.Path) -> list[tuple[str, bytes]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT id, data FROM kolben_sessions").fetchall()
    finally:
        db.close()


def test_log_in_and_out_on_sqlite_sessions(
    page: Page, flaskr: Server, sessions_file: pathlib.Path
) -> None:
    page.goto(flaskr.url + "/auth/register")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("analytical engine")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(flaskr.url + "/auth/login")
    expect(page.locator("p.flash.flash-success")).to_have_text(
        "Welcome, ada! Please log in."
    )

    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("analytical engine")
    page.get_by_role("button", name="Log In").click()
    expect(page).to_have_url(flaskr.url + "/")
    expect(page.get_by_text("ada", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log Out")).to_be_visible()

    [cookie] = [c for c in page.context.cookies() if c["name"] == "session"]
    # A signed 256-bit id: 43 characters, a dot, the signature. No data.
    sid = cookie["value"].split(".")[0]
    assert len(sid) == 43
    stored = dict(records(sessions_file))
    assert sid in stored and b'"user_id"' in stored[sid]

    # The session survives a reload, and logging out deletes its record.
    page.reload()
    expect(page.get_by_role("button", name="Log Out")).to_be_visible()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("link", name="Log In")).to_be_visible()
    assert sid not in dict(records(sessions_file))
