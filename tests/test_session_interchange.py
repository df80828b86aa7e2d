"""Cookies written by kolben.sessions' middleware and by a flask app interchange.

A project moving from a plain WSGI program with ``SessionMiddleware`` to Flask
(or running both behind one domain) must not log its users out: with the same
secret key and settings, each side reads the other's session cookie, tagged
values included, and a permanent session stays permanent.
"""

from __future__ import annotations

import typing as t
import uuid
from datetime import datetime
from datetime import timezone

from markupsafe import Markup
from werkzeug.test import Client
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

import flask
from kolben.sessions import get_session
from kolben.sessions import SessionMiddleware

SECRET = "shared secret"
VALUES: dict[str, t.Any] = {
    "user": "ada",
    "pair": (1, "two"),
    "raw": b"\x00\xffbytes",
    "html": Markup("<b>bold</b>"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "when": datetime(2026, 11, 21, 12, 30, tzinfo=timezone.utc),
    "nested": {" t": ["tag-like key"]},
}
# Both sides keep ``session.permanent`` in the cookie under Flask's key.
STORED = {**VALUES, "_permanent": True}


def flask_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = SECRET

    @app.post("/write")
    def write() -> str:
        flask.session.update(VALUES)
        flask.session.permanent = True
        return "written"

    @app.get("/read")
    def read() -> dict[str, str]:
        return {key: repr(value) for key, value in flask.session.items()}

    return app


def middleware_app() -> SessionMiddleware:
    @Request.application  # type: ignore[arg-type]
    def plain(request: Request) -> Response:
        session = get_session(request.environ)
        if request.path == "/write":
            session.update(VALUES)
            session.permanent = True
            return Response("written")
        return Response(repr(sorted(session.items())))

    return SessionMiddleware(plain, secret_key=SECRET)


def session_cookie(client: Client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie was set"
    return cookie.value


def test_flask_reads_a_cookie_written_by_the_middleware() -> None:
    writer = Client(middleware_app())
    assert writer.post("/write").text == "written"
    reader = flask_app().test_client()
    reader.set_cookie("session", session_cookie(writer))
    assert reader.get("/read").json == {k: repr(v) for k, v in STORED.items()}


def test_middleware_reads_a_cookie_written_by_flask() -> None:
    writer = flask_app().test_client()
    assert writer.post("/write").text == "written"
    reader = Client(middleware_app())
    reader.set_cookie("session", session_cookie(writer))
    assert reader.get("/read").text == repr(sorted(STORED.items()))


def test_both_sides_set_the_same_cookie_attributes() -> None:
    from_flask = flask_app().test_client().post("/write").headers["Set-Cookie"]
    from_plain = Client(middleware_app()).post("/write").headers["Set-Cookie"]

    def attributes(header: str) -> set[str]:
        # Drop the value and the expiry instant, which differ by a few ms.
        parts = header.split("; ")[1:]
        return {p.split("=")[0] if p.startswith("Expires=") else p for p in parts}

    assert attributes(from_flask) == attributes(from_plain)
    assert {"Expires", "HttpOnly", "Path=/"} <= attributes(from_flask)


def test_a_cookie_for_another_key_is_an_empty_session_on_both_sides() -> None:
    other = SessionMiddleware(middleware_app().app, secret_key="another key")
    writer = Client(other)
    writer.post("/write")
    cookie = session_cookie(writer)
    flask_reader = flask_app().test_client()
    flask_reader.set_cookie("session", cookie)
    assert flask_reader.get("/read").json == {}
    plain_reader = Client(middleware_app())
    plain_reader.set_cookie("session", cookie)
    assert plain_reader.get("/read").text == "[]"
