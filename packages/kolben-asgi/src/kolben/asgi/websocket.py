"""WebSocket connections: the ``websocket`` proxy and serving WebSocket routes.

For each ASGI ``websocket`` scope, :func:`serve_websocket` pushes the app's
request context for the handshake (so ``request``, ``session``, ``g`` and
``url_for`` work as in a view), makes a :class:`WebSocket` the current
:data:`websocket`, runs the ``before_websocket`` hooks and awaits the handler
of the matched rule on the server's loop, then closes the connection.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import concurrent.futures
import contextvars
import inspect
import io
import json
import sys
import typing as t

from werkzeug.datastructures import Headers
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.local import LocalProxy

from kolben.contexts import _cv_request

from .loop import _SERVER_LOOP

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule
    from werkzeug.wrappers import Request

    from .adapter import Message
    from .adapter import Receive
    from .adapter import Scope
    from .adapter import Send
    from .protocols import WebSocketApp

#: Close code sent when the handler returns with the connection still open.
NORMAL_CLOSURE = 1000
#: Close code sent when a handler or hook raised after the handshake.
INTERNAL_ERROR = 1011
# What a vanished connection reports (RFC 6455 7.1.5: no close frame seen).
_ABNORMAL_CLOSURE = 1006

NO_WEBSOCKET_CONTEXT = """\
Working outside of a WebSocket connection.

