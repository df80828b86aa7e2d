"""The built-in commands: ``routes`` output, ``run`` options, ``shell``."""

from __future__ import annotations

import code
import os
import ssl
import sys
import types
import typing as t
from functools import partial

import click
import pytest
import werkzeug.serving
from click.testing import CliRunner

from kolben.cli import FlaskGroup
from kolben.cli import run_command
from kolben.cli import show_server_banner
from kolben.contexts import _cv_app
from kolben.contexts import g

# -- routes -------------------------------------------------------------------


@pytest.fixture
def routed(app: t.Any) -> t.Any:
    app.add_url_rule("/zzz_post", methods=["POST"], endpoint="aaa_post")
    app.add_url_rule("/static/<path:filename>", methods=["GET"], endpoint="static")
    app.add_url_rule(
        "/get_post/<int:x>/<int:y>", methods=["GET", "POST"], endpoint="yyy_get_post"
    )
    return app


@pytest.fixture
def invoke(routed: t.Any, runner: CliRunner) -> t.Callable[..., t.Any]:
    return partial(runner.invoke, FlaskGroup(create_app=lambda: routed))


def endpoints(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines()[2:]]


def test_routes_output(invoke: t.Callable[..., t.Any]) -> None:
    result = invoke(["routes"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Endpoint      Methods    Rule",
        "------------  ---------  -------------------------",
        "aaa_post      POST       /zzz_post                ",
        "static        GET        /static/<path:filename>  ",
        "yyy_get_post  GET, POST  /get_post/<int:x>/<int:y>",
    ]


def test_routes_all_methods(invoke: t.Callable[..., t.Any]) -> None:
    assert "GET, HEAD, POST" not in invoke(["routes"]).output
    lines = invoke(["routes", "--all-methods"]).output.splitlines()
    assert lines[0] == "Endpoint      Methods          Rule"
    assert lines[4] == "yyy_get_post  GET, HEAD, POST  /get_post/<int:x>/<int:y>"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["aaa_post", "static", "yyy_get_post"]),
        (["-s", "endpoint"], ["aaa_post", "static", "yyy_get_post"]),
        (["--sort", "methods"], ["static", "yyy_get_post", "aaa_post"]),
        (["-s", "rule"], ["yyy_get_post", "static", "aaa_post"]),
        (["-s", "match"], ["aaa_post", "static", "yyy_get_post"]),
    ],
)
def test_routes_sort(
    invoke: t.Callable[..., t.Any], args: list[str], expected: list[str]
) -> None:
    assert endpoints(invoke(["routes", *args]).output) == expected


def test_routes_sort_by_match_order(
    routed: t.Any, invoke: t.Callable[..., t.Any]
) -> None:
    routed.add_url_rule("/a", endpoint="b_first")
    routed.add_url_rule("/<path:rest>", endpoint="a_last")
    order = [rule.endpoint for rule in routed.url_map.iter_rules()]
    assert endpoints(invoke(["routes", "-s", "match"]).output) == order


def test_routes_rejects_unknown_sort(invoke: t.Callable[..., t.Any]) -> None:
    result = invoke(["routes", "-s", "size"])
    assert result.exit_code == 2
    assert "'size' is not one of" in result.output


def test_no_routes(app: t.Any, runner: CliRunner) -> None:
    result = runner.invoke(FlaskGroup(create_app=lambda: app), ["routes"])
    assert result.exit_code == 0
    assert result.output == "No routes were registered.\n"


def test_routes_subdomain_column(app: t.Any, runner: CliRunner) -> None:
    app.add_url_rule("/b", subdomain="beta", endpoint="b")
    app.add_url_rule("/a", subdomain="a", endpoint="a")
    app.add_url_rule("/", endpoint="root")
    cli = FlaskGroup(create_app=lambda: app)
    assert runner.invoke(cli, ["routes"]).output.splitlines() == [
        "Endpoint  Methods  Subdomain  Rule",
        "--------  -------  ---------  ----",
        "a                  a          /a  ",
        "b                  beta       /b  ",
        "root                          /   ",
    ]
    output = runner.invoke(cli, ["routes", "-s", "domain"]).output
    assert endpoints(output) == ["root", "a", "b"]


