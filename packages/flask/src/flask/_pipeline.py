"""The request pipeline of ``Flask``: from a WSGI call to a response.

::

    wsgi_app
      push the request context (and the app context)
      full_dispatch_request
        request_started, url_value_preprocessors, before_request functions
        dispatch_request -> the view
        (errors -> handle_user_exception)
        finalize_request
          make_response, process_response (after_request functions, session),
          request_finished
      (unhandled errors -> handle_exception)
      pop the contexts (teardown_request functions, teardown_appcontext functions)

The hook functions that apply to a request come from routing's cached
queries, computed once per blueprint chain; signals are only sent when
something is connected to them.
"""

from __future__ import annotations

import collections.abc as cabc
import sys
import typing as t

from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import call_teardown_functions
from kolben.contexts import request_tearing_down
from kolben.routing import blueprint_chain
from kolben.routing import LazyImport

from ._error_pages import error_response
from ._responses import body_response
from .signals import request_finished
from .signals import request_started
from .wrappers import default_content_type

if t.TYPE_CHECKING:  # pragma: no cover
    import logging

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from blinker import NamedSignal
    from werkzeug.routing import RequestRedirect
    from werkzeug.routing import RoutingException
    from werkzeug.routing import WebsocketMismatch

    from kolben.contexts import RequestContext
    from kolben.routing import RequestHooks
    from kolben.sessions import SecureCookieSessionInterface
    from kolben.sessions import SessionInterface

    from .config import Config
    from .json.provider import JSONProvider
    from .typing import ResponseReturnValue
    from .wrappers import Request
    from .wrappers import Response

#: The environ key of werkzeug's debugger (and the test client) asking the app
#: to hand over its contexts before popping them.
PRESERVE_CONTEXT = "werkzeug.debug.preserve_context"

_UNSET: t.Any = object()

#: The methods a routing failure passes through on its way to the response.
_ERROR_PATH = frozenset(
    (
        "dispatch_request",
        "raise_routing_exception",
        "handle_user_exception",
        "handle_http_exception",
        "trap_http_exception",
    )
)
_HTTP_CALL = HTTPException.__call__


class _deferred:
    """Classes the request methods test against, imported on first read
    rather than by ``import flask`` (see :class:`kolben.routing.LazyImport`):
    kolben.sessions loads itsdangerous, and werkzeug's routing package is
    imported when the first app is built.
    """

    cookie_interface: LazyImport[type[SecureCookieSessionInterface]] = LazyImport(
        "kolben.sessions", "SecureCookieSessionInterface"
    )
    request_redirect: LazyImport[type[RequestRedirect]] = LazyImport(
        "werkzeug.routing", "RequestRedirect"
    )
    websocket_mismatch: LazyImport[type[WebsocketMismatch]] = LazyImport(
        "werkzeug.routing", "WebsocketMismatch"
    )
    routing_exception: LazyImport[type[RoutingException]] = LazyImport(
        "werkzeug.routing", "RoutingException"
    )


#: ErrorHandling's handle_user_exception, handle_http_exception and
#: trap_http_exception, once imported (_errors imports this module, so not
#: at import time; an import statement on every 404 costs several calls).
_error_steps: tuple[t.Any, ...] = ()


def _default_error_steps() -> tuple[t.Any, ...]:
    global _error_steps
    from ._errors import ErrorHandling

    _error_steps = (
        ErrorHandling.handle_user_exception,
        ErrorHandling.handle_http_exception,
        ErrorHandling.trap_http_exception,
    )
    return _error_steps


#: Flask.ensure_sync, once imported (app imports this module).
_plain_ensure_sync: t.Any = None


def _flask_ensure_sync() -> t.Any:
    global _plain_ensure_sync
    from .app import Flask

    _plain_ensure_sync = Flask.ensure_sync
    return _plain_ensure_sync


def request_chain(request: Request) -> tuple[str, ...]:
    """The blueprint chain of ``request``'s endpoint, innermost first: the
    key for the app's (cached) hook lookups.
    """
    rule = request.url_rule
    return () if rule is None else blueprint_chain(rule.endpoint.rpartition(".")[0])


def _bad_tuple(rv: tuple[t.Any, ...]) -> str:
    return (
        f"The view returned a tuple of {len(rv)} items. A response tuple must"
        " have the form (body, status, headers), (body, status) or"
        " (body, headers)."
    )


