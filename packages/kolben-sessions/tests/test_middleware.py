"""SessionMiddleware: Flask's sessions for a plain WSGI application."""

from __future__ import annotations

import typing as t
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.sessions import ENVIRON_KEY
from kolben.sessions import get_session
from kolben.sessions import NullSession
from kolben.sessions import SecureCookieSession
from kolben.sessions import SecureCookieSessionInterface
from kolben.sessions import SessionApp
from kolben.sessions import SessionMiddleware
from kolben.sessions import SessionMixin

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment


@Request.application
def notes(request: Request) -> Response:
    """/add?n=x appends a note, /clear empties the session, /remember makes it
    permanent, /nothing ignores it, anything else lists the notes."""
    session = request.environ[ENVIRON_KEY]

    if request.path == "/add":
        session["notes"] = [*session.get("notes", []), request.args["n"]]
    elif request.path == "/clear":
        session.clear()
    elif request.path == "/remember":
        session.permanent = True
    elif request.path == "/nothing":
        return Response("nothing")

    return Response(",".join(session.get("notes", [])))


class CountingInterface(SecureCookieSessionInterface):
    """Counts the sessions it opens."""

    def __init__(self) -> None:
        self.opened = 0

    def open_session(
        self, app: SessionApp, request: t.Any
    ) -> SecureCookieSession | None:
        self.opened += 1
        return super().open_session(app, request)


def session_cookie(client: Client, name: str = "session") -> str | None:
    cookie = client.get_cookie(name)
    return None if cookie is None else cookie.value


def test_the_session_persists_between_requests() -> None:
    client = Client(SessionMiddleware(notes, secret_key="k"))
    assert client.get("/add?n=a").text == "a"
    assert client.get("/add?n=b").text == "a,b"
    response = client.get("/")
    assert response.text == "a,b"
    assert response.headers["Vary"] == "Cookie"
    assert "Set-Cookie" not in response.headers


def test_clearing_the_session_deletes_the_cookie() -> None:
    client = Client(SessionMiddleware(notes, secret_key="k"))
    client.get("/add?n=a")
    assert session_cookie(client) is not None
    response = client.get("/clear")
    assert response.headers["Set-Cookie"].startswith("session=;")
    assert session_cookie(client) is None
    assert client.get("/").text == ""


def test_an_untouched_session_is_never_opened() -> None:
    interface = CountingInterface()
    client = Client(
        SessionMiddleware(notes, secret_key="k", session_interface=interface)
    )
    response = client.get("/nothing")
    assert interface.opened == 0
    assert "Vary" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_headers_pass_through_unchanged_when_nothing_is_saved() -> None:
    def bare(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        start_response("204 No Content", [("X-Test", "1")])
        return []

    client = Client(SessionMiddleware(bare, secret_key="k"))
    client.set_cookie("session", "whatever")
    response = client.get("/")
    assert list(response.headers) == [("X-Test", "1")]


def test_a_cookie_with_an_untouched_session_is_checked_but_not_resent() -> None:
    interface = CountingInterface()
    client = Client(
        SessionMiddleware(notes, secret_key="k", session_interface=interface)
    )
    client.get("/add?n=a")
    response = client.get("/nothing")
    assert interface.opened == 2
    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers


@pytest.mark.parametrize("refresh", [True, False])
def test_a_permanent_session_is_refreshed_without_being_touched(refresh: bool) -> None:
    middleware = SessionMiddleware(
        notes,
        secret_key="k",
        refresh_each_request=refresh,
        permanent_session_lifetime=3600,
    )
    client = Client(middleware)
    client.get("/add?n=a")
    response = client.get("/remember")
    assert "Expires=" in response.headers["Set-Cookie"]

    response = client.get("/nothing")
    assert ("Set-Cookie" in response.headers) is refresh
    assert ("Vary" in response.headers) is refresh


def test_without_a_secret_key_the_session_is_read_only() -> None:
    seen: list[SessionMixin] = []

    @Request.application
    def app(request: Request) -> Response:
        session = get_session(request.environ)
        seen.append(session)
        assert session.get("x") is None

        with pytest.raises(RuntimeError, match="no secret key"):
            session["x"] = 1

        return Response("ok")

    client = Client(SessionMiddleware(app))
    response = client.get("/")
    assert response.text == "ok"
    assert isinstance(seen[0], NullSession)
    assert "Set-Cookie" not in response.headers


def test_get_session_returns_the_real_object() -> None:
    sessions: list[t.Any] = []

    @Request.application
    def app(request: Request) -> Response:
        sessions.append(get_session(request.environ, "my.session"))
        sessions.append(request.environ["my.session"])
        return Response("")

    Client(SessionMiddleware(app, secret_key="k", environ_key="my.session")).get("/")
    real, proxy = sessions
    assert type(real) is SecureCookieSession
    assert isinstance(proxy, dict)
    assert proxy._get_current_object() is real


def test_get_session_without_the_middleware_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="SessionMiddleware"):
        get_session({})


