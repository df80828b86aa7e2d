"""The standalone example in the package README serves requests under uvicorn."""

from __future__ import annotations

import pathlib
import re
import typing as t

import httpx

from kolben.asgi import ASGIAdapter

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_readme_example_serves_requests(served: t.Any) -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    namespace: dict[str, t.Any] = {}
    exec(compile(code.group(1), str(README), "exec"), namespace)
    app = namespace["app"]
    assert isinstance(app, ASGIAdapter)
    with served(app) as url:
        assert namespace["echo"].started, "the lifespan handler did not run"
        response = httpx.post(f"{url}/echo/here", content=b"payload")
    assert response.status_code == 200
    assert response.text == "POST /echo/here: payload"
