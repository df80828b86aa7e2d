"""Fixtures: a standalone Router app, a werkzeug test client, context checks."""

from __future__ import annotations

import collections.abc as cabc
import pathlib
import typing as t

import pytest
from werkzeug.test import Client

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.routing import Router


@pytest.fixture
def app() -> Router:
    """A router whose unhandled errors propagate, so tests see them."""
    return Router("routing_tests", config={"PROPAGATE_EXCEPTIONS": True})


@pytest.fixture
def client(app: Router) -> Client:
    return Client(app)


@pytest.fixture
def make_app() -> cabc.Callable[..., Router]:
    """Build another router: ``make_app(subdomain_matching=True, config={...})``."""

    def make(**kwargs: t.Any) -> Router:
        return Router("routing_tests", **kwargs)

    return make


@pytest.fixture
def static_root(tmp_path: pathlib.Path) -> pathlib.Path:
    """A root path with ``static/hello.txt`` and ``assets/logo.txt``."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "hello.txt").write_text("hello static")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.txt").write_text("logo")
    return tmp_path


@pytest.fixture(autouse=True)
def no_leaked_context() -> cabc.Iterator[None]:
    yield
    assert _cv_app.get(None) is None, "a test left an app context pushed"
    assert _cv_request.get(None) is None, "a test left a request context pushed"
