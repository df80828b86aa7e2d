"""Fixtures shared by the cross-package tests: the built documentation site."""

from __future__ import annotations

import itertools
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITE = DOCS / "_build" / "html"

#: What the site is built from; a build older than any of these is rebuilt.
SOURCES = (
    (DOCS, "*.md"),
    (DOCS, "*.py"),
    (DOCS / "examples" / "flaskr", "*"),
    (ROOT / "packages", "*.md"),
    (ROOT / "packages", "*.py"),
)


def _newest_source() -> float:
    files = itertools.chain.from_iterable(
        folder.rglob(pattern) for folder, pattern in SOURCES
    )
    return max(
        path.stat().st_mtime
        for path in files
        if path.is_file() and "_build" not in path.parts
    )


def build_docs() -> pathlib.Path:
    """Build the HTML site as ``hatch run docs`` does, unless it is up to date.

    CI builds the site in a step of its own first (``.ci/run``), so the tests
    reuse it; a local ``hatch test`` builds it here when it is missing or
    older than its sources. Warnings are errors, as in ``hatch run docs``.
    """
    inventory = SITE / "objects.inv"
    if inventory.exists() and inventory.stat().st_mtime >= _newest_source():
        return SITE
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q"]
    result = subprocess.run(
        [*command, "-E", "-b", "html", str(DOCS), str(SITE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        pytest.fail(f"the documentation does not build:\n{result.stderr}")
    return SITE


@pytest.fixture(scope="session")
def docs_site() -> pathlib.Path:
    """The built HTML documentation (``docs/_build/html``)."""
    return build_docs()
