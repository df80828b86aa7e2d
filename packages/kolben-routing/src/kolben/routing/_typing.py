"""Type aliases for the callables the scaffold registers.

They are deliberately loose (``...`` arguments, ``Any`` results): views and hooks
may be sync or ``async`` and return whatever the owner's response machinery
accepts. The ``flask`` meta-package publishes its own, stricter ``flask.typing``.
"""

from __future__ import annotations

import collections.abc as cabc
import os
import typing as t

#: A filesystem path given as a string or a path-like object.
StrPath = str | os.PathLike[str]

#: A view function: called with the URL's values as keyword arguments.
RouteCallable = cabc.Callable[..., t.Any]
#: Called before each request; a non-``None`` result stops the dispatch.
BeforeRequestCallable = cabc.Callable[[], t.Any]
#: Called with the response after each request; returns a response.
AfterRequestCallable = cabc.Callable[[t.Any], t.Any]
#: A WebSocket handler: an ``async def`` called with the URL's values.
WebSocketCallable = cabc.Callable[..., cabc.Awaitable[t.Any]]
#: Called before each WebSocket handler; a non-``None`` result rejects it.
BeforeWebSocketCallable = cabc.Callable[[], t.Any]
#: Called with the rejection response (or ``None``) after each WebSocket handler.
AfterWebSocketCallable = cabc.Callable[[t.Any], t.Any]
#: Called with the exception (or ``None``) when the request context ends.
TeardownCallable = cabc.Callable[[t.Any], t.Any]
#: Returns a mapping of names to add to every template context.
TemplateContextProcessorCallable = cabc.Callable[[], t.Any]
#: Called with ``(endpoint, values)`` after matching; may modify ``values``.
URLValuePreprocessorCallable = cabc.Callable[
    [str | None, dict[str, t.Any] | None], None
]
#: Called with ``(endpoint, values)`` before building a URL; may modify ``values``.
URLDefaultCallable = cabc.Callable[[str, dict[str, t.Any]], None]
#: Called with the exception it was registered for; returns a response.
ErrorHandlerCallable = cabc.Callable[[t.Any], t.Any]
#: Called with ``(error, endpoint, values)`` when building a URL failed.
URLBuildErrorHandler = cabc.Callable[[t.Any, str, dict[str, t.Any]], t.Any]

#: A registry key: a blueprint's dotted name, or ``None`` for the application.
AppOrBlueprintKey = str | None

T_route = t.TypeVar("T_route", bound=RouteCallable)
T_before_request = t.TypeVar("T_before_request", bound=BeforeRequestCallable)
T_after_request = t.TypeVar("T_after_request", bound=AfterRequestCallable)
T_teardown = t.TypeVar("T_teardown", bound=TeardownCallable)
T_websocket = t.TypeVar("T_websocket", bound=WebSocketCallable)
T_before_websocket = t.TypeVar("T_before_websocket", bound=BeforeWebSocketCallable)
T_after_websocket = t.TypeVar("T_after_websocket", bound=AfterWebSocketCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=TemplateContextProcessorCallable
)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=URLValuePreprocessorCallable
)
T_url_defaults = t.TypeVar("T_url_defaults", bound=URLDefaultCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ErrorHandlerCallable)
