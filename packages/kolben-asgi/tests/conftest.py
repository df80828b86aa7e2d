"""A real uvicorn server on a free 127.0.0.1 port, and a minimal served app."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import socket
import threading
import typing as t

import pytest
import uvicorn


class _Server(uvicorn.Server):
    """uvicorn that says when its startup (lifespan included) is over."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.contextmanager
def serve(app: t.Any) -> cabc.Iterator[str]:
    """Run ``app`` under uvicorn (lifespan on) in a thread; yield its base URL.

    The socket listens before uvicorn starts and the test waits on an event
    uvicorn sets after its startup; stopping waits for every connection to
    close and the lifespan shutdown to run.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
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


@pytest.fixture
def served() -> cabc.Callable[[t.Any], contextlib.AbstractContextManager[str]]:
    """Return :func:`serve`, for tests that serve their own app."""
    return serve
