"""Benchmark scenarios, run inside one interpreter by ``tools/bench.py``.

This file is executed as a script by the interpreter under test: the workspace
environment (our ``flask``) or a throwaway virtualenv (upstream Flask 3.1.3).
It imports only the standard library and the public Flask / werkzeug / jinja2
API, so the very same application code runs on both; the server-side session
scenarios configure the session store the way each side offers it (our
``SESSION_TYPE``, upstream's Flask-Session 0.8) on the same backend. The
``floor`` target answers each scenario with werkzeug alone (Request,
``Map.bind_to_environ().match()``, Response): the least any framework on
werkzeug can do.

Usage (normally through ``tools/bench.py``)::

    python tools/bench_scenarios.py flask|floor SECONDS_PER_SCENARIO [NAME ...]

It prints one JSON object: per scenario, requests/second and Python function
calls per request, plus the time to build an app with 1000 routes.
"""

from __future__ import annotations

import atexit
import collections.abc as cabc
import io
import json
import os
import shutil
import sys
import tempfile
import time
import typing as t

from werkzeug.test import EnvironBuilder

WSGIApp = cabc.Callable[..., cabc.Iterable[bytes]]

ITEMS = [f"<item {i} & co>" for i in range(20)]
JSON_PAYLOAD = {f"key{i}": (i if i % 2 else f"value {i}") for i in range(20)}
FORM = {f"field{i}": f"value {i}" for i in range(10)}
TEMPLATE = "<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>"


class Scenario(t.NamedTuple):
    """One benchmark case: the app to call and the request to send it."""

    app: WSGIApp
    path: str
    method: str = "GET"
    form: dict[str, str] | None = None
    cookie: str | None = None


def _start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
    return lambda data: None


def call(app: WSGIApp, environ: dict[str, t.Any], body: bytes) -> None:
    """Send one request through ``app`` and consume and close its body."""
    env = environ.copy()
    if body:
        env["wsgi.input"] = io.BytesIO(body)
    result = app(env, _start_response)
    try:
        for _ in result:
            pass
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


def build_environ(s: Scenario) -> tuple[dict[str, t.Any], bytes]:
    """Build the scenario's environ once; return it with its request body."""
    builder = EnvironBuilder(path=s.path, method=s.method, data=s.form)
    if s.cookie:
        builder.headers["Cookie"] = s.cookie
    environ = builder.get_environ()
    body = environ["wsgi.input"].read()
    return environ, body


# -- applications on the public Flask API ------------------------------------


