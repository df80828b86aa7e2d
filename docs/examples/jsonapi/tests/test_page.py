"""The page and the script that drive the API from the browser."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_page_tells_the_script_where_the_api_is(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-api-url="/api/todos"' in page
    assert '<script src="/static/todos.js" defer></script>' in page
    assert 'href="/static/style.css"' in page
    assert '<form id="new-todo"' in page


def test_script_and_stylesheet_are_served(client: FlaskClient) -> None:
    script = client.get("/static/todos.js")
    assert script.status_code == 200
    assert script.mimetype in {"text/javascript", "application/javascript"}
    assert b"fetch(url, init)" in script.data
    script.close()

    style = client.get("/static/style.css")
    assert style.status_code == 200
    assert style.mimetype == "text/css"
    style.close()
