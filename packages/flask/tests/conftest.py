"""Fixtures in the shape Flask users know, plus a check that no test leaks a
context.
"""

from __future__ import annotations

import collections.abc as cabc
import pathlib

import pytest

import flask
from kolben.contexts import _cv_app
from kolben.contexts import _cv_request


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test without the environment variables Flask reads."""
    for name in ("FLASK_DEBUG", "FLASK_APP", "FLASK_RUN_FROM_CLI", "FLASK_SKIP_DOTENV"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_leaked_context() -> cabc.Iterator[None]:
    yield
    assert _cv_request.get(None) is None, "a request context was left pushed"
    assert _cv_app.get(None) is None, "an app context was left pushed"


@pytest.fixture
def app(tmp_path: pathlib.Path) -> flask.Flask:
    """A testing app rooted in a temporary folder, with a secret key."""
    app = flask.Flask("flask_tests", root_path=str(tmp_path))
    app.config.update(TESTING=True, SECRET_KEY="test key")
    return app


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


@pytest.fixture
def app_ctx(app: flask.Flask) -> cabc.Iterator[flask.ctx.AppContext]:
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def req_ctx(app: flask.Flask) -> cabc.Iterator[flask.ctx.RequestContext]:
    with app.test_request_context() as ctx:
        yield ctx
