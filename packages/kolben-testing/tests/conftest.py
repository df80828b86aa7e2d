"""Minimal applications for the testing tools, and fixtures in Flask's shape.

``MiniApp`` pushes ``kolben.contexts`` contexts and hands them to the test
client the way the ``flask`` meta-package's ``wsgi_app`` does; ``plain_app``
is a bare WSGI callable; ``SessionMiddleware`` follows the shape of
``kolben.sessions``' middleware (it is the "app" its session interface is
called with).
"""

from __future__ import annotations

import base64
import collections.abc as cabc
import json
import typing as t

import click
import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import RequestRedirect
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import ContextsAppFacet
from kolben.contexts import request_ctx
from kolben.contexts import request_tearing_down
from kolben.testing import PRESERVE_CONTEXT_KEY
from kolben.testing import TestingAppFacet


class JSONProvider:
    """Like Flask's provider: settings on the instance apply to dumps and loads."""

    ensure_ascii = True

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        return json.dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return json.loads(s, **kwargs)


class CookieSession(dict[str, t.Any]):
    modified = False

    def __setitem__(self, key: str, value: t.Any) -> None:
        self.modified = True
        super().__setitem__(key, value)


class NullSession(CookieSession):
    pass


class CookieSessions:
    """An unsigned JSON-in-a-cookie session interface, enough to test with.

    ``refuse=True`` plays a backend that cannot open sessions (Flask's without a
    secret key). ``calls`` records what was called, and whether a request context
    was active at the time.
    """

    cookie_name = "session"

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.calls: list[tuple[str, bool]] = []

    def open_session(self, app: t.Any, request: Request) -> CookieSession | None:
        self.calls.append(("open", _cv_request.get(None) is not None))
        if self.refuse:
            return None
        raw = request.cookies.get(self.cookie_name)
        if not raw:
            return CookieSession()
        return CookieSession(json.loads(base64.urlsafe_b64decode(raw)))

    def make_null_session(self, app: t.Any) -> NullSession:
        return NullSession()

    def is_null_session(self, obj: t.Any) -> bool:
        return isinstance(obj, NullSession)

    def save_session(self, app: t.Any, session: t.Any, response: Response) -> None:
        self.calls.append(("save", _cv_request.get(None) is not None))
        if not session.modified:
            return
        value = base64.urlsafe_b64encode(json.dumps(dict(session)).encode()).decode()
        response.set_cookie(self.cookie_name, value, path="/", httponly=True)


class MiniResponse(Response):
    pass


View = cabc.Callable[..., t.Any]


class MiniApp(ContextsAppFacet, TestingAppFacet):
    """Enough of an application for the contexts and the testing tools.

    ``wsgi_app`` mirrors the contract the ``flask`` meta-package follows: if the
    environ has a preserve-context callable, it is called with the app context
    and then the request context just before the request context is popped.
    """

    request_class = Request
    response_class = MiniResponse

    def __init__(self, name: str = "mini") -> None:
        self.name = name
        self.config: dict[str, t.Any] = {
            "SERVER_NAME": None,
            "APPLICATION_ROOT": "/",
            "PREFERRED_URL_SCHEME": "http",
            "PROPAGATE_EXCEPTIONS": False,
        }
        self.json = JSONProvider()
        self.session_interface = CookieSessions()
        self.url_map = Map()
        self.views: dict[str, View] = {}
        self.teardowns: list[BaseException | None] = []
        self.cli = click.Group(name)

    def route(self, rule: str, **options: t.Any) -> cabc.Callable[[View], View]:
        def decorator(view: View) -> View:
            self.url_map.add(Rule(rule, endpoint=view.__name__, **options))
            self.views[view.__name__] = view
            return view

        return decorator

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is not None:
            return self.url_map.bind_to_environ(
                request.environ, server_name=self.config["SERVER_NAME"]
            )
        return self.url_map.bind(
            self.config["SERVER_NAME"] or "localhost",
            script_name=self.config["APPLICATION_ROOT"],
        )

    def do_teardown_request(self, exc: BaseException | None) -> None:
        self.teardowns.append(exc)
        request_tearing_down.send(self, exc=exc)

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        return func

    def dispatch(self) -> Response:
        request: t.Any = request_ctx.request
        exc = request.routing_exception
        if exc is not None:
            if isinstance(exc, RequestRedirect):
                return exc.get_response()
            raise exc
        rv = self.views[request.url_rule.endpoint](**request.view_args)
        if isinstance(rv, Response):
            return rv
        if isinstance(rv, (dict, list)):
            return self.response_class(self.json.dumps(rv), mimetype="application/json")
        return self.response_class(rv)

    def wsgi_app(
        self, environ: dict[str, t.Any], start_response: t.Any
    ) -> cabc.Iterable[bytes]:
        ctx = self.request_context(environ)
        error: BaseException | None = None
        try:
            ctx.push()
            try:
                response = self.dispatch()
            except HTTPException as e:
                response = e.get_response()
            if ctx.session_is_open:
                self.session_interface.save_session(self, ctx.session, response)
            return response(environ, start_response)
        except Exception as e:
            error = e
            if self.config["PROPAGATE_EXCEPTIONS"]:
                raise
            return InternalServerError()(environ, start_response)
        finally:
            preserve = environ.get(PRESERVE_CONTEXT_KEY)
            if preserve is not None:
                preserve(_cv_app.get())
                preserve(_cv_request.get())
            ctx.pop(error)

    def __call__(
        self, environ: dict[str, t.Any], start_response: t.Any
    ) -> cabc.Iterable[bytes]:
        return self.wsgi_app(environ, start_response)