def test_settings_are_kept_under_flasks_names() -> None:
    middleware = SessionMiddleware(
        notes,
        secret_key="k",
        secret_key_fallbacks=["old"],
        cookie_name="sid",
        cookie_domain=".example.com",
        cookie_path="/app",
        cookie_httponly=False,
        cookie_secure=True,
        cookie_samesite="Lax",
        cookie_partitioned=True,
        refresh_each_request=False,
        application_root="/root",
        permanent_session_lifetime=60,
    )
    assert isinstance(middleware, SessionApp)
    assert middleware.config == {
        "SECRET_KEY_FALLBACKS": ["old"],
        "SESSION_COOKIE_NAME": "sid",
        "SESSION_COOKIE_DOMAIN": ".example.com",
        "SESSION_COOKIE_PATH": "/app",
        "SESSION_COOKIE_HTTPONLY": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PARTITIONED": True,
        "SESSION_REFRESH_EACH_REQUEST": False,
        "APPLICATION_ROOT": "/root",
    }
    assert middleware.permanent_session_lifetime == timedelta(seconds=60)


def test_cookie_settings_reach_the_cookie() -> None:
    middleware = SessionMiddleware(
        notes,
        secret_key="k",
        cookie_name="sid",
        cookie_samesite="Strict",
        cookie_secure=True,
    )
    middleware.config["SESSION_COOKIE_PATH"] = "/notes"
    header = Client(middleware).get("/add?n=a").headers["Set-Cookie"]
    assert header.startswith("sid=")
    assert "Path=/notes" in header
    assert "SameSite=Strict" in header
    assert "Secure" in header


def test_key_rotation() -> None:
    client = Client(SessionMiddleware(notes, secret_key="old"))
    client.get("/add?n=a")
    old_cookie = session_cookie(client)

    rotated = SessionMiddleware(notes, secret_key="new", secret_key_fallbacks=["old"])
    client = Client(rotated)
    client.set_cookie("session", t.cast(str, old_cookie))
    assert client.get("/").text == "a"
    assert client.get("/add?n=b").text == "a,b"

    rotated.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/").text == "a,b"


def test_tools_can_open_and_save_sessions_through_the_middleware() -> None:
    middleware = SessionMiddleware(notes, secret_key="k")
    interface = middleware.session_interface
    client = Client(middleware)
    client.get("/add?n=a")

    request = Request.from_values(
        headers={"Cookie": f"session={session_cookie(client)}"}
    )
    session = interface.open_session(middleware, request)
    assert session == {"notes": ["a"]}
    assert session is not None
    session["notes"].append("from a test")
    session.modified = True
    response = Response()
    interface.save_session(middleware, session, response)

    client.set_cookie("session", response.headers["Set-Cookie"].split(";")[0][8:])
    assert client.get("/").text == "a,from a test"


def test_changes_after_start_response_are_not_saved() -> None:
    def late(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterator[bytes]:
        session = environ[ENVIRON_KEY]
        session["early"] = True
        start_response("200 OK", [("Content-Type", "text/plain")])
        session["late"] = True
        yield repr(sorted(session)).encode()

    client = Client(SessionMiddleware(late, secret_key="k"))
    client.get("/")
    sessions: list[t.Any] = []

    @Request.application
    def show(request: Request) -> Response:
        sessions.append(dict(request.environ[ENVIRON_KEY]))
        return Response("")

    reader = Client(SessionMiddleware(show, secret_key="k"))
    reader.set_cookie("session", t.cast(str, session_cookie(client)))
    reader.get("/")
    assert sessions == [{"early": True}]


@settings(max_examples=50)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_characters=";\r\n")))
def test_garbage_cookies_never_fail_the_request(value: str) -> None:
    client = Client(SessionMiddleware(notes, secret_key="k"))
    client.set_cookie("session", value)
    response = client.get("/add?n=x")
    assert response.status_code == 200
    assert response.text == "x"
