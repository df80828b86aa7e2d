"""Building URLs for the current application."""

from __future__ import annotations

import typing as t

from kolben.contexts import current_app


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: t.Any,
) -> str:
    """Build the URL of ``endpoint`` with the current application.

    ::

        url_for("user", id=1)                 # "/user/1" in a request
        url_for(".index")                     # relative to the current blueprint
        url_for("index", _external=True)      # "http://example.com/"
        url_for("search", q="kolben")         # "/search?q=kolben"

    This calls the current app's ``url_for`` (see
    :meth:`RoutingApp.url_for <kolben.routing.RoutingApp.url_for>` for the
    arguments), so an application class may customise URL building by
    overriding that method.

    :raises RuntimeError: outside an application context.
    """
    return current_app.url_for(  # type: ignore[no-any-return]
        endpoint,
        _anchor=_anchor,
        _method=_method,
        _scheme=_scheme,
        _external=_external,
        **values,
    )
