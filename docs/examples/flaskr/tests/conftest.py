"""Flaskr test fixtures: an app on a fresh database, its clients, a login helper."""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import os
import pathlib

import pytest
from flaskr import create_app
from flaskr.db import get_db
from flaskr.db import init_db
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from flask import Flask
from flask.testing import FlaskClient
from flask.testing import FlaskCliRunner

#: The accounts every test starts with: username -> password.
USERS = {"test": "test", "other": "other"}

#: The post every test starts with, written by "test".
FIRST_POST = {
    "title": "test title",
    "body": "test\nbody",
    "created": dt.datetime(2018, 1, 1, 0, 0, 0),
}


@pytest.fixture(autouse=True)
def _no_deployment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's own ``FLASKR_*`` variables out of the tests."""
    for name in list(os.environ):
        if name.startswith("FLASKR_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def password_hashes() -> dict[str, str]:
    """Hash each password once: hashing is deliberately slow."""
    return {name: generate_password_hash(pw) for name, pw in USERS.items()}


@pytest.fixture
def app(tmp_path: pathlib.Path, password_hashes: dict[str, str]) -> Flask:
    """A Flaskr app in testing mode on its own database with two users and a post."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "testing",
            "DATABASE": str(tmp_path / "flaskr.sqlite"),
        }
    )
    with app.app_context():
        init_db()
        db = get_db()
        db.executemany(
            "INSERT INTO user (username, password) VALUES (?, ?)",
            list(password_hashes.items()),
        )
        db.execute(
            "INSERT INTO post (title, body, author_id, created) VALUES (?, ?, 1, ?)",
            (FIRST_POST["title"], FIRST_POST["body"], "2018-01-01 00:00:00"),
        )
        db.commit()
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for ``app``'s CLI commands."""
    return app.test_cli_runner()


class AuthActions:
    """Log the test client in and out the way the forms do."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(
        self, username: str = "test", password: str | None = None
    ) -> TestResponse:
        """Submit the login form; the password defaults to the user's own."""
        if password is None:
            password = USERS[username]
        return self._client.post(
            "/auth/login", data={"username": username, "password": password}
        )

    def logout(self) -> TestResponse:
        """Press the "Log Out" button."""
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log-in and log-out helpers bound to ``client``."""
    return AuthActions(client)


@pytest.fixture
def post_count(app: Flask) -> cabc.Callable[[], int]:
    """Return a function that counts the posts in ``app``'s database."""

    def count() -> int:
        with app.app_context():
            n: int = get_db().execute("SELECT COUNT(id) FROM post").fetchone()[0]
        return n

    return count
