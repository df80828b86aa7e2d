"""A minimal application satisfying ContextApp, and the fixtures built on it."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

import pytest
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import ContextsAppFacet
from kolben.contexts import request_tearing_down


class DictSessions:
    """Opens a fresh dict per request and counts how often it was asked."""

    def __init__(self, refuse: bool = False) -> None:
        self.opened = 0
        self.refuse = refuse

    def open_session(self, app: t.Any, request: t.Any) -> dict[str, t.Any] | None:
        self.opened += 1
        return None if self.refuse else {"user": request.args.get("user")}

    def make_null_session(self, app: t.Any) -> dict[str, t.Any]:
        return {"null": True}


class MiniApp(ContextsAppFacet):
    request_class = Request

    def __init__(self, name: str = "mini") -> None:
        self.name = name
        self.url_map = Map(
            [Rule("/", endpoint="index"), Rule("/user/<name>", endpoint="user")]
        )
        self.session_interface = DictSessions()
        self.teardown_request_funcs: list[cabc.Callable[[t.Any], t.Any]] = []

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is None:
            return self.url_map.bind("localhost")
        return self.url_map.bind_to_environ(request.environ)

    def do_teardown_request(self, exc: BaseException | None) -> None:
        for func in reversed(self.teardown_request_funcs):
            func(exc)
        request_tearing_down.send(self, exc=exc)

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        return func


def make_environ(path: str = "/", **kwargs: t.Any) -> dict[str, t.Any]:
    return EnvironBuilder(path=path, **kwargs).get_environ()  # type: ignore[return-value]


@pytest.fixture
def app() -> MiniApp:
    return MiniApp()


@pytest.fixture
def make_app() -> type[MiniApp]:
    """The minimal app class, for tests that need several apps."""
    return MiniApp


@pytest.fixture
def environ() -> t.Callable[..., dict[str, t.Any]]:
    """Build a WSGI environ: ``environ("/path?query", method="POST")``."""
    return make_environ


def _unwind(var: t.Any) -> bool:
    """Reset ``var`` through the tokens of the contexts left on it; True if any."""
    leaked = False
    while (ctx := var.get(None)) is not None and ctx._tokens:
        var.reset(ctx._tokens.pop())
        leaked = True
    return leaked


@pytest.fixture(autouse=True)
def no_leaked_context() -> cabc.Iterator[None]:
    """Fail a test that leaves a context pushed, without spoiling the next test."""
    yield
    leaked_request = _unwind(_cv_request)
    leaked_app = _unwind(_cv_app)
    assert not leaked_request, "a test left a request context pushed"
    assert not leaked_app, "a test left an app context pushed"
