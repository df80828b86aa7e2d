"""Running coroutines on the ASGI server's own event loop.

A sync view runs in a worker thread; while it does, :data:`_SERVER_LOOP`
(copied into the thread with the request's context) names the server's loop,
so an app's async code is awaited there instead of on a fresh loop per call.
Objects bound to that loop (connection pools, clients) therefore live from one
request to the next.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextvars
import functools
import typing as t

T = t.TypeVar("T")

_SERVER_LOOP: contextvars.ContextVar[asyncio.AbstractEventLoop | None] = (
    contextvars.ContextVar("kolben.asgi.server_loop", default=None)
)


def server_loop() -> asyncio.AbstractEventLoop | None:
    """Return the serving ASGI server's event loop, or ``None`` outside ASGI.

    An app's ``async_to_sync`` uses it to run coroutines where they belong.

    .. versionadded:: 0.1.0
    """
    return _SERVER_LOOP.get()


def sync_on_loop(
    func: cabc.Callable[..., cabc.Coroutine[t.Any, t.Any, T]],
    loop: asyncio.AbstractEventLoop,
) -> cabc.Callable[..., T]:
    """Wrap a coroutine function so a worker thread can call it synchronously.

    Each call schedules the coroutine on ``loop`` and blocks the calling
    thread (never the loop) until it finishes. The coroutine sees the caller's
    context variables (``request``, ``g``, ...): the loop copies the calling
    thread's context when it schedules the call.

    :param func: The coroutine function, such as an ``async def`` view.
    :param loop: The loop to run it on, normally :func:`server_loop`'s.

    .. versionadded:: 0.1.0
    """

    @functools.wraps(func)
    def call(*args: t.Any, **kwargs: t.Any) -> T:
        return asyncio.run_coroutine_threadsafe(func(*args, **kwargs), loop).result()

    return call
