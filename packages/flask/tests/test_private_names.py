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

#: The sdists grepped (``pip download --no-deps --no-binary :all:``, latest
#: releases on 2026-12-05) for ``from flask.* import``, ``flask.<mod>.<name>``
#: and ``._name`` on Flask's objects.
EXTENSIONS_GREPPED = [
    "Flask-APScheduler 1.13.1",
    "Flask-Assets 2.1.0",
    "Flask-Bcrypt 1.0.1",
    "Flask-Bootstrap 3.3.7.1",
    "Flask-Login 0.6.3",
    "Flask-Principal 0.4.0",
    "Flask-RESTful 0.3.10",
    "flask-apispec 0.11.4",
    "flask-restx 1.3.2",
    "flask-talisman 1.1.0",
    "Flask-Admin 2.2.1",
    "Flask-Babel 4.0.0",
    "Flask-Caching 2.5.1",
    "Flask-Compress 1.25",
    "Flask-Cors 6.0.5",
    "Flask-DebugToolbar 0.16.0",
    "Flask-HTTPAuth 4.8.1",
    "Flask-JWT-Extended 4.7.4",
    "Flask-Limiter 4.1.1",
    "Flask-Mail 0.10.0",
    "flask-marshmallow 1.5.0",
    "Flask-Migrate 4.1.0",
    "Flask-Moment 1.0.6",
    "flask-openapi3 4.3.2",
    "Flask-OpenID 1.3.1",
    "Flask-Session 0.8.0",
    "flask-smorest 0.47.0",
    "Flask-SocketIO 5.7.0",
    "Flask-SQLAlchemy 3.1.1",
    "Flask-WTF 1.3.0",
]

#: (module path, name, who uses it): names beyond Flask's documented API that
#: the grep found, plus those issue 22 reported. The grep also found names
#: that Flask 3.1 itself no longer has (``flask._request_ctx_stack``,
#: ``flask._app_ctx_stack``, ``flask.scaffold``, ``flask.helpers.
#: _endpoint_from_view_func``); those extensions only fall back to them on
#: old Flask versions, so they are not provided, as upstream does not.
EXTENSION_NAMES: list[tuple[str, str, str]] = [
    ("flask.cli", "click", "flask-openapi3"),
    ("flask.cli", "with_appcontext", "flask-openapi3, Flask-Migrate, Flask-Limiter"),
    ("flask.cli", "AppGroup", "flask-smorest"),
    ("flask.cli", "_called_with_wrong_args", "issue 22"),
    ("flask.app", "cli", "issue 22"),
    ("flask.app", "Rule", "flask-smorest (issue 24)"),
    ("flask.blueprints", "AppGroup", "issue 22"),
    ("flask.blueprints", "BlueprintSetupState", "Flask-Admin"),
    ("flask.helpers", "_split_blueprint_path", "issue 22"),
    ("flask.helpers", "get_debug_flag", "Flask-APScheduler"),
    ("flask.sansio.app", "App", "Flask-Admin"),
    ("flask.sansio.app", "_make_timedelta", "issue 22"),
    ("flask.sansio.scaffold", "_sentinel", "issue 22"),
    ("flask.sansio.scaffold", "_endpoint_from_view_func", "flask-restx"),
    ("flask.ctx", "_AppCtxGlobals", "issue 22"),
    ("flask.sansio.app", "_AppCtxGlobals", "issue 22"),
    ("flask.globals", "request_ctx", "Flask-SocketIO, Flask-Limiter, DebugToolbar"),
    ("flask.globals", "app_ctx", "Flask-SocketIO, Flask-SQLAlchemy, Flask-Assets"),
    ("flask.views", "http_method_funcs", "flask-restx, flask-apispec"),
    ("flask.signals", "Namespace", "Flask-Login, Flask-Principal, Flask-SQLAlchemy"),
    ("flask.testing", "EnvironBuilder", "Flask-SocketIO"),
    ("flask.testing", "FlaskClient", "Flask-Login"),
    ("flask.typing", "RouteCallable", "Flask-Admin"),
]

#: Re-exported third-party objects the grep found: (module, name, the object's
#: home). They must be the very same objects.
REEXPORTED = [
    ("flask.cli", "click", "click"),
    ("flask.app", "Rule", "werkzeug.routing.Rule"),
    ("flask.signals", "Namespace", "blinker.Namespace"),
]

#: Private attributes of Flask's test client that Flask-SocketIO uses.
CLIENT_ATTRIBUTES = [
    "_request_from_builder_args",
    "_copy_environ",
    "_add_cookies_to_wsgi",
]


@pytest.mark.parametrize(("module", "name", "users"), EXTENSION_NAMES)
def test_extension_name_importable(module: str, name: str, users: str) -> None:
    assert hasattr(importlib.import_module(module), name), f"used by {users}"


@pytest.mark.parametrize("name", CLIENT_ATTRIBUTES)
def test_client_private_attribute(name: str) -> None:
    assert callable(getattr(flask.Flask(__name__).test_client(), name))


@pytest.mark.parametrize(("module", "name", "home"), REEXPORTED)
def test_reexported_objects_are_the_same(module: str, name: str, home: str) -> None:
    home_module, _, attr = home.rpartition(".")
    expected = (
        importlib.import_module(home)
        if not home_module
        else getattr(importlib.import_module(home_module), attr)
    )
    assert getattr(importlib.import_module(module), name) is expected


def test_request_context_session_can_be_replaced() -> None:
    # Flask-SocketIO sets ``ctx._session`` (Flask >= 3.1.3) to share a session.
    app = flask.Flask(__name__)
    app.secret_key = "k"
    with app.test_request_context() as ctx:
        replacement = app.session_interface.session_class({"user": "ann"})
        ctx._session = replacement  # type: ignore[attr-defined]
        assert flask.session["user"] == "ann"


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
    from flask.sansio.app import _AppCtxGlobals as sansio_name

    assert sansio_name is _AppCtxGlobals
    assert flask.Flask.app_ctx_globals_class is _AppCtxGlobals
    app = flask.Flask(__name__)
    with app.app_context():
        assert isinstance(flask.g._get_current_object(), _AppCtxGlobals)  # type: ignore[attr-defined]