'websocket' is only available inside a handler registered with
'@app.websocket(...)' (and its before/after_websocket hooks) while an ASGI
server serves the app, e.g. 'uvicorn module:app.asgi_app'.\
"""


class WebSocketDisconnect(Exception):
    """The client closed the connection (or it was lost).

    Raised by :meth:`WebSocket.receive` and :meth:`WebSocket.send`. A
    handler may catch it to clean up; if it lets it propagate the connection
    simply ends, without an error in the log.

    :param code: the close code the client sent (1005 when it sent none,
        1006 when the connection was lost).
    :param reason: the close reason the client sent.

    .. versionadded:: 0.1.0
    """

    def __init__(self, code: int = 1005, reason: str = "") -> None:
        super().__init__(code, reason)
        #: The WebSocket close code.
        self.code = code
        #: The close reason, ``""`` when none was given.
        self.reason = reason

    def __str__(self) -> str:
        detail = f": {self.reason}" if self.reason else ""
        return f"The WebSocket client disconnected (code {self.code}){detail}."


class WebSocket:
    """One WebSocket connection, what :data:`websocket` refers to in a handler.

    Describes the handshake request (:attr:`path`, :attr:`args`,
    :attr:`headers`, :attr:`view_args`, ...) and talks to the client::

        @app.websocket("/echo")
        async def echo():
            await websocket.accept()
            while True:
                message = await websocket.receive()
                await websocket.send(f"echo: {message}")

    :meth:`receive` and :meth:`send` accept the connection first when the
    handler has not called :meth:`accept`. ``send`` may be called from other
    tasks too (to broadcast), on the connection's object
    (``websocket._get_current_object()``).

    :param scope: the ASGI connection scope.
    :param receive: the ASGI receive channel.
    :param send: the ASGI send channel.

    .. versionadded:: 0.1.0
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        #: The ASGI connection scope.
        self.scope = scope
        self._receive = receive
        self._send = send
        self._request: Request | None = None
        self._connected = False
        #: Whether the handshake was accepted.
        self.accepted = False
        #: Whether the connection is closed (by either side) or was rejected.
        self.closed = False
        #: The close code the client sent, once it disconnected.
        self.close_code: int | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.scope.get('path', '')!r}>"

    # The handshake request, as a Flask user reads it from ``request``.

    @property
    def request(self) -> Request:
        """The handshake as a werkzeug request (also the current ``request``)."""
        if self._request is None:
            raise RuntimeError("The WebSocket's request context is not pushed yet.")
        return self._request

    @property
    def path(self) -> str:
        """The requested path, such as ``"/chat/lobby"``."""
        return self.request.path

    @property
    def full_path(self) -> str:
        """The path with the query string, such as ``"/chat?name=ada"``."""
        return self.request.full_path

    @property
    def args(self) -> MultiDict[str, str]:
        """The parsed query string."""
        return self.request.args

    @property
    def headers(self) -> Headers:
        """The handshake's headers."""
        return self.request.headers

    @property
    def cookies(self) -> MultiDict[str, str]:
        """The cookies sent with the handshake."""
        return self.request.cookies

    @property
    def host(self) -> str:
        """The host the client connected to, with the port if not default."""
        return self.request.host

    @property
    def scheme(self) -> str:
        """``"ws"`` or ``"wss"``."""
        return str(self.scope.get("scheme", "ws"))

    @property
    def url(self) -> str:
        """The full ``ws://`` (or ``wss://``) URL of the connection."""
        return f"{self.scheme}://{self.request.url.partition('://')[2]}"

    @property
    def remote_addr(self) -> str | None:
        """The client's address."""
        return self.request.remote_addr

    @property
    def url_rule(self) -> Rule | None:
        """The matched WebSocket rule."""
        return getattr(self.request, "url_rule", None)

    @property
    def view_args(self) -> dict[str, t.Any] | None:
        """The values the rule's converters matched."""
        return getattr(self.request, "view_args", None)

    @property
    def endpoint(self) -> str | None:
        """The matched rule's endpoint."""
        rule = self.url_rule
        return None if rule is None else rule.endpoint

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint of the endpoint, if any."""
        endpoint = self.endpoint
        if endpoint is None or "." not in endpoint:
            return None
        return endpoint.rpartition(".")[0]

    @property
    def requested_subprotocols(self) -> list[str]:
        """The subprotocols the client offered, in its order of preference."""
        return list(self.scope.get("subprotocols", ()))

    # The conversation.

    async def _await_connect(self) -> None:
        if not self._connected:
            message = await self._receive()
            if message["type"] == "websocket.disconnect":
                self._gone(message)
            self._connected = True

    def _gone(self, message: Message) -> t.NoReturn:
        self.closed = True
        self.close_code = int(message.get("code", 1005))
        raise WebSocketDisconnect(self.close_code, message.get("reason") or "")

    async def _emit(self, message: Message) -> None:
        try:
            await self._send(message)
        except OSError:
            # ASGI servers raise an OSError subclass for a connection the
            # client already closed: the handler sees a disconnect.
            self.closed = True
            self.close_code = _ABNORMAL_CLOSURE
            raise WebSocketDisconnect(_ABNORMAL_CLOSURE) from None

    def _check_open(self) -> None:
        if self.closed:
            if self.close_code is not None:
                raise WebSocketDisconnect(self.close_code)
            raise RuntimeError("The WebSocket connection is already closed.")

    async def accept(
        self,
        subprotocol: str | None = None,
        headers: cabc.Mapping[str, str] | cabc.Iterable[tuple[str, str]] = (),
    ) -> None:
        """Accept the handshake; does nothing if it is already accepted.

        :param subprotocol: the subprotocol chosen from
            :attr:`requested_subprotocols`.
        :param headers: extra headers for the handshake response.
        """
        if self.accepted:
            return
        self._check_open()
        await self._await_connect()
        pairs = headers.items() if isinstance(headers, cabc.Mapping) else headers
        message: Message = {"type": "websocket.accept", "subprotocol": subprotocol}
        encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs]
        if encoded:
            message["headers"] = encoded
        await self._emit(message)
        self.accepted = True

    async def receive(self) -> str | bytes:
        """Wait for the next message: ``str`` for a text frame, ``bytes`` for
        a binary one.

        :raises WebSocketDisconnect: when the client has closed the connection.
        """
        await self.accept()
        message = await self._receive()
        if message["type"] == "websocket.disconnect":
            self._gone(message)
        text = message.get("text")
        if text is not None:
            return str(text)
        return bytes(message.get("bytes") or b"")

    async def send(self, data: str | bytes) -> None:
        """Send ``data``: a ``str`` as a text frame, ``bytes`` as a binary one.

        :raises TypeError: for anything else (encode it first, or use
            :meth:`send_json`).
        :raises WebSocketDisconnect: when the client has closed the connection.
        """
        if isinstance(data, str):
            message: Message = {"type": "websocket.send", "text": data}
        elif isinstance(data, (bytes, bytearray, memoryview)):
            message = {"type": "websocket.send", "bytes": bytes(data)}
        else:
            raise TypeError(
                f"websocket.send() takes str or bytes, not {type(data).__name__};"
                " use websocket.send_json() for other values."
            )
        await self.accept()
        self._check_open()
        await self._emit(message)

    async def receive_json(self) -> t.Any:
        """Receive a message and parse it as JSON.

        :raises ValueError: when the message is not valid JSON.
        """
        return json.loads(await self.receive())

    async def send_json(self, value: t.Any) -> None:
        """Send ``value`` serialized as JSON in a text frame."""
        await self.send(json.dumps(value))

    async def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection with ``code``; does nothing if it is closed.

        Before the handshake is accepted this rejects it (servers answer
        403).

        :param code: a WebSocket close code (1000 normal, 1008 policy
            violation, 4000-4999 for the application's own).
        :param reason: a short text sent with the code.
        """
        if self.closed:
            return
        if not self.accepted:
            await self._await_connect()
        self.closed = True
        await self._emit({"type": "websocket.close", "code": code, "reason": reason})

    async def _reject(self, response: t.Any, environ: dict[str, t.Any]) -> None:
        """Refuse the handshake with an HTTP ``response`` when the server can
        send one (the ASGI ``websocket.http.response`` extension), else close
        it, which servers answer with 403.
        """
        if self.closed:
            return
        if self.accepted:
            # Too late for an HTTP answer: its status becomes the close code.
            status = response.status_code
            code = NORMAL_CLOSURE if status < 400 else 1008
            await self.close(INTERNAL_ERROR if status >= 500 else code)
            return
        await self._await_connect()
        self.closed = True
        if "websocket.http.response" not in self.scope.get("extensions", {}):
            await self._emit({"type": "websocket.close", "code": 1008})
            return
        body = response.get_data()
        headers = response.get_wsgi_headers(environ)
        headers["Content-Length"] = str(len(body))
        await self._emit(
            {
                "type": "websocket.http.response.start",
                "status": response.status_code,
                "headers": [
                    (k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in headers.to_wsgi_list()
                ],
            }
        )
        await self._emit({"type": "websocket.http.response.body", "body": body})


_cv_websocket: contextvars.ContextVar[WebSocket] = contextvars.ContextVar(
    "kolben.asgi.websocket"
)

#: The current WebSocket connection, inside a WebSocket handler and its hooks:
#: ``await websocket.receive()``, ``await websocket.send(data)``, ...
#: See :class:`WebSocket`.
#:
#: .. versionadded:: 0.1.0
websocket: WebSocket = LocalProxy(  # type: ignore[assignment]
    _cv_websocket, unbound_message=NO_WEBSOCKET_CONTEXT
)


def _blueprint_chain(endpoint: str) -> tuple[str, ...]:
    """``"a.b.ws"`` -> ``("a.b", "a")``: the hook registries' lookup key."""
    names: list[str] = []
    name = endpoint.rpartition(".")[0]
    while name:
        names.append(name)
        name = name.rpartition(".")[0]
    return tuple(names)


SyncRunner = cabc.Callable[..., cabc.Awaitable[t.Any]]


async def _call(
    func: cabc.Callable[..., t.Any], run_sync: SyncRunner, *args: t.Any
) -> t.Any:
    if inspect.iscoroutinefunction(func):
        return await func(*args)
    return await run_sync(func, *args)


async def serve_websocket(
    app: WebSocketApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    executor: concurrent.futures.Executor,
) -> None:
    """Serve one ASGI ``websocket`` connection with ``app``'s WebSocket route.

    The handshake is matched against the app's URL map: no match rejects it
    (404, or 400 for a URL that only serves HTTP). Then the
    ``before_websocket`` functions run; one that returns a value or raises an
    HTTP error rejects the handshake with that response. The handler is
    awaited with the URL's values; when it returns, an open connection is
    closed with 1000, one never accepted is rejected. A
    :exc:`WebSocketDisconnect` it lets through ends the connection quietly;
    any other exception is logged through the app and closes the connection
    with 1011 (or rejects the handshake with a 500).

    The request context is pushed and popped in a worker thread, as for an
    HTTP request, so teardown functions (sync or ``async def``) and signal
    receivers run as they do there; hooks and the handler run on the loop
    in a task that sees that context.

    :param app: the application, see
        :class:`~kolben.asgi.protocols.WebSocketApp`.
    :param scope: the ASGI ``websocket`` scope.
    :param receive: the ASGI receive channel.
    :param send: the ASGI send channel.
    :param executor: the thread pool for sync hooks, the push and the pop.

    .. versionadded:: 0.1.0
    """
    # Imported here: adapter imports this module for its dispatch.
    from .adapter import build_environ

    # WSGI knows only http/https; werkzeug tells a WebSocket handshake by its
    # Upgrade header and builds ws:// URLs for WebSocket rules itself.
    secure = scope.get("scheme") == "wss"
    environ = build_environ(
        {**scope, "scheme": "https" if secure else "http"}, io.BytesIO()
    )
    connection = WebSocket(scope, receive, send)
    loop = asyncio.get_running_loop()
    # The connection's own context: the push and the pop happen in it (in a
    # thread), and the conversation runs in a task made inside it, so the
    # pop resets what the push set and both see the server's loop.
    context = contextvars.copy_context()
    context.run(_SERVER_LOOP.set, loop)
    context.run(_cv_websocket.set, connection)

    async def in_context(func: cabc.Callable[..., t.Any], *args: t.Any) -> t.Any:
        return await loop.run_in_executor(executor, context.run, func, *args)

    async def in_copy(func: cabc.Callable[..., t.Any], *args: t.Any) -> t.Any:
        copy = contextvars.copy_context()
        return await loop.run_in_executor(executor, copy.run, func, *args)

    ctx = app.request_context(environ)
    await in_context(ctx.__enter__)
    error: BaseException | None = None
    try:
        conversation = _converse(app, connection, environ, in_copy)
        error = await context.run(loop.create_task, conversation)
    except BaseException as e:
        # Cancelled by the server: the teardown hears why.
        error = e
        raise
    finally:
        await in_context(ctx.__exit__, type(error) if error else None, error, None)


async def _converse(
    app: WebSocketApp,
    connection: WebSocket,
    environ: dict[str, t.Any],
    run_sync: SyncRunner,
) -> BaseException | None:
    """Run the route for ``connection`` and close it; return the exception
    that ended it (already logged), or ``None``.
    """
    error: BaseException | None = None
    try:
        request: t.Any = _cv_request.get().request
        connection._request = request
        response = await _run_route(app, request, run_sync)
    except WebSocketDisconnect:
        response = None
    except HTTPException as e:
        response = e.get_response(environ)
    except Exception as e:
        error = e
        app.log_exception(sys.exc_info())
        response = InternalServerError().get_response(environ)
    try:
        if response is not None:
            await connection._reject(response, environ)
        elif not connection.closed:
            await connection.close(NORMAL_CLOSURE)
    except WebSocketDisconnect:
        # Gone before the last word: nothing left to tell it.
        pass
    return error


async def _run_route(app: WebSocketApp, request: t.Any, run_sync: SyncRunner) -> t.Any:
    """Run the hooks and the handler; return a response rejecting the
    handshake, or ``None``.
    """
    if request.routing_exception is not None:
        raise request.routing_exception
    endpoint: str = request.url_rule.endpoint
    chain = _blueprint_chain(endpoint)
    rv = None
    for before in app.before_websocket_funcs_for(chain):
        rv = await _call(before, run_sync)
        if rv is not None:
            break
    else:
        handler = app.view_functions[endpoint]
        try:
            rv = await handler(**request.view_args)
        except WebSocketDisconnect:
            # The client ending the conversation is a normal end of the
            # handler: the after hooks still run.
            rv = None
    response = None if rv is None else app.make_response(rv)
    for after in app.after_websocket_funcs_for(chain):
        response = await _call(after, run_sync, response)
    return response
