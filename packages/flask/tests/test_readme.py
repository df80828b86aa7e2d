"""The README's example runs as shown."""

from __future__ import annotations

import pathlib
import re


def test_readme_example() -> None:
    readme = pathlib.Path(__file__).parent.parent / "README.md"
    code = re.search(r"```python\n(.*?)```", readme.read_text(), re.S)
    assert code is not None
    namespace: dict[str, object] = {"__name__": "readme_example"}
    exec(code.group(1), namespace)
    app = namespace["app"]
    client = app.test_client()  # type: ignore[attr-defined]
    assert client.get("/").text == "Hello, World!"
