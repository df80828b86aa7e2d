"""``flask.__version__`` is deprecated as in Flask 3.1; the version itself is
Flask's API level, so extensions requiring ``flask>=2.3,<4`` accept us.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

import flask


def test_version_attribute_warns_and_reports_the_distribution_version() -> None:
    with pytest.deprecated_call(match="'__version__' attribute is deprecated"):
        version = flask.__version__  # type: ignore[attr-defined]
    assert version == importlib.metadata.version("flask")


def test_distribution_version_satisfies_flask_3_requirements() -> None:
    major, minor = map(int, importlib.metadata.version("flask").split(".")[:2])
    assert (2, 3) <= (major, minor) < (4, 0)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        flask.nonexistent  # type: ignore[attr-defined]  # noqa: B018


def test_python_m_flask_reports_the_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Flask {importlib.metadata.version('flask')}" in result.stdout
