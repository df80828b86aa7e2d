"""``tools/bench.py --e2e`` compares like with like under gunicorn."""

from __future__ import annotations

import importlib
import pathlib
import types
import typing as t

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def scenarios(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/bench_scenarios.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("bench_scenarios")


def answer(app: t.Any) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body of ``GET /`` sent straight to a WSGI app."""
    from werkzeug.test import EnvironBuilder

    sent: list[t.Any] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        sent[:] = [status, list(headers)]
        return lambda data: None

    result = app(EnvironBuilder(path="/").get_environ(), start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return sent[0], sent[1], body


def test_bare_hello_answers_as_the_flask_hello_app(
    scenarios: types.ModuleType,
) -> None:
    # The ceiling row is only a ceiling if the bare callable sends the very
    # bytes our flask's hello app sends: the same status, headers and body.
    expected = answer(scenarios.e2e_app("flask", "hello"))
    assert answer(scenarios.e2e_app("bare", "hello")) == expected


def test_no_bare_app_for_other_scenarios(scenarios: types.ModuleType) -> None:
    with pytest.raises(ValueError, match="no bare WSGI app for scenario 'session'"):
        scenarios.e2e_app("bare", "session")
