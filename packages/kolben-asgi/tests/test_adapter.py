"""The adapter under a real uvicorn: streamed bodies, streamed responses, threads."""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextlib
import contextvars
import hashlib
import sys
import threading
import typing as t

import httpx
import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.asgi import ASGIAdapter
from kolben.asgi import build_environ
from kolben.asgi import server_loop
from kolben.asgi import sync_on_loop


class App:
    """A small werkzeug app with the handful of behaviours the tests need."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.threads: set[str] = set()

    def app_context(self) -> contextlib.AbstractContextManager[t.Any]:
        return contextlib.nullcontext()

    def wsgi_app(
        self, environ: dict[str, t.Any], start_response: t.Any
    ) -> cabc.Iterable[bytes]:
        request = Request(environ)
        request.max_content_length = 1024 * 1024
        self.threads.add(threading.current_thread().name)
        try:
            response = self.dispatch(request)
        except HTTPException as e:
            response = e.get_response(environ)  # type: ignore[assignment]
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path == "/digest":
            digest = hashlib.sha256()
            while chunk := request.stream.read(65536):
                digest.update(chunk)
            return Response(digest.hexdigest())
        if request.path == "/form":
            return Response(",".join(f"{k}={v}" for k, v in request.form.items()))
        if request.path == "/stream":

            def generate() -> cabc.Iterator[bytes]:
                for n in range(3):
                    yield f"part{n};".encode()

            return Response(generate())
        if request.path == "/loop":
            return Response(repr(server_loop() is not None))
        return Response(f"{request.method} {request.full_path}", status=201)


def test_environ_from_scope() -> None:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/app/caf\u00e9",
        "root_path": "/app",
        "query_string": b"a=1",
        "headers": [
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"content-type", b"text/plain"),
            (b"x-thing", b"1"),
            (b"x-thing", b"2"),
        ],
        "server": ("example.org", 8080),
        "client": ("10.0.0.1", 5000),
    }
    environ = build_environ(scope, t.cast(t.IO[bytes], None))
    assert environ["SCRIPT_NAME"] == "/app"
    assert environ["PATH_INFO"] == "/caf\u00e9".encode().decode("latin-1")
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_X_THING"] == "1,2"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["SERVER_PORT"] == "8080"
    assert Request(environ).path == "/caf\u00e9"


def test_requests_run_in_the_pool(served: t.Any) -> None:
    app = App()
    with served(ASGIAdapter(app)) as url:
        response = httpx.get(f"{url}/x?y=1")
        assert (response.status_code, response.text) == (201, "GET /x?y=1")
        assert httpx.get(f"{url}/loop").text == "True"
    assert all(name.startswith("kolben-asgi") for name in app.threads)


def test_form_and_streamed_response(served: t.Any) -> None:
    with served(ASGIAdapter(App())) as url:
        assert httpx.post(f"{url}/form", data={"a": "1", "b": "2"}).text == "a=1,b=2"
        with httpx.stream("GET", f"{url}/stream") as response:
            assert response.headers.get("transfer-encoding") == "chunked"
            assert response.read() == b"part0;part1;part2;"


def test_chunked_upload_is_streamed_and_bounded(served: t.Any) -> None:
    blob = bytes(range(256)) * 3000  # 768 KiB, under the 1 MiB limit

    def chunks(data: bytes) -> cabc.Iterator[bytes]:
        for start in range(0, len(data), 50_000):
            yield data[start : start + 50_000]

    with served(ASGIAdapter(App())) as url:
        response = httpx.post(f"{url}/digest", content=chunks(blob))
        assert response.text == hashlib.sha256(blob).hexdigest()
        # Over the limit without a Content-Length: werkzeug stops reading at it.
        big = blob * 2
        response = httpx.post(f"{url}/digest", content=chunks(big))
        assert response.status_code == 413
        # Over the limit with a Content-Length: refused before reading.
        response = httpx.post(f"{url}/digest", content=big)
        assert response.status_code == 413


def test_async_code_shares_the_server_loop(served: t.Any) -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    class LoopApp(App):
        def dispatch(self, request: Request) -> Response:
            loop = server_loop()
            assert loop is not None

            async def view() -> str:
                loops.append(asyncio.get_running_loop())
                await asyncio.sleep(0)
                return request.path

            return Response(sync_on_loop(view, loop)())

    with served(ASGIAdapter(LoopApp())) as url:
        assert httpx.get(f"{url}/a").text == "/a"
        assert httpx.get(f"{url}/b").text == "/b"
    assert len(loops) == 2 and loops[0] is loops[1]


def test_lifespan_handlers_run_in_order(served: t.Any) -> None:
    app = App()
    adapter = ASGIAdapter(app)

    @adapter.before_serving
    def sync_start() -> None:
        app.events.append("sync start")

    @adapter.before_serving
    async def async_start() -> None:
        app.events.append("async start")

    @adapter.after_serving
    async def stop() -> None:
        app.events.append("stop")

    with served(adapter) as url:
        assert app.events == ["sync start", "async start"]
        httpx.get(url)
    assert app.events == ["sync start", "async start", "stop"]


def test_failing_startup_stops_the_server() -> None:
    import uvicorn

    adapter = ASGIAdapter(App())

    @adapter.before_serving
    def broken() -> None:
        raise RuntimeError("no database")

    server = uvicorn.Server(
        uvicorn.Config(
            adapter, lifespan="on", log_level="critical", port=0, host="127.0.0.1"
        )
    )
    with pytest.raises(SystemExit):
        server.run()
    assert not server.started


def test_hypercorn_serves_the_adapter() -> None:
    import socket
    import subprocess
    import sys
    import time

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    code = (
        "import contextlib, asyncio\n"
        "from hypercorn.asyncio import serve\n"
        "from hypercorn.config import Config\n"
        "from werkzeug.wrappers import Response\n"
        "from kolben.asgi import ASGIAdapter\n"
        "class App:\n"
        "    def wsgi_app(self, environ, start_response):\n"
        "        body = Response('hyper ' + environ['PATH_INFO'])\n"
        "        return body(environ, start_response)\n"
        "    def app_context(self):\n"
        "        return contextlib.nullcontext()\n"
        "config = Config()\n"
        f"config.bind = ['127.0.0.1:{port}']\n"
        "asyncio.run(serve(ASGIAdapter(App()), config))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/smoke")
                break
            except httpx.TransportError:
                assert process.poll() is None, "hypercorn exited"
                assert time.monotonic() < deadline, "hypercorn did not start"
                time.sleep(0.05)
        assert (response.status_code, response.text) == (200, "hyper /smoke")
    finally:
        process.terminate()
        try:
            process.wait(10)
        finally:
            # Also when the wait timed out or was interrupted.
            if process.poll() is None:
                process.kill()
                process.wait()


def test_native_requests_run_on_the_loop(served: t.Any) -> None:
    # An app may serve a request as a coroutine on the loop (NativeApp):
    # no pool thread is held while it awaits, and run_sync hands sync steps
    # to the pool inside the request's own context, both ways.
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker")
    seen: dict[str, t.Any] = {}

    class NativeApp(App):
        def asgi_handler(self, environ: dict[str, t.Any]) -> t.Any:
            if not environ["PATH_INFO"].startswith("/native"):
                return None

            async def handle(start_response: t.Any, run_sync: t.Any) -> t.Any:
                seen["loop thread"] = threading.current_thread().name
                marker.set("from the task")

                def in_pool() -> str:
                    seen["pool thread"] = threading.current_thread().name
                    seen["pool saw"] = marker.get()
                    marker.set("from the pool")
                    return "sync result"

                result = await run_sync(in_pool)
                seen["task saw"] = marker.get()
                start_response("200 OK", [("Content-Type", "text/plain")])
                if environ["PATH_INFO"] == "/native/list":
                    return [result.encode(), b"!"]

                async def chunks() -> cabc.AsyncIterator[bytes]:
                    for n in range(3):
                        await asyncio.sleep(0)
                        yield f"chunk{n};".encode()

                return chunks()

            return handle

    app = NativeApp()
    with served(ASGIAdapter(app)) as url:
        assert httpx.get(f"{url}/native/list").text == "sync result!"
        with httpx.stream("GET", f"{url}/native/stream") as response:
            assert response.headers["transfer-encoding"] == "chunked"
            assert response.read() == b"chunk0;chunk1;chunk2;"
        # Other requests still take the WSGI way.
        assert httpx.get(f"{url}/x").text == "GET /x?"
    if sys.version_info >= (3, 11):
        assert not seen["loop thread"].startswith("kolben-asgi")
        assert seen["pool thread"].startswith("kolben-asgi")
        assert seen["pool saw"] == "from the task"
        assert seen["task saw"] == "from the pool"
    else:
        # Python 3.10 cannot run a task in a given context: WSGI way only.
        assert seen == {}


def test_body_complete_in_its_first_chunk_is_finished(served: t.Any) -> None:
    # A body whose first chunk is all its Content-Length announces is sent
    # from the loop in one go, after the iterable ran to its end and closed.
    events: list[str] = []

    class Declared(App):
        def dispatch(self, request: Request) -> Response:
            def generate() -> cabc.Iterator[bytes]:
                try:
                    yield b"whole"
                    events.append("ran to the end")
                finally:
                    events.append("closed")

            response = Response(generate())
            response.content_length = 5
            return response

    with served(ASGIAdapter(Declared())) as url:
        response = httpx.get(url)
        assert (response.status_code, response.content) == (200, b"whole")
        assert response.headers["content-length"] == "5"
        assert "transfer-encoding" not in response.headers
    assert events == ["ran to the end", "closed"]
