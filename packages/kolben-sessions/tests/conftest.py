"""Fixtures shared by the package's tests."""

from __future__ import annotations

import pytest
from itsdangerous.timed import TimestampSigner

#: A timestamp (2023-11-14 22:13:20 UTC) at which the golden Flask cookies in
#: the tests were signed.
FROZEN_TIME = 1_700_000_000


@pytest.fixture
def frozen_time(monkeypatch: pytest.MonkeyPatch) -> int:
    """Sign and verify cookies as if it were ``FROZEN_TIME``."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: FROZEN_TIME)
    return FROZEN_TIME
