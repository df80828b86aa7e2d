"""A pytest plugin that runs a test session with the shims installed.

``pytest -p kolben.legacy.pytest_plugin`` shows that a test suite written for
Flask 3.1 still passes while seed-era code shares the process with it;
``hatch run conformance --legacy`` runs Flask 3.1.3's own suite this way.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import typing as t

import kolben.legacy

# pytest loads this module itself, so it is never imported without pytest;
# the name is needed only for the annotations.
if t.TYPE_CHECKING:
    import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Install the shims before any test module is imported."""
    kolben.legacy.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave the process as it was."""
    kolben.legacy.uninstall()
