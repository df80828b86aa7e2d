"""``flask.Request`` and ``flask.Response``."""

from __future__ import annotations

import warnings

from werkzeug.test import EnvironBuilder

import flask


def test_request_limits_follow_the_app_then_overrides(app: flask.Flask) -> None:
    app.config.update(MAX_CONTENT_LENGTH=10, MAX_FORM_MEMORY_SIZE=20, MAX_FORM_PARTS=3)
    request = flask.Request(EnvironBuilder().get_environ())
    assert (request.max_content_length, request.max_form_parts) == (None, 1000)
    with app.app_context():
        assert request.max_content_length == 10
        assert request.max_form_memory_size == 20
        assert request.max_form_parts == 3
        request.max_content_length = 99
        assert request.max_content_length == 99


def test_request_limit_overrides_are_per_request_and_reset_by_none(
    app: flask.Flask,
) -> None:
    class CustomRequest(flask.Request):
        pass

    app.config["MAX_FORM_PARTS"] = 7
    first = CustomRequest(EnvironBuilder().get_environ())
    second = CustomRequest(EnvironBuilder().get_environ())
    # Outside an app a subclass still falls back to werkzeug's own default.
    assert first.max_form_parts == 1000
    with app.app_context():
        first.max_form_parts = 2
        assert (first.max_form_parts, second.max_form_parts) == (2, 7)
        first.max_form_parts = None
        assert first.max_form_parts == 7


def test_request_knows_its_endpoint_and_blueprints(
    app: flask.Flask, client: flask.testing.FlaskClient
) -> None:
    outer = flask.Blueprint("outer", __name__)
    inner = flask.Blueprint("inner", __name__)

    @inner.get("/<int:n>")
    def show(n: int) -> str:
        r = flask.request
        return f"{r.endpoint} {r.blueprint} {r.blueprints} {r.view_args}"

    outer.register_blueprint(inner, url_prefix="/inner")
    app.register_blueprint(outer, url_prefix="/outer")
    assert client.get("/outer/inner/3").text == (
        "outer.inner.show outer.inner ['outer.inner', 'outer'] {'n': 3}"
    )
    with app.test_request_context("/missing"):
        request = flask.request
        assert request.endpoint is None
        assert request.blueprints == []
        assert request.routing_exception is not None


def test_response_defaults(app: flask.Flask) -> None:
    response = flask.Response("hi")
    assert response.mimetype == "text/html"
    assert response.max_cookie_size == 4093
    app.config["MAX_COOKIE_SIZE"] = 10
    with app.app_context():
        assert response.max_cookie_size == 10
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            response.set_cookie("big", "x" * 50)
        assert "cookie is too large" in str(caught[0].message)


def test_relative_redirects_stay_relative(req_ctx: flask.ctx.RequestContext) -> None:
    response = flask.redirect("/next")
    assert response.headers["Location"] == "/next"
