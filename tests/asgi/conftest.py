"""Real uvicorn servers for the ASGI tests, and a small raw HTTP client.

Every server listens on a socket bound here (127.0.0.1, a free port) before
it starts, so a client may connect at once: the kernel queues connections
until uvicorn, after its lifespan startup, accepts them. Nothing is polled.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextlib
import pathlib
import select
import socket
import subprocess
import sys
import threading
import types
import typing as t

import pytest
import uvicorn

HERE = pathlib.Path(__file__).resolve().parent


def listening_socket() -> socket.socket:
    """A TCP socket listening on a free 127.0.0.1 port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    return sock


class _Server(uvicorn.Server):
    """uvicorn that says when its startup (lifespan included) is over."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.contextmanager
def serve_in_thread(app: t.Any) -> cabc.Iterator[str]:
    """Run ``app`` under uvicorn (lifespan on) in a thread; yield its base URL.

    For tests that look at the app's state in this process. Stopping waits
    for uvicorn to close every connection and run the lifespan shutdown.
    """
    sock = listening_socket()
    port = sock.getsockname()[1]
    server = _Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        if not server.ready.wait(15):
            raise AssertionError("uvicorn did not start in 15 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop in 15 s"


_CHILD = """
import socket, sys, uvicorn
sys.path.insert(0, sys.argv[3])
class Server(uvicorn.Server):
    async def startup(self, sockets=None):
        await super().startup(sockets)
        print("ready", flush=True)
sock = socket.socket(fileno=int(sys.argv[1]))
config = uvicorn.Config(sys.argv[2], lifespan="on", log_level="warning")
Server(config).run(sockets=[sock])
"""


@contextlib.contextmanager
def serve_in_process(target: str, app_dir: pathlib.Path = HERE) -> cabc.Iterator[str]:
    """Run ``target`` (``module:attr``) under uvicorn in a child process.

    The child prints a line once its startup is over; until then (15 s at
    most) nothing is sent to it.
    """
    sock = listening_socket()
    port = sock.getsockname()[1]
    fd = sock.fileno()
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(fd), target, str(app_dir)],
        pass_fds=[fd],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 15)
        if not ready or process.stdout.readline().strip() != "ready":
            raise AssertionError(f"uvicorn did not start serving {target} in 15 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(15)
        finally:
            sock.close()
            if process.returncode is None:
                process.kill()
                process.wait(5)
            if process.stdout is not None:
                process.stdout.close()


class Answer(t.NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes


class RawClient:
    """HTTP/1.1 over asyncio streams: one keep-alive connection per user.

    Far lighter than a full client, so hundreds of requests really are in
    flight at once and the server, not the client, is what gets measured.
    """

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> Answer:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port
            )
        assert self._reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
        if body:
            head += f"Content-Length: {len(body)}\r\n"
        self._writer.write(head.encode() + b"\r\n" + body)
        raw = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *lines = raw.decode("latin-1").split("\r\n")[:-2]
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            data = await self._reader.readexactly(int(headers["content-length"]))
        else:
            assert headers.get("transfer-encoding") == "chunked", headers
            data = await self._read_chunked()
        return Answer(int(status_line.split(" ")[1]), headers, data)

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        data = bytearray()
        while True:
            size = int((await self._reader.readuntil(b"\r\n"))[:-2], 16)
            data += await self._reader.readexactly(size + 2)
            del data[-2:]
            if size == 0:
                return bytes(data)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
            self._writer = None


@pytest.fixture
def asgi_apps() -> types.ModuleType:
    """tests/asgi/apps.py, imported for this test."""
    from importlib.util import module_from_spec
    from importlib.util import spec_from_file_location

    spec = spec_from_file_location("asgi_test_apps", HERE / "apps.py")
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def in_thread() -> cabc.Callable[[t.Any], contextlib.AbstractContextManager[str]]:
    """:func:`serve_in_thread`."""
    return serve_in_thread


@pytest.fixture(scope="session")
def in_process() -> cabc.Callable[..., contextlib.AbstractContextManager[str]]:
    """:func:`serve_in_process`."""
    return serve_in_process


@pytest.fixture(scope="session")
def raw_client() -> type[RawClient]:
    """:class:`RawClient`."""
    return RawClient
