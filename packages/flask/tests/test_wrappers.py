"""``flask.Request`` and ``flask.Response``."""

from __future__ import annotations

import typing as t
import warnings

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import Headers
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import Forbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase

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


# -- the buffered fast path of Response.get_wsgi_response --------------------

_statuses = st.sampled_from([200, 201, 204, 301, 302, 304, 404, 500, 101, 418])
_header_names = st.sampled_from(
    ["X-Thing", "Location", "Content-Location", "Content-Length", "Vary", "ETag"]
)
_header_values = st.sampled_from(["/a", "/ä/b", "x", "5", "http://h/ü", "0"])
_bodies = st.one_of(
    st.text(max_size=20),
    st.binary(max_size=20),
    st.lists(st.one_of(st.binary(max_size=5), st.text(max_size=5)), max_size=3),
)


def _werkzeug_output(
    response: flask.Response, environ: dict[str, t.Any]
) -> tuple[list[bytes], str, list[tuple[str, str]]]:
    app_iter, status, headers = ResponseBase.get_wsgi_response(response, environ)
    return list(app_iter), status, headers


@settings(max_examples=300, deadline=None)
@given(
    body=_bodies,
    status=_statuses,
    headers=st.lists(st.tuples(_header_names, _header_values), max_size=3),
    method=st.sampled_from(["GET", "HEAD", "POST"]),
    drop_length=st.booleans(),
)
def test_wsgi_response_is_werkzeugs(
    body: t.Any,
    status: int,
    headers: list[tuple[str, str]],
    method: str,
    drop_length: bool,
) -> None:
    """Whatever the response, the server gets exactly what werkzeug's own
    ``get_wsgi_response`` gives: same body, status and header list.
    """
    environ = EnvironBuilder(method=method).get_environ()

    def make() -> flask.Response:
        response = flask.Response(status=status, headers=headers)
        if isinstance(body, list):
            response.response = list(body)
        else:
            response.set_data(body)
        if drop_length:
            del response.headers["Content-Length"]
        return response

    app_iter, status_line, header_list = make().get_wsgi_response(environ)
    assert (list(app_iter), status_line, header_list) == _werkzeug_output(
        make(), environ
    )


def test_wsgi_response_body_close_closes_the_response() -> None:
    """Closing what the server got runs the response's close callbacks."""
    closed: list[bool] = []
    response = flask.Response("hello")
    response.call_on_close(lambda: closed.append(True))
    app_iter, _, _ = response.get_wsgi_response(EnvironBuilder().get_environ())
    assert list(app_iter) == [b"hello"]
    app_iter.close()  # type: ignore[attr-defined]
    assert closed == [True]


def test_wsgi_response_honours_overridden_steps() -> None:
    """A subclass customising werkzeug's steps is used, not bypassed."""

    class Tagged(flask.Response):
        def get_wsgi_headers(self, environ: t.Any) -> Headers:
            headers = super().get_wsgi_headers(environ)
            headers["X-Tagged"] = "yes"
            return headers

    _, _, header_list = Tagged("hi").get_wsgi_response(EnvironBuilder().get_environ())
    assert ("X-Tagged", "yes") in header_list


