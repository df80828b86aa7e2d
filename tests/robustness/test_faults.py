"""Faults: exceptions in every hook, in an error handler, in a teardown
function and mid-stream, and a client that disconnects mid-upload.

A real threaded werkzeug server runs the app. After each fault the server
still answers, the next request succeeds, and every request (identified by
its ``X-Request-Id``) ran each teardown function exactly once.
"""

from __future__ import annotations

import collections
import collections.abc as cabc
import http.client
import socket
import threading
import time
import typing as t

import pytest
from conftest import Figures
from werkzeug.serving import make_server

import flask

FAULTS = [
    "before",
    "after",
    "view",
    "handler",
    "teardown",
    "stream",
    "stream-early",
    "url-processor",
]


def create_app() -> tuple[flask.Flask, collections.Counter[tuple[str, str]]]:
    app = flask.Flask(__name__)
    app.config["SECRET_KEY"] = "faults"
    torn_down: collections.Counter[tuple[str, str]] = collections.Counter()

    # The first hook of a request: the ones after it may fail.
    @app.url_value_preprocessor
    def identify(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        flask.g.rid = flask.request.headers.get("X-Request-Id", "")

    @app.before_request
    def before() -> None:
        if flask.request.args.get("fault") == "before":
            raise RuntimeError("before_request failed")

    @app.url_value_preprocessor
    def preprocess(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        if flask.request.args.get("fault") == "url-processor":
            raise RuntimeError("url_value_preprocessor failed")

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        if flask.request.args.get("fault") == "after":
            raise RuntimeError("after_request failed")
        return response

    @app.teardown_request
    def count_request(exc: BaseException | None) -> None:
        torn_down[("request", flask.g.get("rid", ""))] += 1

    @app.teardown_request
    def failing_teardown(exc: BaseException | None) -> None:
        if flask.request.args.get("fault") == "teardown":
            raise RuntimeError("teardown_request failed")

    @app.teardown_appcontext
    def count_app(exc: BaseException | None) -> None:
        torn_down[("app", flask.g.get("rid", ""))] += 1

    @app.errorhandler(LookupError)
    def broken_handler(e: LookupError) -> t.Any:
        raise RuntimeError("the error handler failed")

    @app.route("/")
    def index() -> t.Any:
        fault = flask.request.args.get("fault")
        if fault in ("view", "handler"):
            raise LookupError("view failed") if fault == "handler" else ValueError()

        if fault in ("stream", "stream-early"):

            @flask.stream_with_context
            def generate() -> cabc.Iterator[str]:
                if fault == "stream":
                    yield "first part"
                raise RuntimeError("failed mid-stream")

            return flask.Response(generate())
        return "ok"

    @app.post("/upload")
    def upload() -> str:
        return str(len(flask.request.get_data()))

    return app, torn_down


@pytest.fixture
def served() -> cabc.Iterator[tuple[tuple[str, int], collections.Counter[t.Any]]]:
    app, torn_down = create_app()
    app.logger.disabled = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.log = lambda *args, **kwargs: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ("127.0.0.1", server.port), torn_down
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
        app.logger.disabled = False


def get(address: tuple[str, int], rid: str, query: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(*address, timeout=10)
    try:
        conn.request("GET", f"/?{query}", headers={"X-Request-Id": rid})
        response = conn.getresponse()
        try:
            return response.status, response.read()
        except http.client.IncompleteRead as e:
            return response.status, e.partial
    finally:
        conn.close()


def wait_for(condition: cabc.Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("rounds", [5])
def test_faults_keep_the_server_up_and_teardown_runs_once(
    served: tuple[tuple[str, int], collections.Counter[t.Any]],
    figures: Figures,
    rounds: int,
) -> None:
    address, torn_down = served
    sent: list[str] = []
    for round_ in range(rounds):
        for fault in FAULTS:
            rid = f"{fault}-{round_}"
            status, body = get(address, rid, f"fault={fault}")
            sent.append(rid)
            if fault == "stream":
                # Headers went out before the failure: the body stops short.
                assert (status, body) == (200, b"first part")
            else:
                assert status == 500, (fault, body)
            rid = f"after-{fault}-{round_}"
            assert get(address, rid) == (200, b"ok")
            sent.append(rid)
    wait_for(lambda: len(torn_down) == 2 * len(sent))
    assert torn_down == {(kind, rid): 1 for rid in sent for kind in ("request", "app")}
    figures["faults requests"] += len(sent)


def test_a_client_disconnecting_mid_upload_leaves_the_server_up(
    served: tuple[tuple[str, int], collections.Counter[t.Any]], figures: Figures
) -> None:
    address, torn_down = served
    for n in range(10):
        rid = f"upload-{n}"
        with socket.create_connection(address, timeout=10) as sock:
            sock.sendall(
                b"POST /upload HTTP/1.1\r\nHost: localhost\r\n"
                + f"X-Request-Id: {rid}\r\n".encode()
                + b"Content-Length: 100000\r\n\r\n"
                + b"x" * 1000
            )
        key = ("request", rid)
        wait_for(lambda key=key: torn_down[key] == 1)  # type: ignore[misc]
        assert get(address, f"after-{rid}") == (200, b"ok")
    wait_for(lambda: len(torn_down) == 40)
    assert set(torn_down.values()) == {1}
    figures["faults disconnects"] += 10
