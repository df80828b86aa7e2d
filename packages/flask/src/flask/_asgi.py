"""``async def`` views served as coroutines on the ASGI server's loop.

Under :mod:`kolben.asgi`, :meth:`Flask.asgi_handler` takes the requests whose
view is a coroutine function off the thread pool: the request's pipeline runs
as a task on the server's loop, and the view is awaited there, holding no
thread while it waits. The sync steps around it (body loading, sessions that
are not cookies, ``before_request``/``after_request``/teardown functions,
error handlers, signals) are handed to the pool in the request's own context,
and only when the request has any; a bare async view never leaves the loop.

::

    push the request context (on the loop; matches the URL)
    [pool] open a non-lazy session, request_started, before_request functions,
           load the body (the loop cannot block on it)
    await the view
    [pool] handle_user_exception / handle_exception on errors
    [pool] after_request functions, session saving, request_finished
    [pool] pop the request context (teardown functions)

Every other request (sync views, ``OPTIONS``, routing errors, apps whose
``wsgi_app`` is wrapped by middleware or whose pipeline is overridden) goes
the WSGI way through ``wsgi_app`` in the pool, unchanged.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import typing as t
from inspect import iscoroutinefunction

from kolben.contexts import appcontext_popped
from kolben.contexts import appcontext_tearing_down
from kolben.contexts import request_tearing_down
from kolben.sessions import SecureCookieSessionInterface

from ._pipeline import request_chain
from ._pipeline import RequestPipeline
from ._pipeline import session_opens_lazily
from .signals import request_finished
from .signals import request_started

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment

    from kolben.asgi.protocols import NativeHandler
    from kolben.asgi.protocols import RunSync
    from kolben.contexts import RequestContext

    from .app import Flask
    from .typing import ResponseReturnValue
    from .wrappers import Request
    from .wrappers import Response

#: The environ key marking a request served on the loop: its view may return
#: an async iterator as the response body.
NATIVE = "kolben.asgi.native"

_PIPELINE = ("wsgi_app", "full_dispatch_request", "dispatch_request")
_ANY_ASYNC = "_kolben_asgi_any_async_view"


def native_handler(app: Flask, environ: WSGIEnvironment) -> NativeHandler | None:
    """Return the coroutine serving this request on the loop, or ``None``."""
    for name in _PIPELINE:
        if name in app.__dict__ or getattr(type(app), name) is not getattr(
            RequestPipeline, name
        ):
            # Middleware wraps app.wsgi_app, or a subclass changes the
            # pipeline: only the WSGI way runs their code.
            return None
    views = app.view_functions
    known = app.__dict__.get(_ANY_ASYNC)
    if known is None or known[0] != len(views):
        # Keyed by the number of views: a view swapped for an async one in
        # place is only missed here, and then still served (the WSGI way).
        known = (len(views), any(iscoroutinefunction(v) for v in views.values()))
        app.__dict__[_ANY_ASYNC] = known
    if not known[1]:
        # An app without async views pays no URL matching on the loop.
        return None
    ctx = app.request_context(environ)
    if ctx.url_adapter is None:
        return None
    ctx.match_request()
    req: Request = ctx.request  # type: ignore[assignment]
    rule = req.url_rule
    if rule is None or (
        req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False)
    ):
        return None
    view = app.view_functions.get(rule.endpoint)
    if view is None or not iscoroutinefunction(view):
        return None
    return functools.partial(_serve, app, ctx, view)


async def _serve(
    app: Flask,
    ctx: RequestContext,
    view: cabc.Callable[..., cabc.Awaitable[ResponseReturnValue]],
    start_response: cabc.Callable[..., t.Any],
    run_sync: RunSync,
) -> cabc.Iterable[bytes] | cabc.AsyncIterable[bytes]:
    environ = ctx.request.environ
    environ[NATIVE] = True
    error: BaseException | None = None
    try:
        try:
            ctx.push()
            response = await _dispatch(app, ctx, view, run_sync)
        except Exception as e:
            error = e
            response = await run_sync(_handle_exception, app, e)
        except BaseException as e:
            error = e
            raise
        return _body(response, environ, start_response)
    finally:
        if error is not None and app.should_ignore_error(error):
            error = None
        if _tears_down(app, ctx):
            await run_sync(ctx.pop, error)
        else:
            ctx.pop(error)


async def _dispatch(
    app: Flask,
    ctx: RequestContext,
    view: cabc.Callable[..., cabc.Awaitable[ResponseReturnValue]],
    run_sync: RunSync,
) -> Response:
    """:meth:`~flask.Flask.full_dispatch_request` with the view awaited."""
    req: Request = ctx.request  # type: ignore[assignment]
    chain = request_chain(req)
    outcome: ResponseReturnValue | None = None
    try:
        if _has_body(req.environ) or _prepares(app, chain):
            outcome = await run_sync(_before, app, ctx)
        else:
            app._got_first_request = True
        if outcome is None:
            outcome = await view(**(req.view_args or {}))
    except Exception as e:
        outcome = await run_sync(_handle_user_exception, app, e)
    if _finishes_in_pool(app, ctx, chain):
        return t.cast("Response", await run_sync(app.finalize_request, outcome))
    return app.finalize_request(outcome)


def _before(app: Flask, ctx: RequestContext) -> ResponseReturnValue | None:
    if not session_opens_lazily(app.session_interface):
        # As wsgi_app does for such interfaces: open at the start.
        ctx.session  # noqa: B018
    app._got_first_request = True
    if request_started.receivers:
        app._notify(request_started)
    outcome = app.preprocess_request()
    if outcome is None and _has_body(ctx.request.environ):
        # The view runs on the loop, which cannot wait for the body: read it
        # here (form fields parsed, files spooled), bounded by
        # MAX_CONTENT_LENGTH like any read of it.
        ctx.request.get_data(parse_form_data=True)
    return outcome


def _handle_user_exception(app: Flask, e: Exception) -> t.Any:
    # handle_user_exception re-raises the error being handled when no
    # handler takes it: make ``e`` the one being handled in this thread.
    try:
        raise e
    except Exception as raised:
        return app.handle_user_exception(raised)


def _handle_exception(app: Flask, e: Exception) -> Response:
    try:
        raise e
    except Exception as raised:
        return app.handle_exception(raised)


def _has_body(environ: WSGIEnvironment) -> bool:
    return environ.get("CONTENT_LENGTH", "") not in ("", "0") or bool(
        environ.get("HTTP_TRANSFER_ENCODING")
    )


def _prepares(app: Flask, chain: tuple[str, ...]) -> bool:
    """Whether anything runs before the view (each may block)."""
    return bool(
        request_started.receivers
        or app.url_value_preprocessors_for(chain)
        or app.before_request_funcs_for(chain)
        or not session_opens_lazily(app.session_interface)
    )


def _finishes_in_pool(app: Flask, ctx: RequestContext, chain: tuple[str, ...]) -> bool:
    """Whether finalizing may block: hooks, signals, a session store."""
    return bool(
        ctx._after_request_functions
        or app.after_request_funcs_for(chain)
        or request_finished.receivers
        or type(app.session_interface) is not SecureCookieSessionInterface
    )


def _tears_down(app: Flask, ctx: RequestContext) -> bool:
    """Whether popping the context calls anything that may block."""
    return bool(
        app.teardown_request_funcs_for(request_chain(ctx.request))  # type: ignore[arg-type]
        or app.teardown_appcontext_funcs
        or request_tearing_down.receivers
        or appcontext_tearing_down.receivers
        or appcontext_popped.receivers
    )


def _body(
    response: Response,
    environ: WSGIEnvironment,
    start_response: cabc.Callable[..., t.Any],
) -> cabc.Iterable[bytes] | cabc.AsyncIterable[bytes]:
    """Start the response and return its body in the form the adapter sends
    best: in memory, an async iterator, or a sync iterable for the pool.
    """
    inner = response.response
    app_iter = response(environ, start_response)
    if isinstance(inner, cabc.AsyncIterator):
        status = response.status_code
        if environ["REQUEST_METHOD"] == "HEAD" or status < 200 or status in (204, 304):
            app_iter.close()  # type: ignore[attr-defined]
            return []
        return _encoded(inner, app_iter)
    if response.is_sequence:
        try:
            return list(app_iter)
        finally:
            app_iter.close()  # type: ignore[attr-defined]
    return app_iter


async def _encoded(
    inner: cabc.AsyncIterator[t.Any], app_iter: cabc.Iterable[bytes]
) -> cabc.AsyncIterator[bytes]:
    try:
        async for item in inner:
            yield item.encode() if isinstance(item, str) else item
    finally:
        close = getattr(inner, "aclose", None)
        if close is not None:
            await close()
        app_iter.close()  # type: ignore[attr-defined]
