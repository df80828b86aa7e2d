"""Type aliases for annotating Flask views, hooks and handlers.

They describe what Flask accepts, so a type checker can verify an application::

    from flask.typing import ResponseReturnValue

    @app.route("/")
    def index() -> ResponseReturnValue:
        return {"status": "ok"}, 200
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

#: A WSGI application, as a view may return one.
WSGICallable = cabc.Callable[
    [dict[str, t.Any], cabc.Callable[..., t.Any]], cabc.Iterable[bytes]
]

#: What a view may return as a response body.
ResponseValue = (
    Response
    | str
    | bytes
    | list[t.Any]
    # Only dict is accepted at run time; Mapping lets TypedDict through.
    | cabc.Mapping[str, t.Any]
    | cabc.Iterator[str]
    | cabc.Iterator[bytes]
    | cabc.AsyncIterable[str]
    | cabc.AsyncIterable[bytes]
)

#: The value of one header: a string, or several values for the same name.
HeaderValue = str | list[str] | tuple[str, ...]

#: Headers as a view may return them.
HeadersValue = (
    Headers | cabc.Mapping[str, HeaderValue] | cabc.Sequence[tuple[str, HeaderValue]]
)

#: Everything a view may return: a body, optionally with a status and/or
#: headers in a tuple, or any WSGI application.
ResponseReturnValue = (
    ResponseValue
    | tuple[ResponseValue, HeadersValue]
    | tuple[ResponseValue, int]
    | tuple[ResponseValue, int, HeadersValue]
    | WSGICallable
)

#: A response class; bound so after-request functions keep their response type.
ResponseClass = t.TypeVar("ResponseClass", bound=Response)

#: The key of the per-blueprint registries: a blueprint name, ``None`` for the app.
AppOrBlueprintKey = str | None

#: Called with the response after a request; returns a response.
AfterRequestCallable = (
    cabc.Callable[[ResponseClass], ResponseClass]
    | cabc.Callable[[ResponseClass], cabc.Awaitable[ResponseClass]]
)
#: Flask 2.2's ``before_first_request`` functions; kept for annotations.
BeforeFirstRequestCallable = (
    cabc.Callable[[], None] | cabc.Callable[[], cabc.Awaitable[None]]
)
#: Called before a request; a value other than ``None`` ends its handling.
BeforeRequestCallable = (
    cabc.Callable[[], ResponseReturnValue | None]
    | cabc.Callable[[], cabc.Awaitable[ResponseReturnValue | None]]
)
#: Returns names to add to the ``flask shell`` namespace.
ShellContextProcessorCallable = cabc.Callable[[], dict[str, t.Any]]
#: Called with the error that ended a context, or ``None``.
TeardownCallable = (
    cabc.Callable[[BaseException | None], None]
    | cabc.Callable[[BaseException | None], cabc.Awaitable[None]]
)
#: Returns values to add to every template context.
TemplateContextProcessorCallable = (
    cabc.Callable[[], dict[str, t.Any]]
    | cabc.Callable[[], cabc.Awaitable[dict[str, t.Any]]]
)
TemplateFilterCallable = cabc.Callable[..., t.Any]
TemplateGlobalCallable = cabc.Callable[..., t.Any]
TemplateTestCallable = cabc.Callable[..., bool]
#: Called with the endpoint and the values of a URL about to be built.
URLDefaultCallable = cabc.Callable[[str, dict[str, t.Any]], None]
#: Called with the endpoint and the URL values of a matched request.
URLValuePreprocessorCallable = cabc.Callable[
    [str | None, dict[str, t.Any] | None], None
]

# The error's type depends on what the handler is registered for, so it is
# left open: any annotation would be wrong for some handler.
ErrorHandlerCallable = (
    cabc.Callable[[t.Any], ResponseReturnValue]
    | cabc.Callable[[t.Any], cabc.Awaitable[ResponseReturnValue]]
)

#: A view function.
RouteCallable = (
    cabc.Callable[..., ResponseReturnValue]
    | cabc.Callable[..., cabc.Awaitable[ResponseReturnValue]]
)