def test_routes_host_column(app_class: t.Any, runner: CliRunner) -> None:
    app = app_class(host_matching=True)
    app.add_url_rule("/a", host="b.test", endpoint="a", methods=["GET"])
    app.add_url_rule("/b", host="a.test", endpoint="b", methods=["GET"])
    cli = FlaskGroup(create_app=lambda: app)
    assert runner.invoke(cli, ["routes"]).output.splitlines() == [
        "Endpoint  Methods  Host    Rule",
        "--------  -------  ------  ----",
        "a         GET      b.test  /a  ",
        "b         GET      a.test  /b  ",
    ]
    assert endpoints(runner.invoke(cli, ["routes", "-s", "domain"]).output) == [
        "b",
        "a",
    ]


def test_routes_needs_a_url_map(runner: CliRunner) -> None:
    def application(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    result = runner.invoke(FlaskGroup(create_app=lambda: application), ["routes"])
    assert result.exit_code == 2
    assert "The application has no URL map" in result.output


# -- run ----------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Record run_simple calls instead of starting a server."""
    calls: list[dict[str, t.Any]] = []

    def run_simple(
        hostname: str, port: int, application: t.Any, **kwargs: t.Any
    ) -> None:
        calls.append(
            dict(hostname=hostname, port=port, application=application, **kwargs)
        )

    monkeypatch.setattr(werkzeug.serving, "run_simple", run_simple)
    return calls


def test_run_defaults(app: t.Any, runner: CliRunner, served: list[t.Any]) -> None:
    result = runner.invoke(FlaskGroup(create_app=lambda: app), ["run"])
    assert result.exit_code == 0, result.output
    assert served == [
        dict(
            hostname="127.0.0.1",
            port=5000,
            application=app,
            use_reloader=False,
            use_debugger=False,
            threaded=True,
            ssl_context=None,
            extra_files=None,
            exclude_patterns=None,
        )
    ]
    assert result.output == " * Debug mode: off\n"


@pytest.mark.parametrize(
    ("args", "reloader", "debugger"),
    [
        (["--debug", "run"], True, True),
        (["--debug", "run", "--no-reload"], False, True),
        (["--debug", "run", "--no-debugger"], True, False),
        (["run", "--reload", "--debugger"], True, True),
        # Flask's quickstart puts --debug after run.
        (["run", "--debug"], True, True),
        (["run", "--debug", "--no-debugger"], True, False),
        (["--debug", "run", "--no-debug"], False, False),
    ],
)
def test_run_reloader_and_debugger_follow_debug(
    app: t.Any,
    runner: CliRunner,
    served: list[t.Any],
    args: list[str],
    reloader: bool,
    debugger: bool,
) -> None:
    result = runner.invoke(FlaskGroup(create_app=lambda: app), args)
    assert result.exit_code == 0, result.output
    assert (served[0]["use_reloader"], served[0]["use_debugger"]) == (
        reloader,
        debugger,
    )


def test_run_options_and_environment(
    app: t.Any, runner: CliRunner, served: list[t.Any], tmp_path: t.Any
) -> None:
    one, two = tmp_path / "one.cfg", tmp_path / "two.cfg"
    cli = FlaskGroup(create_app=lambda: app)
    args = [
        "run",
        "-h",
        "0.0.0.0",
        "-p",
        "8080",
        "--without-threads",
        "--extra-files",
        f"{one}{os.pathsep}{two}",
        "--exclude-patterns",
        f"*.tmp{os.pathsep}*.log",
    ]
    assert runner.invoke(cli, args).exit_code == 0
    call = served.pop()
    assert (call["hostname"], call["port"], call["threaded"]) == (
        "0.0.0.0",
        8080,
        False,
    )
    assert call["extra_files"] == [str(one), str(two)]
    assert call["exclude_patterns"] == ["*.tmp", "*.log"]

    env = {"FLASK_RUN_HOST": "::1", "FLASK_RUN_PORT": "9000", "FLASK_DEBUG": "1"}
    assert runner.invoke(cli, ["run"], env=env).exit_code == 0
    call = served.pop()
    assert (call["hostname"], call["port"], call["use_reloader"]) == ("::1", 9000, True)


def test_run_banner_names_the_app(
    modules: t.Any, runner: CliRunner, served: list[t.Any]
) -> None:
    modules.write("hello.py", "from tinyapp import TinyApp\napp = TinyApp('hello')\n")
    result = runner.invoke(FlaskGroup(), ["--app", "hello", "--debug", "run"])
    assert result.output == " * Serving Flask app 'hello'\n * Debug mode: on\n"
    assert served[0]["application"].name == "hello"


def test_banner_is_silent_in_the_reloader_child(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    show_server_banner(True, "app")
    assert capsys.readouterr().out == " * Serving Flask app 'app'\n * Debug mode: on\n"
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    show_server_banner(True, "app")
    assert capsys.readouterr().out == ""


def test_run_without_an_app(
    modules: t.Any, runner: CliRunner, served: list[t.Any]
) -> None:
    result = runner.invoke(FlaskGroup(), ["run"])
    assert result.exit_code == 2
    assert "Could not locate a WSGI application." in result.output
    assert served == []


def test_run_keeps_serving_a_broken_app_in_the_reloader_child(
    runner: CliRunner, served: list[t.Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def create_app() -> t.Any:
        raise RuntimeError("typo in the app")

    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    result = runner.invoke(FlaskGroup(create_app=create_app), ["run"])
    assert result.exit_code == 0
    assert "RuntimeError: typo in the app" in result.stderr
    stand_in = served[0]["application"]
    with pytest.raises(RuntimeError, match="typo in the app"):
        stand_in({}, lambda *args: None)


def make(*args: str) -> click.Context:
    return run_command.make_context("run", list(args))


def test_cert_and_key_go_together() -> None:
    with pytest.raises(click.BadParameter, match='Required when using "--cert".'):
        make("--cert", __file__)
    with pytest.raises(click.BadParameter, match='"--cert" must also be specified.'):
        make("--key", __file__)
    path = os.path.realpath(__file__)
    assert make("--cert", __file__, "--key", __file__).params["cert"] == (path, path)
    assert make("--key", __file__, "--cert", __file__).params["cert"] == (path, path)


def test_cert_adhoc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    with pytest.raises(click.BadParameter, match="requires the cryptography library"):
        make("--cert", "adhoc")

    monkeypatch.setitem(sys.modules, "cryptography", types.ModuleType("cryptography"))
    assert make("--cert", "adhoc").params["cert"] == "adhoc"
    assert make("--cert", "ADHOC").params["cert"] == "adhoc"
    with pytest.raises(click.BadParameter, match='When "--cert" is "adhoc"'):
        make("--cert", "adhoc", "--key", __file__)


def test_cert_import_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "not_here", None)
    with pytest.raises(click.BadParameter, match="is not an existing file"):
        make("--cert", "not_here")
    with pytest.raises(click.BadParameter, match="is not an existing file"):
        make("--cert", "click")

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    monkeypatch.setitem(sys.modules, "ssl_context", context)
    assert make("--cert", "ssl_context").params["cert"] is context
    with pytest.raises(click.BadParameter, match="an SSLContext object"):
        make("--cert", "ssl_context", "--key", __file__)


def test_cert_without_ssl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ssl", None)
    with pytest.raises(click.BadParameter, match="compiled with SSL support"):
        make("--cert", "not_here")
    # Without --cert, a Python without ssl still runs.
    assert make().params["cert"] is None


def test_run_passes_the_cert_pair(
    app: t.Any, runner: CliRunner, served: list[t.Any]
) -> None:
    args = ["run", "--cert", __file__, "--key", __file__]
    assert runner.invoke(FlaskGroup(create_app=lambda: app), args).exit_code == 0
    path = os.path.realpath(__file__)
    assert served[0]["ssl_context"] == (path, path)


def test_exclude_patterns_single() -> None:
    assert make("--exclude-patterns", __file__).params["exclude_patterns"] == [__file__]


# -- shell --------------------------------------------------------------------


@pytest.fixture
def interact(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Record what the shell would start with instead of reading input."""
    calls: list[dict[str, t.Any]] = []

    def fake(banner: str, local: dict[str, t.Any]) -> None:
        calls.append({"banner": banner, "local": local, "context": _cv_app.get(None)})

    monkeypatch.setattr(code, "interact", fake)
    monkeypatch.delattr(sys, "__interactivehook__", raising=False)
    return calls


def test_shell_namespace_has_the_context_processors(
    app: t.Any, runner: CliRunner, interact: list[t.Any]
) -> None:
    @app.shell_context_processor
    def models() -> dict[str, t.Any]:
        return {"User": "the user model"}

    result = runner.invoke(FlaskGroup(create_app=lambda: app), ["shell"])
    assert result.exit_code == 0, result.output
    (call,) = interact
    assert call["local"]["User"] == "the user model"
    assert call["local"]["app"] is app
    assert call["local"]["g"] is g
    assert call["context"].app is app
    assert call["banner"] == f"Python {sys.version} on {sys.platform}\nApp: tiny"


def test_shell_banner_shows_the_instance_path(
    app: t.Any, runner: CliRunner, interact: list[t.Any]
) -> None:
    app.instance_path = "/srv/instance"
    runner.invoke(FlaskGroup(create_app=lambda: app), ["shell"])
    assert interact[0]["banner"].endswith("\nApp: tiny\nInstance: /srv/instance")


def test_shell_runs_pythonstartup_first(
    app: t.Any,
    runner: CliRunner,
    interact: list[t.Any],
    tmp_path: t.Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    startup = tmp_path / "startup.py"
    startup.write_text("started = True\napp = 'replaced by the app'\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    runner.invoke(FlaskGroup(create_app=lambda: app), ["shell"])
    assert interact[0]["local"]["started"] is True
    assert interact[0]["local"]["app"] is app


def test_shell_for_a_plain_wsgi_app(runner: CliRunner, interact: list[t.Any]) -> None:
    def application(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    result = runner.invoke(FlaskGroup(create_app=lambda: application), ["shell"])
    assert result.exit_code == 0, result.output
    assert interact[0]["local"] == {"app": application}
    assert interact[0]["context"] is None


def test_shell_completion_uses_the_shell_namespace(
    app: t.Any,
    runner: CliRunner,
    interact: list[t.Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.shell_context_processor(lambda: {"database_url": "sqlite://"})
    completers: list[t.Any] = []
    readline = types.ModuleType("readline")
    readline.set_completer = completers.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "readline", readline)
    hooked: list[bool] = []
    monkeypatch.setattr(
        sys, "__interactivehook__", lambda: hooked.append(True), raising=False
    )

    runner.invoke(FlaskGroup(create_app=lambda: app), ["shell"])
    assert hooked == [True]
    # Importing rlcompleter installs a completer of its own first.
    complete = completers[-1]
    assert complete("database_", 0) == "database_url"
    assert complete("completers", 0) is None


def test_shell_reads_and_runs_input(
    app: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(sys, "__interactivehook__", raising=False)
    result = runner.invoke(
        FlaskGroup(create_app=lambda: app),
        ["shell"],
        input="print('name is', app.name)\n",
    )
    assert result.exit_code == 0
    assert "name is tiny" in result.output
