"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

from werkzeug.test import Client

README = pathlib.Path(__file__).parent.parent / "README.md"


def readme_namespace() -> dict[str, t.Any]:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    namespace: dict[str, t.Any] = {"__name__": "readme_example"}
    exec(compile(code.group(1), str(README), "exec"), namespace)
    return namespace


def test_readme_example_serves_requests() -> None:
    client = Client(readme_namespace()["app"])

    rv = client.get("/", base_url="http://localhost:8000")
    assert rv.json == {
        "first": "/api/books/1",
        "absolute": "http://localhost:8000/api/books/1",
    }
    assert client.get("/api/books/1").json == {"id": 1, "title": "Dune"}
    assert client.put("/api/books/2", data="Emma").status_code == 204
    assert client.get("/api/books/2").json == {"id": 2, "title": "Emma"}

    rv = client.get("/api/books/3")
    assert rv.status_code == 404
    assert rv.json == {"error": "no such book"}

    rv = client.open("/api/books/1", method="OPTIONS")
    assert sorted(rv.allow) == ["GET", "HEAD", "OPTIONS", "PUT"]
    assert client.post("/api/books/1").status_code == 405


def test_readme_example_dispatches_werkzeug_requests() -> None:
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    app = readme_namespace()["app"]
    response = app.dispatch(Request(EnvironBuilder("/api/books/1").get_environ()))
    assert response.json == {"id": 1, "title": "Dune"}
