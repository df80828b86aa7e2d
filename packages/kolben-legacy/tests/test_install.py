"""Opt-in: nothing changes on import or before ``install()``; ``uninstall()``
restores exactly the previous state; ``install()`` twice is harmless.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

import flask
import flask.helpers
import kolben.legacy
from flask import Blueprint
from flask import Flask
from flask import Request
from flask.cli import ScriptInfo
from kolben.legacy import KolbenLegacyWarning

MODULE_NAMES = [
    "Markup",
    "escape",
    "safe_join",
    "Session",
    "signals_available",
    "_app_ctx_stack",
    "_request_ctx_stack",
    "ext",
]
APP_NAMES = [
    "before_first_request",
    "before_first_request_funcs",
    "got_first_request",
    "session_cookie_name",
    "use_x_sendfile",
    "propagate_exceptions",
    "logger_name",
    "debug_log_format",
    "static_path",
    "package_name",
    "env",
    "open_session",
    "save_session",
    "make_null_session",
    "create_jinja_loader",
    "init_jinja_globals",
    "match_request",
    "error_handlers",
]


def snapshot() -> dict[str, dict[str, object]]:
    """Every attribute the shims may touch, as the objects hold them."""
    return {
        "flask": dict(vars(flask)),
        "flask.helpers": dict(vars(flask.helpers)),
        "Flask": dict(vars(Flask)),
        "Blueprint": dict(vars(Blueprint)),
        "Request": dict(vars(Request)),
        "ScriptInfo": dict(vars(ScriptInfo)),
    }


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_flask_module_answers_like_flask_3_1(name: str) -> None:
    assert not kolben.legacy.installed()
    assert not hasattr(flask, name)


@pytest.mark.parametrize("name", APP_NAMES)
def test_app_answers_like_flask_3_1(name: str) -> None:
    app = Flask(__name__)
    assert not hasattr(app, name)


def test_request_and_blueprint_answer_like_flask_3_1() -> None:
    assert not hasattr(Request, "is_xhr")
    assert not hasattr(Request, "module")
    assert not hasattr(Blueprint("bp", __name__), "before_app_first_request")


def test_import_changes_nothing_and_does_not_warn() -> None:
    code = (
        "import warnings; warnings.simplefilter('error')\n"
        "import flask\n"
        "before = dict(vars(flask)), dict(vars(flask.Flask))\n"
        "import kolben.legacy\n"
        "assert (dict(vars(flask)), dict(vars(flask.Flask))) == before\n"
        "assert not hasattr(flask, '_app_ctx_stack')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_install_is_idempotent_and_uninstall_restores_everything() -> None:
    before = snapshot()
    meta_path = list(sys.meta_path)
    kolben.legacy.install()
    try:
        installed = snapshot()
        kolben.legacy.install()
        assert snapshot() == installed
        assert kolben.legacy.installed()
        assert installed != before
    finally:
        kolben.legacy.uninstall()
    assert snapshot() == before
    assert sys.meta_path == meta_path
    assert not kolben.legacy.installed()
    kolben.legacy.uninstall()
    assert snapshot() == before


def test_installing_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kolben.legacy.install()
        kolben.legacy.uninstall()


def test_the_warning_is_a_deprecation_warning() -> None:
    assert issubclass(KolbenLegacyWarning, DeprecationWarning)


def test_modern_code_does_not_warn_while_installed(legacy: None) -> None:
    app = Flask(__name__)
    app.secret_key = "dev"

    @app.route("/")
    def index() -> str:
        flask.session["seen"] = True
        return "ok"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        response = app.test_client().get("/")
    assert response.data == b"ok"


def test_old_arguments_and_imports_fail_without_install() -> None:
    import io

    app = Flask(__name__)
    with app.test_request_context(), pytest.raises(TypeError):
        flask.send_file(io.BytesIO(b""), attachment_filename="a.txt")
    with pytest.raises(ImportError):
        __import__("flask.ext.anything")
    info = ScriptInfo(create_app=lambda script_info: app)
    with pytest.raises(TypeError):
        info.load_app()
    spec = app.error_handler_spec[None]
    with pytest.raises((AttributeError, TypeError)):
        spec[404] = lambda error: "x"