def test_default_content_type_follows_the_response_class(app: flask.Flask) -> None:
    """A view's text gets the response class's default mimetype; a class that
    builds its own content type is left to do so.
    """

    class Plain(flask.Response):
        default_mimetype = "text/plain"

    class Custom(flask.Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["Content-Type"] = "application/x-custom"

    with app.test_request_context():
        app.response_class = Plain
        assert app.make_response("x").content_type == "text/plain; charset=utf-8"
        assert app.make_response(("x", {"Content-Type": "a/b"})).content_type == "a/b"
        app.response_class = Custom
        assert app.make_response("x").content_type == "application/x-custom"


def test_http_exception_becomes_the_response_werkzeug_renders(
    app: flask.Flask,
) -> None:
    """An unhandled HTTP error is answered with werkzeug's page for it, as a
    response of the app's class, its headers intact.
    """
    with app.test_request_context():
        response = app.make_response(MethodNotAllowed(["GET", "POST"]))
        expected = MethodNotAllowed(["GET", "POST"]).get_response()
    assert type(response) is app.response_class
    assert response.status_code == 405
    assert response.get_data() == expected.get_data()
    assert response.headers["Allow"] == "GET, POST"
    assert response.content_type == expected.content_type


def _wsgi_parts(response: ResponseBase) -> tuple[str, list[tuple[str, str]], bytes]:
    environ = EnvironBuilder().get_environ()
    body, status, headers = response.get_wsgi_response(environ)
    return status, headers, b"".join(body)


@pytest.mark.parametrize(
    "error",
    [
        NotFound(),
        NotFound("Line one\nline <two> & three"),
        BadRequest(),
        Forbidden("x"),
        InternalServerError(None),
    ],
    ids=repr,
)
def test_error_page_is_byte_for_byte_werkzeugs(
    app: flask.Flask, error: HTTPException
) -> None:
    """An unhandled HTTP error's response (its page rendered once and reused)
    is exactly werkzeug's: status, headers and body, on every request.
    """
    expected = _wsgi_parts(error.get_response())
    with app.test_request_context():
        for _ in range(2):
            assert _wsgi_parts(app.make_response(error)) == expected


def test_error_page_follows_the_name_description_and_class(
    app: flask.Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reused page changes with what it is rendered from: the status name
    werkzeug's table gives, the description, and a class rendering its own.
    """

    class Teapot(HTTPException):
        code = 418

    class OwnPage(NotFound):
        def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
            return "own page"

    with app.test_request_context():
        assert b"I&#39;m a teapot" in app.make_response(Teapot()).get_data()
        monkeypatch.setitem(HTTP_STATUS_CODES, 418, "Short & Stout")
        page = app.make_response(Teapot()).get_data()
        assert b"<h1>Short &amp; Stout</h1>" in page
        assert b"gone" in app.make_response(NotFound("gone")).get_data()
        assert b"moved" in app.make_response(NotFound("moved")).get_data()
        assert app.make_response(OwnPage()).get_data() == b"own page"
        kept = flask.Response("kept", 404)
        assert app.make_response(NotFound(response=kept)).get_data() == b"kept"


def test_default_content_type_follows_a_changed_default_mimetype(
    app: flask.Flask,
) -> None:
    """Changing the class's ``default_mimetype`` later takes effect."""

    class Changing(flask.Response):
        pass

    app.response_class = Changing
    with app.test_request_context():
        assert app.make_response("x").mimetype == "text/html"
        Changing.default_mimetype = "text/plain"
        assert app.make_response("x").mimetype == "text/plain"


_cookie_keys = st.sampled_from(
    [
        "HTTP_COOKIE",
        "HTTP_cookie",
        "HTTP_Cookie",
        "HTTP_cOoKiE",
        "HTTP_COOKIES",
        "HTTP_COOKI",
        "COOKIE",
        "HTTP_X",
    ]
)
_cookie_values = st.text(
    alphabet=st.sampled_from('ab=;, "\\ü%2'), max_size=12
) | st.sampled_from(["a=1; b=2", 'q="x y"; a=3', "a=1;a=2", ""])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_cookie_keys, _cookie_values, max_size=4))
def test_cookies_are_werkzeugs(extra: dict[str, str]) -> None:
    """``request.cookies`` parses exactly the headers werkzeug's does."""
    environ = EnvironBuilder().get_environ()
    environ.update(extra)
    ours = flask.Request(environ).cookies
    theirs = RequestBase(environ).cookies
    assert list(ours.items(multi=True)) == list(theirs.items(multi=True))
    assert type(ours) is type(theirs)


