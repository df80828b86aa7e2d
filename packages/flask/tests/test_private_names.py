"""Flask's private names that extensions use are importable from the same
module paths here, and behave as Flask's do.

:data:`EXTENSION_NAMES` is the list found by grepping the sdists of popular
Flask extensions (see issues 22 and 24); a name leaving it, or disappearing
from its module, breaks an extension on import.
"""

from __future__ import annotations

import importlib
import sys
import typing as t
from datetime import timedelta

import pytest

import flask

#: (module path, name, extensions known to import or call it).
EXTENSION_NAMES: list[tuple[str, str, str]] = [
    ("flask.cli", "click", "flask-openapi3, Flask-Migrate"),
    ("flask.cli", "with_appcontext", "flask-openapi3, Flask-Migrate"),
    ("flask.cli", "_called_with_wrong_args", "issue 22"),
    ("flask.app", "cli", "issue 22"),
    ("flask.app", "Rule", "flask-smorest"),
    ("flask.blueprints", "AppGroup", "issue 22"),
    ("flask.helpers", "_split_blueprint_path", "issue 22"),
    ("flask.sansio.app", "_make_timedelta", "issue 22"),
    ("flask.sansio.scaffold", "_sentinel", "issue 22"),
    ("flask.sansio.scaffold", "_endpoint_from_view_func", "flask-restx"),
    ("flask.ctx", "_AppCtxGlobals", "issue 22"),
    ("flask.testing", "FlaskClient", "Flask-SocketIO"),
]

#: Private attributes of Flask's objects that extensions use.
CLIENT_ATTRIBUTES = ["_request_from_builder_args", "_copy_environ"]


@pytest.mark.parametrize(("module", "name", "users"), EXTENSION_NAMES)
def test_extension_name_importable(module: str, name: str, users: str) -> None:
    assert hasattr(importlib.import_module(module), name), f"used by {users}"


@pytest.mark.parametrize("name", CLIENT_ATTRIBUTES)
def test_client_private_attribute(name: str) -> None:
    assert callable(getattr(flask.Flask(__name__).test_client(), name))


def test_cli_reexports_click_itself() -> None:
    import click

    from flask.cli import click as flask_click
    from flask.cli import with_appcontext

    assert flask_click is click
    assert callable(with_appcontext)


def test_request_from_builder_args() -> None:
    client = flask.Flask(__name__).test_client()
    client.environ_base["HTTP_X_BASE"] = "base"
    kwargs: dict[str, t.Any] = {"method": "POST", "headers": {"X-A": "1"}}
    request = client._request_from_builder_args(("/a?x=1",), kwargs)
    assert (request.method, request.url) == ("POST", "http://localhost/a?x=1")
    assert request.headers["X-A"] == "1"
    assert request.environ["HTTP_X_BASE"] == "base"
    assert request.environ["REMOTE_ADDR"] == "127.0.0.1"
    assert "environ_base" not in kwargs


def test_copy_environ() -> None:
    client = flask.Flask(__name__).test_client()
    environ = client._copy_environ({"A": 1, "REMOTE_ADDR": "10.0.0.1"})
    assert environ["A"] == 1
    assert environ["REMOTE_ADDR"] == "10.0.0.1"
    assert "HTTP_USER_AGENT" in environ


def test_split_blueprint_path() -> None:
    from flask.helpers import _split_blueprint_path

    assert _split_blueprint_path("a.b.c") == ["a.b.c", "a.b", "a"]
    assert _split_blueprint_path("a") == ["a"]


def test_make_timedelta() -> None:
    from flask.sansio.app import _make_timedelta

    day = timedelta(days=1)
    assert _make_timedelta(None) is None
    assert _make_timedelta(day) is day
    assert _make_timedelta(5) == timedelta(seconds=5)
    assert _make_timedelta(2.5) == timedelta(seconds=2.5)


def test_sentinel_is_a_unique_marker() -> None:
    from flask.sansio.scaffold import _sentinel

    assert _sentinel is not None
    assert _sentinel is importlib.import_module("flask.sansio.scaffold")._sentinel


def test_called_with_wrong_args() -> None:
    from flask.cli import _called_with_wrong_args

    def factory(a: int) -> None:
        raise TypeError("inside")

    try:
        factory()  # type: ignore[call-arg]
    except TypeError:
        assert _called_with_wrong_args(factory)
    try:
        factory(1)
    except TypeError:
        assert not _called_with_wrong_args(factory)
    assert sys.exc_info()[0] is None


def test_app_ctx_globals_upstream_name() -> None:
    from flask.ctx import _AppCtxGlobals

    app = flask.Flask(__name__)
    with app.app_context():
        assert isinstance(flask.g._get_current_object(), _AppCtxGlobals)  # type: ignore[attr-defined]
