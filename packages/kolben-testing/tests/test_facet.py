"""TestingAppFacet gives an app test_client, test_cli_runner, test_request_context.

This module imports ``TestingAppFacet`` on purpose: its name starts with
"Test", and pytest must not collect it (or its ``test_*`` methods) here.
"""

from __future__ import annotations

import typing as t

import click
import pytest

from kolben.contexts import has_request_context
from kolben.contexts import request
from kolben.contexts import RequestContext
from kolben.testing import FlaskClient
from kolben.testing import FlaskCliRunner
from kolben.testing import TestingAppFacet


def test_test_client_is_a_flask_client_for_the_app(app: t.Any) -> None:
    client = app.test_client()
    assert type(client) is FlaskClient
    assert client.application is app
    assert issubclass(client.response_wrapper, app.response_class)


def test_test_client_class_and_arguments(app: t.Any) -> None:
    class AuthClient(FlaskClient):
        def __init__(self, *args: t.Any, token: str, **kwargs: t.Any) -> None:
            self.token = token
            super().__init__(*args, **kwargs)

    app.test_client_class = AuthClient
    client = app.test_client(use_cookies=False, token="secret")
    assert isinstance(client, AuthClient)
    assert client.token == "secret"
    with pytest.raises(TypeError, match="Cookies are disabled"):
        client.get_cookie("session")


def test_test_client_subdomain_redirects_option(app: t.Any) -> None:
    assert app.test_client(allow_subdomain_redirects=True).allow_subdomain_redirects


def test_test_cli_runner_and_its_class(app: t.Any) -> None:
    @app.cli.command("hello")
    def hello() -> None:
        click.echo("Hello, World!")

    runner = app.test_cli_runner()
    assert type(runner) is FlaskCliRunner
    assert runner.app is app
    assert runner.invoke(args=["hello"]).output == "Hello, World!\n"

    class SubRunner(FlaskCliRunner):
        pass

    app.test_cli_runner_class = SubRunner
    assert isinstance(app.test_cli_runner(), SubRunner)


def test_test_request_context(app: t.Any) -> None:
    app.config.update(SERVER_NAME="example.com:1234", APPLICATION_ROOT="/foo")
    ctx = app.test_request_context("/bar?x=1", method="POST", data={"a": "b"})
    assert isinstance(ctx, RequestContext)
    assert ctx.app is app
    assert ctx.request.url == "http://example.com:1234/foo/bar?x=1"
    assert not has_request_context()
    with ctx:
        assert request.form["a"] == "b"
        assert request.method == "POST"


def test_test_request_context_url_scheme_and_subdomain(app: t.Any) -> None:
    assert app.test_request_context(url_scheme="https").request.url == (
        "https://localhost/"
    )
    app.config["SERVER_NAME"] = "example.com"
    ctx = app.test_request_context("/", subdomain="xxx")
    assert ctx.request.url == "http://xxx.example.com/"


def test_facet_is_stateless_and_defaults_to_none() -> None:
    assert TestingAppFacet.test_client_class is None
    assert TestingAppFacet.test_cli_runner_class is None
    assert "__init__" not in vars(TestingAppFacet)
