"""When ``Flask`` opens the session.

The default cookie interface is opened only when the request reads or writes
the session, or when the client sent a session cookie that may need
refreshing; any other interface is opened at the start of every request, as
Flask does, since it may rely on that.
"""

from __future__ import annotations

import typing as t

import pytest

import flask
from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionInterface


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every opening of the default interface, by request path."""
    calls: list[str] = []
    original = SecureCookieSessionInterface.open_session

    def counting(self: t.Any, app: t.Any, request: t.Any) -> t.Any:
        calls.append(request.path)
        return original(self, app, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    return calls


@pytest.fixture
def session_app(app: flask.Flask) -> flask.Flask:
    @app.get("/nothing")
    def nothing() -> str:
        return "nothing"

    @app.get("/read")
    def read() -> str:
        return str(flask.session.get("n", 0))

    @app.get("/write")
    def write() -> str:
        flask.session["n"] = flask.session.get("n", 0) + 1
        flask.session.permanent = True
        return "written"

    return app


def test_untouched_session_is_never_opened(
    session_app: flask.Flask, opened: list[str]
) -> None:
    response = session_app.test_client().get("/nothing")
    assert response.text == "nothing"
    assert opened == []
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.vary


def test_session_is_opened_when_the_view_uses_it(
    session_app: flask.Flask, opened: list[str]
) -> None:
    client = session_app.test_client()
    assert client.get("/write").text == "written"
    assert client.get("/read").text == "1"
    assert opened == ["/write", "/read"]


def test_permanent_session_cookie_is_refreshed_on_untouched_requests(
    session_app: flask.Flask, opened: list[str]
) -> None:
    client = session_app.test_client()
    client.get("/write")
    response = client.get("/nothing")
    # The client sent its cookie: the session is opened at the end of the
    # request so its expiry can be pushed forward.
    assert opened == ["/write", "/nothing"]
    assert "Set-Cookie" in response.headers
    assert client.get("/read").text == "1"


def test_untouched_session_is_not_refreshed_when_refreshing_is_off(
    session_app: flask.Flask, opened: list[str]
) -> None:
    session_app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    client = session_app.test_client()
    client.get("/write")
    response = client.get("/nothing")
    assert opened == ["/write"]
    assert "Set-Cookie" not in response.headers


def test_session_written_by_an_after_request_function_is_saved(
    session_app: flask.Flask,
) -> None:
    @session_app.after_request
    def remember(response: flask.Response) -> flask.Response:
        flask.session["after"] = "yes"
        return response

    client = session_app.test_client()
    client.get("/nothing")
    with client.session_transaction() as session:
        assert session["after"] == "yes"


def test_other_interfaces_are_opened_on_every_request(app: flask.Flask) -> None:
    opened: list[str] = []

    class Recording(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> t.Any:
            opened.append(request.path)
            return None

        def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
            raise AssertionError("a null session is never saved")

    app.session_interface = Recording()

    @app.get("/")
    def index() -> str:
        return "index"

    assert app.test_client().get("/").text == "index"
    assert opened == ["/"]


def test_session_interface_error_becomes_a_server_error(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> t.Any:
            raise RuntimeError("storage is down")

    app.session_interface = Broken()
    app.testing = False

    @app.get("/")
    def index() -> str:
        raise AssertionError("not reached")

    response = app.test_client().get("/")
    assert response.status_code == 500
    assert "storage is down" in caplog.text


def test_preserved_context_opens_an_untouched_session_on_inspection(
    session_app: flask.Flask,
) -> None:
    client = session_app.test_client()
    with client:
        client.get("/nothing")
        ctx = flask.globals.request_ctx._get_current_object()  # type: ignore[attr-defined]
        assert not ctx.session_is_open
        # Flask's private name works too, and sees a session nobody used.
        assert not ctx._session.accessed
        assert not flask.session.modified


def test_other_interfaces_save_sessions_the_request_did_not_touch(
    app: flask.Flask,
) -> None:
    saved: list[dict[str, t.Any]] = []

    class Store(SessionInterface):
        def open_session(self, app: t.Any, request: t.Any) -> t.Any:
            return SecureCookieSession({"user": 1})

        def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
            saved.append(dict(session))

    app.session_interface = Store()
    with app.test_request_context():
        app.process_response(app.response_class())
    assert saved == [{"user": 1}]
