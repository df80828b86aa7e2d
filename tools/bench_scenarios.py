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
import cProfile
import io
import json
import os
import pstats
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
    #: Drive the app through its test client (``client.get(path)``), as a
    #: user's test suite does, instead of calling it as a WSGI app.
    client: t.Callable[[WSGIApp], t.Any] | None = None


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
        posts = [url_for("post", id=i) for i in range(5)]
        users = [url_for("user", name=f"u{i}", page=i) for i in range(5)]
        return " ".join(posts + users)

    urls = new_app()
    urls.add_url_rule("/", "view", build_urls)
    urls.add_url_rule("/post/<int:id>", "post", lambda id: str(id))
    urls.add_url_rule("/user/<name>", "user", lambda name: name)

    as_json = app_with(lambda: JSON_PAYLOAD)

    folder = template_folder()
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
        "test-client": Scenario(
            hello, "/", client=lambda app: t.cast(t.Any, app).test_client()
        ),
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


# -- the werkzeug floor -------------------------------------------------------

#: The floor's session lifetime: Flask's default ``PERMANENT_SESSION_LIFETIME``.
SESSION_MAX_AGE = 31 * 24 * 60 * 60


def floor_scenarios() -> dict[str, Scenario]:
    """Each scenario answered with werkzeug (and jinja2, itsdangerous) alone.

    Every app is one ``Map`` of the scenario's rules, matched with
    ``bind_to_environ(environ).match()``, a dict of handlers by endpoint and
    werkzeug's ``HTTPException`` as the response when nothing matches: the
    least any framework on werkzeug can do for the same request.
    """
    import hashlib

    from itsdangerous import BadSignature
    from itsdangerous import URLSafeTimedSerializer
    from jinja2 import Environment
    from jinja2 import FileSystemLoader
    from jinja2 import select_autoescape
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map
    from werkzeug.routing import MapAdapter
    from werkzeug.routing import Rule
    from werkzeug.test import Client
    from werkzeug.wrappers import Request
    from werkzeug.wrappers import Response

    Handler = t.Callable[..., Response]

    def floor_app(rules: list[Rule], handlers: dict[str, Handler]) -> WSGIApp:
        url_map = Map(rules)

        def app(environ: dict[str, t.Any], start_response: t.Any) -> t.Any:
            request = Request(environ)
            adapter = url_map.bind_to_environ(environ)
            try:
                endpoint, args = adapter.match()
            except HTTPException as e:
                return e(environ, start_response)
            response = handlers[endpoint](request, adapter, **args)
            return response(environ, start_response)

        return app

    def on_root(handler: Handler) -> WSGIApp:
        rule = Rule("/", endpoint="view", methods=["GET", "POST"])
        return floor_app([rule], {"view": handler})

    def hello(request: Request, adapter: MapAdapter) -> Response:
        return Response("Hello, World!")

    simple = on_root(hello)
    routed = floor_app(
        [Rule(f"/r{i}/<int:x>", endpoint=f"r{i}") for i in range(1000)],
        {f"r{i}": lambda request, adapter, x: Response(str(x)) for i in range(1000)},
    )

    def build_urls(request: Request, adapter: MapAdapter) -> Response:
        posts = [adapter.build("post", {"id": i}) for i in range(5)]
        users = [adapter.build("user", {"name": f"u{i}", "page": i}) for i in range(5)]
        return Response(" ".join(posts + users))

    urls = floor_app(
        [
            Rule("/", endpoint="view"),
            Rule("/post/<int:id>", endpoint="post"),
            Rule("/user/<name>", endpoint="user"),
        ],
        {"view": build_urls},
    )

    def as_json(request: Request, adapter: MapAdapter) -> Response:
        body = json.dumps(JSON_PAYLOAD, separators=(",", ":"))
        return Response(body, mimetype="application/json")

    jinja = Environment(
        loader=FileSystemLoader(template_folder()), autoescape=select_autoescape()
    )

    def templated(request: Request, adapter: MapAdapter) -> Response:
        body = jinja.get_template("items.html").render(items=ITEMS)
        return Response(body, mimetype="text/html")

    serializer = URLSafeTimedSerializer(
        "bench secret",
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )

    def count_visit(request: Request, adapter: MapAdapter) -> Response:
        data: dict[str, t.Any] = {}
        cookie = request.cookies.get("session")
        if cookie:
            try:
                data = serializer.loads(cookie, max_age=SESSION_MAX_AGE)
            except BadSignature:
                data = {}
        data["visits"] = data.get("visits", 0) + 1
        response = Response(str(data["visits"]))
        response.set_cookie("session", serializer.dumps(data), httponly=True)
        return response

    def read_form(request: Request, adapter: MapAdapter) -> Response:
        return Response(str(len(request.form.to_dict())))

    nested = floor_app(
        [Rule("/parent/child/leaf", endpoint="leaf")],
        {"leaf": lambda request, adapter: Response("leaf")},
    )
    cookie = f"session={serializer.dumps({'visits': 1})}"
    return {
        "hello": Scenario(simple, "/"),
        "test-client": Scenario(simple, "/", client=Client),
        "routing-1000": Scenario(routed, "/r999/7"),
        "url_for": Scenario(urls, "/"),
        "json": Scenario(on_root(as_json), "/"),
        "template": Scenario(on_root(templated), "/"),
        "session": Scenario(on_root(count_visit), "/", cookie=cookie),
        "session-sqlite": Scenario(simple, "/", cookie="session=x"),
        "session-redis": Scenario(simple, "/", cookie="session=x"),
        "form-post": Scenario(on_root(read_form), "/", method="POST", form=FORM),
        "404": Scenario(simple, "/missing"),
        "blueprint-hooks": Scenario(nested, "/parent/child/leaf"),
    }