def flask_scenarios() -> dict[str, Scenario]:
    """Build every scenario's app with the public Flask API."""
    from flask import Blueprint
    from flask import Flask
    from flask import render_template
    from flask import request
    from flask import session
    from flask import url_for

    def new_app(**options: t.Any) -> Flask:
        # Every app has a secret key, as any real app using sessions, flash
        # or CSRF protection does: the cost of the session machinery on
        # requests that never touch the session is part of what is measured.
        app = Flask("bench", **options)
        app.secret_key = "bench secret"
        return app

    def app_with(view: t.Callable[..., t.Any], rule: str = "/") -> Flask:
        app = new_app()
        app.add_url_rule(rule, "view", view, methods=["GET", "POST"])
        return app

    hello = app_with(lambda: "Hello, World!")

    routed = new_app()
    for i in range(1000):
        routed.add_url_rule(f"/r{i}/<int:x>", f"r{i}", lambda x: str(x))

    def build_urls() -> str:
        return " ".join(url_for("user", name=f"u{i}", page=i) for i in range(10))

    urls = new_app()
    urls.add_url_rule("/", "view", build_urls)
    urls.add_url_rule("/user/<name>", "user", lambda name: name)

    as_json = app_with(lambda: JSON_PAYLOAD)

    folder = tempfile.mkdtemp(prefix="kolben-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    with open(os.path.join(folder, "items.html"), "w") as f:
        f.write(TEMPLATE)
    templated = new_app(template_folder=folder)
    templated.add_url_rule(
        "/", "view", lambda: render_template("items.html", items=ITEMS)
    )

    def count_visit() -> str:
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    sessioned = app_with(count_visit)
    cookie = sessioned.test_client().get("/").headers["Set-Cookie"].split(";")[0]

    form = app_with(lambda: str(len(request.form.to_dict())))

    parent = Blueprint("parent", __name__, url_prefix="/parent")
    child = Blueprint("child", __name__, url_prefix="/child")

    @parent.before_request
    def parent_before() -> None:
        request.environ["bench.parent"] = True

    @child.before_request
    def child_before() -> None:
        request.environ["bench.child"] = True

    @child.after_request
    def child_after(response: t.Any) -> t.Any:
        response.headers["X-Child"] = "1"
        return response

    @child.errorhandler(404)
    def child_missing(e: Exception) -> tuple[str, int]:
        return "missing", 404

    child.add_url_rule("/leaf", "leaf", lambda: "leaf")
    parent.register_blueprint(child)
    hooked = new_app()
    hooked.register_blueprint(parent)

    server_side = {
        "session-sqlite": server_session_app(new_app, count_visit, "sqlite", folder),
        "session-redis": server_session_app(new_app, count_visit, "redis", folder),
    }
    return {
        **{
            name: Scenario(app, "/", cookie=visit_cookie(app))
            for name, app in server_side.items()
            if app is not None
        },
        "hello": Scenario(hello, "/"),
        "routing-1000": Scenario(routed, "/r999/7"),
        "url_for": Scenario(urls, "/"),
        "json": Scenario(as_json, "/"),
        "template": Scenario(templated, "/"),
        "session": Scenario(sessioned, "/", cookie=cookie),
        "form-post": Scenario(form, "/", method="POST", form=FORM),
        "404": Scenario(hello, "/missing"),
        "blueprint-hooks": Scenario(hooked, "/parent/child/leaf"),
    }


def visit_cookie(app: t.Any) -> str:
    """The session cookie of a first visit, for the requests measured."""
    header: str = app.test_client().get("/").headers["Set-Cookie"]
    return header.split(";")[0]


def server_session_app(
    new_app: t.Callable[[], t.Any],
    view: t.Callable[[], str],
    backend: str,
    folder: str,
) -> t.Any:
    """The visit counter with its session kept in ``backend`` ("sqlite" or
    "redis"): on our ``flask`` by ``SESSION_TYPE`` alone; on upstream Flask
    by Flask-Session 0.8, SQLite through its SQLAlchemy store. ``None`` for
    Redis when ``tools/bench.py`` started no redis-server."""
    redis_url = os.environ.get("KOLBEN_BENCH_REDIS_URL")
    if backend == "redis" and not redis_url:
        return None
    app = new_app()
    app.add_url_rule("/", "view", view)
    database = os.path.join(folder, f"sessions-{os.getpid()}.sqlite3")
    client = None
    if backend == "redis":
        import redis

        # Both sides get the same client: the same redis-py, built the same
        # way, with its default settings (timeouts, protocol, pool).
        client = redis.Redis.from_url(t.cast(str, redis_url))
    try:
        from flask_session import Session  # type: ignore[import-not-found]
    except ImportError:
        # Our flask: server-side sessions are built in.
        app.config["SESSION_TYPE"] = backend
        app.config["SESSION_SQLITE_PATH"] = database
        app.config["SESSION_REDIS"] = client
        return app
    if backend == "sqlite":
        from flask_sqlalchemy import SQLAlchemy  # type: ignore[import-not-found]

        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
        app.config["SESSION_TYPE"] = "sqlalchemy"
        app.config["SESSION_SQLALCHEMY"] = SQLAlchemy(app)
    else:
        app.config["SESSION_TYPE"] = "redis"
        app.config["SESSION_REDIS"] = client
    Session(app)
    return app


def build_1000_routes() -> float:
    """Seconds to create an app and register 1000 dynamic routes."""
    from flask import Flask

    start = time.perf_counter()
    app = Flask("bench")
    for i in range(1000):
        app.add_url_rule(f"/r{i}/<int:x>", f"r{i}", lambda x: str(x))
    app.url_map.bind("localhost").match("/r999/1")
    return time.perf_counter() - start


# -- the werkzeug floor -------------------------------------------------------


def floor_scenarios() -> dict[str, Scenario]:
    """Each scenario answered with werkzeug alone: parse, match, respond."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map
    from werkzeug.routing import Rule
    from werkzeug.wrappers import Request
    from werkzeug.wrappers import Response

    def floor_app(url_map: Map) -> WSGIApp:
        def app(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
            request = Request(environ)
            try:
                endpoint, args = url_map.bind_to_environ(environ).match()
            except HTTPException as e:
                return e.get_response(environ)(environ, start_response)
            response = Response(f"{endpoint} {request.method}")
            return response(environ, start_response)

        return app

    simple = floor_app(Map([Rule("/", endpoint="view", methods=["GET", "POST"])]))
    routed = floor_app(
        Map([Rule(f"/r{i}/<int:x>", endpoint=f"r{i}") for i in range(1000)])
    )
    nested = floor_app(Map([Rule("/parent/child/leaf", endpoint="leaf")]))
    scenarios = {
        name: Scenario(simple, "/") for name in ("hello", "url_for", "json", "template")
    }
    scenarios.update(
        {
            "routing-1000": Scenario(routed, "/r999/7"),
            "session": Scenario(simple, "/", cookie="session=x"),
            "session-sqlite": Scenario(simple, "/", cookie="session=x"),
            "session-redis": Scenario(simple, "/", cookie="session=x"),
            "form-post": Scenario(simple, "/", method="POST", form=FORM),
            "404": Scenario(simple, "/missing"),
            "blueprint-hooks": Scenario(nested, "/parent/child/leaf"),
        }
    )
    return scenarios


# -- measuring ----------------------------------------------------------------


def requests_per_second(s: Scenario, seconds: float) -> float:
    """Call the scenario's app repeatedly for about ``seconds``; return the rate."""
    environ, body = build_environ(s)
    app = s.app
    for _ in range(50):  # warm-up: caches, lazy environments, first-request work
        call(app, environ, body)
    batch = 100
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            call(app, environ, body)
        done += batch
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start)


def calls_per_request(s: Scenario, requests: int = 50) -> float:
    """Count Python function calls per request (deterministic, unlike time)."""
    environ, body = build_environ(s)
    for _ in range(5):
        call(s.app, environ, body)
    count = 0

    def profiler(frame: t.Any, event: str, arg: t.Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profiler)
    try:
        for _ in range(requests):
            call(s.app, environ, body)
    finally:
        sys.setprofile(None)
    return count / requests


def main(argv: list[str]) -> None:
    target, seconds, *names = argv
    scenarios = flask_scenarios() if target == "flask" else floor_scenarios()
    results: dict[str, t.Any] = {"scenarios": {}}
    if not os.environ.get("KOLBEN_BENCH_REDIS_URL"):
        # No redis-server for this run: no Redis scenario on any target.
        scenarios.pop("session-redis", None)
    for name, scenario in scenarios.items():
        if names and name not in names:
            continue
        results["scenarios"][name] = {
            "rps": requests_per_second(scenario, float(seconds)),
            "calls": calls_per_request(scenario),
        }
    if target == "flask":
        results["build_1000_routes"] = min(build_1000_routes() for _ in range(3))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
