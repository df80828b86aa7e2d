"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

from werkzeug.test import Client

README = pathlib.Path(__file__).parent.parent / "README.md"


def run_readme() -> dict[str, t.Any]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == 2, "the README should show the app, then its use"
    namespace: dict[str, t.Any] = {}

    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)

    return namespace


def test_readme_example_runs() -> None:
    # The second block asserts the visit counts itself.
    namespace = run_readme()
    assert isinstance(namespace["client"], Client)


def test_readme_example_sets_a_lax_permanent_cookie() -> None:
    client = Client(run_readme()["app"])
    header = client.get("/").headers["Set-Cookie"]
    assert header.startswith("session=")
    assert "SameSite=Lax" in header
    assert "Expires=" in header
