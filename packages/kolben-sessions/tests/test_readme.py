"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

import pytest
from werkzeug.test import Client

README = pathlib.Path(__file__).parent.parent / "README.md"


def run_readme(example: int = 0) -> dict[str, t.Any]:
    """Run one example of the README: an app's block, then its use's."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == 4, "the README shows two apps, each then its use"
    namespace: dict[str, t.Any] = {}

    for block in blocks[2 * example : 2 * example + 2]:
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


def test_readme_server_side_example_runs_on_sqlite(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # The second block asserts the cart, the cookie and the logout itself.
    namespace = run_readme(1)
    store = namespace["store"]
    assert (tmp_path / "sessions.sqlite3").is_file()
    client = Client(namespace["app"])
    client.get("/login?name=bob")
    assert store.count() == 1
    store.close()