def _bad_return_value(rv: object) -> str:
    return (
        "The view did not return a valid response. It must return a string,"
        " bytes, a dict, a list, an iterator, a response object, a WSGI"
        " callable, or a tuple of one of them with a status and/or headers,"
        f" but it was a {type(rv).__name__}."
    )


def session_opens_lazily(interface: t.Any) -> bool:
    """Whether a request may leave ``interface``'s session unopened until it
    is first used (and skip saving it when it never is).

    True for the default cookie interface (that class exactly: a subclass may
    count on being opened on every request, as in Flask) and for an interface
    that says so with a true ``opens_lazily`` attribute, as kolben.sessions'
    server-side interface does. Any other interface is opened at the start
    of every request, as Flask does.
    """
    return type(interface) is _deferred.cookie_interface or bool(
        getattr(interface, "opens_lazily", False)
    )


class RequestPipeline:
    """Mixin with the request handling methods of ``Flask``.

    Every step is a method so an application class can override it; the
    steps find the request through the active request context.
    """

    if t.TYPE_CHECKING:  # pragma: no cover
        # Provided by the other facets of Flask.
        config: Config
        json: JSONProvider
        response_class: type[Response]
        session_interface: SessionInterface
        view_functions: dict[str, t.Any]
        _got_first_request: bool

        @property
        def logger(self) -> logging.Logger: ...

        def request_context(self, environ: WSGIEnvironment) -> RequestContext: ...
        def ensure_sync(
            self, func: cabc.Callable[..., t.Any]
        ) -> cabc.Callable[..., t.Any]: ...
        def request_hooks_for(self, endpoint: str | None) -> RequestHooks: ...
        def url_value_preprocessors_for(
            self, blueprints: cabc.Sequence[str]
        ) -> tuple[t.Any, ...]: ...
        def before_request_funcs_for(
            self, blueprints: cabc.Sequence[str]
        ) -> tuple[t.Any, ...]: ...
        def after_request_funcs_for(
            self, blueprints: cabc.Sequence[str]
        ) -> tuple[t.Any, ...]: ...
        def teardown_request_funcs_for(
            self, blueprints: cabc.Sequence[str]
        ) -> tuple[t.Any, ...]: ...
        def handle_exception(self, e: Exception) -> Response: ...
        def handle_user_exception(
            self, e: Exception
        ) -> HTTPException | ResponseReturnValue: ...
        def should_ignore_error(self, error: BaseException | None) -> bool: ...
        def trap_http_exception(self, e: Exception) -> bool: ...
        def _find_error_handler(
            self, e: BaseException, blueprints: cabc.Sequence[str]
        ) -> t.Any: ...

        @property
        def debug(self) -> bool: ...

    def _notify(self, signal: NamedSignal, **data: t.Any) -> None:
        # Callers check signal.receivers first, so an unobserved signal costs
        # no call at all.
        signal.send(self, _async_wrapper=self.ensure_sync, **data)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI entry point: calls :meth:`wsgi_app`, so middleware can wrap
        ``app.wsgi_app`` while ``app`` stays the object servers are given::

            app.wsgi_app = ProxyFix(app.wsgi_app)
        """
        return self.wsgi_app(environ, start_response)

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Handle one WSGI request: push the contexts, dispatch, turn an
        unhandled error into a response, pop the contexts.

        When the environ has a callable under
        ``"werkzeug.debug.preserve_context"`` (werkzeug's debugger, the test
        client in a ``with`` block), it is called with the app context and then
        the request context before they are popped, so it can keep them alive.
        """
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                interface = self.session_interface
                # The default interface is answered without a call.
                if not (
                    type(interface) is _deferred.cookie_interface
                    or session_opens_lazily(interface)
                ):
                    ctx.session  # noqa: B018
                response = self.full_dispatch_request()
            except Exception as e:
                error = e
                response = self.handle_exception(e)
            except:  # noqa: E722
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            preserve = environ.get(PRESERVE_CONTEXT)
            if preserve is not None:
                preserve(_cv_app.get())
                preserve(_cv_request.get())
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def full_dispatch_request(self) -> Response:
        """Run the hooks before the view, the view, and error handling, and
        return the finalized response.
        """
        self._got_first_request = True
        outcome: ResponseReturnValue | HTTPException | None
        try:
            if request_started.receivers:
                self._notify(request_started)
            # A value from a before_request function stands in for the view's.
            outcome = self.preprocess_request()
            if outcome is None:
                outcome = self._routing_failure_as_is()
                if outcome is None:
                    outcome = self.dispatch_request()
        except Exception as raised:
            outcome = self.handle_user_exception(raised)
        return self.finalize_request(outcome)

    def preprocess_request(self) -> ResponseReturnValue | None:
        """Call the URL value preprocessors, then the ``before_request``
        functions (the app's, then the blueprints' from the outermost). The first
        value other than ``None`` returned by a ``before_request`` function ends
        the request's handling: it is used as the response, the view is not
        called.
        """
        req: Request = _cv_request.get().request  # type: ignore[assignment]
        rule = req.url_rule
        hooks = self.request_hooks_for(None if rule is None else rule.endpoint)
        preprocessors = hooks.url_value_preprocessors
        if preprocessors:
            endpoint, view_args = req.endpoint, req.view_args
            for preprocess in preprocessors:
                preprocess(endpoint, view_args)
        befores = hooks.before_request
        if befores:
            if self._calls_hooks_as_they_are(hooks):
                for before in befores:
                    rv = before()
                    if rv is not None:
                        return rv  # type: ignore[no-any-return]
                return None
            for before in befores:
                rv = self.ensure_sync(before)()
                if rv is not None:
                    return rv  # type: ignore[no-any-return]
        return None

    def _calls_hooks_as_they_are(self, hooks: RequestHooks) -> bool:
        """Whether :meth:`ensure_sync` would hand each of ``hooks`` back as it
        is: none is a coroutine function, and ``ensure_sync`` is Flask's own
        (an app may override it, on its class or its instance, at any time).
        """
        return (
            not hooks.has_async
            and type(self).ensure_sync is (_plain_ensure_sync or _flask_ensure_sync())
            and "ensure_sync" not in self.__dict__
        )

    def _routing_failure_as_is(self) -> HTTPException | None:
        """The request's routing failure when raising it from
        :meth:`dispatch_request` and handling it in
        :meth:`handle_user_exception` would only give it back as the response;
        ``None`` when there is none, or when that path might do anything else.

        That is a 404 or 405 with no error handler that applies, not trapped,
        and none of the steps overridden on the class or the app: the response
        is the same error object, without the raise, whose traceback would
        make the request a reference cycle for the garbage collector.
        """
        req: t.Any = _cv_request.get().request
        error = req.routing_exception
        if (
            error is None
            # Not a redirect, nor a 400 that raise_routing_exception rewrites
            # (an HTTP request to a WebSocket-only URL is a 426).
            or error.code not in (404, 405)
            or not self._default_error_path()
            or self.trap_http_exception(error)
            or self._find_error_handler(error, request_chain(req)) is not None
        ):
            return None
        return error  # type: ignore[no-any-return]

    def _default_error_path(self) -> bool:
        # Checked on each such request: tests patch these methods on the class
        # or on the app at any time.
        user, http, trap = _error_steps or _default_error_steps()
        cls: t.Any = type(self)
        return (
            not (self.__dict__.keys() & _ERROR_PATH)
            and cls.dispatch_request is RequestPipeline.dispatch_request
            and cls.raise_routing_exception is RequestPipeline.raise_routing_exception
            and cls.handle_user_exception is user
            and cls.handle_http_exception is http
            and cls.trap_http_exception is trap
        )

    def dispatch_request(self) -> ResponseReturnValue:
        """Call the view of the matched rule with the URL's values and return
        its result (not yet a response object). A routing failure is raised
        here; an automatic ``OPTIONS`` request is answered without the view.
        """
        req: Request = _cv_request.get().request  # type: ignore[assignment]
        if req.routing_exception is not None:
            self.raise_routing_exception(req)
        rule = req.url_rule
        assert rule is not None
        if rule.websocket:
            # Only kolben.asgi can carry the connection (it never calls this).
            from ._websocket import WebSocketNeedsASGI

            raise WebSocketNeedsASGI()
        if req.method == "OPTIONS" and getattr(
            rule, "provide_automatic_options", False
        ):
            return self.make_default_options_response()
        view = self.view_functions[rule.endpoint]
        return self.ensure_sync(view)(**req.view_args)  # type: ignore[arg-type,no-any-return]

    def raise_routing_exception(self, request: Request) -> t.NoReturn:
        """Raise the request's routing failure.

        An HTTP request to a URL that only a WebSocket route matches raises
        a 426 Upgrade Required error naming the WebSocket protocol.

        In debug mode a 301 or 302 redirect of a request that is not ``GET``,
        ``HEAD`` or ``OPTIONS`` raises
        :exc:`~flask.debughelpers.FormDataRoutingRedirect` instead, since the
        browser would drop the body when following it.
        """
        exc = request.routing_exception
        if (
            self.debug
            and isinstance(exc, _deferred.request_redirect)
            and exc.code not in {307, 308}
            and request.method not in {"GET", "HEAD", "OPTIONS"}
        ):
            from .debughelpers import FormDataRoutingRedirect

            raise FormDataRoutingRedirect(request)
        # ``type() is`` rather than isinstance: no call on the 404 path.
        if type(exc) is _deferred.websocket_mismatch:
            adapter = _cv_request.get().url_adapter
            if adapter is not None and not adapter.websocket:
                # An HTTP request to a WebSocket-only URL: say what to do
                # instead of werkzeug's generic 400.
                from ._websocket import UpgradeRequired

                raise UpgradeRequired() from None
        raise exc  # type: ignore[misc]

    def make_default_options_response(self) -> Response:
        """Return the answer to an automatic ``OPTIONS`` request: an empty
        response whose ``Allow`` header lists the URL's methods.
        """
        adapter = _cv_request.get().url_adapter
        assert adapter is not None
        response = self.response_class()
        response.allow.update(adapter.allowed_methods())
        return response

    def finalize_request(
        self,
        rv: ResponseReturnValue | HTTPException,
        from_error_handler: bool = False,
    ) -> Response:
        """Turn a view's (or error handler's) return value into the response:
        :meth:`make_response`, :meth:`process_response`, then
        ``request_finished``.

        :param from_error_handler: the value comes from handling an unhandled
            error; a failure now is logged instead of raised, so the error
            response still goes out.
        """
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if request_finished.receivers:
                self._notify(request_finished, response=response)
        except Exception:
            # While an unhandled error is being answered, a failing hook must
            # not take the error response down with it: log and send it.
            if from_error_handler:
                self.logger.exception(
                    "Finalizing the response failed while an unhandled error"
                    " was being handled"
                )
            else:
                raise
        return response

    def process_response(self, response: Response) -> Response:
        """Pass the response through the request's ``after_this_request``
        functions, then the ``after_request`` functions (innermost blueprint
        first, the app last, each last registered first), and save the session.
        """
        ctx = _cv_request.get()
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        rule = ctx.request.url_rule  # type: ignore[attr-defined]
        endpoint = None if rule is None else rule.endpoint
        hooks = self.request_hooks_for(endpoint)
        if hooks.after_request:
            if self._calls_hooks_as_they_are(hooks):
                for func in hooks.after_request:
                    response = func(response)
            else:
                for func in hooks.after_request:
                    response = self.ensure_sync(func)(response)
        return self._save_session(ctx, response)

    def _save_session(self, ctx: RequestContext, response: Response) -> Response:
        app: t.Any = self
        interface = self.session_interface
        used = ctx.session_is_open
        if not used and (
            type(interface) is _deferred.cookie_interface
            or session_opens_lazily(interface)
        ):
            # The request never used its session. It only needs saving when
            # the client sent a session cookie that may need refreshing.
            if not interface.should_open_to_refresh(app, ctx.request):
                return response
        # Any other interface gets its session opened and saved on every
        # request, as with Flask.
        try:
            session = ctx.session
            if not interface.is_null_session(session):
                interface.save_session(app, session, response)
        except HTTPException as e:
            from kolben.sessions.store import SessionStoreError

            if not isinstance(e, SessionStoreError):
                raise
            if not used:
                # Only an expiry refresh failed (the store logged it): the
                # request never used its session, so its answer stands.
                return response
            # The store failed (a 503 naming it): that is the answer, not a 500.
            return self.make_response(e)
        return response

    def do_teardown_request(self, exc: BaseException | None = _UNSET) -> None:
        """Call the ``teardown_request`` functions (innermost blueprint first,
        the app last, each last registered first), then send
        ``request_tearing_down``. Called when the request context is popped.

        :param exc: the error that ended the request, if any; the one being
            handled by default.
        """
        if exc is _UNSET:
            exc = sys.exc_info()[1]
        rule = _cv_request.get().request.url_rule  # type: ignore[attr-defined]
        endpoint = None if rule is None else rule.endpoint
        funcs = self.request_hooks_for(endpoint).teardown_request
        if funcs:
            call_teardown_functions(self, funcs, exc)
        if request_tearing_down.receivers:
            self._notify(request_tearing_down, exc=exc)

    def make_response(self, rv: ResponseReturnValue | HTTPException) -> Response:
        """Turn a view's return value into an instance of
        :attr:`response_class`.

        Accepted values:

        - a response object of :attr:`response_class`, used as is;
        - ``str``, ``bytes`` or ``bytearray``: the body;
        - a ``dict`` or ``list``: JSON, through the app's JSON provider;
        - an iterator or generator of ``str`` or ``bytes``: a streamed body;
        - another response object or any WSGI callable: converted with
          :meth:`~werkzeug.wrappers.Response.force_type`;
        - a tuple ``(body, status, headers)``, ``(body, status)`` or
          ``(body, headers)`` of one of the above; ``status`` (an int or a
          string like ``"404 Not Found"``) replaces the status, ``headers``
          (a dict, a list of pairs or ``Headers``) are added.

        :raises TypeError: for anything else, including ``None``.
        """
        status: t.Any = None
        headers: t.Any = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2:
                if isinstance(rv[1], (Headers, dict, tuple, list)):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(_bad_tuple(rv))

        if rv is None:
            endpoint = _cv_request.get().request.endpoint
            raise TypeError(
                f"The view function for {endpoint!r} returned None, or ended"
                " without a return statement. A view must return a response."
            )

        response_class = self.response_class
        if not isinstance(rv, response_class):
            if isinstance(rv, (dict, list)):
                rv = self.json.response(rv)  # type: ignore[assignment]
            elif status is None and headers is None and type(rv) in (str, bytes):
                # The commonest value of all: a body with the class's defaults.
                rv = body_response(response_class, rv)  # type: ignore[arg-type]
            elif isinstance(rv, (str, bytes, bytearray)) or isinstance(
                rv, cabc.Iterator
            ):
                content_type = None if headers else default_content_type(response_class)
                # Status and headers go to the constructor, which applies
                # them before a body-dependent default (content type) is set.
                if content_type is None:
                    rv = response_class(rv, status=status, headers=headers)
                else:
                    # Known in advance, it spares the class working it out.
                    rv = response_class(rv, status=status, content_type=content_type)
                status = headers = None
            elif isinstance(rv, HTTPException) and type(rv).__call__ is _HTTP_CALL:
                # What calling the exception as a WSGI app would produce,
                # without running a nested WSGI request to get it.
                environ = _cv_request.get().request.environ
                rv = response_class.force_type(error_response(rv, environ), environ)
            elif isinstance(rv, BaseResponse) or callable(rv):
                try:
                    rv = response_class.force_type(
                        rv,  # type: ignore[arg-type]
                        _cv_request.get().request.environ,
                    )
                except TypeError as e:
                    raise TypeError(f"{e}\n{_bad_return_value(rv)}").with_traceback(
                        sys.exc_info()[2]
                    ) from None
            elif isinstance(
                rv, cabc.AsyncIterator
            ) and _cv_request.get().request.environ.get("kolben.asgi.native"):
                # An async view served on the ASGI loop may stream from an
                # async generator; kolben.asgi consumes it on the loop.
                rv = response_class(rv, status=status, headers=headers)  # type: ignore[arg-type]
                status = headers = None
            else:
                raise TypeError(_bad_return_value(rv))

        response: Response = rv  # type: ignore[assignment]
        if status is not None:
            if isinstance(status, (str, bytes, bytearray)):
                response.status = status  # type: ignore[assignment]
            else:
                response.status_code = status
        if headers:
            response.headers.update(headers)
        return response
