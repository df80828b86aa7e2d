"""The JSON API: list, create, read, change and delete to-dos."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from jsonapi.store import TodoStore

from flask.testing import FlaskClient


def test_empty_list(client: FlaskClient) -> None:
    response = client.get("/api/todos")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json == []


def test_create_answers_201_with_the_item_and_its_location(client: FlaskClient) -> None:
    response = client.post("/api/todos", json={"title": "  Buy milk "})
    assert response.status_code == 201
    assert response.json == {
        "id": 1,
        "title": "Buy milk",
        "done": False,
        "url": "/api/todos/1",
    }
    assert response.headers["Location"] == "/api/todos/1"


def test_create_done(client: FlaskClient) -> None:
    response = client.post("/api/todos", json={"title": "x", "done": True})
    assert response.json is not None
    assert response.json["done"] is True


def test_list_is_oldest_first(client: FlaskClient) -> None:
    for title in ("one", "two", "three"):
        client.post("/api/todos", json={"title": title})
    response = client.get("/api/todos")
    assert [todo["title"] for todo in response.json or []] == ["one", "two", "three"]


def test_item_urls_are_followable(client: FlaskClient) -> None:
    created = client.post("/api/todos", json={"title": "x"}).json
    assert created is not None
    assert client.get(created["url"]).json == created


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Title is required."),
        ({"title": ""}, "Title is required."),
        ({"title": "   "}, "Title is required."),
        ({"title": 3}, "Title is required."),
        ({"title": "x", "done": "yes"}, "'done' must be true or false."),
        ({"title": "x", "colour": "red"}, "Unknown field 'colour'."),
        ([], "Send a JSON object with the Content-Type application/json."),
        ("x", "Send a JSON object with the Content-Type application/json."),
    ],
)
def test_create_rejects_invalid_bodies(
    client: FlaskClient, store: TodoStore, body: object, message: str
) -> None:
    response = client.post("/api/todos", json=body)
    assert response.status_code == 400
    assert response.json == {"error": message}
    assert store.list() == []


def test_create_needs_a_json_content_type(client: FlaskClient) -> None:
    response = client.post("/api/todos", data='{"title": "x"}')
    assert response.status_code == 400
    assert response.json is not None
    assert "application/json" in response.json["error"]


def test_create_rejects_malformed_json(client: FlaskClient) -> None:
    response = client.post(
        "/api/todos", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == "application/json"


def test_patch_changes_only_the_given_fields(client: FlaskClient) -> None:
    client.post("/api/todos", json={"title": "write docs"})

    done = client.patch("/api/todos/1", json={"done": True})
    assert done.status_code == 200
    assert done.json == {
        "id": 1,
        "title": "write docs",
        "done": True,
        "url": "/api/todos/1",
    }

    renamed = client.patch("/api/todos/1", json={"title": "write more docs"})
    assert renamed.json is not None
    assert (renamed.json["title"], renamed.json["done"]) == ("write more docs", True)
    assert client.get("/api/todos/1").json == renamed.json


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": " "}, "Title is required."),
        ({"done": 1}, "'done' must be true or false."),
        ({"id": 5}, "Unknown field 'id'."),
    ],
)
def test_patch_rejects_invalid_bodies(
    client: FlaskClient, body: dict[str, object], message: str
) -> None:
    client.post("/api/todos", json={"title": "keep"})
    response = client.patch("/api/todos/1", json=body)
    assert response.status_code == 400
    assert response.json == {"error": message}
    assert client.get("/api/todos/1").json == {
        "id": 1,
        "title": "keep",
        "done": False,
        "url": "/api/todos/1",
    }


def test_delete_answers_204_and_forgets_the_item(
    client: FlaskClient, store: TodoStore
) -> None:
    client.post("/api/todos", json={"title": "x"})
    response = client.delete("/api/todos/1")
    assert response.status_code == 204
    assert response.data == b""
    assert store.list() == []
    assert client.get("/api/todos/1").status_code == 404


def test_ids_are_not_reused(client: FlaskClient) -> None:
    client.post("/api/todos", json={"title": "a"})
    client.delete("/api/todos/1")
    assert client.post("/api/todos", json={"title": "b"}).json == {
        "id": 2,
        "title": "b",
        "done": False,
        "url": "/api/todos/2",
    }


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_missing_items_are_json_404s(client: FlaskClient, method: str) -> None:
    response = client.open("/api/todos/7", method=method.upper(), json={"done": True})
    assert response.status_code == 404
    assert response.json == {"error": "To-do 7 does not exist."}


def test_routing_errors_under_the_api_are_json(client: FlaskClient) -> None:
    not_found = client.get("/api/nothing")
    assert not_found.status_code == 404
    assert not_found.mimetype == "application/json"
    assert not_found.json is not None
    assert "not found" in not_found.json["error"].lower()

    not_allowed = client.put("/api/todos", json={})
    assert not_allowed.status_code == 405
    assert not_allowed.mimetype == "application/json"
    assert set(not_allowed.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_errors_outside_the_api_stay_html(client: FlaskClient) -> None:
    response = client.get("/nothing")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


_titles = st.text(st.characters(codec="utf-8"), max_size=50)


@settings(
    max_examples=50,
    deadline=None,
    # One app for all examples: each example checks only the item it adds.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=_titles, done=st.booleans())
def test_any_title_round_trips(client: FlaskClient, title: str, done: bool) -> None:
    response = client.post("/api/todos", json={"title": title, "done": done})
    if not title.strip():
        assert response.status_code == 400
        return
    assert response.status_code == 201
    created = response.json
    assert created is not None
    assert (created["title"], created["done"]) == (title.strip(), done)
    assert client.get(created["url"]).json == created
