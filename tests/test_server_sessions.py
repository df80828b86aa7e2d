"""Server-side sessions in a Flask app, chosen with ``SESSION_TYPE``.

The default stays the signed cookie, with none of the server-side code
loaded; "sqlite", "redis" and "memory" keep the data on the server with
Flask-Session's configuration names; a failing store answers 503 naming it;
``flask sessions purge`` deletes expired records.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import typing as t

import pytest
from click.testing import CliRunner

import flask
from flask.cli import FlaskGroup
from kolben.sessions import ServerSideSessionInterface

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    """A real ``redis-server`` on a free 127.0.0.1 port, without persistence."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
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


@pytest.fixture
def redis_server() -> cabc.Iterator[RedisServer]:
    if not os.path.exists(REDIS_SERVER):
        reason = (
            f"redis-server is not installed at {REDIS_SERVER}"
            " (apt-get install -y redis-server; .ci/run installs it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def make_app(tmp_path: t.Any, **config: t.Any) -> flask.Flask:
    app = flask.Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.secret_key = "server-side"
    app.config.update(config)

    @app.post("/login/<name>")
    def login(name: str) -> str:
        flask.session.regenerate()  # type: ignore[attr-defined]
        flask.session["user"] = name
        return "in"

    @app.get("/me")
    def me() -> dict[str, t.Any]:
        return dict(flask.session)

    @app.post("/logout")
    def logout() -> str:
        flask.session.clear()
        return "out"

    @app.get("/plain")
    def plain() -> str:
        return "plain"

    return app


def close(app: flask.Flask) -> None:
    app.session_interface.store.close()


def test_cookie_sessions_load_no_server_side_code() -> None:
    probe = """
import json, sys
import flask
app = flask.Flask("probe")
app.secret_key = "k"
@app.get("/")
def index():
    flask.session["a"] = 1
    return "ok"
assert app.test_client().get("/").headers["Set-Cookie"].startswith("session=")
print(json.dumps(sorted(m for m in sys.modules if m.startswith("kolben.sessions"))))
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        "kolben.sessions",
        "kolben.sessions._signing",
        "kolben.sessions.middleware",
        "kolben.sessions.protocols",
        "kolben.sessions.sessions",
        "kolben.sessions.tag",
    ]


def test_sqlite_is_one_config_line_and_lives_in_the_instance_folder(
    tmp_path: t.Any,
) -> None:
    app = make_app(tmp_path, SESSION_TYPE="sqlite")
    client = app.test_client()
    assert "Set-Cookie" not in client.get("/plain").headers
    client.post("/login/ada")
    assert client.get("/me").json == {"user": "ada"}
    assert isinstance(app.session_interface, ServerSideSessionInterface)
    path = tmp_path / "instance" / "sessions.sqlite3"
    with sqlite3.connect(path) as db:
        [(count,)] = db.execute("SELECT count(*) FROM kolben_sessions").fetchall()
    db.close()
    assert count == 1
    client.post("/logout")
    assert client.get("/me").json == {}
    close(app)


def test_login_regenerates_the_id(tmp_path: t.Any) -> None:
    app = make_app(tmp_path, SESSION_TYPE="memory")
    client = app.test_client()
    client.post("/login/ada")
    first = client.get_cookie("session")
    client.post("/login/bob")
    second = client.get_cookie("session")
    assert first is not None and second is not None
    assert first.value != second.value
    stale = app.test_client()
    stale.set_cookie("session", first.value)
    assert stale.get("/me").json == {}


def test_session_permanent_false_gives_a_browser_session_cookie(
    tmp_path: t.Any,
) -> None:
    app = make_app(tmp_path, SESSION_TYPE="memory", SESSION_PERMANENT=False)
    response = app.test_client().post("/login/ada")
    assert "Expires" not in response.headers["Set-Cookie"]
    app = make_app(tmp_path, SESSION_TYPE="memory")
    response = app.test_client().post("/login/ada")
    assert "Expires" in response.headers["Set-Cookie"]


def test_an_unknown_session_type_is_a_clear_error(tmp_path: t.Any) -> None:
    app = make_app(tmp_path, SESSION_TYPE="mongodb", TESTING=True)
    with pytest.raises(ValueError, match="Unknown SESSION_TYPE 'mongodb'"):
        app.test_client().get("/me")


def test_an_assigned_interface_wins_over_session_type(tmp_path: t.Any) -> None:
    app = make_app(tmp_path, SESSION_TYPE="memory")
    cookie_interface = flask.sessions.SecureCookieSessionInterface()
    app.session_interface = cookie_interface
    assert app.session_interface is cookie_interface
    assert flask.Flask.session_interface is not cookie_interface


def test_redis_by_url_with_a_key_prefix(
    tmp_path: t.Any, redis_server: RedisServer
) -> None:
    import redis

    app = make_app(
        tmp_path,
        SESSION_TYPE="redis",
        SESSION_REDIS=redis_server.url,
        SESSION_KEY_PREFIX="myapp:",
    )
    client = app.test_client()
    client.post("/login/ada")
    assert client.get("/me").json == {"user": "ada"}
    direct = redis.Redis.from_url(redis_server.url)
    keys = direct.keys("*")
    assert len(keys) == 1 and keys[0].startswith(b"myapp:")
    assert 0 < t.cast(int, direct.ttl(keys[0])) <= 31 * 86400
    direct.close()
    close(app)


def test_redis_dies_mid_run_503_then_recovers(
    tmp_path: t.Any, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    import redis

    client_object = redis.Redis.from_url(
        redis_server.url, socket_connect_timeout=1, socket_timeout=1
    )
    app = make_app(tmp_path, SESSION_TYPE="redis", SESSION_REDIS=client_object)
    client = app.test_client()
    client.post("/login/ada")
    assert client.get("/me").json == {"user": "ada"}
    redis_server.stop()
    response = client.get("/me")
    assert response.status_code == 503
    assert "session store (redis)" in response.text
    assert "Redis session store" in caplog.text
    # A request that never touches its session is still answered: only the
    # expiry refresh failed, and that was logged.
    assert client.get("/plain").status_code == 200
    redis_server.start()
    # The restarted server is empty (no persistence): log in again.
    assert client.get("/me").json == {}
    client.post("/login/ada")
    assert client.get("/me").json == {"user": "ada"}
    client_object.close()


def test_session_transaction_on_server_side_sessions(tmp_path: t.Any) -> None:
    app = make_app(tmp_path, SESSION_TYPE="memory")
    client = app.test_client()
    with client.session_transaction() as session:
        session["user"] = "grace"
    assert client.get("/me").json == {"user": "grace"}
    with client.session_transaction() as session:
        assert session["user"] == "grace"


def test_flask_sessions_purge(tmp_path: t.Any) -> None:
    app = make_app(tmp_path, SESSION_TYPE="sqlite")
    app.permanent_session_lifetime = 1  # type: ignore[assignment]
    client = app.test_client()
    client.post("/login/ada")
    client.post("/login/bob")
    time.sleep(1.1)
    runner = CliRunner()
    group = FlaskGroup(create_app=lambda: app)
    result = runner.invoke(group, ["sessions", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 expired session(s) from the sqlite store." in result.output
    close(app)
    cookie_app = make_app(tmp_path)
    group = FlaskGroup(create_app=lambda: cookie_app)
    result = runner.invoke(group, ["sessions", "purge"])
    assert result.exit_code == 2
    assert "no session store to purge" in result.output
