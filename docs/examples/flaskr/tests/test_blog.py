"""The front page and the author-only create, edit and delete views."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

import pytest
from flaskr.db import get_db
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from markupsafe import escape

from flask import Flask
from flask.testing import FlaskClient

if t.TYPE_CHECKING:
    from conftest import AuthActions


def test_index_for_visitors(client: FlaskClient) -> None:
    page = client.get("/").data
    assert b"Log In" in page
    assert b"Register" in page
    assert b"test title" in page
    assert b"by test on 2018-01-01" in page
    assert b"test\nbody" in page
    assert b"New Post" not in page
    assert b'href="/1/update"' not in page


def test_index_for_the_author(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    page = client.get("/").data
    assert b"Log Out" in page
    assert b"Signed in as <strong>test</strong>" in page
    assert b'href="/create"' in page
    assert b'href="/1/update"' in page


def test_index_hides_edit_links_from_other_users(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("other")
    assert b'href="/1/update"' not in client.get("/").data


def test_index_lists_newest_first(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    client.post("/create", data={"title": "second", "body": ""})
    client.post("/create", data={"title": "third", "body": ""})
    page = client.get("/").data
    assert (
        page.index(b"<h2>third")
        < page.index(b"<h2>second")
        < page.index(b"<h2>test title")
    )


def test_index_when_empty(client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        get_db().execute("DELETE FROM post")
        get_db().commit()
    assert b"No posts yet." in client.get("/").data


def test_create_page(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    response = client.get("/create")
    assert response.status_code == 200
    assert b'name="title"' in response.data
    assert b'<textarea name="body"' in response.data


def test_create_saves_the_post(
    client: FlaskClient, auth: AuthActions, post_count: cabc.Callable[[], int]
) -> None:
    auth.login()
    response = client.post("/create", data={"title": "  created  ", "body": "text"})
    assert response.headers["Location"] == "/"
    assert post_count() == 2
    page = client.get("/").data
    assert "Published “created”.".encode() in page
    assert b"<h2>created</h2>" in page


def test_update_page_shows_the_post(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    page = client.get("/1/update").data
    assert b'value="test title"' in page
    assert b">test\nbody</textarea>" in page
    assert b'action="/1/delete"' in page


def test_update_saves_the_post(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.login()
    response = client.post("/1/update", data={"title": "updated", "body": "new"})
    assert response.headers["Location"] == "/"

    with app.app_context():
        post = get_db().execute("SELECT * FROM post WHERE id = 1").fetchone()
    assert (post["title"], post["body"]) == ("updated", "new")
    assert "Saved “updated”.".encode() in client.get("/").data


@pytest.mark.parametrize("path", ["/create", "/1/update"])
def test_a_title_is_required(
    client: FlaskClient,
    auth: AuthActions,
    post_count: cabc.Callable[[], int],
    path: str,
) -> None:
    auth.login()
    response = client.post(path, data={"title": "  ", "body": "kept"})
    assert response.status_code == 200
    assert b"Title is required." in response.data
    # The form comes back with what was typed, so nothing is lost.
    assert b">kept</textarea>" in response.data
    assert post_count() == 1


def test_delete_removes_the_post(
    client: FlaskClient, auth: AuthActions, post_count: cabc.Callable[[], int]
) -> None:
    auth.login()
    response = client.post("/1/delete")
    assert response.headers["Location"] == "/"
    assert post_count() == 0
    assert "Deleted “test title”.".encode() in client.get("/").data


def test_delete_needs_post(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert client.get("/1/delete").status_code == 405


def test_visitors_cannot_delete(
    client: FlaskClient, post_count: cabc.Callable[[], int]
) -> None:
    response = client.post("/1/delete")
    assert response.headers["Location"] == "/auth/login?next=/1/delete"
    assert post_count() == 1


@pytest.mark.parametrize("path", ["/1/update", "/1/delete"])
def test_only_the_author_may_change_a_post(
    client: FlaskClient,
    auth: AuthActions,
    path: str,
    post_count: cabc.Callable[[], int],
) -> None:
    auth.login("other")
    response = client.post(path, data={"title": "hijacked", "body": ""})
    assert response.status_code == 403
    assert b"Only the author may change a post." in response.data
    assert post_count() == 1
    assert b"hijacked" not in client.get("/").data


@pytest.mark.parametrize("path", ["/2/update", "/2/delete"])
def test_missing_posts_are_404(
    client: FlaskClient, auth: AuthActions, path: str
) -> None:
    auth.login()
    response = client.post(path)
    assert response.status_code == 404
    assert b"Post 2 does not exist." in response.data


_printable = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1, max_size=40
)


@settings(
    max_examples=30,
    deadline=None,
    # The app and its database are shared by the examples on purpose: every
    # example adds one post and checks only that post.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=_printable.filter(lambda s: s.strip()), body=_printable)
def test_any_text_is_stored_verbatim_and_shown_escaped(
    client: FlaskClient, app: Flask, title: str, body: str
) -> None:
    # Log in through the session rather than the form: hashing is slow.
    with client.session_transaction() as session:
        session["user_id"] = 1
    client.post("/create", data={"title": title, "body": body})

    with app.app_context():
        post = get_db().execute("SELECT * FROM post ORDER BY id DESC").fetchone()
    assert (post["title"], post["body"]) == (title.strip(), body)
    page = client.get("/").get_data(as_text=True)
    assert f"<h2>{escape(title.strip())}</h2>" in page
    assert str(escape(body)) in page
