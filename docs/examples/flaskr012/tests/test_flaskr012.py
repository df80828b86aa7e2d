"""The Flask 0.12 Flaskr runs unchanged after ``kolben.legacy.install()``.

Importing the app installs the shims; the fixture imports it for these tests
only and uninstalls them afterwards, so the rest of the session keeps seeing
Flask 3.1's ``flask``.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib
import json
import pathlib
import sys
import types

import pytest

import flask
import kolben.legacy
from kolben.legacy import KolbenLegacyWarning

# The app uses the legacy APIs on every request; that each warns is shown
# in test_the_legacy_apis_warn, not on every request here.
pytestmark = pytest.mark.filterwarnings("ignore::kolben.legacy.KolbenLegacyWarning")


@pytest.fixture
def flaskr(tmp_path: pathlib.Path) -> cabc.Iterator[types.ModuleType]:
    """The ``flaskr012.flaskr`` module, on a database in ``tmp_path``."""
    assert not kolben.legacy.installed()
    module = importlib.import_module("flaskr012.flaskr")
    module.app.config.update(DATABASE=str(tmp_path / "flaskr.db"), TESTING=True)
    try:
        yield module
    finally:
        kolben.legacy.uninstall()
        for name in [n for n in sys.modules if n.partition(".")[0] == "flaskr012"]:
            del sys.modules[name]


def login(client: flask.testing.FlaskClient, username: str, password: str) -> str:
    response = client.post(
        "/login",
        data={"username": username, "password": password},
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def test_empty_db(flaskr: types.ModuleType) -> None:
    # The schema comes from the before_first_request function.
    response = flaskr.app.test_client().get("/")
    assert "No entries here so far" in response.get_data(as_text=True)


def test_login_logout(flaskr: types.ModuleType) -> None:
    client = flaskr.app.test_client()
    assert "You were logged in" in login(client, "admin", "default")
    assert "You were logged out" in client.get("/logout", follow_redirects=True).text
    assert "Invalid username" in login(client, "adminx", "default")
    assert "Invalid password" in login(client, "admin", "defaultx")


def test_messages(flaskr: types.ModuleType) -> None:
    client = flaskr.app.test_client()
    login(client, "admin", "default")
    page = client.post(
        "/add",
        data={"title": "<Hello>", "text": "<strong>HTML</strong> allowed here"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "No entries here so far" not in page
    assert "&lt;Hello&gt;" in page
    assert "<strong>HTML</strong> allowed here" in page
    # The flash message is Markup: its markup stays, the title is escaped.
    assert "New entry <em>&lt;Hello&gt;</em> was successfully posted" in page


def test_add_needs_login(flaskr: types.ModuleType) -> None:
    response = flaskr.app.test_client().post("/add", data={"title": "t", "text": "x"})
    assert response.status_code == 401


def test_xhr_gets_json(flaskr: types.ModuleType) -> None:
    client = flaskr.app.test_client()
    login(client, "admin", "default")
    client.post("/add", data={"title": "one", "text": "1"})
    response = client.get("/", headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.get_json() == {"entries": [{"title": "one", "text": "1"}]}


def test_export_is_an_attachment(flaskr: types.ModuleType) -> None:
    client = flaskr.app.test_client()
    login(client, "admin", "default")
    client.post("/add", data={"title": "one", "text": "1"})
    response = client.get("/export")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=flaskr-entries.json"
    )
    assert response.cache_control.max_age == 0
    assert json.loads(response.data) == [{"title": "one", "text": "1"}]


def test_initdb_command(flaskr: types.ModuleType) -> None:
    result = flaskr.app.test_cli_runner().invoke(args=["initdb"])
    assert result.output == "Initialized the database.\n"
    client = flaskr.app.test_client()
    assert "No entries here so far" in client.get("/").get_data(as_text=True)


@pytest.mark.filterwarnings("default::kolben.legacy.KolbenLegacyWarning")
def test_the_legacy_apis_warn(flaskr: types.ModuleType) -> None:
    with pytest.warns(KolbenLegacyWarning) as record:
        flaskr.app.test_client().get("/")
    messages = " ".join(str(w.message) for w in record)
    assert "flask._app_ctx_stack" in messages
    assert "request.is_xhr" in messages


def test_without_the_install_line_the_app_would_not_import() -> None:
    # Flask 3.1's answer, which kolben's flask keeps until install().
    assert not hasattr(flask, "Markup")
    assert not hasattr(flask.Flask, "before_first_request")
