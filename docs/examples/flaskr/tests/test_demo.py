"""``python -m flaskr`` (``hatch run demo``): first-run setup, then the dev server."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import time
import typing as t
import urllib.request

import flaskr
import pytest
from flaskr import create_app
from flaskr.db import get_db
from flaskr.demo import ensure_database
from flaskr.demo import main

from flask import Flask


def test_ensure_database_creates_it_once(tmp_path: pathlib.Path) -> None:
    app = create_app({"DATABASE": str(tmp_path / "blog.sqlite")})

    assert ensure_database(app)
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO user (username, password) VALUES ('kept', 'x')")
        db.commit()

    # A second start must not wipe what people wrote.
    assert not ensure_database(app)
    with app.app_context():
        assert get_db().execute("SELECT username FROM user").fetchone()[0] == "kept"


@pytest.fixture
def served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> list[dict[str, t.Any]]:
    """Replace the dev server by a recorder; point the app at a temporary database."""
    calls: list[dict[str, t.Any]] = []

    def fake_run(self: Flask, **kwargs: t.Any) -> None:
        calls.append(kwargs)

    monkeypatch.setattr(Flask, "run", fake_run)
    monkeypatch.setenv("FLASKR_DATABASE", str(tmp_path / "demo.sqlite"))
    return calls


def test_main_defaults(
    served: list[dict[str, t.Any]],
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0

    assert served == [{"host": "127.0.0.1", "port": 5000, "debug": False}]
    assert (tmp_path / "demo.sqlite").is_file()
    out = capsys.readouterr().out
    assert f"Created the database at {tmp_path / 'demo.sqlite'}" in out
    assert "Flaskr is running at http://127.0.0.1:5000/" in out


def test_main_overrides(
    served: list[dict[str, t.Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    main([])
    capsys.readouterr()

    main(["--host", "0.0.0.0", "--port", "8123", "--debug"])

    assert served[-1] == {"host": "0.0.0.0", "port": 8123, "debug": True}
    out = capsys.readouterr().out
    assert "Created the database" not in out
    assert "Flaskr is running at http://0.0.0.0:8123/" in out


def test_busy_port_is_reported_before_anything_runs(
    served: list[dict[str, t.Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port)]) == 1

    assert served == []
    captured = capsys.readouterr()
    assert "Flaskr is running" not in captured.out
    assert f"cannot listen on 127.0.0.1:{port}" in captured.err


def test_reloader_child_does_not_announce_again(
    served: list[dict[str, t.Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # werkzeug's reloader marks the child it starts with this variable.
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    assert main(["--debug"]) == 0
    assert served[-1]["debug"] is True
    assert "Flaskr is running" not in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_asgi_has_no_debug_mode(served: list[dict[str, t.Any]]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--asgi", "--debug"])
    assert exit_info.value.code == 2
    assert served == []


@pytest.mark.parametrize("server_args", [[], ["--asgi"]], ids=["dev", "asgi"])
def test_python_m_flaskr_serves_the_blog(
    tmp_path: pathlib.Path, server_args: list[str]
) -> None:
    port = _free_port()
    env = dict(os.environ, FLASKR_DATABASE=str(tmp_path / "demo.sqlite"))
    # The folder that holds the flaskr package, however the tests found it.
    example = pathlib.Path(flaskr.__file__).parent.parent
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(example), env.get("PYTHONPATH")])
    )
    env.pop("FLASK_RUN_FROM_CLI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "flaskr", "--port", str(port), *server_args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = _get_when_up(f"http://127.0.0.1:{port}/", server)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]

    assert page is not None, f"the demo server did not come up:\n{output}"
    assert "<title>Posts · Flaskr</title>" in page
    assert "No posts yet." in page
    assert f"Flaskr is running at http://127.0.0.1:{port}/" in output
    assert (tmp_path / "demo.sqlite").is_file()


def _get_when_up(
    url: str, server: subprocess.Popen[str], timeout: float = 20
) -> str | None:
    """GET ``url`` once the server answers; ``None`` if it died or never answered."""
    deadline = time.monotonic() + timeout
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body: str = response.read().decode()
                return body
        except OSError:
            time.sleep(0.1)
    return None
