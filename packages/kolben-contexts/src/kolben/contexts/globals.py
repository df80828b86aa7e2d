"""The context variables and the proxies that read them.

One :class:`~contextvars.ContextVar` holds the active application context and
one the active request context; each thread and each asyncio task sees its own
value. The proxies forward every operation to the object in the active context
and raise :exc:`RuntimeError` explaining how to push one when there is none.
"""

from __future__ import annotations

import typing as t
from contextvars import ContextVar

from werkzeug.local import LocalProxy

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from .ctx import AppContext
    from .ctx import AppCtxGlobals
    from .ctx import RequestContext

NO_APP_CONTEXT = """\
Working outside of application context.

This code needs the current application, and no application context is
active. Push one with 'app.app_context()', for example
'with app.app_context(): ...', or run the code from inside a request.\
"""

NO_REQUEST_CONTEXT = """\
Working outside of request context.

This code needs data about the current HTTP request, and no request context
is active. Run it from inside a view function, or push one for a test with
'with app.test_request_context(): ...'.\
"""

#: The active application context, if any.
_cv_app: ContextVar[AppContext] = ContextVar("kolben.app_ctx")

#: The active request context, if any.
_cv_request: ContextVar[RequestContext] = ContextVar("kolben.request_ctx")

#: The active :class:`~kolben.contexts.AppContext`.
app_ctx: AppContext = LocalProxy(  # type: ignore[assignment]
    _cv_app, unbound_message=NO_APP_CONTEXT
)

#: The application that owns the active app context.
current_app: t.Any = LocalProxy(_cv_app, "app", unbound_message=NO_APP_CONTEXT)

#: The active app context's ``g`` namespace, for data that lives as long as it.
g: AppCtxGlobals = LocalProxy(  # type: ignore[assignment]
    _cv_app, "g", unbound_message=NO_APP_CONTEXT
)

#: The active :class:`~kolben.contexts.RequestContext`.
request_ctx: RequestContext = LocalProxy(  # type: ignore[assignment]
    _cv_request, unbound_message=NO_REQUEST_CONTEXT
)

#: The request being handled.
request: Request = LocalProxy(  # type: ignore[assignment]
    _cv_request, "request", unbound_message=NO_REQUEST_CONTEXT
)


def _open_session() -> t.Any:
    """The session of the request being handled (opened now if need be)."""
    try:
        ctx = _cv_request.get()
    except LookupError:
        raise RuntimeError(NO_REQUEST_CONTEXT) from None
    return ctx.session


class _SessionProxy(LocalProxy[t.Any]):
    """werkzeug's proxy, with the operations views use on a session most
    (an attribute such as ``get``, ``[]``, ``[] =`` and ``in``) written as
    plain methods: werkzeug's generic ones go through a descriptor, a
    closure and a bound partial each time."""

    __slots__ = ()

    # The three a view uses most look the context up themselves, a call
    # less than through _open_session.

    @property
    def get(self) -> t.Any:
        # Found on the class, so not after a failed lookup first (which
        # builds an AttributeError before __getattr__ is asked).
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError(NO_REQUEST_CONTEXT)
        return ctx.session.get

    def __getattr__(self, name: str) -> t.Any:
        return getattr(_open_session(), name)

    def __getitem__(self, key: t.Any) -> t.Any:
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError(NO_REQUEST_CONTEXT)
        return ctx.session[key]

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError(NO_REQUEST_CONTEXT)
        ctx.session[key] = value

    def __contains__(self, key: t.Any) -> bool:
        return key in _open_session()

    def __repr__(self) -> str:
        # As werkzeug's proxies show themselves (``flask.g`` too).
        if _cv_request.get(None) is None:
            return "<LocalProxy unbound>"
        return repr(_open_session())


#: The session of the request being handled, opened on first use.
session: t.Any = _SessionProxy(
    _cv_request, "session", unbound_message=NO_REQUEST_CONTEXT
)
