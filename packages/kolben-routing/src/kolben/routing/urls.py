"""Building URLs for the current application."""

from __future__ import annotations

import typing as t

from kolben.contexts import _cv_app
from kolben.contexts import current_app

from .app import _URL_FOR

if t.TYPE_CHECKING:
    from .protocols import URLBuilder


def url_for(
    endpoint: str,
    *,
    _external: bool | None = None,
    _anchor: str | None = None,
    _scheme: str | None = None,
    _method: str | None = None,
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
    builder: URLBuilder
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        # The proxy raises the "outside of application context" error.
        builder = current_app
    else:
        builder = app_ctx.app  # type: ignore[assignment]
        if type(builder).url_for is _URL_FOR:
            # ``values`` is this call's own dict: hand it over as it is.
            return builder._build_url(  # type: ignore[attr-defined,no-any-return]
                endpoint, values, _external, _anchor, _scheme, _method
            )
    return builder.url_for(
        endpoint,
        _external=_external,
        _anchor=_anchor,
        _scheme=_scheme,
        _method=_method,
        **values,
    )
