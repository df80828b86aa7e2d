"""A Flask app served by ``Flask.asgi_app`` under a real uvicorn."""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextlib
import socket
import subprocess
import sys
import threading
import time
import typing as t

import httpx
import uvicorn

import flask


@contextlib.contextmanager
def serve(app: t.Any) -> cabc.Iterator[str]:
    """Run ``app`` under uvicorn (lifespan on) in a thread; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="on", log_level="warning", backlog=2048)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive(), "uvicorn did not start"
            assert time.monotonic() < deadline, "uvicorn did not start in 10 s"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "test"
    app.config["MAX_CONTENT_LENGTH"] = 1000
    state: dict[str, t.Any] = {}

    @app.before_serving
    async def make_queue() -> None:
        # Bound to the server's loop: Flask's loop-per-call would break it.
        state["queue"] = asyncio.Queue()
        state["app"] = flask.current_app.name

    @app.post("/put")
    async def put() -> str:
        await state["queue"].put(flask.request.form["item"])
        return "ok"

    @app.get("/get")
    async def get() -> str:
        return t.cast(str, await state["queue"].get())

    @app.get("/id/<int:n>")
    async def async_id(n: int) -> dict[str, t.Any]:
        flask.g.n = n
        await asyncio.sleep(0)
        return {"n": n, "arg": flask.request.args["n"], "g": flask.g.n}

    @app.get("/sync/<int:n>")
    def sync_id(n: int) -> dict[str, t.Any]:
        flask.g.n = n
        return {"n": n, "arg": flask.request.args["n"], "g": flask.g.n}

    @app.post("/upload")
    def upload() -> str:
        return str(len(flask.request.get_data()))

    @app.get("/session")
    def session() -> str:
        flask.session["count"] = flask.session.get("count", 0) + 1
        return str(flask.session["count"])

    @app.get("/stream")
    def stream() -> flask.Response:
        @flask.stream_with_context
        def generate() -> cabc.Iterator[str]:
            yield "path="
            yield flask.request.path

        return flask.Response(generate())

    app.config["state"] = state
    return app


def test_flask_app_served_on_uvicorn() -> None:
    app = make_app()
    with serve(app.asgi_app) as url, httpx.Client(base_url=url) as client:
        assert app.config["state"]["app"] == app.name
        # The queue made at startup works across requests on the one loop.
        assert client.post("/put", data={"item": "a"}).text == "ok"
        assert client.get("/get").text == "a"
        assert client.get("/session").text == "1"
        assert client.get("/session").text == "2"
        assert client.get("/stream").text == "path=/stream"
        assert client.post("/upload", content=b"x" * 999).text == "999"
        assert client.post("/upload", content=b"x" * 1001).status_code == 413
        assert client.get("/missing").status_code == 404


def test_concurrent_sync_and_async_requests_never_mix() -> None:
    app = make_app()
    count = 1000

    async def run(url: str) -> list[tuple[int, dict[str, t.Any]]]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as c:

            async def one(n: int) -> tuple[int, dict[str, t.Any]]:
                kind = "id" if n % 2 else "sync"
                response = await c.get(f"/{kind}/{n}", params={"n": n})
                return n, response.json()

            return await asyncio.gather(*(one(n) for n in range(count)))

    with serve(app.asgi_app) as url:
        results = asyncio.run(run(url))
    mixed = [n for n, body in results if body != {"n": n, "arg": str(n), "g": n}]
    assert len(results) == count and mixed == []


def test_wsgi_import_does_not_load_asgi() -> None:
    code = (
        "import sys, flask; app = flask.Flask('x');"
        "app.test_client().get('/');"
        "print('kolben.asgi' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
