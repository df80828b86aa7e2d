"""The standalone Router: dispatching werkzeug requests, responses, errors and
the request lifecycle.
"""

from __future__ import annotations

import gc
import typing as t
import weakref

import pytest
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound
from werkzeug.test import Client
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.contexts import after_this_request
from kolben.contexts import current_app
from kolben.contexts import g
from kolben.contexts import request
from kolben.contexts import request_tearing_down
from kolben.contexts import session
from kolben.routing import Router


def test_dispatch_a_werkzeug_request(app: Router) -> None:
    @app.route("/hi/<name>")
    def hi(name: str) -> str:
        assert current_app._get_current_object() is app
        return f"hi {name} via {request.method}"

    req = Request(EnvironBuilder("/hi/bob", method="POST").get_environ())
    app.add_url_rule("/hi/<name>", "hi", methods=["POST"])
    response = app.dispatch(req)
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "hi bob via POST"


@pytest.mark.parametrize(
    ("rv", "status", "body", "header"),
    [
        ("text", 200, b"text", None),
        (b"bytes", 200, b"bytes", None),
        (bytearray(b"array"), 200, b"array", None),
        ({"a": 1}, 200, b'{"a": 1}', None),
        ([1, 2], 200, b"[1, 2]", None),
        (("made", 201), 201, b"made", None),
        (("teapot", "418 I'M A TEAPOT"), 418, b"teapot", None),
        (("h", {"X-Test": "yes"}), 200, b"h", "yes"),
        (("h", [("X-Test", "list")]), 200, b"h", "list"),
        (("all", 202, {"X-Test": "3"}), 202, b"all", "3"),
        (Response("resp", 203), 203, b"resp", None),
        (NotFound(), 404, None, None),
    ],
)
def test_view_return_values(
    app: Router,
    client: Client,
    rv: t.Any,
    status: int,
    body: bytes | None,
    header: str | None,
) -> None:
    app.route("/")(lambda: rv)
    response = client.get("/")
    assert response.status_code == status
    if body is not None:
        assert response.data == body
    assert response.headers.get("X-Test") == header
    if isinstance(rv, dict):
        assert response.mimetype == "application/json"


def test_invalid_return_values(app: Router, client: Client) -> None:
    app.add_url_rule("/none", "none", lambda: None)
    app.add_url_rule("/tuple", "tuple", lambda: ("a", 200, {}, "extra"))
    with pytest.raises(TypeError, match="did not return a valid response"):
        client.get("/none")
    with pytest.raises(TypeError, match="tuple must be"):
        client.get("/tuple")


def test_unhandled_errors_become_500(make_app: t.Any) -> None:
    app = make_app()
    torn_down: list[BaseException | None] = []
    app.teardown_request(torn_down.append)

    @app.route("/")
    def index() -> str:
        raise ZeroDivisionError

    rv = Client(app).get("/")
    assert rv.status_code == 500
    assert b"Internal Server Error" in rv.data
    assert type(torn_down[0]) is ZeroDivisionError


def test_500_handler_gets_the_original(make_app: t.Any) -> None:
    app = make_app()

    @app.errorhandler(500)
    def server_error(e: InternalServerError) -> tuple[str, int]:
        original = e.original_exception
        return f"wrapped {type(original).__name__}", 500

    @app.route("/abort")
    def abort() -> str:
        raise InternalServerError()

    app.route("/")(lambda: 1 / 0)
    client = Client(app)
    assert client.get("/").text == "wrapped ZeroDivisionError"
    assert client.get("/abort").text == "wrapped NoneType"


def test_generic_exception_handler_sees_http_errors(
    app: Router, client: Client
) -> None:
    app.errorhandler(Exception)(lambda e: type(e).__name__)
    app.route("/key")(lambda: {}["x"])
    assert client.get("/key").text == "KeyError"
    assert client.get("/missing").text == "NotFound"


def test_propagated_errors(app: Router, client: Client) -> None:
    app.route("/")(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        client.get("/")


def test_trailing_slash_redirect_is_not_handled(app: Router, client: Client) -> None:
    app.errorhandler(Exception)(lambda e: "handled")
    app.route("/slash/")(lambda: "slash")
    rv = client.get("/slash")
    assert rv.status_code == 308
    assert client.get("/slash", follow_redirects=True).text == "slash"


def test_before_request_can_answer(app: Router, client: Client) -> None:
    events: list[object] = []
    app.before_request(lambda: events.append(1))
    app.before_request(lambda: "early")
    app.before_request(lambda: events.append(3))
    app.route("/")(lambda: events.append("view") or "view")
    assert client.get("/").text == "early"
    assert events == [1]


def test_after_this_request_runs_first(app: Router, client: Client) -> None:
    order: list[str] = []

    @app.after_request
    def after(response: Response) -> Response:
        order.append("after")
        return response

    @app.route("/")
    def index() -> str:
        @after_this_request
        def once(response: Response) -> Response:
            order.append("once")
            response.headers["X-Once"] = "1"
            return response

        return "x"

    assert client.get("/").headers["X-Once"] == "1"
    assert order == ["once", "after"]


def test_errors_in_after_request_of_an_error_response(make_app: t.Any) -> None:
    app = make_app()
    app.route("/")(lambda: 1 / 0)
    app.errorhandler(500)(lambda e: ("handled", 500))

    @app.after_request
    def broken(response: Response) -> Response:
        raise RuntimeError("after")

    rv = Client(app).get("/")
    assert rv.status_code == 500
    assert rv.text == "handled"


def test_teardown_signal_and_g(app: Router, client: Client) -> None:
    seen: list[t.Any] = []

    def on_teardown(sender: t.Any, exc: BaseException | None, **kw: t.Any) -> None:
        seen.append((sender, exc, g.get("value")))

    app.before_request(lambda: setattr(g, "value", 42))
    app.route("/")(lambda: "x")
    with request_tearing_down.connected_to(on_teardown, app):
        client.get("/")
    assert seen == [(app, None, 42)]


def test_session_is_an_empty_dict(app: Router, client: Client) -> None:
    @app.route("/")
    def index() -> str:
        session["x"] = 1
        return str(dict(session))

    assert client.get("/").text == "{'x': 1}"
    assert client.get("/").text == "{'x': 1}"


def test_async_hooks_and_views(app: Router, client: Client) -> None:
    async def before() -> None:
        g.async_before = True

    async def view() -> str:
        return f"async {g.async_before}"

    app.before_request(before)
    app.add_url_rule("/", "index", view)
    assert client.get("/").text == "async True"


def test_missing_static_folder(app: Router) -> None:
    with pytest.raises(RuntimeError, match="static_folder"):
        app.send_static_file("x.txt")


def test_router_is_freed_without_the_garbage_collector() -> None:
    gc.disable()
    try:
        router = Router("freed", static_folder="static")
        assert "static" in router.view_functions
        router.before_request(lambda: None)
        router.before_request_funcs_for(())
        ref = weakref.ref(router)
        del router
        assert ref() is None
    finally:
        gc.enable()
