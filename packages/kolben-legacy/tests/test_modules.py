"""The module-level names of seed-era ``flask``."""

from __future__ import annotations

import importlib
import pathlib
import sys

import markupsafe
import pytest
from werkzeug.exceptions import NotFound

import flask
from flask.sessions import SecureCookieSession
from kolben.legacy import KolbenLegacyWarning


def test_markup_and_escape(legacy: None) -> None:
    with pytest.warns(KolbenLegacyWarning, match="markupsafe.Markup"):
        markup = flask.Markup
    with pytest.warns(KolbenLegacyWarning, match="markupsafe.escape"):
        escape = flask.escape
    assert markup is markupsafe.Markup
    assert escape("<b>") == "&lt;b&gt;"
    assert markup("<b>%s</b>") % "<i>" == "<b>&lt;i&gt;</b>"


def test_from_flask_import_markup(legacy: None) -> None:
    with pytest.warns(KolbenLegacyWarning):
        from flask import Markup
    assert Markup is markupsafe.Markup


def test_safe_join(legacy: None, tmp_path: pathlib.Path) -> None:
    with pytest.warns(KolbenLegacyWarning, match="werkzeug.utils.safe_join"):
        joined = flask.safe_join(str(tmp_path), "static", "a.css")
    assert joined == str(tmp_path / "static" / "a.css")
    with pytest.warns(KolbenLegacyWarning), pytest.raises(NotFound):
        flask.safe_join(str(tmp_path), "../etc/passwd")


def test_session_and_signals_available(legacy: None) -> None:
    with pytest.warns(KolbenLegacyWarning, match="SecureCookieSession"):
        assert flask.Session is SecureCookieSession
    with pytest.warns(KolbenLegacyWarning, match="blinker"):
        assert flask.signals_available is True


def test_unknown_names_still_fail(legacy: None) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        flask.no_such_name  # noqa: B018


def test_app_ctx_stack_top(legacy: None) -> None:
    app = flask.Flask(__name__)
    stack = flask._app_ctx_stack
    with pytest.warns(KolbenLegacyWarning, match=r"flask\.globals\.app_ctx"):
        assert stack.top is None
    with app.app_context() as ctx:
        with pytest.warns(KolbenLegacyWarning):
            top = stack.top
        assert top is ctx
        # The 0.9 extension pattern: state stored on the top context.
        top.sqlite3_db = "connection"
        assert flask.globals.app_ctx.sqlite3_db == "connection"


def test_request_ctx_stack_top_push_pop(legacy: None) -> None:
    app = flask.Flask(__name__)
    stack = flask._request_ctx_stack
    ctx = app.test_request_context("/hello")
    with pytest.warns(KolbenLegacyWarning, match="request_ctx"):
        stack.push(ctx)
    try:
        with pytest.warns(KolbenLegacyWarning):
            assert stack.top.request.path == "/hello"
        assert flask.request.path == "/hello"
    finally:
        with pytest.warns(KolbenLegacyWarning):
            assert stack.pop() is ctx
    assert not flask.has_request_context()
    with pytest.warns(KolbenLegacyWarning), pytest.raises(RuntimeError):
        stack.pop()


@pytest.fixture
def flask_fake(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "flask_fake.py").write_text("NAME = 'fake extension'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "flask_fake"
    sys.modules.pop("flask_fake", None)


def test_flask_ext_imports_the_extension(legacy: None, flask_fake: str) -> None:
    with pytest.warns(KolbenLegacyWarning, match="flask_fake"):
        from flask.ext import fake
    real = importlib.import_module("flask_fake")
    assert fake is real
    assert real.__spec__ is not None and real.__spec__.name == "flask_fake"
    import flask.ext.fake

    assert flask.ext.fake is real


def test_flask_ext_missing_extension(legacy: None) -> None:
    with pytest.raises(ImportError):
        import flask.ext.no_such_extension  # noqa: F401


def test_uninstall_forgets_flask_ext(flask_fake: str) -> None:
    import kolben.legacy

    kolben.legacy.install()
    with pytest.warns(KolbenLegacyWarning):
        importlib.import_module("flask.ext.fake")
    kolben.legacy.uninstall()
    assert "flask.ext" not in sys.modules
    assert "flask.ext.fake" not in sys.modules
    assert not hasattr(flask, "ext")
    with pytest.raises(ImportError):
        importlib.import_module("flask.ext.fake")


def test_warnings_point_at_the_code_that_uses_the_api(
    legacy: None, flask_fake: str
) -> None:
    app = flask.Flask(__name__)
    with pytest.warns(KolbenLegacyWarning) as record:
        flask.Markup  # noqa: B018
        with app.app_context():
            flask._app_ctx_stack.top  # noqa: B018
        import flask.ext.fake as fake  # noqa: F401

        app.before_first_request(lambda: None)
    assert len(record) == 4
    assert {pathlib.Path(w.filename) for w in record} == {pathlib.Path(__file__)}
