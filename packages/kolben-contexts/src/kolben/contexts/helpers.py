"""Helpers for code that runs inside (or outside) a request.

They need only the context variables, so they work for any application that
uses :mod:`kolben.contexts`.
"""

from __future__ import annotations

import collections.abc as cabc
import logging
import typing as t
from functools import update_wrapper

from .globals import _cv_app
from .globals import _cv_request

F = t.TypeVar("F", bound=cabc.Callable[..., t.Any])
AfterRequestCallable = t.TypeVar(
    "AfterRequestCallable", bound=cabc.Callable[..., t.Any]
)


def call_teardown_functions(
    app: t.Any,
    funcs: cabc.Iterable[cabc.Callable[[BaseException | None], t.Any]],
    exc: BaseException | None,
) -> None:
    """Call every teardown function with ``exc``, even when some of them fail.

    Teardown functions release what a request or app context held (database
    connections, transactions, files), so one failing must not skip the rest.
    Each failure is logged on ``app.logger`` (or the ``kolben.contexts`` logger
    when the app has none); once all have run, the first failure is raised
    again. Each function is called through ``app.ensure_sync``.

    :param app: the application whose teardown functions these are.
    :param funcs: the functions, in the order they should run.
    :param exc: the exception that ended the context, or ``None``.

    .. versionadded:: 0.1.0
    """
    first: Exception | None = None
    for func in funcs:
        try:
            app.ensure_sync(func)(exc)
        except Exception as e:
            logger = getattr(app, "logger", None)
            if not isinstance(logger, logging.Logger):
                logger = logging.getLogger("kolben.contexts")
            logger.error("Exception in teardown function %r", func, exc_info=e)
            if first is None:
                first = e
    if first is not None:
        raise first


def has_app_context() -> bool:
    """Tell whether an application context is active.

    Useful for code that works with or without an app, for example a logging
    filter that adds ``current_app.name`` only when there is one.
    """
    return _cv_app.get(None) is not None


def has_request_context() -> bool:
    """Tell whether a request context is active.

    ::

        class User:
            def __init__(self, name, remote_addr=None):
                if remote_addr is None and has_request_context():
                    remote_addr = request.remote_addr
    """
    return _cv_request.get(None) is not None


def _active_request_context(helper: str) -> t.Any:
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            f"'{helper}' can only be used when a request context is active,"
            " such as in a view function."
        )
    return ctx


def after_this_request(f: AfterRequestCallable) -> AfterRequestCallable:
    """Run ``f`` on the response of the current request only.

    ``f`` receives the response object and returns it (or a replacement)::

        @app.route("/")
        def index():
            @after_this_request
            def add_header(response):
                response.headers["X-Foo"] = "Parachute"
                return response
            return "Hello"

    :raises RuntimeError: outside a request context.
    """
    _active_request_context("after_this_request")._after_request_functions.append(f)
    return f


def copy_current_request_context(f: F) -> F:
    """Bind ``f`` to a copy of the current request context.

    Calling the returned function pushes that copy around the call, so ``f``
    can use ``request`` and ``session`` from another thread or greenlet::

        @app.route("/")
        def index():
            @copy_current_request_context
            def work():
                do_some_work(request.args["name"])
            threading.Thread(target=work).start()
            return "Started"

    :raises RuntimeError: outside a request context.
    """
    ctx = _active_request_context("copy_current_request_context").copy()

    def bound(*args: t.Any, **kwargs: t.Any) -> t.Any:
        with ctx:
            return ctx.app.ensure_sync(f)(*args, **kwargs)

    return update_wrapper(bound, f)  # type: ignore[return-value]


@t.overload
def stream_with_context(
    generator_or_function: cabc.Iterator[t.AnyStr],
) -> cabc.Iterator[t.AnyStr]: ...


@t.overload
def stream_with_context(
    generator_or_function: cabc.Callable[..., cabc.Iterator[t.AnyStr]],
) -> cabc.Callable[..., cabc.Iterator[t.AnyStr]]: ...


def stream_with_context(
    generator_or_function: cabc.Iterator[t.AnyStr]
    | cabc.Callable[..., cabc.Iterator[t.AnyStr]],
) -> cabc.Iterator[t.AnyStr] | cabc.Callable[..., cabc.Iterator[t.AnyStr]]:
    """Give a streamed response the request context of the view that made it.

    A view that returns a generator finishes before the generator runs, so the
    generator would normally see no ``request``. Wrapping it captures the
    current app and request contexts and pushes them again while the stream is
    generated, until it is exhausted or closed. Use it on a generator, or as a
    decorator on a generator function::

        @app.route("/stream")
        def streamed():
            @stream_with_context
            def generate():
                yield "Hello "
                yield request.args["name"]
            return generate()

    The request's teardown functions run once, when the request ends (before
    a server streams the body); the stream then sees the same contexts but
    does not run them a second time.

    :raises RuntimeError: outside a request context (when the generator is
        wrapped, not when it is first iterated).
    """
    try:
        inner = iter(generator_or_function)  # type: ignore[arg-type]
    except TypeError:
        function = t.cast(
            "cabc.Callable[..., cabc.Iterator[t.AnyStr]]", generator_or_function
        )

        def decorated(*args: t.Any, **kwargs: t.Any) -> cabc.Iterator[t.AnyStr]:
            return stream_with_context(function(*args, **kwargs))

        return update_wrapper(decorated, function)

    # The contexts are captured now, while the view runs, but pushed only when
    # the stream is first iterated: pushing them here would record the tokens
    # in the view's contextvars Context, which for an async view is not the
    # one the response is streamed (and the contexts popped) in.
    request_ctx = _active_request_context("stream_with_context")
    app_ctx = _cv_app.get()

    def run_in_context() -> cabc.Iterator[t.AnyStr]:
        if not request_ctx._tokens:
            # The request already ended, and its teardown functions ran when
            # its context was popped: make the contexts current again for
            # the stream without tearing them down a second time.
            app_ctx._set()
            request_ctx._set()
            try:
                yield from _closing(inner)
            finally:
                try:
                    request_ctx._reset()
                finally:
                    app_ctx._reset()
            return
        # Streamed while the request is still active (inside a test's
        # request context): an ordinary nested push. The app context first,
        # so the request context reuses it rather than pushing its own.
        with app_ctx, request_ctx:
            yield from _closing(inner)

    return run_in_context()


def _closing(inner: cabc.Iterator[t.AnyStr]) -> cabc.Iterator[t.AnyStr]:
    try:
        yield from inner
    finally:
        close = getattr(inner, "close", None)
        if close is not None:
            close()