#: The headers of the hello scenario's answer on Flask (and on the floor):
#: the bare WSGI callable sends exactly these, so the three differ only in
#: the Python code that produces them.
HELLO_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", "13"),
]


def bare_hello(environ: dict[str, t.Any], start_response: t.Any) -> list[bytes]:
    """The hello answer from a bare WSGI callable: no request object, no
    routing, nothing but the status, headers and body. Under a server it is
    the ceiling: no framework on any toolkit can answer faster."""
    start_response("200 OK", HELLO_HEADERS)
    return [b"Hello, World!"]


def e2e_app(target: str, name: str) -> WSGIApp:
    """The WSGI app ``tools/bench.py --e2e`` serves with gunicorn for scenario
    ``name``: ``flask`` (ours or upstream, by interpreter), ``floor`` (the
    werkzeug floor) or ``bare`` (:func:`bare_hello`, hello only)."""
    if target == "bare":
        if name != "hello":
            raise ValueError(f"no bare WSGI app for scenario {name!r}")
        return bare_hello
    scenarios = flask_scenarios() if target == "flask" else floor_scenarios()
    return scenarios[name].app


def template_folder() -> str:
    """A temporary folder holding ``items.html``, removed at exit."""
    folder = tempfile.mkdtemp(prefix="kolben-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    with open(os.path.join(folder, "items.html"), "w") as f:
        f.write(TEMPLATE)
    return folder


# -- measuring ----------------------------------------------------------------


def driver(s: Scenario) -> cabc.Callable[[], None]:
    """One request of the scenario, as a call without arguments."""
    if s.client is not None:
        client = s.client(s.app)
        path = s.path
        return lambda: client.get(path).close()
    environ, body = build_environ(s)
    app = s.app
    return lambda: call(app, environ, body)


def requests_per_second(s: Scenario, seconds: float) -> float:
    """Send the scenario's request repeatedly for about ``seconds``; return the rate."""
    once = driver(s)
    for _ in range(50):  # warm-up: caches, lazy environments, first-request work
        once()
    batch = 100
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            once()
        done += batch
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start)


def calls_per_request(s: Scenario, requests: int = 50) -> float:
    """cProfile's count of function calls per request (deterministic, unlike
    time): Python functions and built-ins alike."""
    once = driver(s)
    for _ in range(5):
        once()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for _ in range(requests):
            once()
    finally:
        profiler.disable()
    total: int = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    return total / requests


def build_1000_routes() -> float:
    """Seconds to create an app, register 1000 dynamic routes and match one."""
    from flask import Flask

    start = time.perf_counter()
    app = Flask("bench")
    for i in range(1000):
        app.add_url_rule(f"/r{i}/<int:x>", f"r{i}", lambda x: str(x))
    app.url_map.bind("localhost").match("/r999/1")
    return time.perf_counter() - start


def flaskr_memory(requests: int) -> int:
    """Resident bytes of this process after serving Flaskr ``requests`` times.

    Flaskr (the tutorial blog, on ``sys.path`` and configured through its
    ``FLASKR_*`` variables by ``tools/bench.py``) gets a fresh database with
    one user and a few posts; the requests cycle over the pages an anonymous
    visitor sees, as a worker process would serve them.
    """
    from flaskr import create_app
    from flaskr.db import get_db
    from flaskr.db import init_db

    app = create_app()
    with app.app_context():
        init_db()
        db = get_db()
        db.execute("INSERT INTO user (username, password) VALUES ('a', 'x')")
        for i in range(10):
            db.execute(
                "INSERT INTO post (title, body, author_id) VALUES (?, ?, 1)",
                (f"post {i}", f"body of post {i} & more"),
            )
        db.commit()
    environs = [
        build_environ(Scenario(app, path))
        for path in ("/", "/auth/login", "/auth/register", "/missing")
    ]
    for i in range(requests):
        environ, body = environs[i % len(environs)]
        call(app, environ, body)
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main(argv: list[str]) -> None:
    target, *rest = argv
    if target == "build-routes":
        # A fresh process per sample: startup cost, not a warmed-up loop.
        print(json.dumps(build_1000_routes()))
        return
    if target == "memory":
        print(json.dumps(flaskr_memory(int(rest[0]))))
        return
    seconds, *names = rest
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
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
