"""The ASGI application that serves a WSGI-style app: HTTP and lifespan."""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import concurrent.futures
import contextvars
import inspect
import io
import sys
import typing as t

from werkzeug.exceptions import ClientDisconnected

from .loop import _SERVER_LOOP
from .protocols import NativeHandler
from .protocols import RunSync
from .protocols import ServedApp
from .protocols import WebSocketApp
from .websocket import serve_websocket

Scope = t.MutableMapping[str, t.Any]
Message = t.MutableMapping[str, t.Any]
Receive = cabc.Callable[[], cabc.Awaitable[Message]]
Send = cabc.Callable[[Message], cabc.Awaitable[None]]
Handler = cabc.Callable[[], t.Any]
H = t.TypeVar("H", bound=Handler)
T = t.TypeVar("T")

# asyncio.Task(context=...) arrived in Python 3.11.
_TASK_CONTEXT = sys.version_info >= (3, 11)


class _BodyStream(io.RawIOBase):
    """``wsgi.input`` that pulls the request body from the ASGI channel on demand.

    Only what the reader asks for is buffered, so memory stays bounded by the
    reader's chunk size however large the upload is.
    """

    def __init__(self, receive: Receive, loop: asyncio.AbstractEventLoop) -> None:
        self._receive = receive
        self._loop = loop
        self._buffer = bytearray()
        self._more = True

    def readable(self) -> bool:
        return True

    def _pull(self) -> None:
        if _on_loop_thread(self._loop):
            raise RuntimeError(
                "The request body cannot be read from code running on the"
                " server's event loop; read it in sync code first."
            )
        message = _wait(self._receive(), self._loop)
        if message["type"] == "http.disconnect":
            self._more = False
            raise ClientDisconnected()
        self._buffer += message.get("body", b"")
        self._more = message.get("more_body", False)

    def _take(self, size: int) -> bytes:
        while self._more and (size < 0 or len(self._buffer) < size):
            self._pull()
        if size < 0 or size >= len(self._buffer):
            data = bytes(self._buffer)
            self._buffer.clear()
        else:
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._take(-1 if size is None else size)

    def readall(self) -> bytes:
        return self._take(-1)

    def readinto(self, buffer: t.Any) -> int:
        view = memoryview(buffer).cast("B")
        data = (
            self._take(len(view))
            if not self._buffer
            else self._take(min(len(view), len(self._buffer)))
        )
        view[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = -1 if size is None else size
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0 or not self._more or 0 <= limit <= len(self._buffer):
                break
            self._pull()
        stop = len(self._buffer) if end < 0 else end + 1
        if 0 <= limit < stop:
            stop = limit
        data = bytes(self._buffer[:stop])
        del self._buffer[:stop]
        return data


def build_environ(scope: Scope, body: io.RawIOBase | t.IO[bytes]) -> dict[str, t.Any]:
    """Return the WSGI environ for an ASGI HTTP ``scope``.

    Paths become WSGI's latin-1 strings of the UTF-8 bytes, repeated headers
    are joined as HTTP allows (``; `` for cookies), and ``wsgi.input_terminated``
    is set because ``body`` ends where the request body does.

    :param scope: The ASGI connection scope.
    :param body: The stream to offer as ``wsgi.input``.

    .. versionadded:: 0.1.0
    """
    root = scope.get("root_path", "")
    path = scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, t.Any] = {
        "REQUEST_METHOD": scope.get("method", "GET"),
        "SCRIPT_NAME": root.encode().decode("latin-1"),
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]) if server[1] is not None else "80",
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "asgi.scope": scope,
    }
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = f"HTTP_{name}"
        if name in environ:
            glue = "; " if name == "HTTP_COOKIE" else ","
            value = f"{environ[name]}{glue}{value}"
        environ[name] = value
    return environ


