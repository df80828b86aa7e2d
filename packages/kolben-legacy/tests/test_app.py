"""Seed-era attributes of ``Flask``, ``Blueprint`` and ``Request``."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Gone
from werkzeug.routing import Rule

import flask
from flask import Blueprint
from flask import Flask
from flask.sessions import SecureCookieSession
from kolben.legacy import KolbenLegacyWarning


@pytest.fixture
def app(legacy: None) -> Flask:
    app = Flask(__name__)
    app.secret_key = "dev"
    return app


def test_before_first_request_runs_once(app: Flask) -> None:
    calls: list[str] = []
    with pytest.warns(KolbenLegacyWarning, match="before_first_request"):

        @app.before_first_request
        def first() -> None:
            calls.append("first")

    @app.before_request
    def every() -> None:
        calls.append("every")

    @app.route("/")
    def index() -> str:
        return "ok"

    with pytest.warns(KolbenLegacyWarning):
        assert app.before_first_request_funcs == [first]
    with pytest.warns(KolbenLegacyWarning):
        assert app.got_first_request is False
    client = app.test_client()
    client.get("/")
    client.get("/")
    assert calls == ["first", "every", "every"]
    with pytest.warns(KolbenLegacyWarning):
        assert app.got_first_request is True


def test_blueprint_before_app_first_request(app: Flask) -> None:
    bp = Blueprint("bp", __name__)
    calls: list[str] = []
    with pytest.warns(KolbenLegacyWarning, match="before_app_first_request"):
        bp.before_app_first_request(lambda: calls.append("bp"))
    app.register_blueprint(bp)
    app.add_url_rule("/", "index", lambda: "ok")
    app.test_client().get("/")
    app.test_client().get("/")
    assert calls == ["bp"]


def test_config_attributes(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning, match="SESSION_COOKIE_NAME"):
        assert app.session_cookie_name == "session"
    with pytest.warns(KolbenLegacyWarning):
        app.session_cookie_name = "legacy"
    assert app.config["SESSION_COOKIE_NAME"] == "legacy"
    with pytest.warns(KolbenLegacyWarning, match="USE_X_SENDFILE"):
        assert app.use_x_sendfile is False
    with pytest.warns(KolbenLegacyWarning):
        app.use_x_sendfile = True
    assert app.config["USE_X_SENDFILE"] is True


def test_cookie_name_reaches_the_response(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning):
        app.session_cookie_name = "legacy"

    @app.route("/")
    def index() -> str:
        flask.session["a"] = 1
        return "ok"

    response = app.test_client().get("/")
    assert response.headers["Set-Cookie"].startswith("legacy=")


def test_propagate_exceptions(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning, match="PROPAGATE_EXCEPTIONS"):
        assert app.propagate_exceptions is False
    app.testing = True
    with pytest.warns(KolbenLegacyWarning):
        assert app.propagate_exceptions is True
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with pytest.warns(KolbenLegacyWarning):
        assert app.propagate_exceptions is False


def test_names_and_paths(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning, match="logger.name"):
        assert app.logger_name == app.logger.name
    with pytest.warns(KolbenLegacyWarning):
        assert "%(levelname)s in %(module)s" in app.debug_log_format
    with pytest.warns(KolbenLegacyWarning, match="static_url_path"):
        assert app.static_path == "/static"
    with pytest.warns(KolbenLegacyWarning, match="import_name"):
        assert app.package_name == __name__
    with pytest.warns(KolbenLegacyWarning):
        assert app.env == "production"
    app.debug = True
    with pytest.warns(KolbenLegacyWarning):
        assert app.env == "development"
    with pytest.raises(AttributeError):
        app.env = "development"  # type: ignore[misc]


def test_session_methods_forward_to_the_interface(app: Flask) -> None:
    with app.test_request_context("/"):
        with pytest.warns(KolbenLegacyWarning, match="open_session"):
            session = app.open_session(flask.request)
        assert isinstance(session, SecureCookieSession)
        session["user"] = "alice"
        response = app.response_class("ok")
        with pytest.warns(KolbenLegacyWarning, match="save_session"):
            app.save_session(session, response)
        assert "session=" in response.headers["Set-Cookie"]
        with pytest.warns(KolbenLegacyWarning, match="make_null_session"):
            null = app.make_null_session()
        assert null is not None and not null


def test_jinja_helpers(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning, match="create_global_jinja_loader"):
        loader = app.create_jinja_loader()
    assert loader is not None
    with pytest.warns(KolbenLegacyWarning):
        app.init_jinja_globals()
    assert "url_for" in app.jinja_env.globals


def test_match_request(app: Flask) -> None:
    app.add_url_rule("/user/<int:uid>", "user", lambda uid: str(uid))
    with app.test_request_context("/user/7"):
        with pytest.warns(KolbenLegacyWarning, match="url_rule"):
            rule, args = app.match_request()
        assert isinstance(rule, Rule) and rule.endpoint == "user"
        assert args == {"uid": 7}
        assert flask.request.view_args == {"uid": 7}


def test_error_handlers_dict(app: Flask) -> None:
    def not_found(error: Exception) -> tuple[str, int]:
        return f"missing: {type(error).__name__}", 404

    def teapot() -> tuple[str, int]:
        return "no argument", 418

    with pytest.warns(KolbenLegacyWarning, match="register_error_handler"):
        app.error_handlers[404] = not_found
    with pytest.warns(KolbenLegacyWarning):
        app.error_handlers[418] = teapot
    with pytest.warns(KolbenLegacyWarning):
        assert app.error_handlers[404] is not_found

    @app.route("/tea")
    def tea() -> str:
        flask.abort(418)

    client = app.test_client()
    assert client.get("/nowhere").data == b"missing: NotFound"
    response = client.get("/tea")
    assert (response.status_code, response.data) == (418, b"no argument")


def test_request_is_xhr_and_module(app: Flask) -> None:
    bp = Blueprint("admin", __name__)
    bp.add_url_rule("/admin", "index", lambda: "admin")
    app.register_blueprint(bp)
    with app.test_request_context(
        "/admin", headers={"X-Requested-With": "XMLHttpRequest"}
    ):
        with pytest.warns(KolbenLegacyWarning, match="X-Requested-With"):
            assert flask.request.is_xhr is True
        with pytest.warns(KolbenLegacyWarning, match="request.blueprint"):
            assert flask.request.module == "admin"
    with app.test_request_context("/"):
        with pytest.warns(KolbenLegacyWarning):
            assert flask.request.is_xhr is False


def test_error_handler_spec_assignment(app: Flask) -> None:
    def gone() -> tuple[str, int]:
        return "gone for good", 410

    with pytest.warns(KolbenLegacyWarning, match="register_error_handler"):
        app.error_handler_spec[None][410] = gone

    @app.route("/old")
    def old() -> str:
        flask.abort(410)

    response = app.test_client().get("/old")
    assert (response.status_code, response.data) == (410, b"gone for good")
    # Flask 3.1's shape, for the code that reads the registry.
    assert list(app.error_handler_spec[None][410]) == [Gone]


def test_error_handler_spec_rejects_unknown_codes(app: Flask) -> None:
    with pytest.warns(KolbenLegacyWarning), pytest.raises(KeyError, match="999"):
        app.error_handler_spec[None][999] = lambda: "x"


def test_before_first_request_after_the_first_request(app: Flask) -> None:
    app.add_url_rule("/", "index", lambda: "ok")
    app.test_client().get("/")
    with pytest.warns(KolbenLegacyWarning), pytest.raises(AssertionError):
        app.before_first_request(lambda: None)
