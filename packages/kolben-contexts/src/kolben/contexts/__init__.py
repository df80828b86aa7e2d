"""Application and request contexts, the `g` namespace and the context proxies, on `contextvars`."""

from __future__ import annotations
