"""The test client: requests, cookies, redirects, JSON, and kept contexts."""

from __future__ import annotations

import importlib.metadata
import json
import typing as t
from decimal import Decimal

import pytest
import werkzeug.test
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder as WerkzeugEnvironBuilder
from werkzeug.test import TestResponse
from werkzeug.utils import redirect
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.contexts import _cv_request
from kolben.contexts import g
from kolben.contexts import has_request_context
from kolben.contexts import request
from kolben.contexts import stream_with_context
from kolben.testing import EnvironBuilder
from kolben.testing import FlaskClient

WERKZEUG_AGENT = f"Werkzeug/{importlib.metadata.version('werkzeug')}"


# --- any WSGI app ----------------------------------------------------------


def test_environ_base_defaults(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    seen = client.get("/environ").json
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert seen["HTTP_USER_AGENT"] == WERKZEUG_AGENT


def test_environ_base_can_be_changed_and_overridden(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    client.environ_base["REMOTE_ADDR"] = "192.168.0.22"
    client.environ_base["HTTP_USER_AGENT"] = "Foo"
    assert client.get("/environ").json["REMOTE_ADDR"] == "192.168.0.22"
    assert client.get("/environ").json["HTTP_USER_AGENT"] == "Foo"

    rv = client.get("/environ", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert rv.json["REMOTE_ADDR"] == "10.1.1.1"
    assert rv.json["HTTP_USER_AGENT"] == "Foo"
    rv = client.get("/environ", headers={"User-Agent": "Bar"})
    assert rv.json["HTTP_USER_AGENT"] == "Bar"


def test_repeated_requests_follow_changes_and_are_independent(app: t.Any) -> None:
    seen: list[t.Any] = []

    @app.route("/url")
    def url() -> str:
        seen.append(request._get_current_object())  # type: ignore[attr-defined]
        request.environ["changed.by.app"] = True
        return f"{request.url} {request.remote_addr}"

    client = app.test_client()
    first = client.get("/url")
    again = client.get("/url")
    assert first.text == again.text == "http://localhost/url 127.0.0.1"
    # Each request has its own environ and body stream, as if built anew.
    assert first.request.environ is not again.request.environ
    assert first.request.input_stream is not again.request.input_stream
    assert "changed.by.app" not in again.request.environ
    assert again.request.environ["werkzeug.request"] is again.request
    assert seen[0] is not seen[1]

    client.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert client.get("/url").text == "http://localhost/url 10.0.0.9"
    app.config.update(SERVER_NAME="example.com", APPLICATION_ROOT="/root")
    assert client.get("/url").text == "http://example.com/root/url 10.0.0.9"
    assert client.post("/url").request.method == "POST"


def test_cookies_are_kept_and_redirects_followed(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    rv = client.get("/login?name=ada", follow_redirects=True)
    assert rv.text == "home of ada"
    assert [r.status_code for r in rv.history] == [302]
    assert rv.request.path == "/home"
    assert client.get("/home").text == "home of ada"
    assert client.get_cookie("user") is not None


@pytest.mark.parametrize("client_class", [werkzeug.test.Client, FlaskClient])
def test_cookie_header_and_scope_as_werkzeug_client(client_class: type) -> None:
    # The client skips working out the URL when no cookie is stored: the
    # Cookie header it sends must still be exactly werkzeug's, on both sides
    # of the first Set-Cookie.
    @Request.application
    def app(request: Request) -> Response:
        response = Response(request.headers.get("Cookie", "-"))
        if "set" in request.args:
            response.set_cookie("scoped", "1", path="/admin")
            response.set_cookie("site", "2")
        return response

    client = client_class(app)
    assert client.get("/", headers={"Cookie": "forged=1"}).text == "-"
    assert client.get("/?set").text == "-"
    assert client.get("/").text == "site=2"
    assert client.get("/admin/x").text == "scoped=1; site=2"
    assert client.get("/", base_url="http://other.test/").text == "-"


def test_cookies_can_be_disabled(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app, use_cookies=False)
    assert client.get("/login?name=ada", follow_redirects=True).text == "home of nobody"


def test_redirect_keeps_environ_base(wsgi_app: t.Any) -> None:
    @Request.application
    def bounce(req: Request) -> t.Any:
        if req.path == "/start":
            return redirect("/environ")
        return wsgi_app

    client = FlaskClient(bounce)
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    rv = client.get("/start", follow_redirects=True)
    assert rv.json["REMOTE_ADDR"] == "10.9.9.9"


def test_json_round_trip(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    data = {"drink": {"gin": 1, "tonic": True}, "price": 10}
    rv = client.post("/echo", json=data)
    assert rv.request.is_json
    assert rv.is_json
    assert rv.json == data


@settings(max_examples=50)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=10,
    ).filter(lambda value: value is not None)
)
def test_any_json_value_round_trips(wsgi_app: t.Any, data: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    assert client.post("/echo", json=data).json == data


def test_prepared_builder_environ_and_request(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    builder = WerkzeugEnvironBuilder(path="/environ")
    assert client.open(builder).json["REMOTE_ADDR"] == "127.0.0.1"
    # The client's environ_base does not leak into the caller's builder.
    environ = builder.get_environ()
    builder.close()
    assert "REMOTE_ADDR" not in environ

    client.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert client.open(environ).json["REMOTE_ADDR"] == "127.0.0.2"
    # Values in the prepared request win over environ_base.
    environ["REMOTE_ADDR"] = "127.0.0.3"
    assert client.get(environ).json["REMOTE_ADDR"] == "127.0.0.3"

    prepared = Request(WerkzeugEnvironBuilder(path="/environ").get_environ())
    assert client.open(prepared).json["REMOTE_ADDR"] == "127.0.0.2"
    assert "REMOTE_ADDR" not in prepared.environ


def test_prepared_request_rejects_request_arguments(wsgi_app: t.Any) -> None:
    client = FlaskClient(wsgi_app)
    environ = WerkzeugEnvironBuilder(path="/environ").get_environ()
    with pytest.raises(TypeError, match="query_string"):
        client.open(environ, query_string="a=1")


# --- an app with config, JSON provider, response class and contexts ----------


def test_requests_go_to_the_configured_server(app: t.Any) -> None:
    app.config.update(SERVER_NAME="example.com:1234", APPLICATION_ROOT="/foo")

    @app.route("/url")
    def url() -> str:
        return request.url

    client = app.test_client()
    assert client.get("/url").text == "http://example.com:1234/foo/url"
    assert client.get("/url", url_scheme="https").text == (
        "https://example.com:1234/foo/url"
    )


def test_subdomain_argument(make_app: t.Any) -> None:
    app = make_app()
    app.config["SERVER_NAME"] = "example.com"

    @app.route("/", subdomain="<company>")
    def company(company: str) -> str:
        return company

    assert app.test_client().get("/", subdomain="xxx").text == "xxx"


def test_full_url_request(app: t.Any, client: t.Any) -> None:
    @app.route("/action", methods=["POST"])
    def action() -> str:
        return f"{request.host} {request.form['gin']} {request.args['vodka']}"

    rv = client.post("http://domain.com/action?vodka=42", data={"gin": 43})
    assert rv.text == "domain.com 43 42"


def test_open_accepts_the_apps_builder(app: t.Any, client: t.Any) -> None:
    @app.route("/index")
    def index2() -> str:
        return t.cast(str, request.remote_addr)

    builder = EnvironBuilder(app, path="/index", method="GET")
    try:
        assert client.open(builder).text == "127.0.0.1"
    finally:
        builder.close()


def test_responses_use_the_app_response_class_and_json(app: t.Any) -> None:
    class Loads:
        def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
            return json.dumps(obj, **kwargs)

        def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
            return json.loads(s, parse_float=Decimal, **kwargs)

    app.json = Loads()

    @app.route("/price")
    def price() -> dict[str, float]:
        return {"price": 1.1}

    rv = app.test_client().get("/price")
    assert isinstance(rv, app.response_class)
    assert isinstance(rv, TestResponse)
    assert rv.json == {"price": Decimal("1.1")}


def test_without_with_block_contexts_are_popped(app: t.Any, client: t.Any) -> None:
    rv = client.get("/")
    assert rv.text == "index"
    assert not has_request_context()
    assert app.teardowns == [None]


def test_with_block_keeps_last_request_context(app: t.Any, client: t.Any) -> None:
    @app.route("/remember")
    def remember() -> str:
        g.value = request.args["v"]
        return "ok"

    with client:
        client.get("/remember?v=1")
        assert request.args["v"] == "1"
        assert g.value == "1"
        client.get("/remember?v=2")
        # The previous request's contexts were replaced, not stacked.
        assert g.value == "2"
        assert request.args["v"] == "2"
        first = app.teardowns[:]
    assert not has_request_context()
    with pytest.raises(RuntimeError):
        g.value  # noqa: B018
    # The app popped each context once; the client's pops end each kept one.
    assert len(first) == 3
    assert len(app.teardowns) == 4


def test_with_block_works_with_errors(app: t.Any, client: t.Any) -> None:
    @app.route("/fail")
    def fail() -> str:
        g.reached = True
        raise ZeroDivisionError

    with client:
        rv = client.get("/fail")
        assert rv.status_code == 500
        assert g.reached is True
        assert isinstance(app.teardowns[-1], ZeroDivisionError)

    app.config["PROPAGATE_EXCEPTIONS"] = True
    with client, pytest.raises(ZeroDivisionError):
        client.get("/fail")
    assert not has_request_context()


def test_with_block_keeps_only_the_last_redirect_context(
    app: t.Any, client: t.Any
) -> None:
    @app.route("/old")
    def old() -> t.Any:
        return redirect("/new")

    @app.route("/new")
    def new() -> str:
        return "new"

    with client:
        rv = client.get("/old", follow_redirects=True)
        assert rv.text == "new"
        assert request.path == "/new"
    assert not has_request_context()
    # /old ended once (in the app), /new twice (in the app, then at the end of
    # the block): the redirect's context was not kept.
    assert len(app.teardowns) == 3


def test_client_cannot_be_nested(client: t.Any) -> None:
    with client:
        with pytest.raises(RuntimeError, match="Cannot nest client invocations"):
            with client:
                pass  # pragma: no cover


def test_client_can_be_reused(client: t.Any) -> None:
    with client:
        assert client.get("/missing").status_code == 404
    with client:
        assert client.get("/missing").status_code == 404
    assert not has_request_context()


def test_with_block_inside_existing_contexts(
    app: t.Any, client: t.Any, req_ctx: t.Any
) -> None:
    @app.route("/url")
    def url() -> str:
        return request.url

    with client:
        assert client.get("/url").text == "http://localhost/url"
        assert request.path == "/url"
    assert _cv_request.get() is req_ctx


def test_with_block_releases_all_preserved_contexts(
    app: t.Any, client: t.Any, req_ctx: t.Any
) -> None:
    @app.route("/stream")
    def stream() -> t.Any:
        # stream_with_context pushes the request context once more; the
        # response holds that push until it is closed.
        return app.response_class(stream_with_context(iter(["hel", "lo"])))

    with client:
        rv = client.get("/stream")
    rv.close()
    assert _cv_request.get(None) is req_ctx
