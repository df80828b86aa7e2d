"""The registration scaffold, blueprints, class-based views and URL building on werkzeug's routing map."""

from __future__ import annotations
