"""Fixtures of the robustness suite and the figures it reports.

Every property test runs derandomized (a fixed sequence of examples) with a
bounded number of examples and bounded sizes, so a run is repeatable and its
time is predictable. Each test records what it did in ``figures``; the totals
are printed at the end of the run.
"""

from __future__ import annotations

import collections
import collections.abc as cabc
import io
import pathlib
import sys
import typing as t

import pytest
from hypothesis import HealthCheck
from hypothesis import settings
from werkzeug.test import EnvironBuilder

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import robust_app  # noqa: E402

import flask  # noqa: E402

settings.register_profile(
    "robustness",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("robustness")

#: What the tests did (examples run, requests made, RSS growth ...), printed
#: in the terminal summary.
Figures = collections.Counter[str]
FIGURES: Figures = collections.Counter()


def pytest_terminal_summary(terminalreporter: t.Any) -> None:
    if FIGURES:
        terminalreporter.section("robustness figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


@pytest.fixture(scope="session")
def static_folder(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The app's static files, next to a secret that must never be served."""
    root = tmp_path_factory.mktemp("site")
    static = root / "static"
    (static / "css").mkdir(parents=True)
    (static / "app.css").write_text("body { color: black }")
    (static / "css" / "site.css").write_text("h1 { margin: 0 }")
    (root / "secret.txt").write_text("TOP SECRET CONTENT")
    return static


@pytest.fixture(scope="session")
def app(static_folder: pathlib.Path) -> flask.Flask:
    return robust_app.create_app(str(static_folder))


class Answer(t.NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def call(app: t.Any, environ: dict[str, t.Any]) -> Answer:
    """Call ``app`` through WSGI like a server: start_response, iterate, close."""
    started: list[t.Any] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> cabc.Callable[[bytes], object]:
        started[:] = [status, headers]
        return lambda data: None

    app_iter = app(environ, start_response)
    try:
        body = b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    return Answer(int(started[0].split(None, 1)[0]), started[1], body)


def environ(
    path: str = "/",
    method: str = "GET",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    content_length: str | None = None,
    **extra: t.Any,
) -> dict[str, t.Any]:
    """A WSGI environ as a server builds it, with ``path`` and ``body`` exactly
    as given (no quoting), ``content_length`` overriding the real length.
    """
    env: dict[str, t.Any] = EnvironBuilder(method=method).get_environ()  # type: ignore[assignment]
    env["PATH_INFO"] = path
    env["wsgi.input"] = io.BytesIO(body)
    if body or content_length is not None:
        env["CONTENT_LENGTH"] = (
            str(len(body)) if content_length is None else content_length
        )
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            env[key] = value
        else:
            env[f"HTTP_{key}"] = value
    env.update(extra)
    return env
