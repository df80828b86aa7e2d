"""The application base class, from :mod:`kolben.routing`."""

from __future__ import annotations

from kolben.routing import RoutingApp

# Flask's private helper, imported from here by extensions.
from ..app import _make_timedelta as _make_timedelta

#: The base of ``Flask`` that holds the URL map and the registries.
App = RoutingApp