class ASGIAdapter:
    """Serve an app with a WSGI entry point natively on an ASGI server.

    Each HTTP request runs the app's ``wsgi_app`` in a bounded thread pool,
    with the request's context variables carried over and the body streamed
    from the server as the app reads it; the response streams back chunk by
    chunk. While a request runs, :func:`~kolben.asgi.server_loop` names the
    server's loop so the app can await its coroutines there, on one loop
    that lives as long as the worker.

    :param app: The application, see :class:`~kolben.asgi.protocols.ServedApp`.
    :param max_threads: How many requests run app code at the same time.

    .. code-block:: python

        adapter = ASGIAdapter(app)
        # uvicorn module:adapter

    .. versionadded:: 0.1.0
    """

    def __init__(self, app: ServedApp, *, max_threads: int = 64) -> None:
        self.app = app
        self.max_threads = max_threads
        #: Called, in order, when the server starts (lifespan startup).
        self.startup_handlers: list[Handler] = []
        #: Called, in order, when the server stops (lifespan shutdown).
        self.shutdown_handlers: list[Handler] = []
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None

    def before_serving(self, func: H) -> H:
        """Register ``func`` to run once when the server starts.

        Sync or ``async def``; it runs inside the app context, and an exception
        makes the server refuse to start.

        :param func: The handler, taking no arguments.

        .. versionadded:: 0.1.0
        """
        self.startup_handlers.append(func)
        return func

    def after_serving(self, func: H) -> H:
        """Register ``func`` to run once when the server shuts down.

        :param func: The handler, taking no arguments.

        .. versionadded:: 0.1.0
        """
        self.shutdown_handlers.append(func)
        return func

    @property
    def executor(self) -> concurrent.futures.ThreadPoolExecutor:
        """The thread pool sync app code runs in, made on first use."""
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                self.max_threads, thread_name_prefix="kolben-asgi"
            )
        return self._executor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            if isinstance(self.app, WebSocketApp):
                await serve_websocket(self.app, scope, receive, send, self.executor)
            else:
                # No WebSocket routes: close before accept answers 403.
                await send({"type": "websocket.close", "code": 1000})
        else:
            raise ValueError(f"kolben.asgi cannot serve ASGI scope type {kind!r}.")

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        environ = build_environ(scope, _BodyStream(receive, loop))
        context = contextvars.copy_context()
        context.run(_SERVER_LOOP.set, loop)
        native = self._native_handler(environ)
        if native is None:
            started: list[Message] = []
            sent, whole = await loop.run_in_executor(
                self.executor, context.run, self._respond, environ, started, send, loop
            )
            await _finish(send, started, sent, whole)
            return
        # The handler's task runs in ``context`` itself (not a copy), so the
        # sync steps it hands to the pool see and change the same variables.
        task = loop.create_task(  # type: ignore[call-arg,unused-ignore]
            self._respond_natively(native, send, loop, context),
            context=context,
        )
        await task

    def _native_handler(self, environ: dict[str, t.Any]) -> NativeHandler | None:
        if not _TASK_CONTEXT:
            # Python 3.10 cannot run a task in a given context: every request
            # takes the thread pool, async code awaited via sync_on_loop.
            return None
        find = getattr(self.app, "asgi_handler", None)
        return None if find is None else t.cast("NativeHandler | None", find(environ))

    def _run_sync_in(
        self, context: contextvars.Context, loop: asyncio.AbstractEventLoop
    ) -> RunSync:
        executor = self.executor

        async def run_sync(func: cabc.Callable[..., T], *args: t.Any) -> T:
            future: asyncio.Future[T] = loop.create_future()

            def settle(done: concurrent.futures.Future[T]) -> None:
                if future.cancelled():
                    return
                error = done.exception()
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(done.result())

            def submit() -> None:
                # Submitted from a callback, once the awaiting task's step has
                # ended, and the task wakes only after the worker has left:
                # one thread at a time is ever inside ``context``.
                done = executor.submit(context.run, func, *args)
                done.add_done_callback(
                    lambda done: loop.call_soon_threadsafe(settle, done)
                )

            loop.call_soon(submit)
            return await future

        return run_sync

    async def _respond_natively(
        self,
        native: NativeHandler,
        send: Send,
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context,
    ) -> None:
        """Await the app's own coroutine for this request on the loop."""
        started: list[Message] = []
        run_sync = self._run_sync_in(context, loop)
        body = await native(_start_response(started), run_sync)
        if isinstance(body, (list, tuple)):
            await _send_all(send, started[0], body)
        elif isinstance(body, cabc.AsyncIterable):
            await self._send_async(body, started, send)
        else:
            sent, whole = await run_sync(self._send_iterable, body, started, send, loop)
            await _finish(send, started, sent, whole)

    async def _send_async(
        self, body: cabc.AsyncIterable[bytes], started: list[Message], send: Send
    ) -> None:
        sent = False
        try:
            async for chunk in body:
                if not chunk:
                    continue
                if not sent:
                    await send(started[0])
                    sent = True
                await send(
                    {"type": "http.response.body", "body": chunk, "more_body": True}
                )
            if not sent:
                await send(started[0])
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            close = getattr(body, "aclose", None)
            if close is not None:
                await close()

    def _respond(
        self,
        environ: dict[str, t.Any],
        started: list[Message],
        send: Send,
        loop: asyncio.AbstractEventLoop,
    ) -> tuple[bool, bytes | None]:
        """Run the app in this worker thread and send its response body; the
        caller, back on the loop, ends the response (see :func:`_finish`).
        """
        body = self.app.wsgi_app(environ, _start_response(started))
        return self._send_iterable(body, started, send, loop)

    def _send_iterable(
        self,
        body: cabc.Iterable[bytes],
        started: list[Message],
        send: Send,
        loop: asyncio.AbstractEventLoop,
    ) -> tuple[bool, bytes | None]:
        """Iterate a WSGI body in this worker thread, sending each chunk.

        Return whether the response has started, and the whole body when it
        was complete in its first chunk (the ``Content-Length`` says so):
        the loop then sends it with the start, and the request has cost no
        trip from this thread to the loop at all. Otherwise each send waits
        for the server (flow control), so a slow client holds back the
        iteration instead of filling memory; the start goes out with the
        first chunk and the end is left to the loop.
        """
        sent = False
        chunks = iter(body)
        try:
            for chunk in chunks:
                if not chunk:
                    continue
                if not sent and _declared_length(started[0]) == len(chunk):
                    # Finish the iterable as any WSGI server would; it normally
                    # ends right away, and nothing it yields is dropped.
                    return False, chunk + b"".join(chunks)
                message = {
                    "type": "http.response.body",
                    "body": chunk,
                    "more_body": True,
                }
                if sent:
                    _wait(send(message), loop)
                else:
                    _wait(_send_both(send, started[0], message), loop)
                    sent = True
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return sent, None

    async def _run_handler(self, func: Handler) -> None:
        if inspect.iscoroutinefunction(func):
            with self.app.app_context():
                await func()
        else:
            loop = asyncio.get_running_loop()
            context = contextvars.copy_context()
            context.run(_SERVER_LOOP.set, loop)
            await loop.run_in_executor(
                self.executor, context.run, self._run_sync_handler, func
            )

    def _run_sync_handler(self, func: Handler) -> None:
        with self.app.app_context():
            func()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                phase, handlers = "startup", self.startup_handlers
            else:
                phase, handlers = "shutdown", self.shutdown_handlers
            try:
                for func in handlers:
                    await self._run_handler(func)
            except Exception as e:
                await send({"type": f"lifespan.{phase}.failed", "message": repr(e)})
                return
            await send({"type": f"lifespan.{phase}.complete"})
            if phase == "shutdown":
                if self._executor is not None:
                    self._executor.shutdown(wait=False)
                    self._executor = None
                return


