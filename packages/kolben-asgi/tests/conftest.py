"""A real uvicorn server on a free 127.0.0.1 port, and a minimal served app."""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import socket
import threading
import time
import typing as t

import pytest
import uvicorn


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


@pytest.fixture
def served() -> cabc.Callable[[t.Any], contextlib.AbstractContextManager[str]]:
    """Return :func:`serve`, for tests that serve their own app."""
    return serve
