"""The application base class, from :mod:`kolben.routing`."""

from __future__ import annotations

from kolben.routing import RoutingApp

#: The base of ``Flask`` that holds the URL map and the registries.
App = RoutingApp
