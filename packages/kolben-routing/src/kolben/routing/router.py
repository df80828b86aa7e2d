"""A small WSGI application built from the routing facet alone.

:class:`Router` is for programs that want Flask-style routing (decorators,
blueprints, class-based views, ``url_for``, hooks and error handlers) without
the rest of Flask: no templates, sessions or configuration files.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import functools
import inspect
import json
import typing as t

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import RoutingException
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.contexts import _cv_request
from kolben.contexts import call_teardown_functions
from kolben.contexts import ContextsAppFacet
from kolben.contexts import request_tearing_down

from ._typing import StrPath
from .app import _request_blueprint
from .app import RoutingApp
from .hooks import blueprint_chain

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment

    from kolben.contexts import RequestContext


class _NoSessions:
    """Sessions are not a routing concern: every request gets an empty dict."""

    def open_session(self, app: t.Any, request: t.Any) -> dict[str, t.Any]:
        return {}

    def make_null_session(self, app: t.Any) -> dict[str, t.Any]:
        return {}


#: Returned by ``Router._call_error_handler`` when no handler applies.
_UNHANDLED: t.Final = object()


def _current() -> RequestContext:
    return _cv_request.get()


def _chain(request: t.Any) -> tuple[str, ...]:
    return blueprint_chain(_request_blueprint(request))


class Router(ContextsAppFacet, RoutingApp):
    """A WSGI application that dispatches requests to routed views.

    ::

        router = Router(__name__)

        @router.get("/hello/<name>")
        def hello(name):
            return f"Hello, {name}!"

    Each request runs in a :class:`kolben.contexts.RequestContext`, so views
    and hooks can use ``request``, ``g`` and :func:`~kolben.routing.url_for`.
    The request goes through the URL value preprocessors and ``before_request``
    functions, the view, then the ``after_request`` functions; errors go to
    the registered error handlers, and ``teardown_request`` functions run at
    the end. A view may return a response, a string or bytes, a dict or list
    (sent as JSON), or a tuple ``(body, status)``, ``(body, headers)`` or
    ``(body, status, headers)``.

    :param import_name: the module defining the router, usually ``__name__``.
    :param config: configuration overriding :attr:`default_config`.
    :param static_folder: a folder of static files to serve, if any.
    :param static_url_path: the URL path of the static folder.
    :param static_host: the host of the static route, with host matching.
    :param host_matching: match rules by host.
    :param subdomain_matching: match rules by subdomain of ``SERVER_NAME``.
    :param root_path: the folder relative paths start from.
    """

    #: The class requests are parsed into.
    request_class: type[Request] = Request

    #: The class of responses the router creates.
    response_class: type[Response] = Response

    #: The configuration keys the router reads, with their defaults.
    default_config: t.ClassVar[dict[str, t.Any]] = {
        "SERVER_NAME": None,
        "APPLICATION_ROOT": "/",
        "PREFERRED_URL_SCHEME": "http",
        "TRUSTED_HOSTS": None,
        "PROVIDE_AUTOMATIC_OPTIONS": True,
        "PROPAGATE_EXCEPTIONS": False,
    }

    def __init__(
        self,
        import_name: str,
        *,
        config: cabc.Mapping[str, t.Any] | None = None,
        static_folder: StrPath | None = None,
        static_url_path: str | None = None,
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        root_path: str | None = None,
    ) -> None:
        #: The router's name, used in reprs.
        self.name = import_name
        #: The configuration; see :attr:`default_config`.
        self.config: dict[str, t.Any] = dict(self.default_config)
        if config is not None:
            self.config.update(config)
        self.session_interface = _NoSessions()
        super().__init__(
            import_name,
            static_url_path=static_url_path,
            static_folder=static_folder,
            static_host=static_host,
            host_matching=host_matching,
            subdomain_matching=subdomain_matching,
            template_folder=None,
            root_path=root_path,
        )

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        """Return ``func``, or for an ``async`` function a wrapper that runs it
        to completion in a new event loop.
        """
        if not inspect.iscoroutinefunction(func):
            return func

        # asyncio is heavy to import and most programs never need it.
        import asyncio

        @functools.wraps(func)
        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return asyncio.run(func(*args, **kwargs))

        return run

    def send_static_file(self, filename: str) -> Response:
        """Serve ``filename`` from the static folder (the static route's view)."""
        if self.static_folder is None:
            raise RuntimeError("'static_folder' must be set to serve static files.")
        return send_from_directory(
            self.static_folder, filename, _current().request.environ
        )

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI application: parse the request, dispatch it, respond."""
        response = self.dispatch(self.request_class(environ))
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """Run ``request`` through the router and return the response.

        Pushes a request context for it, so a plain werkzeug request object can
        be handed in by any WSGI program or test.
        """
        ctx = self.request_context_class(
            t.cast(t.Any, self), request.environ, request=request
        )
        ctx.push()
        unhandled: BaseException | None = None
        try:
            return self.full_dispatch_request()
        except Exception as e:
            unhandled = e
            return self.handle_exception(e)
        finally:
            ctx.pop(unhandled)

    def full_dispatch_request(self) -> Response:
        """Preprocess, dispatch and postprocess the current request, handling
        errors raised on the way with the registered error handlers.
        """
        self._got_first_request = True
        return self.finalize_request(self._handled_result())

    def _handled_result(self) -> t.Any:
        """What a ``before_request`` function or else the view returned, or
        the error handler's result for what either raised.
        """
        try:
            early = self.preprocess_request()
            return self.dispatch_request() if early is None else early
        except Exception as e:
            return self.handle_user_exception(e)

    def preprocess_request(self) -> t.Any:
        """Call the URL value preprocessors, then the ``before_request``
        functions; return the first value one of those returns, if any.
        """
        request = _current().request
        chain = _chain(request)
        # A plain werkzeug request has these only once it was matched.
        rule = getattr(request, "url_rule", None)
        endpoint = rule.endpoint if rule is not None else None
        view_args = getattr(request, "view_args", None)
        for preprocess in self.url_value_preprocessors_for(chain):
            preprocess(endpoint, view_args)
        for before in self.before_request_funcs_for(chain):
            rv = self.ensure_sync(before)()
            if rv is not None:
                return rv
        return None

    def dispatch_request(self) -> t.Any:
        """Call the view of the matched rule (or raise the routing error)."""
        ctx = _current()
        request: t.Any = ctx.request
        if request.routing_exception is not None:
            raise request.routing_exception
        rule = request.url_rule
        if rule.websocket:
            # A WSGI program cannot carry the connection the handler expects.
            raise BadRequest(
                "This WebSocket endpoint needs an ASGI server: WSGI cannot"
                " carry WebSocket connections."
            )
        if request.method == "OPTIONS" and getattr(
            rule, "provide_automatic_options", False
        ):
            response = self.response_class()
            assert ctx.url_adapter is not None
            response.allow.update(ctx.url_adapter.allowed_methods())
            return response
        view = self.view_functions[rule.endpoint]
        return self.ensure_sync(view)(**request.view_args)

    def make_response(self, rv: t.Any) -> Response:
        """Turn a view's return value into a response object."""
        status = headers = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2:
                if isinstance(rv[1], (dict, list, tuple)):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    "A view's tuple must be (body, status, headers),"
                    " (body, status), or (body, headers)."
                )
        if rv is None:
            raise TypeError("The view function did not return a valid response.")
        if isinstance(rv, bytearray):
            rv = bytes(rv)
        if isinstance(rv, (str, bytes)):
            response = self.response_class(rv)
        elif isinstance(rv, (dict, list)):
            response = self.response_class(json.dumps(rv), mimetype="application/json")
        elif isinstance(rv, Response):
            response = rv
        else:
            response = self.response_class.force_type(rv, _current().request.environ)
        if status is not None:
            if isinstance(status, int):
                response.status_code = status
            else:
                response.status = status
        if headers:
            response.headers.update(headers)
        return response

    def process_response(self, response: Response) -> Response:
        """Pass the response through the ``after_this_request`` functions, then
        the ``after_request`` functions.
        """
        ctx = _current()
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        for func in self.after_request_funcs_for(_chain(ctx.request)):
            response = self.ensure_sync(func)(response)
        return response

    def finalize_request(self, rv: t.Any, from_error_handler: bool = False) -> Response:
        """Make the response and postprocess it. Errors raised while
        postprocessing an error handler's response are ignored, so the error
        response still goes out.
        """
        response = self.make_response(rv)
        if not from_error_handler:
            return self.process_response(response)
        with contextlib.suppress(Exception):
            return self.process_response(response)
        return response

    def _call_error_handler(self, e: Exception) -> t.Any:
        """The result of the handler registered for ``e`` in the current
        request's blueprints, or :data:`_UNHANDLED` when there is none.
        """
        handler = self._find_error_handler(e, _chain(_current().request))
        return _UNHANDLED if handler is None else self.ensure_sync(handler)(e)

    def handle_http_exception(self, e: HTTPException) -> t.Any:
        """Return the error handler's result for an HTTP error, or the error
        itself to be sent as the response. Redirects raised by routing (such as
        the one adding a trailing slash) are never handled.
        """
        if isinstance(e, RoutingException) or e.code is None:
            return e
        rv = self._call_error_handler(e)
        return e if rv is _UNHANDLED else rv

    def handle_user_exception(self, e: Exception) -> t.Any:
        """Return the error handler's result for ``e``; re-raise ``e`` when no
        handler takes it (HTTP errors become their own responses instead).
        """
        if isinstance(e, HTTPException):
            return self.handle_http_exception(e)
        rv = self._call_error_handler(e)
        if rv is _UNHANDLED:
            raise e
        return rv

    def handle_exception(self, e: Exception) -> Response:
        """Turn an unhandled exception into a 500 response, through the error
        handler for ``InternalServerError`` (or 500) when there is one. With
        ``PROPAGATE_EXCEPTIONS`` the exception is re-raised instead.
        """
        if self.config["PROPAGATE_EXCEPTIONS"]:
            raise e
        server_error = InternalServerError(original_exception=e)
        rv = self._call_error_handler(server_error)
        if rv is _UNHANDLED:
            rv = server_error
        return self.finalize_request(rv, from_error_handler=True)

    def do_teardown_request(self, exc: BaseException | None = None) -> None:
        """Call the ``teardown_request`` functions and send
        ``request_tearing_down``; called when the request context is popped.
        """
        chain = _chain(_current().request)
        call_teardown_functions(self, self.teardown_request_funcs_for(chain), exc)
        request_tearing_down.send(self, _async_wrapper=self.ensure_sync, exc=exc)
