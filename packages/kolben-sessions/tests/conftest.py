"""Fixtures shared by the package's tests."""

from __future__ import annotations

import collections.abc as cabc
import os
import pathlib
import shutil
import socket
import subprocess
import time
import typing as t
import uuid

import pytest
from itsdangerous.timed import TimestampSigner

#: A timestamp (2023-11-14 22:13:20 UTC) at which the golden Flask cookies in
#: the tests were signed.
FROZEN_TIME = 1_700_000_000


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> int:
    """Sign and verify cookies as if it were ``FROZEN_TIME``."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: FROZEN_TIME)
    return FROZEN_TIME


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A real ``redis-server`` on a free 127.0.0.1 port, without persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._wait_until_up()
        except BaseException:
            # Also on Ctrl-C: a fixture whose setup did not finish is never
            # torn down, so nothing else would stop this server.
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def require_redis_server() -> None:
    """Skip (locally) or fail (under ``CI=true``) without ``redis-server``."""
    if os.path.exists(REDIS_SERVER):
        return
    reason = (
        f"redis-server is not installed at {REDIS_SERVER}"
        " (apt-get install -y redis-server; .ci/run installs it)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def redis_requirement() -> cabc.Callable[[], None]:
    """The check the Redis fixtures make first, for a test of the check."""
    return require_redis_server


@pytest.fixture(scope="session")
def redis_server() -> cabc.Iterator[RedisServer]:
    """One ``redis-server`` for the test session."""
    require_redis_server()
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis_server() -> cabc.Iterator[RedisServer]:
    """A ``redis-server`` of the test's own, which it may kill and restart."""
    require_redis_server()
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(
    request: pytest.FixtureRequest, tmp_path: pathlib.Path
) -> cabc.Iterator[t.Any]:
    """Each server-side store, fresh for the test."""
    made: t.Any
    if request.param == "memory":
        from kolben.sessions import MemoryStore

        made = MemoryStore()
    elif request.param == "sqlite":
        from kolben.sessions import SQLiteStore

        made = SQLiteStore(tmp_path / "sessions.sqlite3")
    else:
        server = request.getfixturevalue("redis_server")
        from kolben.sessions import RedisStore

        made = RedisStore(server.url, key_prefix=f"test{uuid.uuid4().hex}:")
    yield made
    made.close()
