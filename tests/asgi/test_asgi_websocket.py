"""WebSocket routes of a Flask app under a real uvicorn, with the real
``websockets`` client; and what the same routes answer over WSGI.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import contextlib
import logging
import time
import typing as t

import httpx
import pytest
from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import ConnectionClosed
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

import flask
from flask import websocket
from kolben.asgi import WebSocketDisconnect


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.secret_key = "test"
    app.config["events"] = []
    events: list[t.Any] = app.config["events"]

    @app.get("/")
    def index() -> str:
        return "home"

    @app.get("/login/<name>")
    def login(name: str) -> str:
        flask.session["user"] = name
        return "ok"

    @app.before_websocket
    def load_user() -> None:
        # Sync hooks run in the thread pool, with the connection's contexts.
        flask.g.user = flask.session.get("user", "anonymous")
        flask.g.hooks = ["app"]

    @app.after_websocket
    def note(response: t.Any) -> t.Any:
        events.append(("after", websocket.path, response))
        return response

    @app.teardown_request
    async def forget(exc: BaseException | None) -> None:
        # Async teardown functions run for WebSocket connections too.
        events.append(("teardown", flask.request.path, type(exc).__name__))

    @app.websocket("/protocol")
    async def protocol() -> None:
        offered = websocket.requested_subprotocols
        await websocket.accept(subprotocol=offered[-1], headers={"X-Server": "k"})
        await websocket.send(",".join(offered))

    @app.websocket("/echo")
    async def echo() -> None:
        await websocket.accept()
        while True:
            message = await websocket.receive()
            await websocket.send(message)

    @app.websocket("/implicit")
    async def implicit() -> None:
        # No accept(): the first send accepts, as in Quart.
        await websocket.send(f"hello {websocket.args.get('name', '?')}")

    @app.websocket("/room/<int:number>/<slug>")
    async def room(number: int, slug: str) -> None:
        await websocket.send_json(
            {
                "number": number,
                "slug": slug,
                "view_args": websocket.view_args,
                "endpoint": websocket.endpoint,
                "self": flask.url_for("room", number=number + 1, slug=slug),
                "index": flask.url_for("index"),
                "index_external": flask.url_for("index", _external=True),
                "url": websocket.url,
                "path": websocket.path,
            }
        )

    @app.websocket("/context")
    async def context() -> None:
        await websocket.send_json(
            {
                "app": flask.current_app.name,
                "user": flask.g.user,
                "session_user": flask.session.get("user"),
                "request_path": flask.request.path,
                "header": websocket.headers.get("X-Client"),
                "hooks": flask.g.hooks,
            }
        )

    @app.websocket("/forbidden")
    async def forbidden() -> t.Any:
        if websocket.args.get("how") == "abort":
            flask.abort(401)
        return "members only", 403

    @app.websocket("/boom")
    async def boom() -> None:
        message = await websocket.receive()
        raise RuntimeError(f"handler failed on {message!r}")

    @app.websocket("/boom-early")
    async def boom_early() -> None:
        raise RuntimeError("failed before accepting")

    @app.websocket("/wait")
    async def wait() -> None:
        await websocket.accept()
        try:
            await websocket.receive()
        except WebSocketDisconnect as e:
            events.append(("disconnected", e.code, e.reason))
            raise

    @app.websocket("/leave")
    async def leave() -> None:
        # A disconnect the handler does not catch ends it quietly.
        await websocket.send("bye?")
        await websocket.receive()

    @app.websocket("/close")
    async def close() -> None:
        await websocket.accept()
        await websocket.close(4000, "done here")

    @app.websocket("/bad-send")
    async def bad_send() -> None:
        await websocket.send(42)  # type: ignore[arg-type]

    chat = flask.Blueprint("chat", __name__, url_prefix="/chat")
    inner = flask.Blueprint("inner", __name__, url_prefix="/inner")

    @chat.before_websocket
    async def chat_hook() -> t.Any:
        flask.g.hooks.append("chat")
        if websocket.args.get("banned"):
            return "banned", 403
        return None

    @chat.websocket("/<name>")
    async def chat_room(name: str) -> None:
        await websocket.send_json(
            {
                "name": name,
                "endpoint": websocket.endpoint,
                "blueprint": websocket.blueprint,
                "relative": flask.url_for(".chat_room", name="other"),
                "hooks": flask.g.hooks,
            }
        )

    @inner.websocket("/ws")
    async def inner_ws() -> None:
        await websocket.send(f"{websocket.blueprint} {flask.url_for('.inner_ws')}")

    chat.register_blueprint(inner)
    app.register_blueprint(chat)
    return app


def wait_for(events: list[t.Any], event: t.Any) -> bool:
    """Whether ``event`` is recorded within 5 s: the server finishes a
    connection (hooks, teardown) after the client saw it close.
    """
    deadline = time.monotonic() + 5
    while event not in events and time.monotonic() < deadline:
        time.sleep(0.01)
    return event in events


@pytest.fixture(scope="module")
def app() -> flask.Flask:
    return make_app()


@pytest.fixture(scope="module")
def host(
    app: flask.Flask,
    in_thread: cabc.Callable[[t.Any], contextlib.AbstractContextManager[str]],
) -> cabc.Iterator[str]:
    with in_thread(app.asgi_app) as url:
        yield url.removeprefix("http://")


def test_echo_text_and_bytes(host: str) -> None:
    with connect(f"ws://{host}/echo") as ws:
        ws.send("hello")
        assert ws.recv() == "hello"
        ws.send(b"\x00\xffbinary")
        assert ws.recv() == b"\x00\xffbinary"
        long = "é" * 100_000
        ws.send(long)
        assert ws.recv() == long


def test_first_send_accepts(host: str) -> None:
    with connect(f"ws://{host}/implicit?name=ada") as ws:
        assert ws.recv() == "hello ada"
        # Returning from the handler closes the connection normally.
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


def test_subprotocol_and_accept_headers(host: str) -> None:
    with connect(f"ws://{host}/protocol", subprotocols=["v1", "v2"]) as ws:  # type: ignore[list-item]
        assert ws.recv() == "v1,v2"
        assert ws.subprotocol == "v2"
        assert ws.response is not None
        assert ws.response.headers["X-Server"] == "k"


def test_many_open_connections_outnumber_the_threads(host: str) -> None:
    # 300 handshakes complete before anyone speaks, with 64 threads in the
    # pool: a connection holds a thread only while its context is pushed or
    # popped, never for its lifetime.
    count = 300
    connected: list[int] = []

    async def talk(n: int) -> str:
        async with connect_async(f"ws://{host}/echo") as ws:
            connected.append(n)
            if len(connected) == count:
                everyone.set()
            await everyone.wait()
            await ws.send(f"message {n}")
            return str(await ws.recv())

    async def main() -> list[str]:
        talks = asyncio.gather(*(talk(n) for n in range(count)))
        return await asyncio.wait_for(talks, 60)

    everyone = asyncio.Event()
    assert asyncio.run(main()) == [f"message {n}" for n in range(count)]


def test_converters_and_url_for(host: str, app: flask.Flask) -> None:
    with connect(f"ws://{host}/room/7/lobby") as ws:
        data = flask.json.loads(ws.recv())
    assert data["number"] == 7 and data["slug"] == "lobby"
    assert data["view_args"] == {"number": 7, "slug": "lobby"}
    assert data["endpoint"] == "room"
    # WebSocket rules are built as full ws:// URLs, HTTP ones as usual.
    assert data["self"] == f"ws://{host}/room/8/lobby"
    assert data["index"] == "/"
    assert data["index_external"] == f"http://{host}/"
    assert data["url"] == f"ws://{host}/room/7/lobby"
    assert data["path"] == "/room/7/lobby"
    assert wait_for(app.config["events"], ("teardown", "/room/7/lobby", "NoneType"))
    # And outside any connection, as for routes.
    other = make_app()
    other.config["SERVER_NAME"] = "chat.example"
    with other.app_context():
        assert flask.url_for("room", number=1, slug="a") == "ws://chat.example/room/1/a"
        assert flask.url_for("chat.chat_room", name="x") == "ws://chat.example/chat/x"


def test_app_context_g_and_session(host: str) -> None:
    login = httpx.get(f"http://{host}/login/ada")
    cookie = login.headers["set-cookie"].split(";")[0]
    headers = {"Cookie": cookie, "X-Client": "tests"}
    with connect(f"ws://{host}/context", additional_headers=headers) as ws:
        data = flask.json.loads(ws.recv())
    assert data == {
        "app": __name__,
        "user": "ada",
        "session_user": "ada",
        "request_path": "/context",
        "header": "tests",
        "hooks": ["app"],
    }
    with connect(f"ws://{host}/context") as ws:
        assert flask.json.loads(ws.recv())["user"] == "anonymous"


def test_blueprint_websockets_and_hooks(host: str) -> None:
    with connect(f"ws://{host}/chat/lobby") as ws:
        data = flask.json.loads(ws.recv())
    assert data == {
        "name": "lobby",
        "endpoint": "chat.chat_room",
        "blueprint": "chat",
        "relative": f"ws://{host}/chat/other",
        "hooks": ["app", "chat"],
    }
    with connect(f"ws://{host}/chat/inner/ws") as ws:
        assert ws.recv() == f"chat.inner ws://{host}/chat/inner/ws"


def test_rejections_carry_their_response(host: str, app: flask.Flask) -> None:
    with pytest.raises(InvalidStatus) as rejected:
        connect(f"ws://{host}/forbidden")
    assert rejected.value.response.status_code == 403
    assert rejected.value.response.body == b"members only"
    assert ("after", "/forbidden", None) not in app.config["events"]
    with pytest.raises(InvalidStatus) as rejected:
        connect(f"ws://{host}/forbidden?how=abort")
    assert rejected.value.response.status_code == 401
    # A blueprint's before_websocket hook that returns a value rejects too.
    with pytest.raises(InvalidStatus) as rejected:
        connect(f"ws://{host}/chat/lobby?banned=1")
    assert rejected.value.response.status_code == 403
    assert rejected.value.response.body == b"banned"


def test_unknown_and_http_only_urls_are_rejected(host: str) -> None:
    with pytest.raises(InvalidStatus) as rejected:
        connect(f"ws://{host}/nowhere")
    assert rejected.value.response.status_code == 404
    with pytest.raises(InvalidStatus) as rejected:
        connect(f"ws://{host}/")
    assert rejected.value.response.status_code == 400


def test_handler_error_closes_1011_and_is_logged(
    host: str, app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        with connect(f"ws://{host}/boom") as ws:
            ws.send("ping")
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
        with pytest.raises(InvalidStatus) as rejected:
            connect(f"ws://{host}/boom-early")
        assert rejected.value.response.status_code == 500
        deadline = time.monotonic() + 5
        while len(caplog.records) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert wait_for(app.config["events"], ("teardown", "/boom", "RuntimeError"))
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Exception on /boom [GET]", "Exception on /boom-early [GET]"]
    assert "handler failed on 'ping'" in str(caplog.records[0].exc_info[1])  # type: ignore[index]
    # Only the app logged: the server saw a clean close, not an exception.
    assert {r.name for r in caplog.records} == {__name__}


def test_disconnect_reaches_the_handler_quietly(
    host: str, app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        with connect(f"ws://{host}/wait") as ws:
            ws.close(4001, "going away")
        with connect(f"ws://{host}/leave") as ws:
            assert ws.recv() == "bye?"
        events = app.config["events"]
        # The handler that let the disconnect through still ran its after hooks.
        assert wait_for(events, ("after", "/leave", None))
    assert ("disconnected", 4001, "going away") in events
    assert caplog.records == []


def test_close_code_and_reason(host: str) -> None:
    with connect(f"ws://{host}/close") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4000, "done here")


def test_send_refuses_other_types(host: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        with pytest.raises(InvalidStatus):
            connect(f"ws://{host}/bad-send")
        deadline = time.monotonic() + 5
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.01)
    error = caplog.records[0].exc_info[1]  # type: ignore[index]
    assert isinstance(error, TypeError)
    assert "takes str or bytes, not int" in str(error)


def test_http_request_to_websocket_url_is_426(host: str, app: flask.Flask) -> None:
    # Under ASGI ...
    response = httpx.get(f"http://{host}/echo")
    assert response.status_code == 426
    assert response.headers["upgrade"] == "websocket"
    assert "WebSocket connections only" in response.text
    # ... and under WSGI, through the same pipeline.
    client = app.test_client()
    response = client.get("/chat/lobby")
    assert response.status_code == 426
    assert response.headers["Upgrade"] == "websocket"


def test_handshake_under_wsgi_is_a_clear_400(app: flask.Flask) -> None:
    client = app.test_client()
    response = client.get(
        "/echo", headers={"Connection": "Upgrade", "Upgrade": "websocket"}
    )
    assert response.status_code == 400
    assert b"needs an ASGI server" in response.data


def test_handlers_must_be_coroutines() -> None:
    app = flask.Flask(__name__)
    with pytest.raises(TypeError, match="must be an 'async def' function"):

        @app.websocket("/sync")
        def sync() -> None: ...


def test_outside_a_connection() -> None:
    with pytest.raises(RuntimeError, match="outside of a WebSocket connection"):
        websocket.path  # noqa: B018
