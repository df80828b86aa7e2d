"""The same requests to one app, through WSGI and through ASGI, answer alike.

WSGI side: werkzeug's threaded development server. ASGI side: uvicorn serving
``app.asgi_app``. Both run the same app object in this process, on loopback
ports, and the same httpx client sends every request to each; status,
headers and body must be identical, except for what is inherent to the
server rather than to the app (listed in :data:`SERVER_HEADERS`).
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import threading
import typing as t

import httpx
import pytest
from werkzeug.serving import make_server

import flask

#: Headers each server writes itself, whatever the app answers: ``date``
#: (the clock), ``server`` (its name), ``connection`` and ``keep-alive`` (its
#: connection policy), and ``transfer-encoding``: framing is the server's
#: choice (both chunk a streamed body without a length, which httpx decodes;
#: werkzeug's server also announces ``chunked`` on a HEAD answer that has no
#: body, uvicorn does not).
#: Besides, the two servers listen on different ports, so URLs the app builds
#: from the request's host (a redirect's ``Location`` and body) are compared with the
#: base URL replaced by ``{base}``.
SERVER_HEADERS = {"date", "server", "connection", "keep-alive", "transfer-encoding"}


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "parity"
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    @app.route("/form", methods=["POST"])
    def form() -> dict[str, t.Any]:
        return {"form": flask.request.form.to_dict(flat=False)}

    @app.post("/async-form")
    async def async_form() -> dict[str, t.Any]:
        return {"form": flask.request.form.to_dict(flat=False)}

    @app.post("/files")
    def files() -> dict[str, t.Any]:
        return {
            name: [f.filename, f.mimetype, len(f.read())]
            for name, f in flask.request.files.items()
        }

    @app.post("/json")
    async def json_view() -> t.Any:
        return {"got": flask.request.get_json()}

    @app.post("/size")
    def size() -> str:
        return str(len(flask.request.get_data()))

    @app.get("/session/<value>")
    def set_session(value: str) -> str:
        flask.session["value"] = value
        resp = flask.make_response("set")
        resp.set_cookie("plain", value, httponly=True)
        return resp  # type: ignore[return-value]

    @app.get("/session")
    async def get_session() -> dict[str, t.Any]:
        return {"session": dict(flask.session), "cookie": flask.request.cookies}

    @app.get("/redirect")
    def redirect() -> t.Any:
        return flask.redirect(flask.url_for("get_session"))

    @app.get("/slash/")
    def slash() -> str:
        return "slash"

    @app.get("/abort/<int:code>")
    async def abort(code: int) -> str:
        flask.abort(code)

    @app.get("/crash")
    def crash() -> str:
        raise ValueError("crash")

    @app.errorhandler(ValueError)
    def value_error(e: ValueError) -> tuple[dict[str, str], int]:
        return {"error": str(e)}, 422

    @app.errorhandler(418)
    def teapot(e: t.Any) -> tuple[str, int, dict[str, str]]:
        return "short and stout", 418, {"X-Teapot": "yes"}

    @app.get("/stream")
    def stream() -> flask.Response:
        @flask.stream_with_context
        def generate() -> cabc.Iterator[str]:
            for n in range(3):
                yield f"{flask.request.args.get('p', '')}{n};"

        return flask.Response(generate(), mimetype="text/plain")

    @app.route("/both", methods=["GET", "PUT"])
    async def both() -> str:
        return flask.request.method

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        response.headers["X-Endpoint"] = str(flask.request.endpoint)
        return response

    return app


@contextlib.contextmanager
def wsgi_server(app: flask.Flask) -> cabc.Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(15)


BIG = bytes(range(256)) * 200  # 51,200 bytes, under the 64 KiB limit

#: (name, method, path, keyword arguments for httpx.Client.request)
REQUESTS: list[tuple[str, str, str, dict[str, t.Any]]] = [
    ("form", "POST", "/form", {"data": {"a": ["1", "2"], "b": "é"}}),
    ("async form", "POST", "/async-form", {"data": {"a": "1"}}),
    (
        "multipart files",
        "POST",
        "/files",
        {"files": {"f": ("a.txt", b"x" * 1000, "text/plain"), "g": ("b.bin", BIG)}},
    ),
    ("json", "POST", "/json", {"json": {"list": [1, 2], "s": "ü"}}),
    (
        "bad json",
        "POST",
        "/json",
        {"content": b"{", "headers": {"Content-Type": "application/json"}},
    ),
    ("large body", "POST", "/size", {"content": BIG}),
    (
        "chunked large body",
        "POST",
        "/size",
        {"content": iter([BIG[:30000], BIG[30000:]])},
    ),
    ("over MAX_CONTENT_LENGTH", "POST", "/size", {"content": BIG * 2}),
    ("chunked over MAX_CONTENT_LENGTH", "POST", "/size", {"content": iter([BIG, BIG])}),
    ("session set", "GET", "/session/v1", {}),
    ("session read", "GET", "/session", {"cookies": {"plain": "p"}}),
    ("redirect", "GET", "/redirect", {}),
    ("slash redirect", "GET", "/slash", {}),
    ("404", "GET", "/missing", {}),
    ("405", "DELETE", "/form", {}),
    ("abort 403 in async view", "GET", "/abort/403", {}),
    ("handler for 418", "GET", "/abort/418", {}),
    ("handler for an error", "GET", "/crash", {}),
    ("streaming", "GET", "/stream", {"params": {"p": "x"}}),
    ("HEAD of a stream", "HEAD", "/stream", {}),
    ("HEAD of an async view", "HEAD", "/both", {}),
    ("PUT to an async view", "PUT", "/both", {}),
    ("OPTIONS", "OPTIONS", "/both", {}),
    ("query and unicode path", "GET", "/abort/404?q=%C3%A9", {}),
]


def answer(
    client: httpx.Client, method: str, path: str, kwargs: dict[str, t.Any]
) -> t.Any:
    kwargs = dict(kwargs)
    cookies = kwargs.pop("cookies", None)
    if cookies:
        client.cookies.update(cookies)
    response = client.request(method, path, **kwargs)
    base = str(client.base_url).rstrip("/")
    headers = sorted(
        (name, value.replace(base, "{base}"))
        for name, value in response.headers.multi_items()
        if name not in SERVER_HEADERS
    )
    return (
        response.status_code,
        headers,
        response.content.replace(base.encode(), b"{base}"),
    )


@pytest.fixture(scope="module")
def answers(in_thread: t.Any) -> dict[str, tuple[t.Any, t.Any]]:
    app = make_app()
    results: dict[str, tuple[t.Any, t.Any]] = {}
    with (
        wsgi_server(app) as wsgi_url,
        in_thread(app.asgi_app) as asgi_url,
    ):
        with (
            httpx.Client(base_url=wsgi_url) as wsgi,
            httpx.Client(base_url=asgi_url) as asgi,
        ):
            for name, method, path, kwargs in REQUESTS:
                # Content iterators are copied per send: see answer().
                if isinstance(kwargs.get("content"), cabc.Iterator):
                    chunks = list(kwargs["content"])
                    kwargs = {**kwargs, "content": chunks}
                    first = {**kwargs, "content": iter(chunks)}
                    second = {**kwargs, "content": iter(chunks)}
                else:
                    first = second = kwargs
                results[name] = (
                    answer(wsgi, method, path, first),
                    answer(asgi, method, path, second),
                )
    return results


@pytest.mark.parametrize("name", [r[0] for r in REQUESTS])
def test_same_answer_through_wsgi_and_asgi(
    answers: dict[str, tuple[t.Any, t.Any]], name: str
) -> None:
    through_wsgi, through_asgi = answers[name]
    assert through_asgi == through_wsgi