def test_each_request_has_its_own_cookies_to_change() -> None:
    """Requests sending one Cookie header get cookies no request can change
    for another: immutable ones, or with a mutable storage class, a mapping
    of their own."""
    environ = EnvironBuilder(headers={"Cookie": "a=1; b=2"}).get_environ()
    first = flask.Request(environ).cookies
    with pytest.raises(TypeError):
        first["a"] = "changed"  # type: ignore[index]
    assert flask.Request(dict(environ)).cookies.to_dict() == {"a": "1", "b": "2"}
    assert flask.Request({**environ, "HTTP_COOKIE": "a=2"}).cookies["a"] == "2"

    class Mutable(flask.Request):
        dict_storage_class = MultiDict  # type: ignore[assignment]

    mine, theirs = Mutable(environ).cookies, Mutable(dict(environ)).cookies
    mine["c"] = "3"  # type: ignore[index]
    assert "c" not in theirs
    assert flask.Request(environ).cookies.to_dict() == {"a": "1", "b": "2"}


def _layout(response: ResponseBase) -> dict[str, t.Any]:
    attrs = dict(vars(response))
    attrs["headers"] = list(response.headers)
    return attrs


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20) | st.binary(max_size=20))
def test_made_response_is_the_one_the_constructor_builds(body: str | bytes) -> None:
    """A view's string or bytes (reusing a prepared response) becomes the
    response its class's constructor would build, attribute for attribute,
    and no two responses share their headers, body or close callbacks.
    """
    app = flask.Flask(__name__)
    with app.test_request_context():
        first = app.make_response(body)
        second = app.make_response(body)
    assert _layout(first) == _layout(flask.Response(body))
    first.headers["X-Only"] = "first"
    first.call_on_close(lambda: None)
    first.set_data(b"changed")
    assert _layout(second) == _layout(flask.Response(body))


def test_made_response_follows_its_class_settings(app: flask.Flask) -> None:
    """Class settings changed after responses were made apply to the next
    one: the default status, automatic Content-Length, a class building its
    own responses, and the JSON response's class.
    """

    class Custom(flask.Response):
        pass

    app.response_class = Custom
    with app.test_request_context():
        assert app.make_response("x").status == "200 OK"
        assert app.json.response({"a": 1}).headers["Content-Length"] == "8"
        Custom.default_status = 201
        assert app.make_response("x").status == "201 CREATED"
        Custom.automatically_set_content_length = False
        assert "Content-Length" not in app.make_response("x").headers
        assert "Content-Length" not in app.json.response({"a": 1}).headers
        Custom.default_mimetype = "text/plain"
        assert app.make_response("x").content_type == "text/plain; charset=utf-8"
        Custom.default_mimetype = None
        assert "Content-Type" not in app.make_response("x").headers
        assert app.make_response("x").get_data() == b"x"

        def init(self: Custom, *args: t.Any, **kwargs: t.Any) -> None:
            flask.Response.__init__(self, *args, **kwargs)
            self.headers["X-Built"] = "yes"

        Custom.__init__ = init  # type: ignore[method-assign]
        assert app.make_response("x").headers["X-Built"] == "yes"
        assert app.json.response([1]).headers["X-Built"] == "yes"


def test_uploaded_files_are_closed_when_the_request_ends(
    app: flask.Flask,
) -> None:
    """The files of a parsed form are closed once the request is over; a
    request that parsed none closes without error.
    """
    import io

    seen: list[t.Any] = []

    @app.post("/upload")
    def upload() -> str:
        seen.extend(flask.request.files.getlist("f"))
        return "ok"

    @app.post("/plain")
    def plain() -> str:
        return str(len(flask.request.form))

    client = app.test_client()
    data = {"f": [(io.BytesIO(b"a"), "a.txt"), (io.BytesIO(b"b"), "b.txt")]}
    assert client.post("/upload", data=data).text == "ok"
    assert len(seen) == 2
    assert all(upload.closed for upload in seen)
    assert client.post("/plain", data={"x": "1"}).text == "1"


def test_response_class_with_its_own_new_is_constructed(app: flask.Flask) -> None:
    """A response class that creates its instances itself gets them
    created through it, with the constructor's arguments.
    """
    made: list[tuple[t.Any, ...]] = []

    class Counted(flask.Response):
        def __new__(cls, *args: t.Any, **kwargs: t.Any) -> Counted:
            made.append(args)
            return super().__new__(cls)

    app.response_class = Counted
    with app.test_request_context():
        response = app.make_response("x")
    assert type(response) is Counted
    assert made[-1] == ("x",)
    assert response.get_data() == b"x"
