"""The application logger and its default handler."""

from __future__ import annotations

import collections.abc as cabc
import io
import logging
import sys

import pytest

import flask
from flask.logging import default_handler
from flask.logging import has_level_handler
from flask.logging import wsgi_errors_stream


@pytest.fixture
def bare_logging(request: pytest.FixtureRequest) -> cabc.Iterator[None]:
    """Run without pytest's log capturing and without root handlers."""
    plugin = request.config.pluginmanager.unregister(name="logging-plugin")
    root_handlers = logging.root.handlers[:]
    logging.root.handlers = []
    yield
    logging.root.handlers = root_handlers
    logging.getLogger("flask_tests").handlers = []
    logging.getLogger("flask_tests").setLevel(logging.NOTSET)
    if plugin is not None:
        request.config.pluginmanager.register(plugin, "logging-plugin")


def test_default_handler_writes_to_the_wsgi_error_stream(
    app: flask.Flask, bare_logging: None
) -> None:
    assert app.logger.handlers == [default_handler]

    @app.get("/")
    def index() -> str:
        app.logger.warning("careful")
        return ""

    errors = io.StringIO()
    app.test_client().get("/", errors_stream=errors)
    assert "WARNING in test_logging: careful" in errors.getvalue()
    assert wsgi_errors_stream._get_current_object() is sys.stderr  # type: ignore[attr-defined]


def test_no_default_handler_when_logging_is_configured(
    app: flask.Flask, bare_logging: None
) -> None:
    logging.root.addHandler(logging.StreamHandler())
    assert app.logger.handlers == []


def test_debug_app_logs_debug_messages(app: flask.Flask, bare_logging: None) -> None:
    app.debug = True
    assert app.logger.level == logging.DEBUG


def test_has_level_handler_follows_propagation() -> None:
    parent = logging.getLogger("kolben_test_parent")
    child = logging.getLogger("kolben_test_parent.child")
    handler = logging.StreamHandler(io.StringIO())
    parent.addHandler(handler)
    try:
        assert has_level_handler(child)
        child.propagate = False
        assert not has_level_handler(child)
    finally:
        child.propagate = True
        parent.removeHandler(handler)


def test_unhandled_error_record_reads_as_flasks(
    app: flask.Flask, caplog: pytest.LogCaptureFixture
) -> None:
    # People grep logs for Flask's "ERROR in app: Exception on ...": the
    # record's module and function are those a Flask user sees.
    @app.route("/boom")
    def boom() -> str:
        raise ZeroDivisionError

    app.testing = False
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        assert app.test_client().get("/boom").status_code == 500
    (record,) = caplog.records
    assert (record.module, record.funcName) == ("app", "log_exception")
    assert record.getMessage() == "Exception on /boom [GET]"
    assert record.exc_info is not None
    formatted = logging.Formatter("%(levelname)s in %(module)s: %(message)s")
    assert formatted.format(record).startswith("ERROR in app: Exception on /boom [GET]")
