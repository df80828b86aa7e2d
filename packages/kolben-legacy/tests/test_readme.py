"""The example in the package README works as documented."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).parent.parent / "README.md"

DRIVER = """\
import warnings
warnings.simplefilter("always")
import hello
print(hello.app.test_client().get("/").get_data(as_text=True))
"""


def test_readme_example_runs_and_warns(tmp_path: pathlib.Path) -> None:
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    (tmp_path / "hello.py").write_text(code.group(1))
    # A process of its own: the example installs the shims for good.
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "<b>Hello</b> from Flask 0.12 code\n"
    assert "KolbenLegacyWarning: flask.Markup" in result.stderr
    assert "KolbenLegacyWarning: app.before_first_request" in result.stderr
