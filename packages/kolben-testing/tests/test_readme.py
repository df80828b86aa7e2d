"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

from kolben.testing import FlaskClient

README = pathlib.Path(__file__).parent.parent / "README.md"


def run_readme_example() -> dict[str, t.Any]:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    namespace: dict[str, t.Any] = {}
    # The example asserts its own claims; running it is the test.
    exec(compile(code.group(1), str(README), "exec"), namespace)
    return namespace


def test_readme_example_runs() -> None:
    namespace = run_readme_example()
    client = namespace["client"]
    assert isinstance(client, FlaskClient)
    assert client.get_cookie("user").value == "Ada"


def test_readme_app_without_cookies_forgets_the_user() -> None:
    app = run_readme_example()["app"]
    client = FlaskClient(app, use_cookies=False)
    client.post("/login", data={"name": "Ada"})
    assert client.get("/").text == "Hello, stranger!"
