"""What :mod:`kolben.asgi` needs from the application it serves.

The adapter never sees a ``Flask`` class: anything with a WSGI entry point
and an application context can be served. The meta-package's ``Flask``
satisfies :class:`ServedApp`.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment


@t.runtime_checkable
class ServedApp(t.Protocol):
    """An application :class:`~kolben.asgi.ASGIAdapter` can serve.

    ``wsgi_app`` handles one request the WSGI way (the adapter calls it in a
    worker thread, with a streamed ``wsgi.input``); ``app_context`` returns a
    context manager that makes the app current, pushed around lifespan
    handlers.

    .. versionadded:: 0.1.0
    """

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Handle one request and return the response body."""

    def app_context(self) -> contextlib.AbstractContextManager[t.Any]:
        """Return a context manager that pushes this app's context."""


@t.runtime_checkable
class WebSocketApp(ServedApp, t.Protocol):
    """An application whose WebSocket routes :class:`~kolben.asgi.ASGIAdapter`
    serves (besides what :class:`ServedApp` needs).

    The app matches the handshake against its URL map (rules made with
    werkzeug's ``websocket=True``) when its request context is pushed; the
    adapter then calls the hooks and the handler on the server's loop. The
    meta-package's ``Flask`` satisfies it.

    .. versionadded:: 0.1.0
    """

    #: Endpoint name to handler; the adapter awaits the handler of the
    #: matched rule's endpoint with the URL's values as keyword arguments.
    view_functions: cabc.Mapping[str, cabc.Callable[..., t.Any]]

    def request_context(
        self, environ: WSGIEnvironment
    ) -> contextlib.AbstractContextManager[t.Any]:
        """Return the context for the handshake's environ. Pushed (on the
        loop) for the whole connection: it must make ``request``, ``session``
        and ``g`` available and set ``request.url_rule``, ``view_args`` and
        ``routing_exception`` (see :class:`kolben.contexts.RequestContext`).
        Popping it at the end of the connection runs the app's teardowns.
        """

    def before_websocket_funcs_for(
        self, blueprints: cabc.Sequence[str]
    ) -> cabc.Sequence[cabc.Callable[[], t.Any]]:
        """Return the functions to call before the handler, in order, for the
        blueprint chain (innermost first) of the matched endpoint.
        """

    def after_websocket_funcs_for(
        self, blueprints: cabc.Sequence[str]
    ) -> cabc.Sequence[cabc.Callable[[t.Any], t.Any]]:
        """Return the functions to call after the handler, in order; each
        gets the rejection response or ``None`` and returns it.
        """

    def make_response(self, rv: t.Any) -> t.Any:
        """Turn a value a hook or handler returned to reject the handshake
        (``"no", 403``, a response, ...) into a werkzeug response.
        """

    def log_exception(self, exc_info: t.Any) -> None:
        """Log an exception a handler or hook raised; called with the
        request context still pushed, before the connection closes with
        code 1011.
        """


#: Run a sync callable in the adapter's thread pool, inside the request's own
#: context (the same :class:`contextvars.Context` the request's task runs in),
#: and await its result. Passed to a :data:`NativeHandler`.
RunSync = cabc.Callable[..., cabc.Awaitable[t.Any]]

#: The coroutine function an app returns from ``asgi_handler`` for a request it
#: serves on the loop: called with a WSGI ``start_response`` and a
#: :data:`RunSync`, it returns the body: a list or tuple of ``bytes`` (sent from
#: the loop), an async iterable of ``bytes`` (consumed on the loop) or any other
#: iterable (iterated in the thread pool).
NativeHandler = cabc.Callable[
    [cabc.Callable[..., t.Any], RunSync],
    cabc.Awaitable["cabc.Iterable[bytes] | cabc.AsyncIterable[bytes]"],
]


class NativeApp(ServedApp, t.Protocol):
    """An app that serves some requests as coroutines on the server's loop.

    Optional: :class:`~kolben.asgi.ASGIAdapter` calls ``asgi_handler`` on the
    loop for each HTTP request (on Python 3.11 and later). ``None`` sends the
    request the WSGI way into the thread pool; a :data:`NativeHandler` is run
    as a task on the loop, in the request's context, so an ``async def`` view
    holds no thread while it awaits.

    .. versionadded:: 0.1.0
    """

    def asgi_handler(self, environ: WSGIEnvironment) -> NativeHandler | None:
        """Return the coroutine function serving this request, or ``None``.

        Called on the loop: it must not block (matching the URL is fine).
        """
