"""Helpers for views: flashing, files, abort, redirect, make_response."""

from __future__ import annotations

import io
import pathlib

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound
from werkzeug.exceptions import Unauthorized

import flask


def test_flashed_messages_survive_one_redirect(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    sent: list[tuple[str, str]] = []

    def record(sender: flask.Flask, message: str, category: str) -> None:
        sent.append((category, message))

    @app.post("/")
    def save() -> str:
        flask.flash("saved")
        flask.flash("slow", "warning")
        return "ok"

    @app.get("/")
    def show() -> str:
        first = flask.get_flashed_messages(with_categories=True)
        again = flask.get_flashed_messages(category_filter=["warning"])
        return f"{first} {again}"

    with flask.message_flashed.connected_to(record, app):
        client.post("/")
    assert sent == [("message", "saved"), ("warning", "slow")]
    assert (
        client.get("/").text == "[('message', 'saved'), ('warning', 'slow')] ['slow']"
    )
    assert client.get("/").text == "[] []"


def test_send_file_and_send_from_directory(
    app: flask.Flask, tmp_path: pathlib.Path
) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("A" * 10)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 5

    @app.get("/file")
    def file() -> flask.Response:
        return flask.send_file("files/a.txt")

    @app.get("/files/<path:name>")
    def files(name: str) -> flask.Response:
        return flask.send_from_directory("files", name, as_attachment=True)

    @app.get("/stream")
    def stream() -> flask.Response:
        return flask.send_file(io.BytesIO(b"data"), mimetype="text/plain")

    client = app.test_client()
    response = client.get("/file", headers={"Range": "bytes=2-4"})
    assert (response.status_code, response.data) == (206, b"AAA")
    assert response.cache_control.max_age == 5
    response.close()
    response = client.get("/files/a.txt")
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert client.get("/files/../files/a.txt").status_code == 404
    assert client.get("/stream").data == b"data"


def test_abort_and_redirect_outside_an_app() -> None:
    with pytest.raises(Unauthorized):
        flask.abort(401)
    response = flask.redirect("/elsewhere", 307)
    assert (response.status_code, response.location) == (307, "/elsewhere")


def test_abort_and_redirect_go_through_the_app(app: flask.Flask) -> None:
    class Teapot(HTTPException):
        code = 418

    app.aborter.mapping[418] = Teapot
    with app.app_context():
        with pytest.raises(Teapot):
            flask.abort(418)
        assert isinstance(flask.redirect("/x"), flask.Response)


def test_make_response_helper(req_ctx: flask.ctx.RequestContext) -> None:
    assert flask.make_response().status_code == 200
    response = flask.make_response("gone", 410, {"X-Why": "moved"})
    assert (response.status_code, response.headers["X-Why"]) == (410, "moved")
    assert flask.make_response(NotFound()).status_code == 404


def test_url_for_builds_through_the_app(app: flask.Flask) -> None:
    @app.get("/user/<name>")
    def user(name: str) -> str:
        return name

    with app.test_request_context():
        assert flask.url_for("user", name="ada", _anchor="top") == "/user/ada#top"
    app.config["SERVER_NAME"] = "example.test"
    with app.app_context():
        assert flask.url_for("user", name="ada") == "http://example.test/user/ada"
