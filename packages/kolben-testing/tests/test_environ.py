"""EnvironBuilder addresses requests to where the app is configured to be served."""

from __future__ import annotations

import json
import typing as t

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.wrappers import Request

from kolben.testing import EnvironBuilder


def built_request(app: t.Any, *args: t.Any, **kwargs: t.Any) -> Request:
    builder = EnvironBuilder(app, *args, **kwargs)
    try:
        return builder.get_request()
    finally:
        builder.close()


def test_defaults_to_localhost_over_http(app: t.Any) -> None:
    request = built_request(app)
    assert request.url == "http://localhost/"
    assert request.script_root == ""


def test_config_sets_host_root_and_scheme(app: t.Any) -> None:
    app.config.update(
        SERVER_NAME="example.com:1234",
        APPLICATION_ROOT="/foo",
        PREFERRED_URL_SCHEME="https",
    )
    request = built_request(app, "/bar?x=1")
    assert request.url == "https://example.com:1234/foo/bar?x=1"
    assert request.script_root == "/foo"
    assert request.path == "/bar"
    assert request.args["x"] == "1"


def test_url_scheme_overrides_preferred_scheme(app: t.Any) -> None:
    app.config["PREFERRED_URL_SCHEME"] = "https"
    assert built_request(app, url_scheme="http").url == "http://localhost/"


def test_subdomain_is_prefixed_to_server_name(app: t.Any) -> None:
    assert built_request(app, subdomain="api").host == "api.localhost"
    app.config.update(SERVER_NAME="example.com:1234", APPLICATION_ROOT="/foo")
    request = built_request(app, "/", subdomain="xxx")
    assert request.url == "http://xxx.example.com:1234/foo/"


def test_full_url_path_names_scheme_and_host(app: t.Any) -> None:
    builder = EnvironBuilder(app, "https://example.com/")
    assert builder.url_scheme == "https"
    assert builder.host == "example.com"
    assert builder.script_root == ""
    assert builder.path == "/"
    builder.close()


def test_full_url_keeps_query_and_application_root(app: t.Any) -> None:
    app.config.update(SERVER_NAME="example.org", APPLICATION_ROOT="/app")
    request = built_request(app, "http://domain.com/action?vodka=42")
    assert request.url == "http://domain.com/app/action?vodka=42"
    assert request.args["vodka"] == "42"


def test_base_url_wins_over_config(app: t.Any) -> None:
    app.config["SERVER_NAME"] = "example.com"
    request = built_request(app, "/x", base_url="https://other.test/root/")
    assert request.url == "https://other.test/root/x"


@pytest.mark.parametrize("extra", [{"subdomain": "api"}, {"url_scheme": "https"}])
def test_base_url_cannot_be_combined_with_subdomain_or_scheme(
    app: t.Any, extra: dict[str, str]
) -> None:
    with pytest.raises(AssertionError, match="Cannot pass"):
        EnvironBuilder(app, "/", base_url="http://example.com/", **extra)


def test_json_body_uses_the_apps_provider(app: t.Any) -> None:
    app.json.ensure_ascii = False
    builder = EnvironBuilder(app, json="\u20ac")
    assert builder.input_stream is not None
    assert builder.input_stream.read().decode("utf8") == '"\u20ac"'
    assert builder.content_type == "application/json"
    builder.close()

    app.json.ensure_ascii = True
    request = built_request(app, json={"price": "\u20ac"})
    assert request.get_data(as_text=True) == '{"price": "\\u20ac"}'


def test_werkzeug_arguments_pass_through(app: t.Any) -> None:
    request = built_request(
        app,
        "/form",
        method="POST",
        data={"a": "1"},
        headers={"X-Test": "yes"},
        environ_overrides={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert request.method == "POST"
    assert request.form["a"] == "1"
    assert request.headers["X-Test"] == "yes"
    assert request.remote_addr == "10.0.0.1"


def test_plain_wsgi_app_gets_werkzeug_defaults(wsgi_app: t.Any) -> None:
    request = built_request(wsgi_app, "/p", json={"n": "\u20ac"})
    assert request.url == "http://localhost/p"
    assert request.get_json() == {"n": "\u20ac"}
    assert request.get_data(as_text=True) == json.dumps({"n": "\u20ac"})


labels = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
segments = st.lists(labels, max_size=3)


@given(
    server=st.lists(labels, min_size=1, max_size=3),
    port=st.none() | st.integers(1, 65535),
    subdomain=st.none() | labels,
    root=segments,
    path=segments,
    scheme=st.sampled_from(["http", "https"]),
)
def test_url_is_scheme_host_root_and_path(
    make_app: t.Any,
    server: list[str],
    port: int | None,
    subdomain: str | None,
    root: list[str],
    path: list[str],
    scheme: str,
) -> None:
    app = make_app()
    server_name = ".".join(server) + ("" if port is None else f":{port}")
    app.config.update(
        SERVER_NAME=server_name,
        APPLICATION_ROOT="/" + "/".join(root),
        PREFERRED_URL_SCHEME=scheme,
    )
    host = server_name if subdomain is None else f"{subdomain}.{server_name}"
    root_path = "".join(f"/{s}" for s in root)
    path_info = "/" + "/".join(path)

    request = built_request(app, path_info, subdomain=subdomain)

    assert request.url == f"{scheme}://{host}{root_path}{path_info}"
    assert request.script_root == root_path
    assert request.path == path_info
