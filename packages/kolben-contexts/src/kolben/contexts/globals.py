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

#: The session of the request being handled, opened on first use.
session: t.Any = LocalProxy(_cv_request, "session", unbound_message=NO_REQUEST_CONTEXT)
