"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

from werkzeug.test import Client

README = pathlib.Path(__file__).parent.parent / "README.md"


def readme_app() -> t.Any:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    namespace: dict[str, t.Any] = {}
    exec(compile(code.group(1), str(README), "exec"), namespace)
    return namespace["app"]


def test_readme_example_serves_requests() -> None:
    client = Client(readme_app())
    response = client.get("/hello/World")
    assert response.status_code == 200
    assert response.text == "Hello, World! (visit 1)"
    assert client.get("/nowhere").status_code == 404
