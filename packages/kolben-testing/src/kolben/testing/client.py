"""The test client: werkzeug's client, aware of the app's location, JSON,
sessions and request contexts.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib.metadata
import sys
import typing as t
from contextlib import contextmanager
from contextlib import ExitStack
from contextlib import nullcontext
from copy import copy
from io import BytesIO
from types import TracebackType
from urllib.parse import urlsplit

import werkzeug.test
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_current_url

from .environ import _locate
from .environ import EnvironBuilder

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.datastructures import Headers
    from werkzeug.test import TestResponse

#: The environ key under which an app finds the callable that keeps its contexts
#: alive (werkzeug's debugger uses the same key and protocol).
PRESERVE_CONTEXT_KEY = "werkzeug.debug.preserve_context"

_USER_AGENT = f"Werkzeug/{importlib.metadata.version('werkzeug')}"

#: How many distinct plain requests a client remembers the environ of.
_ENVIRON_MEMO_SIZE = 64


class FlaskClient(werkzeug.test.Client):
    """A :class:`werkzeug.test.Client` for testing an application.

    It works with any WSGI callable and adds, for an app that provides them:
    requests addressed to the app's configured server and root (see
    :class:`~kolben.testing.EnvironBuilder`), ``json=`` bodies and
    ``response.json`` using the app's JSON provider, and
    :meth:`session_transaction`. Every request method takes werkzeug's
    arguments (``query_string``, ``data``, ``json``, ``headers``,
    ``base_url``, ``subdomain``, ``url_scheme``, ``follow_redirects``, ...).

    Used in a ``with`` block, the client keeps the contexts of the last request
    it made pushed until the block ends, so tests can look at ``request``,
    ``session`` and ``g`` after the response is returned::

        with app.test_client() as client:
            client.get("/?vodka=42")
            assert request.args["vodka"] == "42"

    The app takes part through werkzeug's debugger protocol: while the block
    is active each request's environ holds a callable under
    ``"werkzeug.debug.preserve_context"``, which the app calls with each
    context (app context first) before popping them. The client pushes them
    again once the response is built, replacing those of the previous request.

    :param application: the WSGI application to test.
    :param response_wrapper: the response class to wrap responses in, combined
        with werkzeug's :class:`~werkzeug.test.TestResponse`.
    :param use_cookies: keep cookies across requests.
    :param allow_subdomain_redirects: follow redirects to subdomains.
    """

    #: Whether the client is inside its ``with`` block, keeping the last
    #: request's contexts pushed.
    preserve_context: bool = False

    def __init__(
        self,
        application: WSGIApplication | t.Any,
        response_wrapper: type[Response] | None = None,
        use_cookies: bool = True,
        allow_subdomain_redirects: bool = False,
    ) -> None:
        super().__init__(
            application,
            response_wrapper,
            use_cookies=use_cookies,
            allow_subdomain_redirects=allow_subdomain_redirects,
        )
        #: Environ values every request starts from; the request's own values
        #: (and its ``environ_base``) take precedence. Change it to, for example,
        #: make all requests come from another address.
        self.environ_base: dict[str, t.Any] = {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_USER_AGENT": _USER_AGENT,
        }
        # The contexts kept alive for the last request inside the with block, and
        # those the app handed over during the request being made.
        self._preserved = ExitStack()
        self._handed_over: list[t.ContextManager[t.Any]] = []
        # The environs the builder made for plain requests (a path and a
        # method, nothing else), by everything they were built from.
        self._environ_memo: dict[t.Hashable, WSGIEnvironment] = {}

    def open(
        self,
        *args: t.Any,
        buffered: bool = False,
        follow_redirects: bool = False,
        **kwargs: t.Any,
    ) -> TestResponse:
        """Make a request and return the response.

        The arguments are those of :class:`~kolben.testing.EnvironBuilder`
        (without the app). A single prepared request may be passed instead: a
        :class:`werkzeug.test.EnvironBuilder`, a WSGI environ ``dict`` or a
        :class:`werkzeug.wrappers.Request`; it is used as it is, over
        :attr:`environ_base`.

        :param buffered: read the whole response body before returning.
        :param follow_redirects: follow redirects until a response that is not
            one; ``response.history`` holds the responses that were redirects.
        """
        request = self._prepared_request(args, kwargs)
        if request is None:
            request = self._request_from_builder_args(args, kwargs)
        try:
            response = super().open(
                request, buffered=buffered, follow_redirects=follow_redirects
            )
        finally:
            # Only the final request's contexts are kept: with redirects followed,
            # each request replaced the previous one's in run_wsgi_app. When the
            # app raised, they were popped already and are dropped.
            handed_over, self._handed_over = self._handed_over, []
        for context in handed_over:
            self._preserved.enter_context(context)
        provider = getattr(self.application, "json", None)
        if provider is not None:
            # response.json and get_json() decode with the app's settings.
            response.json_module = provider
        return response

    def _prepared_request(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> Request | None:
        """Return the request for a prepared builder, environ or request, or
        ``None`` when the arguments describe a new one.
        """
        if len(args) != 1 or not isinstance(
            args[0], (werkzeug.test.EnvironBuilder, dict, Request)
        ):
            return None
        # get(), post(), ... pass the method along; the prepared request has its own.
        unexpected = kwargs.keys() - {"method"}
        if unexpected:
            raise TypeError(
                "A prepared request cannot be combined with request arguments:"
                f" {', '.join(sorted(unexpected))}."
            )
        arg = args[0]
        if isinstance(arg, Request):
            request = copy(arg)
            request.environ = self._copy_environ(arg.environ)
            return request
        if isinstance(arg, dict):
            return Request(self._copy_environ(arg))
        return arg.request_class(self._copy_environ(arg.get_environ()))

    # The two helpers below keep Flask's private names and signatures:
    # extensions call them (Flask-SocketIO's test client, for one).

    def _copy_environ(self, other: WSGIEnvironment) -> WSGIEnvironment:
        """Return the environ ``other`` over :attr:`environ_base`.

        :meta private:
        """
        return {**self.environ_base, **other}

    def _request_from_builder_args(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> Request:
        """Return the request that :class:`~kolben.testing.EnvironBuilder`
        builds from ``args`` and ``kwargs``, over :attr:`environ_base`.

        :meta private:
        """
        kwargs = {
            **kwargs,
            "environ_base": self._copy_environ(kwargs.get("environ_base") or {}),
        }
        key = self._plain_request_key(args, kwargs)
        if key is not None:
            memo = self._environ_memo.get(key)
            if memo is not None:
                # What the builder would make again: the same values, a fresh
                # empty body and the current error stream.
                environ = {**memo, "wsgi.input": BytesIO(), "wsgi.errors": sys.stderr}
                return EnvironBuilder.request_class(environ)
        builder = EnvironBuilder(self.application, *args, **kwargs)
        try:
            request = builder.get_request()
        finally:
            builder.close()
        if key is not None and len(self._environ_memo) < _ENVIRON_MEMO_SIZE:
            memo = request.environ.copy()
            # The request puts itself there; the next one will put itself.
            memo.pop("werkzeug.request", None)
            self._environ_memo[key] = memo
        return request

    def _plain_request_key(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> t.Hashable | None:
        """Return what a request of just a path and a method is built from
        (the path, the method, the app's location, the environ base), or
        ``None`` for any other request, which is built anew each time.

        :meta private:
        """
        if kwargs.keys() - {"method", "environ_base"} or len(args) > 1:
            return None
        path = args[0] if args else "/"
        method = kwargs.get("method", "GET")
        if type(path) is not str or type(method) is not str:
            return None
        base = kwargs["environ_base"]
        # Only text values: an equal object would otherwise stand in for the
        # one passed.
        if not all(type(value) is str for value in base.values()):
            return None
        return (
            path,
            method,
            _locate(self.application, path, None, None),
            tuple(base.items()),
        )

    def run_wsgi_app(
        self, environ: WSGIEnvironment, buffered: bool = False
    ) -> tuple[cabc.Iterable[bytes], str, Headers]:
        """Call the app for one request (each redirect followed is one more).

        Inside the ``with`` block, the previous request's contexts are popped
        first, and this request's are collected for :meth:`open` to keep.

        :meta private:
        """
        if not self.preserve_context:
            return self._exchange(environ, buffered)
        self._preserved.close()
        handed_over: list[t.ContextManager[t.Any]] = []
        environ[PRESERVE_CONTEXT_KEY] = handed_over.append
        try:
            return self._exchange(environ, buffered)
        finally:
            # The request kept in the response should not hold on to the client.
            environ.pop(PRESERVE_CONTEXT_KEY, None)
            self._handed_over = [c for c in handed_over if c is not None]

    def _exchange(
        self, environ: WSGIEnvironment, buffered: bool
    ) -> tuple[cabc.Iterable[bytes], str, Headers]:
        # werkzeug's Client.run_wsgi_app, less its two reconstructions of the
        # request URL when they cannot matter: with no stored cookie none is
        # sent, and a response without Set-Cookie changes none.
        self._add_cookies_to_wsgi(environ)
        rv = werkzeug.test.run_wsgi_app(self.application, environ, buffered=buffered)
        set_cookies = rv[2].getlist("Set-Cookie")
        if set_cookies and self._cookies is not None:
            url = urlsplit(get_current_url(environ))
            self._update_cookies_from_response(
                url.hostname or "localhost", url.path, set_cookies
            )
        return rv

    def _add_cookies_to_wsgi(self, environ: WSGIEnvironment) -> None:
        """Set the ``Cookie`` header of ``environ`` to the stored cookies that
        apply to its host and path, as werkzeug's client does.

        :meta private:
        """
        if self._cookies is not None and not self._cookies:
            # No cookie can apply: what werkzeug ends with, without working
            # out the request's URL first.
            environ.pop("HTTP_COOKIE", None)
            return
        super()._add_cookies_to_wsgi(environ)

    def __enter__(self) -> FlaskClient:
        self._hold_contexts(True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._hold_contexts(False)

    def _hold_contexts(self, hold: bool) -> None:
        """Start keeping request contexts for a ``with`` block, or stop at its end.

        Stopping also pops whatever the block's last request left pushed.
        """
        if hold and self.preserve_context:
            raise RuntimeError("Cannot nest client invocations")
        self.preserve_context = hold
        if not hold:
            self._preserved.close()

    @contextmanager
    def session_transaction(
        self, *args: t.Any, **kwargs: t.Any
    ) -> cabc.Iterator[t.Any]:
        """Open the session the client's cookies carry, for reading and changing it.

        The session is opened through the app's ``session_interface`` for a
        request built from the arguments (those of
        :class:`~kolben.testing.EnvironBuilder`; by default a ``GET /``), and
        saved back into the client's cookies when the block ends without an
        error::

            with client.session_transaction() as session:
                session["user_id"] = 42
            client.get("/profile")  # the app sees user_id 42

        For an app with ``test_request_context`` (a Flask app) that request's
        context is pushed while the session is opened and while it is saved, not
        during the block. Other apps, such as a WSGI app wrapped in
        ``kolben.sessions``' ``SessionMiddleware``, only need
        ``session_interface``.

        :raises TypeError: when the client was created with ``use_cookies=False``.
        :raises RuntimeError: when the session interface did not open a session
            (for example because the app has no secret key).
        """
        if self._cookies is None:
            raise TypeError(
                "Cookies are disabled. Create a client with 'use_cookies=True'."
            )
        app: t.Any = self.application
        interface = app.session_interface
        make_context = getattr(app, "test_request_context", None)
        context: t.Any
        if make_context is not None:
            context = make_context(*args, **kwargs)
            request = context.request
        else:
            context = nullcontext()
            request = self._build_session_request(app, args, kwargs)
        environ = request.environ
        self._add_cookies_to_wsgi(environ)
        with context:
            session = interface.open_session(app, request)
        if session is None:
            raise RuntimeError(
                "Session backend did not open a session. Check the configuration"
            )
        yield session
        response_class = getattr(app, "response_class", Response)
        response = response_class()
        if not interface.is_null_session(session):
            with context:
                interface.save_session(app, session, response)
        url = urlsplit(get_current_url(environ))
        self._update_cookies_from_response(
            url.hostname or "localhost",
            url.path,
            response.headers.getlist("Set-Cookie"),
        )

    @staticmethod
    def _build_session_request(
        app: t.Any, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> Request:
        builder = EnvironBuilder(app, *args, **kwargs)
        try:
            request_class = getattr(app, "request_class", builder.request_class)
            return t.cast(Request, request_class(builder.get_environ()))
        finally:
            builder.close()
