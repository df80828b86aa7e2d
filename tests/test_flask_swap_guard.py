"""kolben-cli's swap guard agrees with the meta-package it watches for."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import tomllib

import _kolben_flask_guard as guard
import flask

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_guard_knows_every_part_flask_requires() -> None:
    data = tomllib.loads((ROOT / "packages/flask/pyproject.toml").read_text())
    names = (re.match(r"[\w.-]+", r)[0] for r in data["project"]["dependencies"])
    parts = sorted(n for n in names if n.startswith("kolben-"))
    assert sorted(guard.PARTS) == parts


def test_our_flask_carries_the_marker_and_stays_quiet() -> None:
    assert (pathlib.Path(flask.__file__).parent / guard.MARKER).is_file()
    env = {k: v for k, v in os.environ.items() if k != guard.SAID}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import _kolben_flask_guard as g; g.install(); import flask;"
            " print(flask.Flask.__module__)",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "flask.app\n", "")
