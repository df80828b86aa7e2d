"""Registering WebSocket handlers and their hooks on apps and blueprints."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.routing import WebsocketMismatch
from werkzeug.test import Client

from kolben.routing import Blueprint
from kolben.routing import Router


def test_websocket_rule_matches_handshakes_only(app: Router) -> None:
    @app.websocket("/feed/<int:channel>")
    async def feed(channel: int) -> None: ...

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "feed")
    assert rule.websocket
    assert rule.methods == {"GET", "HEAD"}
    assert app.view_functions["feed"] is feed
    ws = app.url_map.bind("example.org", url_scheme="ws")
    assert ws.match("/feed/3") == ("feed", {"channel": 3})
    http = app.url_map.bind("example.org")
    with pytest.raises(WebsocketMismatch):
        http.match("/feed/3")
    # Built as full ws:// URLs, even from an HTTP adapter.
    assert http.build("feed", {"channel": 4}) == "ws://example.org/feed/4"


def test_websocket_options(app: Router) -> None:
    @app.websocket("/a", endpoint="alpha", defaults={"n": 1})
    async def a(n: int) -> None: ...

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "alpha")
    assert rule.defaults == {"n": 1}
    with pytest.raises(ValueError, match="WebSocket rules can only use"):

        @app.websocket("/b", methods=["POST"])
        async def b() -> None: ...


def test_handler_must_be_async(app: Router) -> None:
    def sync() -> None: ...

    with pytest.raises(TypeError, match=r"\.sync' must be an 'async def'"):
        app.websocket("/sync")(sync)
    assert "sync" not in app.view_functions


def test_blueprint_websockets_and_hook_order(app: Router) -> None:
    calls: list[str] = []
    bp = Blueprint("live", __name__, url_prefix="/live")
    inner = Blueprint("inner", __name__)

    def hook(name: str) -> t.Any:
        def f(*args: t.Any) -> None:
            calls.append(name)

        f.__name__ = name
        return f

    app.before_websocket(hook("app"))
    app.after_websocket(hook("app-after"))
    bp.before_websocket(hook("bp"))
    bp.before_app_websocket(hook("bp-app"))
    bp.after_websocket(hook("bp-after"))
    bp.after_app_websocket(hook("bp-app-after"))
    inner.before_websocket(hook("inner"))
    inner.after_websocket(hook("inner-after"))

    @inner.websocket("/ws")
    async def ws() -> None: ...

    bp.register_blueprint(inner)
    app.register_blueprint(bp)

    adapter = app.url_map.bind("example.org", url_scheme="ws")
    assert adapter.match("/live/ws") == ("live.inner.ws", {})
    before = app.before_websocket_funcs_for(("live.inner", "live"))
    after = app.after_websocket_funcs_for(("live.inner", "live"))
    assert [f.__name__ for f in before] == ["app", "bp-app", "bp", "inner"]
    assert [f.__name__ for f in after] == [
        "inner-after",
        "bp-after",
        "bp-app-after",
        "app-after",
    ]
    # Registration changes invalidate the cached answers.
    app._got_first_request = False
    app.before_websocket_funcs[None].append(hook("late"))
    assert len(app.before_websocket_funcs_for(("live.inner", "live"))) == 5
    # Request hooks and WebSocket hooks stay apart.
    assert app.before_request_funcs_for(("live.inner", "live")) == ()


def test_http_request_to_websocket_url_is_a_client_error(
    app: Router, client: Client
) -> None:
    @app.websocket("/ws")
    async def ws() -> None: ...

    assert client.get("/ws").status_code == 400
    # A handshake that reaches the WSGI router gets a clear 400, not the handler.
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket"}
    response = client.get("/ws", headers=upgrade)
    assert response.status_code == 400
    assert b"needs an ASGI server" in response.get_data()
