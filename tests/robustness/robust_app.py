"""The realistic application the robustness suite attacks.

It uses what real Flask apps use: cookie sessions with a fallback key, flash,
forms and uploads with limits, JSON, URL converters, nested blueprints,
subdomain matching, ``send_from_directory`` and static files behind
``ProxyFix``. The ``/echo/...`` views return what they saw of their request
(the id in the URL, in a header and in the session) so concurrent clients can
check that nothing of another request leaked into theirs.

gunicorn loads it as ``robust_app:create_app()``; the static folder comes from
``ROBUST_STATIC`` when set.
"""

from __future__ import annotations

import os
import threading
import typing as t

from werkzeug.middleware.proxy_fix import ProxyFix

import flask

SECRET_KEY = "robustness secret"
FALLBACK_KEY = "robustness old secret"


def create_app(static_folder: str | None = None) -> flask.Flask:
    """Build the app; ``static_folder`` holds the files served under
    ``/static/`` and ``/files/``.
    """
    static_folder = static_folder or os.environ.get("ROBUST_STATIC")
    app = flask.Flask(__name__, static_folder=static_folder)
    app.config.update(
        SECRET_KEY=SECRET_KEY,
        SECRET_KEY_FALLBACKS=[FALLBACK_KEY],
        MAX_CONTENT_LENGTH=64 * 1024,
        MAX_FORM_MEMORY_SIZE=16 * 1024,
        MAX_FORM_PARTS=50,
        SERVER_NAME=None,
    )
    files = flask.Blueprint("files", __name__, url_prefix="/files")
    api = flask.Blueprint("api", __name__, url_prefix="/api")
    v1 = flask.Blueprint("v1", __name__, url_prefix="/v1")
    echo = flask.Blueprint("echo", __name__, url_prefix="/echo")

    @app.route("/")
    def index() -> str:
        return "home"

    @app.route("/session")
    def show_session() -> t.Any:
        return {"session": dict(flask.session)}

    @app.post("/login")
    def login() -> t.Any:
        name = flask.request.form.get("name", "")
        flask.session["user"] = name
        flask.flash(f"Hello {name}")
        target = flask.request.args.get("next", "/")
        return flask.redirect(target)

    @app.route("/messages")
    def messages() -> t.Any:
        return {"messages": flask.get_flashed_messages(with_categories=True)}

    @app.post("/upload")
    def upload() -> t.Any:
        return {
            "files": {k: len(f.read()) for k, f in flask.request.files.items()},
            "fields": len(flask.request.form),
        }

    @app.route("/item/<int:item_id>")
    def item(item_id: int) -> t.Any:
        return {"item": item_id}

    @app.route("/when/<uuid:key>/<float:value>")
    def when(key: t.Any, value: float) -> t.Any:
        return {"key": str(key), "value": value}

    @app.route("/url")
    def url() -> t.Any:
        req = flask.request
        return {"url": req.url, "root": req.url_root, "host": req.host}

    @files.route("/<path:name>")
    def download(name: str) -> flask.Response:
        assert app.static_folder is not None
        return flask.send_from_directory(app.static_folder, name)

    @v1.post("/echo")
    def json_echo() -> t.Any:
        return {"json": flask.request.get_json()}

    @v1.route("/user/<name>")
    def user(name: str) -> t.Any:
        return {"user": name, "link": flask.url_for(".user", name=name)}

    api.register_blueprint(v1)

    def seen() -> dict[str, t.Any]:
        return {
            "url": flask.request.view_args["rid"],  # type: ignore[index]
            "header": flask.request.headers.get("X-Request-Id"),
            "session": flask.session.get("rid"),
            "g": flask.g.get("rid"),
        }

    @echo.before_request
    def remember() -> None:
        flask.g.rid = flask.request.headers.get("X-Request-Id")

    @echo.after_request
    def store(response: flask.Response) -> flask.Response:
        flask.session["rid"] = flask.g.rid
        return response

    @echo.route("/plain/<rid>")
    def plain(rid: str) -> t.Any:
        return seen()

    @echo.route("/async/<rid>")
    async def async_view(rid: str) -> t.Any:
        return seen()

    @echo.route("/stream/<rid>")
    def streamed(rid: str) -> t.Any:
        @flask.stream_with_context
        def generate() -> t.Iterator[str]:
            yield "{"
            yield ",".join(f'"{k}": {flask.json.dumps(v)}' for k, v in seen().items())
            yield "}"

        return flask.Response(generate(), mimetype="application/json")

    @echo.route("/copied/<rid>")
    def copied(rid: str) -> t.Any:
        result: dict[str, t.Any] = {}

        @flask.copy_current_request_context
        def work() -> None:
            result.update(seen())

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        # As in Flask 3.1, the copy pushes a new app context (and so a new
        # ``g``) in its thread: ``g`` is checked in the view.
        result["g"] = flask.g.get("rid")
        return result

    app.register_blueprint(files)
    app.register_blueprint(api)
    app.register_blueprint(echo)
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1
    )
    return app


def create_subdomain_app() -> flask.Flask:
    """An app with ``SERVER_NAME`` and subdomain matching, for Host fuzzing."""
    app = flask.Flask(__name__, subdomain_matching=True)
    app.config.update(SECRET_KEY=SECRET_KEY, SERVER_NAME="example.test")
    tenants = flask.Blueprint("tenants", __name__, subdomain="<tenant>")

    @app.route("/")
    def index() -> str:
        return "apex"

    @tenants.route("/")
    def tenant(tenant: str) -> t.Any:
        return {"tenant": tenant, "url": flask.url_for(".tenant", tenant=tenant)}

    app.register_blueprint(tenants)
    return app
