"""WebSocket connections served by the adapter under a real uvicorn, for an
app of werkzeug and kolben.contexts alone (no flask), with the real
``websockets`` client.
"""

from __future__ import annotations

import collections.abc as cabc
import json
import threading
import time
import typing as t

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map
from werkzeug.routing import Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.asgi import ASGIAdapter
from kolben.asgi import websocket
from kolben.asgi import WebSocketApp
from kolben.asgi import WebSocketDisconnect
from kolben.contexts import ContextsAppFacet
from kolben.contexts import g
from kolben.contexts import request


class _NoSessions:
    def open_session(self, app: t.Any, request: t.Any) -> dict[str, t.Any]:
        return {"user": request.cookies.get("user")}

    def make_null_session(self, app: t.Any) -> dict[str, t.Any]:
        return {}


class WebSocketTestApp(ContextsAppFacet):
    """The smallest app :class:`~kolben.asgi.protocols.WebSocketApp` allows."""

    request_class = Request
    session_interface = _NoSessions()

    def __init__(self) -> None:
        self.url_map = Map()
        self.view_functions: dict[str, cabc.Callable[..., t.Any]] = {}
        self.before: dict[str | None, list[cabc.Callable[[], t.Any]]] = {}
        self.after: dict[str | None, list[cabc.Callable[[t.Any], t.Any]]] = {}
        self.events: list[t.Any] = []
        self.logged: list[BaseException] = []

    def websocket(self, path: str, endpoint: str) -> t.Any:
        def register(handler: t.Any) -> t.Any:
            self.url_map.add(Rule(path, endpoint=endpoint, websocket=True))
            self.view_functions[endpoint] = handler
            return handler

        return register

    def create_url_adapter(self, request: Request | None) -> t.Any:
        return None if request is None else self.url_map.bind_to_environ(request)

    def do_teardown_request(self, exc: BaseException | None) -> None:
        self.events.append(("teardown", request.path, exc))

    def ensure_sync(self, func: t.Any) -> t.Any:
        return func

    def wsgi_app(self, environ: t.Any, start_response: t.Any) -> t.Any:
        return NotFound()(environ, start_response)

    def before_websocket_funcs_for(
        self, blueprints: cabc.Sequence[str]
    ) -> list[cabc.Callable[[], t.Any]]:
        names = [None, *reversed(blueprints)]
        return [f for name in names for f in self.before.get(name, [])]

    def after_websocket_funcs_for(
        self, blueprints: cabc.Sequence[str]
    ) -> list[cabc.Callable[[t.Any], t.Any]]:
        names = [*blueprints, None]
        return [f for name in names for f in self.after.get(name, [])]

    def make_response(self, rv: t.Any) -> Response:
        return Response(*rv) if isinstance(rv, tuple) else Response(rv)

    def log_exception(self, exc_info: t.Any) -> None:
        self.logged.append(exc_info[1])


def make_app() -> WebSocketTestApp:
    app = WebSocketTestApp()

    def who() -> None:
        # Sync hooks run in the adapter's pool, with the connection's context.
        g.thread = threading.current_thread().name
        g.user = request.cookies.get("user", "nobody")

    def admins_only() -> t.Any:
        if websocket.args.get("admin") != "yes":
            return "admins only", 403
        return None

    async def note(response: t.Any) -> t.Any:
        app.events.append(("after", websocket.path, response))
        return response

    app.before[None] = [who]
    app.before["admin"] = [admins_only]
    app.after[None] = [note]

    @app.websocket("/echo/<name>", "echo")
    async def echo(name: str) -> None:
        await websocket.accept()
        await websocket.send_json(
            {"name": name, "user": g.user, "thread": g.thread[:11]}
        )
        while True:
            message = await websocket.receive()
            await websocket.send(message)

    @app.websocket("/admin/ws", "admin.ws")
    async def admin_ws() -> None:
        await websocket.send(f"hello {websocket.blueprint}")

    @app.websocket("/fail", "fail")
    async def fail() -> None:
        await websocket.accept()
        raise ValueError("broken handler")

    @app.websocket("/hold", "hold")
    async def hold() -> None:
        try:
            await websocket.receive()
        except WebSocketDisconnect as e:
            app.events.append(("gone", e.code))
            raise

    return app


def test_the_test_app_follows_the_protocol() -> None:
    assert isinstance(make_app(), WebSocketApp)


def test_echo_hooks_and_contexts(served: t.Any) -> None:
    app = make_app()
    with served(ASGIAdapter(app)) as url:
        ws_url = url.replace("http://", "ws://")
        headers = {"Cookie": "user=ada"}
        with connect(f"{ws_url}/echo/one", additional_headers=headers) as one:
            with connect(f"{ws_url}/echo/two") as two:
                first = json.loads(one.recv())
                second = json.loads(two.recv())
                one.send("to one")
                two.send(b"to two")
                assert (one.recv(), two.recv()) == ("to one", b"to two")
    assert first == {"name": "one", "user": "ada", "thread": "kolben-asgi"}
    assert second["user"] == "nobody"
    assert ("teardown", "/echo/one", None) in app.events


def test_blueprint_hook_rejects_with_its_response(served: t.Any) -> None:
    app = make_app()
    with served(ASGIAdapter(app)) as url:
        ws_url = url.replace("http://", "ws://")
        with pytest.raises(InvalidStatus) as rejected:
            connect(f"{ws_url}/admin/ws")
        with connect(f"{ws_url}/admin/ws?admin=yes") as ws:
            assert ws.recv() == "hello admin"
        with pytest.raises(InvalidStatus) as missing:
            connect(f"{ws_url}/nowhere")
    assert rejected.value.response.status_code == 403
    assert rejected.value.response.body == b"admins only"
    assert missing.value.response.status_code == 404
    rejection = app.events[0]
    assert rejection[:2] == ("after", "/admin/ws")
    assert rejection[2].status_code == 403


def test_error_is_logged_and_closes_1011(served: t.Any) -> None:
    app = make_app()
    with served(ASGIAdapter(app)) as url:
        with connect(f"{url.replace('http://', 'ws://')}/fail") as ws:
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
    assert [str(e) for e in app.logged] == ["broken handler"]
    teardowns = [e for e in app.events if e[0] == "teardown"]
    assert isinstance(teardowns[0][2], ValueError)


def test_disconnect_surfaces_in_the_handler(served: t.Any) -> None:
    app = make_app()
    with served(ASGIAdapter(app)) as url:
        with connect(f"{url.replace('http://', 'ws://')}/hold") as ws:
            ws.close(4002)
        deadline = time.monotonic() + 5
        while ("gone", 4002) not in app.events and time.monotonic() < deadline:
            time.sleep(0.01)
    assert ("gone", 4002) in app.events
    assert app.logged == []


def test_an_app_without_websocket_routes_refuses(served: t.Any) -> None:
    class HTTPOnly:
        def wsgi_app(self, environ: t.Any, start_response: t.Any) -> t.Any:
            return NotFound()(environ, start_response)

        def app_context(self) -> t.Any:
            import contextlib

            return contextlib.nullcontext()

    with served(ASGIAdapter(HTTPOnly())) as url:
        with pytest.raises(InvalidStatus) as rejected:
            connect(f"{url.replace('http://', 'ws://')}/ws")
    assert rejected.value.response.status_code == 403
