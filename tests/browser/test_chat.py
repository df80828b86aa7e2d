"""Two people chat in Chromium through the WebSocket chat example under uvicorn."""

from __future__ import annotations

import collections.abc as cabc
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import typing as t
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect
from playwright.sync_api import Page

if t.TYPE_CHECKING:
    from conftest import Screenshots

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "chat"

# uvicorn serves the listening socket this test bound, so no other process
# can take the port in between.
SERVE = (
    "import socket, sys, uvicorn\n"
    "from chat import app\n"
    "sock = socket.socket(fileno=int(sys.argv[1]))\n"
    "config = uvicorn.Config(app.asgi_app, log_level='warning')\n"
    "uvicorn.Server(config).run(sockets=[sock])\n"
)


def example_env() -> dict[str, str]:
    """The environment of a process serving the example with our ``flask``
    (the browser conftest's rule; its helpers are fixtures-only there).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(EXAMPLE), env.get("PYTHONPATH", "")) if p
    )
    for name in ("FLASK_APP", "FLASK_DEBUG", "FLASK_RUN_FROM_CLI"):
        env.pop(name, None)
    found = subprocess.run(
        [sys.executable, "-c", "import flask; print(flask.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    override = os.environ.get("KOLBEN_IMPORT_ROOT")
    root = pathlib.Path(override).resolve() if override else ROOT / "packages"
    assert pathlib.Path(found).resolve().is_relative_to(root), found
    return env


@pytest.fixture
def chat(tmp_path: pathlib.Path) -> cabc.Iterator[str]:
    """The chat example under a real uvicorn process; yields its base URL."""
    env = example_env()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    log = tmp_path / "uvicorn.log"
    with log.open("w") as out, listener:
        listener.set_inheritable(True)
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(listener.fileno())],
            env=env,
            pass_fds=[listener.fileno()],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=10):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"uvicorn did not serve {url}:\n{log.read_text()}")
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


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
