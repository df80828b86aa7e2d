"""Real servers and a real browser for the example applications.

Each example runs under gunicorn in its own process, on a loopback port the
test picks (the listening socket is bound here and handed to gunicorn, so no
other process can take the port in between). Headless Chromium, driven by
Playwright, is Debian's ``/usr/bin/chromium``: Playwright cannot download its
own browser builds here. Every step saves a screenshot under
``artifacts/browser/<example>/`` for people to look at.
"""

from __future__ import annotations

import collections.abc as cabc
import os
import pathlib
import shutil
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
from playwright.sync_api import ConsoleMessage
from playwright.sync_api import Page
from playwright.sync_api import sync_playwright

CHROMIUM = pathlib.Path("/usr/bin/chromium")

#: The flags the browser is launched with: no sandbox (we run as root in CI),
#: and nothing that talks to the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
ARTIFACTS = ROOT / "artifacts" / "browser"


# Module scope, not session: Playwright's sync API keeps an event loop
# running on the main thread (in a greenlet) while it is open, and later
# tests that call asyncio.run() there (the ASGI tests) must not find it.
@pytest.fixture(scope="module")
def browser() -> cabc.Iterator[Browser]:
    """Headless Chromium, shared by the tests of one module."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Debian's chromium is not installed at {CHROMIUM}"
            " (apt-get install -y chromium; .ci/run installs it)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> cabc.Iterator[Page]:
    """A fresh browser tab (no cookies) that fails the test on script errors."""
    context = browser.new_context(viewport={"width": 1000, "height": 720})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        # Error answers the page expects (a 400 it shows to the user) are
        # logged by Chromium as failed resources, which are not script errors.
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    assert problems == [], "the page reported script errors"


class Screenshots:
    """Numbered full-page screenshots of one example's steps."""

    def __init__(self, folder: pathlib.Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        #: Where the PNG files go.
        self.folder = folder
        self._count = 0

    def __call__(self, page: Page, step: str) -> pathlib.Path:
        """Save ``page`` as ``NN-step.png`` and return the path."""
        self._count += 1
        path = self.folder / f"{self._count:02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Screenshots:
    """Screenshots in ``artifacts/browser/<module>/<test>/``, without ``test_``."""
    module = request.path.stem.removeprefix("test_")
    test = request.node.name.removeprefix("test_")
    return Screenshots(ARTIFACTS / module / test)


def _expected_import_root() -> pathlib.Path:
    # The same rule as the repository's conftest guard.
    override = os.environ.get("KOLBEN_IMPORT_ROOT")
    return pathlib.Path(override).resolve() if override else ROOT / "packages"


def example_env(example: str, **settings: str) -> dict[str, str]:
    """Return the environment for a process that runs ``docs/examples/<example>``.

    :param example: the folder name under ``docs/examples``.
    :param settings: extra variables, such as the app's ``FLASKR_*`` settings.
    """
    env = dict(os.environ, **settings)
    paths = [str(EXAMPLES / example), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    # Runs of the browser test inside "flask run" or a debugger must not leak
    # their settings into the server.
    for name in ("FLASK_APP", "FLASK_DEBUG", "FLASK_RUN_FROM_CLI"):
        env.pop(name, None)
    return env


def check_serves_our_flask(env: dict[str, str]) -> None:
    """Fail unless a process with ``env`` imports this repository's ``flask``."""
    found = subprocess.run(
        [sys.executable, "-c", "import flask; print(flask.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    root = _expected_import_root()
    assert pathlib.Path(found).resolve().is_relative_to(root), (
        f"the server would run flask from {found}, not from {root}"
    )


#: Serves ``module:factory()``'s ``asgi_app`` under uvicorn on an inherited
#: listening socket (uvicorn's own command line cannot call a factory and then
#: take an attribute).
_UVICORN = """
import importlib, socket, sys, uvicorn
module, _, call = sys.argv[2].partition(":")
app = getattr(importlib.import_module(module), call.removesuffix("()"))()
sock = socket.socket(fileno=int(sys.argv[1]))
uvicorn.Server(uvicorn.Config(app.asgi_app, log_level="info")).run(sockets=[sock])
"""


class Server:
    """A gunicorn (WSGI) or uvicorn (ASGI) process serving one app on a
    loopback port.
    """

    def __init__(
        self,
        app_spec: str,
        env: dict[str, str],
        log: pathlib.Path,
        groups: t.Any,
        asgi: bool = False,
    ) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        self._name = "uvicorn" if asgi else "gunicorn"
        #: Where the app is served, without a trailing slash.
        self.url = f"http://127.0.0.1:{port}"
        #: gunicorn's own log and the access log.
        self.log = log
        with log.open("w") as out, listener:
            listener.set_inheritable(True)
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                f"--bind=fd://{listener.fileno()}",
                "--workers=1",
                "--threads=4",
                "--no-control-socket",
                "--access-logfile=-",
                "--error-logfile=-",
                app_spec,
            ]
            if asgi:
                command = [
                    sys.executable,
                    "-c",
                    _UVICORN,
                    str(listener.fileno()),
                    app_spec,
                ]
            # In a process group of its own, stopped with its workers when
            # the test ends, also if it never answers below.
            self._groups = groups
            self._process = groups.start(
                command,
                # gunicorn: SIGTERM would wait for idle keep-alive
                # connections to time out. uvicorn: SIGTERM shuts down
                # cleanly, while SIGINT ends the process with a
                # KeyboardInterrupt traceback.
                quit_signal=signal.SIGTERM if asgi else signal.SIGINT,
                env=env,
                pass_fds=[listener.fileno()],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # Our copy of the socket is closed now: if gunicorn dies, connections
        # are refused instead of hanging.
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/", timeout=timeout):
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"{self._name} did not serve {self.url}:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stop the server and its workers: its quick clean shutdown, then
        by force."""
        self._groups.stop(self._process)


@pytest.fixture
def run_example() -> cabc.Callable[..., subprocess.CompletedProcess[str]]:
    """Return a function that runs Python in ``docs/examples/<example>``'s environment.

    ``run_example(example, *args, **settings)`` runs ``python *args`` with the
    example importable and ``settings`` as environment variables, and returns
    the finished process (output captured as text).
    """

    def run(
        example: str, *args: str, **settings: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            env=example_env(example, **settings),
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


@pytest.fixture
def serve(tmp_path: pathlib.Path, process_groups: t.Any) -> cabc.Callable[..., Server]:
    """Return a function that starts ``docs/examples/<example>`` under gunicorn.

    ``serve(example, app_spec, asgi=False, **settings)``: ``app_spec`` is
    gunicorn's ``module:factory()``; ``settings`` are environment variables
    for the app; ``asgi=True`` serves the app's ``asgi_app`` under uvicorn.
    Every server is stopped, with its workers, when the test ends (by the
    ``process_groups`` fixture), also one that never answered.
    """

    def start(
        example: str, app_spec: str, *, asgi: bool = False, **settings: str
    ) -> Server:
        env = example_env(example, **settings)
        check_serves_our_flask(env)
        name = "uvicorn" if asgi else "gunicorn"
        log = tmp_path / f"{example}-{name}.log"
        return Server(app_spec, env, log, process_groups, asgi)

    return start