class SessionMiddleware:
    """The shape of ``kolben.sessions.SessionMiddleware``: puts the session in
    ``environ["kolben.session"]``, saves it when the app starts its response,
    and exposes ``session_interface`` (called with the middleware as the app).
    """

    def __init__(self, app: t.Any, refuse: bool = False) -> None:
        self.app = app
        self.session_interface = CookieSessions(refuse=refuse)

    def __call__(
        self, environ: dict[str, t.Any], start_response: t.Any
    ) -> cabc.Iterable[bytes]:
        request = Request(environ)
        session = self.session_interface.open_session(self, request)
        environ["kolben.session"] = session

        def save_and_start(
            status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
        ) -> t.Any:
            response = Response(status=status, headers=headers)
            self.session_interface.save_session(self, session, response)
            return start_response(status, response.headers.to_wsgi_list(), exc_info)

        return t.cast(cabc.Iterable[bytes], self.app(environ, save_and_start))


@Request.application
def plain_app(request: Request) -> Response:
    """A bare WSGI app: cookies, a redirect, JSON echo, and an environ echo."""
    if request.path == "/login":
        response = redirect("/home")
        response.set_cookie("user", request.args.get("name", "anon"))
        return response
    if request.path == "/home":
        return Response(f"home of {request.cookies.get('user', 'nobody')}")
    if request.path == "/echo":
        return Response(json.dumps(request.get_json()), mimetype="application/json")
    if request.path == "/environ":
        keys = ("REMOTE_ADDR", "HTTP_USER_AGENT", "HTTP_HOST", "wsgi.url_scheme")
        seen = {k: request.environ.get(k) for k in keys}
        return Response(json.dumps(seen), mimetype="application/json")
    if request.path == "/visits":
        session = request.environ["kolben.session"]
        session["visits"] = session.get("visits", 0) + 1
        return Response(str(session["visits"]))
    return Response("not found", status=404)


@pytest.fixture
def app() -> MiniApp:
    app = MiniApp()

    @app.route("/")
    def index() -> str:
        return "index"

    return app


@pytest.fixture(scope="session")
def make_app() -> type[MiniApp]:
    """The app class, for tests that need a fresh or differently set up app."""
    return MiniApp


@pytest.fixture
def client(app: MiniApp) -> t.Any:
    return app.test_client()


@pytest.fixture
def app_ctx(app: MiniApp) -> cabc.Iterator[t.Any]:
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def req_ctx(app: MiniApp) -> cabc.Iterator[t.Any]:
    with app.test_request_context() as ctx:
        yield ctx


@pytest.fixture(scope="session")
def wsgi_app() -> t.Any:
    """A plain WSGI callable with no config, JSON provider or sessions."""
    return plain_app


@pytest.fixture(scope="session")
def session_middleware() -> type[SessionMiddleware]:
    """The middleware class, to wrap a WSGI app: ``session_middleware(app)``."""
    return SessionMiddleware


@pytest.fixture(scope="session")
def null_session_class() -> type[NullSession]:
    return NullSession


@pytest.fixture(autouse=True)
def no_leaked_context() -> cabc.Iterator[None]:
    yield
    assert _cv_app.get(None) is None, "a test left an app context pushed"
    assert _cv_request.get(None) is None, "a test left a request context pushed"
