"""The ``legacy`` fixture: the shims installed for one test, then removed."""

from __future__ import annotations

import collections.abc as cabc

import pytest

import kolben.legacy


@pytest.fixture
def legacy() -> cabc.Iterator[None]:
    """Install the shims for the test and uninstall them afterwards."""
    kolben.legacy.install()
    try:
        yield
    finally:
        kolben.legacy.uninstall()
