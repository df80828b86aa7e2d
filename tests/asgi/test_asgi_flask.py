"""A Flask app served by ``Flask.asgi_app`` under a real uvicorn."""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import json
import subprocess
import sys
import time
import typing as t

import httpx
import pytest

import flask

#: Async views run on the loop only where a task can run in a given context.
NATIVE_ONLY = pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="Python 3.10 has no asyncio task context: async views go through the"
    " thread pool there, without the loop's concurrency or async generator bodies",
)


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


def test_flask_app_served_on_uvicorn(in_thread: t.Any) -> None:
    app = make_app()
    with in_thread(app.asgi_app) as url, httpx.Client(base_url=url) as client:
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


def test_concurrent_sync_and_async_requests_never_mix(
    asgi_apps: t.Any, in_process: t.Any, raw_client: t.Any
) -> None:
    # 10,000 requests, 200 in flight at all times (one keep-alive connection
    # per simulated user), sync views in the pool and async ones on the loop.
    count, users = 10_000, 200

    async def run(url: str) -> list[tuple[int, t.Any]]:
        results: list[tuple[int, t.Any]] = []

        async def user(first: int) -> None:
            client = raw_client(url)
            try:
                for n in range(first, count, users):
                    kind = "id" if n % 2 else "sync"
                    answer = await client.request("GET", f"/{kind}/{n}?n={n}")
                    results.append((n, json.loads(answer.body)))
            finally:
                await client.close()

        await asyncio.wait_for(
            asyncio.gather(*(user(first) for first in range(users))), 120
        )
        return results

    with in_process("apps:app.asgi_app") as url:
        results = asyncio.run(run(url))
    mixed = [n for n, body in results if body != {"n": n, "arg": str(n), "g": n}]
    assert sorted(n for n, _ in results) == list(range(count))
    assert mixed == []


@NATIVE_ONLY
def test_500_sleeping_async_views_finish_within_a_second(
    in_process: t.Any, raw_client: t.Any
) -> None:
    # The acceptance figure: each view awaits asyncio.sleep(0.1) on
    # the one server loop, so 500 of them at once take about 0.1 s plus the
    # server's per-request work (a thread each would need 500 threads).
    async def burst(url: str, size: int) -> float:
        clients = [raw_client(url) for _ in range(size)]
        # Connect first: the figure is about the server's handling of 500
        # requests in flight, not about 500 TCP handshakes.
        await asyncio.wait_for(
            asyncio.gather(*(c.request("GET", "/sync/0?n=0") for c in clients)), 30
        )
        start = time.perf_counter()
        answers = await asyncio.wait_for(
            asyncio.gather(*(c.request("GET", "/sleep") for c in clients)), 30
        )
        elapsed = time.perf_counter() - start
        await asyncio.gather(*(c.close() for c in clients))
        assert {(a.status, a.body) for a in answers} == {(200, b"slept")}
        return elapsed

    with in_process("apps:app.asgi_app") as url:
        elapsed = asyncio.run(burst(url, 500))
    assert elapsed < 1.0, f"500 concurrent async views took {elapsed:.2f} s"


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


@NATIVE_ONLY
def test_async_views_hooks_bodies_and_streams(
    asgi_apps: t.Any, in_thread: t.Any
) -> None:
    app = asgi_apps.make_app()
    with in_thread(app.asgi_app) as url, httpx.Client(base_url=url) as client:
        # The body is loaded in the pool before the view runs on the loop.
        response = client.post(
            "/async-form", data={"a": "1"}, files={"f": ("f.txt", b"data")}
        )
        assert response.json() == {"form": {"a": "1"}, "files": 1}
        assert client.post("/async-json", json={"x": [1, 2]}).json() == {"x": [1, 2]}
        assert client.post("/async-json", content=b"x" * 1001).status_code == 413
        # Sync hooks run around the async view; an async handler takes its error.
        response = client.get("/hooked/view")
        assert response.text == "view saw before"
        assert response.headers["x-after"] == "hooked.view"
        response = client.get("/hooked/error")
        assert (response.status_code, response.text) == (409, "handled boom")
        assert response.headers["x-after"] == "hooked.error"
        # A sync generator with stream_with_context, iterated in the pool.
        with client.stream("GET", "/sync-stream") as response:
            assert response.headers["transfer-encoding"] == "chunked"
            assert response.read() == b"path=/sync-stream"
        # An async generator, consumed on the loop.
        with client.stream("GET", "/async-stream") as response:
            assert response.headers["x-streamed"] == "async"
            assert response.headers["transfer-encoding"] == "chunked"
            assert response.read() == b"part0;part1;part2;"
        response = client.head("/async-stream")
        assert (response.status_code, response.content) == (200, b"")


def test_async_generator_body_is_refused_under_wsgi(asgi_apps: t.Any) -> None:
    app = asgi_apps.make_app()
    app.testing = False
    response = app.test_client().get("/async-stream")
    assert response.status_code == 500
