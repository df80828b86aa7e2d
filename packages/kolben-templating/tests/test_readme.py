"""The standalone example in the package README runs as documented."""

from __future__ import annotations

import pathlib
import re
import typing as t

import pytest

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_readme_example_serves_a_page(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = README.read_text()
    template = re.search(r"```html\+jinja\n(.*?)```", text, re.S)
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert template is not None and code is not None
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "hello.html").write_text(template.group(1))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, t.Any] = {}
    exec(compile(code.group(1), str(README), "exec"), namespace)

    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started.append((status, headers))

    body = namespace["app"]({"QUERY_STRING": "name=<b>you</b>"}, start_response)
    assert b"".join(body).decode().strip() == (
        "<h1>Hello, &lt;b&gt;you&lt;/b&gt;!</h1><p>Served by Kolben.</p>"
    )
    assert started == [("200 OK", [("Content-Type", "text/html; charset=utf-8")])]
    body = namespace["app"]({}, start_response)
    assert b"Hello, World!" in b"".join(body)
