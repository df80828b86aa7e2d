"""``pytest -p kolben.legacy.pytest_plugin`` runs a session with the shims on
(``hatch run conformance --legacy`` runs Flask's own suite this way).
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

PROBE = """\
import flask
import kolben.legacy


def test_probe():
    assert kolben.legacy.installed() is {expected}
    assert hasattr(flask, "_app_ctx_stack") is {expected}
    assert hasattr(flask.Flask, "before_first_request") is {expected}
"""


@pytest.mark.parametrize(
    ("plugin", "expected"),
    [(["-p", "kolben.legacy.pytest_plugin"], True), ([], False)],
)
def test_plugin_installs_for_the_session(
    tmp_path: pathlib.Path, plugin: list[str], expected: bool
) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE.format(expected=expected))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
