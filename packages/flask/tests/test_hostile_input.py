"""Input a client (or a holder of the secret key) can send must get a client
error or a safe answer, never a 500; and the session and teardown bugs of
issue 15.
"""

from __future__ import annotations

import io
import logging
import threading
import typing as t

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import EnvironBuilder
from werkzeug.test import run_wsgi_app

import flask


def test_copied_context_writes_reach_the_session_cookie(
    app: flask.Flask, client: t.Any
) -> None:
    @app.route("/")
    def index() -> str:
        @flask.copy_current_request_context
        def work() -> None:
            flask.session["from_thread"] = "yes"

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        return str(flask.session.get("from_thread"))

    rv = client.get("/")
    assert rv.data == b"yes"
    assert "session=" in rv.headers["Set-Cookie"]
    with client.session_transaction() as sess:
        assert sess["from_thread"] == "yes"


def test_deeply_nested_json_is_a_bad_request(app: flask.Flask, client: t.Any) -> None:
    @app.post("/")
    def index() -> t.Any:
        return {"loud": flask.request.get_json()}

    @app.post("/silent")
    def silent() -> t.Any:
        return {"got": flask.request.get_json(silent=True)}

    deep = "[" * 100_000 + "]" * 100_000
    assert (
        client.post("/", data=deep, content_type="application/json").status_code == 400
    )
    rv = client.post("/silent", data=deep, content_type="application/json")
    assert rv.json == {"got": None}
    assert client.post("/", json=[[1]]).json == {"loud": [[1]]}


def test_malformed_forwarded_headers_are_a_bad_request(
    app: flask.Flask, client: t.Any
) -> None:
    @app.route("/")
    def index() -> str:
        return flask.request.url

    app.wsgi_app = ProxyFix(app.wsgi_app, x_host=1, x_prefix=1)  # type: ignore[method-assign]
    headers = {"X-Forwarded-Host": "example.com:8080", "X-Forwarded-Prefix": "[y"}
    assert client.get("/", headers=headers).status_code == 400
    ok = client.get("/", headers={"X-Forwarded-Host": "example.com:8080"})
    assert ok.data == b"http://example.com:8080/"


def _chunked_post(app: flask.Flask, path: str, body: bytes) -> tuple[str, bytes]:
    # What a server sends for a chunked body it has decoded: no
    # Content-Length, and a stream it terminates.
    environ = EnvironBuilder(
        path=path,
        method="POST",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input_terminated"] = True
    app_iter, status, _ = run_wsgi_app(app, environ)
    return status, b"".join(app_iter)


@pytest.mark.parametrize("read", ["data", "form", "stream"])
def test_chunked_body_over_the_limit_is_413_not_truncated(
    app: flask.Flask, read: str
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10
    seen: list[int] = []

    @app.post("/")
    def index() -> str:
        if read == "data":
            seen.append(len(flask.request.get_data()))
        elif read == "form":
            seen.append(len(flask.request.form))
        else:
            seen.append(len(flask.request.stream.read()))
        return "read"

    status, _ = _chunked_post(app, "/", b"a=" + b"x" * 98)
    assert status.startswith("413")
    assert seen == []
    status, body = _chunked_post(app, "/", b"a=" + b"x" * 8)
    assert (status, body) == ("200 OK", b"read")


@pytest.mark.parametrize("in_app", [True, False])
def test_redirect_target_with_line_breaks_is_encoded(
    app: flask.Flask, client: t.Any, in_app: bool
) -> None:
    @app.route("/login")
    def login() -> t.Any:
        target = flask.request.args["next"]
        if in_app:
            return flask.redirect(target)
        return flask.redirect(target, Response=flask.Response)

    rv = client.get("/login", query_string={"next": "/a\r\nSet-Cookie: x=1\n"})
    assert rv.status_code == 302
    assert rv.headers["Location"] == "/a%0D%0ASet-Cookie:%20x=1%0A"
    assert "Set-Cookie" not in rv.headers


def test_redirect_without_an_app_encodes_line_breaks() -> None:
    rv = flask.redirect("/a\rb")
    assert rv.headers["Location"] == "/a%0Db"


@pytest.mark.parametrize(
    "stored", [{"a": 1}, "message", 3, [["only-one"]], [("c", "m"), 5]]
)
def test_malformed_flashes_in_a_signed_session_are_no_messages(
    app: flask.Flask, client: t.Any, stored: t.Any
) -> None:
    @app.route("/")
    def index() -> t.Any:
        return {"messages": flask.get_flashed_messages()}

    @app.route("/flash")
    def flash() -> t.Any:
        flask.flash("hi")
        return {"messages": flask.get_flashed_messages()}

    with client.session_transaction() as sess:
        sess["_flashes"] = stored
    assert client.get("/").json == {"messages": []}
    with client.session_transaction() as sess:
        sess["_flashes"] = stored
    assert client.get("/flash").json == {"messages": ["hi"]}


def test_every_teardown_runs_when_one_fails(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []
    bp = flask.Blueprint("bp", __name__)

    @bp.route("/")
    def index() -> str:
        return "ok"

    @bp.teardown_request
    def bp_teardown(exc: BaseException | None) -> None:
        ran.append("bp")
        raise LookupError("bp")

    @app.teardown_request
    def app_teardown_1(exc: BaseException | None) -> None:
        ran.append("app 1")

    @app.teardown_request
    def app_teardown_2(exc: BaseException | None) -> None:
        ran.append("app 2")
        raise KeyError("app 2")

    @app.teardown_appcontext
    def appctx_teardown_1(exc: BaseException | None) -> None:
        ran.append("appctx 1")

    @app.teardown_appcontext
    def appctx_teardown_2(exc: BaseException | None) -> None:
        ran.append("appctx 2")
        raise ValueError("appctx 2")

    app.register_blueprint(bp)
    caplog.set_level(logging.ERROR, logger=app.logger.name)
    with pytest.raises(LookupError, match="bp"):
        app.test_client().get("/")
    assert ran == ["bp", "app 2", "app 1", "appctx 2", "appctx 1"]
    failed = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert [type(e) for e in failed] == [LookupError, KeyError, ValueError]