async def _await(awaitable: cabc.Awaitable[T]) -> T:
    return await awaitable


def _wait(awaitable: cabc.Awaitable[T], loop: asyncio.AbstractEventLoop) -> T:
    """Block this worker thread until ``awaitable`` is done on ``loop``."""
    return asyncio.run_coroutine_threadsafe(_await(awaitable), loop).result()


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _start_response(
    started: list[Message],
) -> cabc.Callable[..., cabc.Callable[[bytes], object]]:
    """A WSGI ``start_response`` that records the ASGI start message."""

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> cabc.Callable[[bytes], object]:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [
            {
                "type": "http.response.start",
                "status": int(status.split(" ", 1)[0]),
                "headers": [
                    (k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in headers
                ],
            }
        ]
        return _no_write

    return start_response


async def _send_both(send: Send, first: Message, second: Message) -> None:
    await send(first)
    await send(second)


async def _finish(
    send: Send, started: list[Message], sent: bool, whole: bytes | None
) -> None:
    """End a response whose body was iterated in a worker thread."""
    if whole is not None:
        await send(started[0])
        await send({"type": "http.response.body", "body": whole})
        return
    if not sent:
        await send(started[0])
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _declared_length(start: Message) -> int | None:
    for name, value in start["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_all(send: Send, start: Message, body: cabc.Iterable[bytes]) -> None:
    """Send a response whose body is already in memory, on the loop."""
    await send(start)
    await send({"type": "http.response.body", "body": b"".join(body)})


def _no_write(data: bytes) -> object:
    raise RuntimeError("kolben.asgi does not support WSGI's write() callable.")
