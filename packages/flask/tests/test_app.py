"""The request pipeline, error handling and the other things ``Flask`` itself
owns.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import pathlib
import sys
import typing as t
import weakref

import pytest
import werkzeug.serving
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect

import flask
from flask.debughelpers import DebugFilesKeyError
from flask.debughelpers import FormDataRoutingRedirect


@pytest.mark.parametrize(
    ("value", "status", "body", "mimetype"),
    [
        ("text", 200, b"text", "text/html"),
        (b"bytes", 200, b"bytes", "text/html"),
        (bytearray(b"ba"), 200, b"ba", "text/html"),
        (iter(["a", "b"]), 200, b"ab", "text/html"),
        (("made", 201), 201, b"made", "text/html"),
        (("typed", {"Content-Type": "text/plain"}), 200, b"typed", "text/plain"),
        (("all", "418 I'm a teapot", [("X-A", "1")]), 418, b"all", "text/html"),
        ((NotFound(), 404), 404, None, "text/html"),
    ],
)
def test_make_response_forms(
    app: flask.Flask,
    req_ctx: flask.ctx.RequestContext,
    value: t.Any,
    status: int,
    body: bytes | None,
    mimetype: str,
) -> None:
    response = app.make_response(value)
    assert isinstance(response, flask.Response)
    assert response.status_code == status
    assert response.mimetype == mimetype
    if body is not None:
        assert response.get_data() == body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "returned None"),
        (("a",), "tuple must have the form"),
        (("a", 200, {}, "extra"), "tuple must have the form"),
        (True, "but it was a bool"),
        (lambda: None, "but it was a function"),
    ],
)
def test_make_response_rejects_other_values(
    app: flask.Flask, value: t.Any, message: str
) -> None:
    with app.test_request_context(), pytest.raises(TypeError, match=message):
        app.make_response(value)


def test_hooks_run_in_flasks_order(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    calls: list[str] = []
    parent = flask.Blueprint("parent", __name__)
    child = flask.Blueprint("child", __name__)

    @app.before_request
    def app_before() -> None:
        calls.append("before app")

    @parent.before_request
    def parent_before() -> None:
        calls.append("before parent")

    @child.before_request
    def child_before() -> None:
        calls.append("before child")

    @child.route("/")
    def index() -> str:
        calls.append("view")

        @flask.after_this_request
        def this_request(response: flask.Response) -> flask.Response:
            calls.append("after this request")
            return response

        return "ok"

    for name, scaffold in (("app", app), ("parent", parent), ("child", child)):

        def after(response: flask.Response, name: str = name) -> flask.Response:
            calls.append(f"after {name}")
            return response

        def teardown(exc: BaseException | None, name: str = name) -> None:
            calls.append(f"teardown {name}")

        scaffold.after_request(after)
        scaffold.teardown_request(teardown)

    parent.register_blueprint(child, url_prefix="/child")
    app.register_blueprint(parent, url_prefix="/parent")
    assert client.get("/parent/child/").text == "ok"
    assert calls == [
        "before app",
        "before parent",
        "before child",
        "view",
        "after this request",
        "after child",
        "after parent",
        "after app",
        "teardown child",
        "teardown parent",
        "teardown app",
    ]


def test_hooks_added_by_mutating_the_registries_apply(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.get("/")
    def index() -> str:
        return "view"

    assert client.get("/").text == "view"
    # Extensions append to the dicts directly, even after requests were served.
    app.before_request_funcs.setdefault(None, []).append(lambda: "early")
    assert client.get("/").text == "early"


@pytest.mark.parametrize(
    ("config", "propagates"),
    [
        ({}, False),
        ({"TESTING": True}, True),
        ({"DEBUG": True}, True),
        ({"PROPAGATE_EXCEPTIONS": True}, True),
        ({"TESTING": True, "PROPAGATE_EXCEPTIONS": False}, False),
    ],
)
def test_unhandled_errors_propagate_or_become_500(
    config: dict[str, t.Any], propagates: bool, caplog: pytest.LogCaptureFixture
) -> None:
    app = flask.Flask(__name__)
    app.config.update(config)
    seen: list[BaseException] = []

    @app.get("/")
    def index() -> str:
        raise ZeroDivisionError

    def record(sender: flask.Flask, exception: BaseException) -> None:
        seen.append(exception)

    with flask.got_request_exception.connected_to(record, app):
        if propagates:
            with pytest.raises(ZeroDivisionError):
                app.test_client().get("/")
        else:
            response = app.test_client().get("/")
            assert response.status_code == 500
            assert "Exception on / [GET]" in caplog.text
    assert [type(e) for e in seen] == [ZeroDivisionError]


def test_500_handler_receives_the_original_error(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    app.testing = False

    @app.errorhandler(500)
    def server_error(e: InternalServerError) -> tuple[str, int]:
        return f"handled {type(e.original_exception).__name__}", 500

    @app.get("/")
    def index() -> str:
        raise KeyError("boom")

    response = client.get("/")
    assert (response.status_code, response.text) == (500, "handled KeyError")


def test_http_errors_trapped_in_debugging(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.get("/")
    def index() -> str:
        flask.abort(403)

    assert client.get("/").status_code == 403
    app.config["TRAP_HTTP_EXCEPTIONS"] = True
    with pytest.raises(Forbidden):
        client.get("/")


def test_debug_helpers(
    app: flask.Flask,
    client: flask.testing.FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.debug = True
    # Routing redirects are 308 by default, which keeps the body; a 301 does not.
    monkeypatch.setattr(RequestRedirect, "code", 301)

    @app.route("/upload/", methods=["POST"])
    def upload() -> str:
        return flask.request.files["photo"].filename or ""

    with pytest.raises(FormDataRoutingRedirect, match="canonical URL"):
        client.post("/upload", data={"photo": "x.png"})
    with pytest.raises(DebugFilesKeyError, match="This was submitted: 'x.png'"):
        client.post("/upload/", data={"photo": "x.png"})


def test_automatic_options(app: flask.Flask, client: flask.testing.FlaskClient) -> None:
    @app.route("/", methods=["GET", "POST"])
    def index() -> str:
        raise AssertionError("OPTIONS is answered without the view")

    response = client.options("/")
    assert sorted(response.allow) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_async_views_and_hooks(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    @app.before_request
    async def before() -> None:
        flask.g.seen = "before"

    @app.get("/")
    async def index() -> str:
        return flask.g.seen

    assert client.get("/").text == "before"


def test_hooks_go_through_an_overridden_ensure_sync(app: flask.Flask) -> None:
    """Plain hooks are called directly only while ``ensure_sync`` is Flask's
    own: one replaced on the app or on a subclass sees every hook again.
    """
    seen: list[str] = []

    @app.before_request
    def before() -> None:
        return None

    @app.after_request
    def after(response: flask.Response) -> flask.Response:
        return response

    app.add_url_rule("/", "index", lambda: "ok")
    client = app.test_client()
    assert client.get("/").text == "ok"

    def recording(func: t.Any) -> t.Any:
        seen.append(func.__name__)
        return func

    app.ensure_sync = recording  # type: ignore[method-assign]
    assert client.get("/").text == "ok"
    assert ["before", "after"] == [n for n in seen if n in ("before", "after")]
    del app.ensure_sync

    class Recording(flask.Flask):
        def ensure_sync(self, func: t.Any) -> t.Any:
            seen.append(func.__name__)
            return func

    seen.clear()
    sub = Recording(__name__)
    sub.before_request(before)
    sub.after_request(after)
    sub.add_url_rule("/", "index", lambda: "ok")
    assert sub.test_client().get("/").text == "ok"
    assert ["before", "after"] == [n for n in seen if n in ("before", "after")]


def test_async_after_request_hook_runs_among_plain_ones(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    """One coroutine function among the hooks is awaited, the plain ones
    around it called as usual, in order.
    """

    @app.after_request
    def plain(response: flask.Response) -> flask.Response:
        response.headers["X-Order"] += ",plain"
        return response

    @app.after_request
    async def awaited(response: flask.Response) -> flask.Response:
        response.headers["X-Order"] = "awaited"
        return response

    app.add_url_rule("/", "index", lambda: "ok")
    assert client.get("/").headers["X-Order"] == "awaited,plain"


class _Greeter:
    async def greet(self, name: str) -> str:
        return f"hello {name}"

    def wave(self, name: str) -> str:
        return f"wave {name}"


def test_ensure_sync_runs_every_kind_of_coroutine_function(app: flask.Flask) -> None:
    """Async functions, methods and partials are made synchronous; plain
    callables come back as they are.
    """

    async def greet(name: str) -> str:
        return f"hello {name}"

    def wave(name: str) -> str:
        return f"wave {name}"

    greeter = _Greeter()
    for func in (greet, greeter.greet, functools.partial(greet)):
        assert app.ensure_sync(func)("you") == "hello you"
    for plain in (wave, greeter.wave, functools.partial(wave)):
        assert app.ensure_sync(plain) is plain


@pytest.mark.skipif(
    not hasattr(inspect, "markcoroutinefunction"),
    reason="inspect.markcoroutinefunction is new in Python 3.12",
)
def test_ensure_sync_runs_a_function_marked_as_coroutine_function(
    app: flask.Flask,
) -> None:
    """A plain function returning an awaitable, marked with
    ``inspect.markcoroutinefunction``, is run to completion too.
    """

    async def greet() -> str:
        return "hello"

    def marked() -> t.Any:
        return greet()

    mark = inspect.markcoroutinefunction  # type: ignore[attr-defined,unused-ignore]
    assert app.ensure_sync(mark(marked))() == "hello"


def test_async_without_asgiref_says_what_to_install(
    app: flask.Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "asgiref.sync", None)

    async def view() -> str:
        return ""

    with pytest.raises(RuntimeError, match="'async' extra"):
        app.ensure_sync(view)


def test_run_is_ignored_inside_the_flask_command(
    app: flask.Flask,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def forbidden(*args: t.Any, **kwargs: t.Any) -> None:
        raise AssertionError("the server must not start")

    monkeypatch.setattr(werkzeug.serving, "run_simple", forbidden)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app.run()
    assert "Ignoring a call to 'app.run()'" in capsys.readouterr().out


def test_run_defaults(app: flask.Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[t.Any, ...]] = []

    def run_simple(host: str, port: int, application: t.Any, **options: t.Any) -> None:
        calls.append((host, port, application, options))

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    app.run(load_dotenv=False)
    app.config["SERVER_NAME"] = "example.test:8080"
    app.run(debug=True, load_dotenv=False)
    assert calls == [
        (
            "127.0.0.1",
            5000,
            app,
            {"use_reloader": False, "use_debugger": False, "threaded": True},
        ),
        (
            "example.test",
            8080,
            app,
            {"use_reloader": True, "use_debugger": True, "threaded": True},
        ),
    ]


@pytest.mark.parametrize(
    ("server_name", "host", "port", "expected"),
    [
        (None, "0.0.0.0", None, ("0.0.0.0", 5000)),
        ("example.test:8080", None, 9000, ("example.test", 9000)),
        ("example.test:8080", "localhost", 0, ("localhost", 0)),
        ("example.test", None, "7000", ("example.test", 7000)),
    ],
)
def test_run_address_prefers_arguments_then_server_name(
    app: flask.Flask,
    monkeypatch: pytest.MonkeyPatch,
    server_name: str | None,
    host: str | None,
    port: int | str | None,
    expected: tuple[str, int],
) -> None:
    seen: list[tuple[str, int, dict[str, t.Any]]] = []

    def run_simple(host: str, port: int, application: t.Any, **options: t.Any) -> None:
        seen.append((host, port, options))

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    app.config["SERVER_NAME"] = server_name
    app.run(host, port, load_dotenv=False, threaded=False)
    assert seen == [
        (*expected, {"use_reloader": False, "use_debugger": False, "threaded": False})
    ]


def test_instance_path_rules(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="must be absolute"):
        flask.Flask(__name__, instance_path="relative")
    assert flask.Flask(__name__, instance_path=str(tmp_path)).instance_path == str(
        tmp_path
    )
    # A package in a source checkout keeps its instance folder beside it.
    (tmp_path / "project" / "checkout_app").mkdir(parents=True)
    (tmp_path / "project" / "checkout_app" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "project"))
    assert flask.Flask("checkout_app").instance_path == os.path.join(
        tmp_path, "project", "instance"
    )


def test_installed_app_keeps_its_instance_under_the_prefix(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "lib" / "python3" / "site-packages"
    (site / "installed_app").mkdir(parents=True)
    (site / "installed_app" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "elsewhere"))
    app = flask.Flask("installed_app")
    assert app.instance_path == str(tmp_path / "var" / "installed_app-instance")


def test_app_is_freed_without_the_garbage_collector() -> None:
    gc.disable()
    try:
        app = flask.Flask(__name__)
        app.logger  # noqa: B018
        app.json  # noqa: B018
        ref = weakref.ref(app)
        del app
        assert ref() is None
    finally:
        gc.enable()


def test_blueprint_commands_join_the_app(app: flask.Flask) -> None:
    grouped = flask.Blueprint("grouped", __name__)
    merged = flask.Blueprint("merged", __name__, cli_group=None)

    @grouped.cli.command("hello")
    def hello() -> None:
        print("grouped hello")

    @merged.cli.command("top")
    def top() -> None:
        print("top level")

    app.register_blueprint(grouped)
    app.register_blueprint(merged)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["grouped", "hello"]).output == "grouped hello\n"
    assert runner.invoke(args=["top"]).output == "top level\n"


def test_static_files_and_cache_age(tmp_path: pathlib.Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body {}")
    app = flask.Flask(__name__, root_path=str(tmp_path))
    client = app.test_client()
    response = client.get("/static/site.css")
    assert (response.text, response.cache_control.max_age) == ("body {}", None)
    response.close()
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    response = client.get("/static/site.css")
    assert response.cache_control.max_age == 60
    response.close()
    assert client.get("/static/../secret").status_code == 404


def test_open_resource_is_read_only(tmp_path: pathlib.Path) -> None:
    (tmp_path / "schema.sql").write_text("create table t;", encoding="utf-8")
    app = flask.Flask(__name__, root_path=str(tmp_path))
    with app.open_resource("schema.sql", "rt", encoding="utf-8") as f:
        assert f.read() == "create table t;"
    with pytest.raises(ValueError, match="only be opened for reading"):
        app.open_resource("schema.sql", "w")


def test_app_named_after_the_script_when_run_as_main(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["__main__"], "__file__", "/srv/site/serve.py")
    assert flask.Flask("__main__", root_path="/srv/site").name == "serve"


def test_unhandled_404_request_is_freed_without_the_garbage_collector() -> None:
    # A 404 nobody handles must not make the request, its environ and the
    # error a reference cycle: servers answer many of them.
    app = flask.Flask(__name__)
    requests: list[weakref.ref[t.Any]] = []

    @app.teardown_request
    def remember(exc: BaseException | None) -> None:
        requests.append(weakref.ref(flask.request._get_current_object()))  # type: ignore[attr-defined]

    client = app.test_client()
    gc.disable()
    try:
        rv = client.get("/missing")
        assert rv.status_code == 404
        assert b"Not Found" in rv.data
        assert requests[0]() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("where", ["class", "instance", "handler", "trap"])
def test_404_takes_the_full_error_path_when_anything_may_see_it(where: str) -> None:
    seen: list[str] = []

    class App(flask.Flask):
        if where == "class":

            def handle_user_exception(self, e: Exception) -> t.Any:
                seen.append(type(e).__name__)
                return super().handle_user_exception(e)

    app = App(__name__)
    if where == "instance":
        original = app.handle_user_exception

        def patched(e: Exception) -> t.Any:
            seen.append(type(e).__name__)
            return original(e)

        app.handle_user_exception = patched  # type: ignore[method-assign]
    elif where == "handler":

        @app.errorhandler(404)
        def missing(e: NotFound) -> tuple[str, int]:
            # Handlers run while the error is being handled, as in Flask.
            seen.append(type(sys.exc_info()[1]).__name__)
            return "gone", 404

    elif where == "trap":
        app.config.update(TRAP_HTTP_EXCEPTIONS=True, TESTING=True)
        with pytest.raises(NotFound):
            app.test_client().get("/missing")
        return
    rv = app.test_client().get("/missing")
    assert rv.status_code == 404
    assert seen == ["NotFound"]


def test_routing_exception_raised_again_has_its_own_traceback() -> None:
    app = flask.Flask(__name__)
    app.config.update(TRAP_HTTP_EXCEPTIONS=True, TESTING=True)
    with pytest.raises(NotFound) as info:
        app.test_client().get("/missing")
    # Raised from dispatching, where the app's code can be seen.
    names = [entry.name for entry in info.traceback]
    assert "dispatch_request" in names
