"""Flask-compatible sessions for any WSGI application.

:class:`SessionMiddleware` wraps a WSGI app. For each request it puts the
session in the WSGI environ under ``"kolben.session"`` (a proxy that opens the
session the first time it is used), and when the app starts its response it
saves the session to the response's headers: the same signed cookie a Flask
app with the same secret key and settings reads and writes.
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

from werkzeug.exceptions import HTTPException
from werkzeug.local import LocalProxy
from werkzeug.sansio.response import Response as _SansIOResponse
from werkzeug.wrappers import Request

from .sessions import SecureCookieSessionInterface

if t.TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from .sessions import SessionInterface
    from .sessions import SessionMixin
    from .store import SessionStore

#: The WSGI environ key under which :class:`SessionMiddleware` puts the
#: session, unless it is given another ``environ_key``.
ENVIRON_KEY = "kolben.session"


class _HeaderResponse(_SansIOResponse):
    """A response that is only a status and headers, for the interface to
    add cookies and ``Vary`` to."""

    # The app chose its headers; don't invent a Content-Type it left out.
    default_mimetype = None


class _SessionSlot:
    """One request's session: opened on first use, saved when the response
    starts."""

    __slots__ = ("middleware", "environ", "session", "_request")

    def __init__(self, middleware: SessionMiddleware, environ: WSGIEnvironment) -> None:
        self.middleware = middleware
        self.environ = environ
        self.session: SessionMixin | None = None
        self._request: Request | None = None

    @property
    def request(self) -> Request:
        if self._request is None:
            # Shallow: the session interface must not consume the body that
            # the wrapped app is going to read.
            self._request = Request(self.environ, shallow=True)

        return self._request

    def open(self) -> SessionMixin:
        session = self.session

        if session is None:
            middleware = self.middleware
            interface = middleware.session_interface
            session = interface.open_session(middleware, self.request)

            if session is None:
                session = interface.make_null_session(middleware)

            self.session = session

        return session

    def save(
        self, status: str, headers: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        middleware = self.middleware
        interface = middleware.session_interface
        session = self.session

        if session is None:
            # Untouched and no cookie sent: nothing to refresh, and no reason
            # to build a request object to find that out.
            if not self.environ.get("HTTP_COOKIE"):
                return headers

            if not interface.should_open_to_refresh(middleware, self.request):
                return headers

            session = self.open()

        if interface.is_null_session(session):
            return headers

        response = _HeaderResponse(status, headers)
        interface.save_session(middleware, session, response)
        return response.headers.to_wsgi_list()


class SessionMiddleware:
    """Give a WSGI application Flask's signed-cookie sessions.

    The session is available to the app as ``environ["kolben.session"]``
    (or :func:`get_session`). It behaves like Flask's ``session``: a dict
    with ``permanent``, ``modified`` and ``accessed``. It is opened the first
    time the app touches it and saved when the app calls ``start_response``;
    changes made after that, while the body is being produced, are not saved.

    Settings follow Flask's configuration keys and are kept in :attr:`config`
    under those names, so they can also be changed after construction. A
    cookie written by the middleware is read by a Flask app with the same
    secret key and settings, and the reverse::

        from werkzeug.wrappers import Request, Response

        def app(environ, start_response):
            session = environ["kolben.session"]
            session["visits"] = session.get("visits", 0) + 1
            return Response(f"visit {session['visits']}")(environ, start_response)

        app = SessionMiddleware(app, secret_key="change me")

    The middleware is also the "app" its session interface is called with
    (it satisfies :class:`~kolben.sessions.protocols.SessionApp`), so tools
    can open and save sessions for it outside a request:
    ``mw.session_interface.open_session(mw, request)``.

    :param app: the WSGI application to wrap.
    :param secret_key: the key that signs the cookie. Without one the session
        is a :class:`~kolben.sessions.NullSession` that cannot be written.
    :param secret_key_fallbacks: older keys whose cookies are still accepted
        (and re-signed with ``secret_key`` when saved), most recent first.
        ``SECRET_KEY_FALLBACKS``.
    :param cookie_name: ``SESSION_COOKIE_NAME``.
    :param cookie_domain: ``SESSION_COOKIE_DOMAIN``; ``None`` for the exact host.
    :param cookie_path: ``SESSION_COOKIE_PATH``; ``None`` for ``application_root``.
    :param cookie_httponly: ``SESSION_COOKIE_HTTPONLY``.
    :param cookie_secure: ``SESSION_COOKIE_SECURE``.
    :param cookie_samesite: ``SESSION_COOKIE_SAMESITE``: ``"Strict"``,
        ``"Lax"``, ``"None"`` or ``None``.
    :param cookie_partitioned: ``SESSION_COOKIE_PARTITIONED``.
    :param refresh_each_request: ``SESSION_REFRESH_EACH_REQUEST``: re-send a
        permanent session's cookie on every request to extend it.
    :param application_root: ``APPLICATION_ROOT``, the default cookie path.
    :param permanent_session_lifetime: how long a permanent session lasts, as
        a timedelta or seconds; also the maximum age of any session cookie.
    :param session_interface: the interface to open and save sessions with;
        a new :class:`~kolben.sessions.SecureCookieSessionInterface` by default.
    :param environ_key: the environ key to put the session under.
    :param store: keep the sessions server-side in this
        :class:`~kolben.sessions.store.SessionStore` (SQLite, Redis, memory)
        through a :class:`~kolben.sessions.ServerSideSessionInterface`; the
        cookie then holds only the signed session id. Its settings
        (``SESSION_PERMANENT``, ``SESSION_USE_SIGNER``, ...) can be put in
        :attr:`config`. A failing store answers ``503 Service Unavailable``.

    .. versionchanged:: 0.1.0
        Added ``store``.
    """

    def __init__(
        self,
        app: WSGIApplication,
        secret_key: str | bytes | None = None,
        *,
        secret_key_fallbacks: list[str | bytes] | None = None,
        cookie_name: str = "session",
        cookie_domain: str | None = None,
        cookie_path: str | None = None,
        cookie_httponly: bool = True,
        cookie_secure: bool = False,
        cookie_samesite: str | None = None,
        cookie_partitioned: bool = False,
        refresh_each_request: bool = True,
        application_root: str = "/",
        permanent_session_lifetime: timedelta | int = timedelta(days=31),
        session_interface: SessionInterface | None = None,
        environ_key: str = ENVIRON_KEY,
        store: SessionStore | None = None,
    ) -> None:
        #: The wrapped WSGI application.
        self.app = app
        #: The key that signs session cookies.
        self.secret_key = secret_key
        #: The session settings, by Flask's configuration key.
        self.config: dict[str, t.Any] = {
            "SECRET_KEY_FALLBACKS": list(secret_key_fallbacks or ()),
            "SESSION_COOKIE_NAME": cookie_name,
            "SESSION_COOKIE_DOMAIN": cookie_domain,
            "SESSION_COOKIE_PATH": cookie_path,
            "SESSION_COOKIE_HTTPONLY": cookie_httponly,
            "SESSION_COOKIE_SECURE": cookie_secure,
            "SESSION_COOKIE_SAMESITE": cookie_samesite,
            "SESSION_COOKIE_PARTITIONED": cookie_partitioned,
            "SESSION_REFRESH_EACH_REQUEST": refresh_each_request,
            "APPLICATION_ROOT": application_root,
        }

        if not isinstance(permanent_session_lifetime, timedelta):
            permanent_session_lifetime = timedelta(seconds=permanent_session_lifetime)

        #: How long a permanent session lasts.
        self.permanent_session_lifetime = permanent_session_lifetime
        if session_interface is None:
            if store is not None:
                from .server import ServerSideSessionInterface

                session_interface = ServerSideSessionInterface(store)
            else:
                session_interface = SecureCookieSessionInterface()
        #: The interface that opens and saves sessions for this middleware.
        self.session_interface: SessionInterface = session_interface
        #: The WSGI environ key the session is put under.
        self.environ_key = environ_key

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> t.Iterable[bytes]:
        slot = _SessionSlot(self, environ)
        environ[self.environ_key] = LocalProxy(slot.open)

        def start_with_session(
            status: str,
            headers: list[tuple[str, str]],
            exc_info: OptExcInfo | None = None,
        ) -> t.Callable[[bytes], object]:
            return start_response(status, slot.save(status, headers), exc_info)

        try:
            return self.app(environ, start_with_session)
        except HTTPException as e:
            from .store import SessionStoreError

            if not isinstance(e, SessionStoreError):
                raise
            # A session store failed (SessionStoreError) before the response
            # started: answer with its 503, which names the store.
            return e(environ, start_response)


def get_session(environ: WSGIEnvironment, key: str = ENVIRON_KEY) -> SessionMixin:
    """Return the session object :class:`SessionMiddleware` opened for this
    request, rather than the proxy in the environ (useful for type checkers
    and identity checks).

    :param environ: the request's WSGI environ.
    :param key: the ``environ_key`` the middleware was given.
    :raises RuntimeError: if no :class:`SessionMiddleware` wraps the app.
    """
    proxy = environ.get(key)

    if not isinstance(proxy, LocalProxy):
        raise RuntimeError(
            f"No session in the WSGI environ under {key!r}: wrap the application"
            " in SessionMiddleware."
        )

    return t.cast("SessionMixin", proxy._get_current_object())
