"""Registering, logging in and out, and the ``login_required`` guard."""

from __future__ import annotations

import typing as t

import pytest
from flaskr.db import get_db
from werkzeug.security import check_password_hash

from flask import Flask
from flask import g
from flask import session
from flask.testing import FlaskClient

if t.TYPE_CHECKING:
    from conftest import AuthActions


def test_register_page(client: FlaskClient) -> None:
    response = client.get("/auth/register")
    assert response.status_code == 200
    assert b'<form method="post"' in response.data
    assert b'name="username"' in response.data
    assert b'type="password"' in response.data


def test_register_creates_the_user_with_a_hashed_password(
    client: FlaskClient, app: Flask
) -> None:
    response = client.post(
        "/auth/register", data={"username": " alice ", "password": "s3cret"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"

    with app.app_context():
        user = (
            get_db().execute("SELECT * FROM user WHERE username = 'alice'").fetchone()
        )
    assert user is not None
    assert user["password"] != "s3cret"
    assert check_password_hash(user["password"], "s3cret")

    page = client.get("/auth/login")
    assert b"Welcome, alice! Please log in." in page.data


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", b"Username is required."),
        ("   ", "pw", b"Username is required."),
        ("alice", "", b"Password is required."),
        ("test", "pw", b"User test is already registered."),
    ],
)
def test_register_rejects_invalid_input(
    client: FlaskClient, username: str, password: str, message: bytes
) -> None:
    response = client.post(
        "/auth/register", data={"username": username, "password": password}
    )
    assert response.status_code == 200
    assert message in response.data
    assert b"flash-error" in response.data


def test_register_keeps_the_typed_username_after_an_error(client: FlaskClient) -> None:
    response = client.post("/auth/register", data={"username": "bob", "password": ""})
    assert b'value="bob"' in response.data


def test_login_page(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b'autocomplete="current-password"' in response.data


def test_login_remembers_the_user(client: FlaskClient, auth: AuthActions) -> None:
    response = auth.login()
    assert response.headers["Location"] == "/"

    with client:
        client.get("/")
        assert session["user_id"] == 1
        assert g.user["username"] == "test"


@pytest.mark.parametrize(
    ("username", "password"),
    [("nobody", "test"), ("test", "wrong"), ("test", ""), ("", "")],
)
def test_login_rejects_bad_credentials(
    client: FlaskClient, auth: AuthActions, username: str, password: str
) -> None:
    response = auth.login(username, password)
    assert response.status_code == 200
    assert b"Incorrect username or password." in response.data
    with client:
        client.get("/")
        assert "user_id" not in session
        assert g.user is None


def test_logout_forgets_the_user(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()

    with client:
        response = auth.logout()
        assert response.headers["Location"] == "/"
        assert "user_id" not in session

    page = client.get("/")
    assert b"You have been logged out." in page.data
    assert b"Log In" in page.data


def test_logout_needs_post(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    with client:
        client.get("/")
        assert g.user is not None


def test_a_deleted_account_counts_as_logged_out(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.login()
    with app.app_context():
        db = get_db()
        db.execute("DELETE FROM post")
        db.execute("DELETE FROM user WHERE id = 1")
        db.commit()
    with client:
        client.get("/")
        assert g.user is None


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_login_required_sends_visitors_to_log_in(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/auth/login?next={path}"


def test_login_returns_to_the_requested_page(
    client: FlaskClient, auth: AuthActions
) -> None:
    response = client.post(
        "/auth/login?next=/1/update", data={"username": "test", "password": "test"}
    )
    assert response.headers["Location"] == "/1/update"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "x"]
)
def test_login_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "test", "password": "test"},
    )
    assert response.headers["Location"] == "/"
