"""An application-aware test client, environ builder and CLI runner on werkzeug's test tools."""

from __future__ import annotations
