"""Chat example fixtures: the app served by a real uvicorn on a free port."""

from __future__ import annotations

import collections.abc as cabc
import socket
import threading
import time

import pytest
import uvicorn
from chat import create_app

from flask import Flask


@pytest.fixture
def app() -> Flask:
    """A fresh chat app (an empty room)."""
    return create_app({"TESTING": True})


@pytest.fixture
def host(app: Flask) -> cabc.Iterator[str]:
    """Serve ``app.asgi_app`` under uvicorn; yield its ``127.0.0.1:port``."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app.asgi_app, lifespan="on", log_level="warning")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive(), "uvicorn did not start"
            assert time.monotonic() < deadline, "uvicorn did not start in 10 s"
            time.sleep(0.01)
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
