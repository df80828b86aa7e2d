"""The command group: app commands in the app context, global options, plugins."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import typing as t

import click
import pytest
from click.testing import CliRunner

from kolben.cli import AppGroup
from kolben.cli import cli as flask_cli
from kolben.cli import FlaskGroup
from kolben.cli import get_version
from kolben.cli import pass_script_info
from kolben.cli import ScriptInfo
from kolben.cli import with_appcontext
from kolben.contexts import _cv_app
from kolben.contexts import current_app


def test_app_commands_run_in_the_app_context(app: t.Any, runner: CliRunner) -> None:
    @app.cli.command()
    def hello() -> None:
        click.echo(f"hello from {current_app.name}")

    result = runner.invoke(FlaskGroup(create_app=lambda: app), ["hello"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello from tiny\n"


def test_param_callbacks_see_the_app_context(app: t.Any, runner: CliRunner) -> None:
    def callback(ctx: click.Context, param: click.Parameter, value: str) -> bool:
        return _active() is not None and _active().app is app

    @app.cli.command()
    @click.argument("value", callback=callback)
    def check(value: bool) -> tuple[bool, bool]:
        loaded = click.get_current_context().ensure_object(ScriptInfo).load_app()
        return _active().app is loaded, value

    cli = FlaskGroup(create_app=lambda: app)
    result = runner.invoke(cli, ["check", "x"], standalone_mode=False)
    assert result.return_value == (True, True)


def test_group_commands_load_the_app_lazily(
    app_class: t.Any, runner: CliRunner
) -> None:
    made: list[t.Any] = []

    def create_app() -> t.Any:
        made.append(app_class("lazy"))
        return made[-1]

    @click.group(cls=FlaskGroup, create_app=create_app)
    def cli(**params: t.Any) -> None:
        pass

    @cli.command()
    def show() -> None:
        click.echo(current_app.name)

    @cli.command(with_appcontext=False)
    def bare() -> None:
        click.echo(f"context: {bool(current_app)}")

    assert runner.invoke(cli, ["bare"]).output == "context: False\n"
    assert made == []
    assert runner.invoke(cli, ["show"]).output == "lazy\n"
    assert len(made) == 1


@pytest.mark.parametrize("set_debug_flag", [True, False])
def test_set_debug_flag(
    app_class: t.Any, runner: CliRunner, set_debug_flag: bool
) -> None:
    def create_app() -> t.Any:
        app = app_class()
        app.debug = True
        return app

    @click.group(cls=FlaskGroup, create_app=create_app, set_debug_flag=set_debug_flag)
    def cli(**params: t.Any) -> None:
        pass

    @cli.command()
    def debug() -> None:
        click.echo(current_app.debug)

    result = runner.invoke(cli, ["debug"])
    assert result.output == f"{not set_debug_flag}\n"


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        (["--debug"], None, "1 True"),
        (["--no-debug"], "1", "0 False"),
        ([], "1", "1 True"),
        ([], None, "None False"),
    ],
)
def test_debug_option_sets_flask_debug(
    app: t.Any,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    environ: str | None,
    expected: str,
) -> None:
    if environ is not None:
        monkeypatch.setenv("FLASK_DEBUG", environ)

    @app.cli.command()
    def debug() -> None:
        click.echo(f"{os.environ.get('FLASK_DEBUG')} {current_app.debug}")

    result = runner.invoke(FlaskGroup(create_app=lambda: app), [*args, "debug"])
    assert result.output == f"{expected}\n"


def test_nested_in_another_group(app: t.Any, runner: CliRunner) -> None:
    outer = click.Group("outer")
    inner = FlaskGroup(name="flask", create_app=lambda: app)
    outer.add_command(inner)

    @inner.command()
    def show() -> None:
        click.echo(current_app.name)

    assert runner.invoke(outer, ["flask", "show"]).output == "tiny\n"


def test_app_option_and_environment_variable(modules: t.Any, runner: CliRunner) -> None:
    modules.write(
        "project.py",
        """
        import click
        from kolben.contexts import current_app
        from tinyapp import TinyApp

        one = TinyApp("one")
        two = TinyApp("two")

        @one.cli.command()
        def which():
            click.echo(current_app.name)

        two.cli.add_command(which)
        """,
    )
    result = runner.invoke(FlaskGroup(), ["--app", "project:one", "which"])
    assert result.output == "one\n"
    assert runner.invoke(FlaskGroup(), ["-A", "project:two", "which"]).output == "two\n"
    result = runner.invoke(FlaskGroup(), ["which"], env={"FLASK_APP": "project:two"})
    assert result.output == "two\n"


def test_help_lists_app_commands_from_flask_app(
    modules: t.Any, runner: CliRunner
) -> None:
    modules.write(
        "project.py",
        """
        from tinyapp import TinyApp

        app = TinyApp()

        @app.cli.command()
        def seed():
            "Fill the database."
        """,
    )
    result = runner.invoke(FlaskGroup(), ["--help"], env={"FLASK_APP": "project"})
    assert result.exit_code == 0
    assert "seed    Fill the database." in result.stdout
    result = runner.invoke(
        FlaskGroup(no_args_is_help=True), [], env={"FLASK_APP": "project"}
    )
    assert "seed    Fill the database." in result.output


def test_missing_command_shows_the_loading_error(
    modules: t.Any, runner: CliRunner
) -> None:
    result = runner.invoke(flask_cli, ["missing"])
    assert result.exit_code == 2
    assert "Error: Could not locate a WSGI application." in result.stderr
    assert "FLASK_APP" in result.stderr
    assert "Usage:" in result.stderr
    assert "No such command 'missing'." in result.stderr


def test_help_shows_the_loading_error(modules: t.Any, runner: CliRunner) -> None:
    result = runner.invoke(flask_cli, ["--help"])
    assert result.exit_code == 0
    assert "FLASK_APP" in result.stderr
    assert "Usage:" in result.stdout
    for name in ("routes", "run", "shell"):
        assert f"  {name} " in result.stdout


def test_help_shows_an_exception_from_the_factory(runner: CliRunner) -> None:
    def create_app() -> t.Any:
        raise Exception("oh no")

    result = runner.invoke(FlaskGroup(create_app=create_app), ["--help"])
    assert result.exit_code == 0
    assert "Traceback" in result.stderr
    assert "Exception: oh no" in result.stderr
    assert "Usage:" in result.stdout


def test_app_without_cli_only_gets_builtin_commands(runner: CliRunner) -> None:
    def application(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    cli = FlaskGroup(create_app=lambda: application)
    assert runner.invoke(cli, ["anything"]).exit_code == 2
    assert "routes" in runner.invoke(cli, ["--help"]).output


def test_run_from_cli_flag_is_set(app: t.Any, runner: CliRunner) -> None:
    @app.cli.command()
    def flag() -> None:
        click.echo(os.environ["FLASK_RUN_FROM_CLI"])

    assert (
        runner.invoke(FlaskGroup(create_app=lambda: app), ["flag"]).output == "true\n"
    )


def test_given_obj_is_used(app_class: t.Any, runner: CliRunner) -> None:
    cli = FlaskGroup(create_app=lambda: app_class("ignored"))

    @cli.command()
    @pass_script_info
    def which(info: ScriptInfo) -> None:
        click.echo(info.load_app().name)

    info = ScriptInfo(create_app=lambda: app_class("given"))
    assert runner.invoke(cli, ["which"], obj=info).output == "given\n"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(flask_cli, ["--version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"Python {platform.python_version()}"
    try:
        framework = f"Flask {importlib.metadata.version('flask')}"
    except importlib.metadata.PackageNotFoundError:
        framework = f"kolben-cli {importlib.metadata.version('kolben-cli')}"
    assert lines[1] == framework
    assert lines[2] == f"Werkzeug {importlib.metadata.version('werkzeug')}"
    assert len(lines) == 3


def test_version_without_flask(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.metadata.version

    def version(name: str) -> str:
        if name == "flask":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    class Ctx:
        resilient_parsing = False
        color = None
        exited = False

        def exit(self) -> None:
            self.exited = True

    monkeypatch.setattr(importlib.metadata, "version", version)
    ctx = Ctx()
    get_version(ctx, None, True)
    assert ctx.exited
    assert f"kolben-cli {real('kolben-cli')}\n" in capsys.readouterr().out
    get_version(ctx, None, False)
    assert capsys.readouterr().out == ""


def test_version_option_can_be_left_out(runner: CliRunner) -> None:
    result = runner.invoke(FlaskGroup(add_version_option=False), ["--version"])
    assert result.exit_code == 2
    assert "No such option" in result.output


class TinyLike:
    def __call__(self, environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []


def test_default_commands_can_be_left_out(runner: CliRunner) -> None:
    cli = FlaskGroup(add_default_commands=False, create_app=TinyLike)
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Commands:" not in result.stdout
    assert "routes" not in result.stdout


# -- plugin commands ----------------------------------------------------------


def test_plugin_commands_from_entry_points(
    app: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    @click.command()
    @with_appcontext
    def plugged() -> None:
        """A plugin's command."""
        click.echo(f"plugin in {current_app.name}")

    class EntryPoint:
        name = "extra"

        def load(self) -> click.Command:
            return plugged

    seen: list[str | None] = []

    def entry_points(group: str | None = None) -> list[EntryPoint]:
        seen.append(group)
        return [EntryPoint()] if group == "flask.commands" else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    cli = FlaskGroup(create_app=lambda: app)
    result = runner.invoke(cli, ["--help"])
    assert "extra   A plugin's command." in result.stdout
    result = runner.invoke(cli, ["extra"])
    assert result.output == "plugin in tiny\n", result.output
    # Looked up once per group, not per invocation.
    assert seen == ["flask.commands"]


# -- AppGroup and with_appcontext ---------------------------------------------


def test_app_group_subgroups_run_in_the_app_context(
    app_class: t.Any, runner: CliRunner
) -> None:
    @click.group(cls=AppGroup)
    def cli() -> None:
        pass

    @cli.command
    def top() -> None:
        click.echo(current_app.name)

    @cli.group()
    def sub() -> None:
        pass

    @sub.command()
    def inner() -> None:
        click.echo(current_app.name)

    assert isinstance(sub, AppGroup)
    obj = ScriptInfo(create_app=lambda: app_class("grouped"))
    assert runner.invoke(cli, ["top"], obj=obj).output == "grouped\n"
    assert runner.invoke(cli, ["sub", "inner"], obj=obj).output == "grouped\n"


def test_with_appcontext_on_a_plain_command(
    app_class: t.Any, runner: CliRunner
) -> None:
    @click.command()
    @with_appcontext
    def cmd() -> None:
        click.echo(current_app.name)

    result = runner.invoke(cmd, obj=ScriptInfo(create_app=lambda: app_class("plain")))
    assert result.exit_code == 0
    assert result.output == "plain\n"


def test_with_appcontext_reuses_an_active_context_without_script_info(
    app: t.Any, runner: CliRunner
) -> None:
    @click.command()
    @with_appcontext
    def cmd() -> None:
        click.echo(current_app.name)

    with app.app_context():
        assert runner.invoke(cmd).output == "tiny\n"


def test_with_appcontext_pushes_the_loaded_app_over_another_one(
    app_class: t.Any, runner: CliRunner
) -> None:
    @click.command()
    @with_appcontext
    def cmd() -> None:
        click.echo(current_app.name)

    loaded = app_class("loaded")
    with app_class("other").app_context():
        result = runner.invoke(cmd, obj=ScriptInfo(create_app=lambda: loaded))
    assert result.output == "loaded\n"


def test_with_appcontext_keeps_an_active_context_of_the_loaded_app(
    app: t.Any, runner: CliRunner
) -> None:
    @click.command()
    @with_appcontext
    def cmd() -> None:
        click.echo(_active() is ctx)

    with app.app_context() as ctx:
        result = runner.invoke(cmd, obj=ScriptInfo(create_app=lambda: app))
    assert result.output == "True\n"


def _active() -> t.Any:
    return _cv_app.get(None)


def test_with_appcontext_pops_the_context_afterwards(
    app: t.Any, runner: CliRunner
) -> None:
    popped: list[t.Any] = []
    app.teardown_appcontext(popped.append)

    @click.command()
    @with_appcontext
    def cmd() -> None:
        assert _active() is not None

    runner.invoke(cmd, obj=ScriptInfo(create_app=lambda: app))
    assert popped == [None]
    assert _active() is None


def test_with_appcontext_for_an_app_without_contexts(runner: CliRunner) -> None:
    def application(environ: t.Any, start_response: t.Any) -> list[bytes]:
        return []

    @click.command()
    @with_appcontext
    def cmd() -> None:
        click.echo(f"context: {_active() is not None}")

    result = runner.invoke(cmd, obj=ScriptInfo(create_app=lambda: application))
    assert result.output == "context: False\n"


def test_kolbens_own_swap_plugin_is_not_loaded(
    app: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kolben-cli registers kolben.cli.swap for upstream Flask's command only.
    loaded: list[str] = []

    class EntryPoint:
        name = "kolben-check"
        value = "kolben.cli.swap:command"

        def load(self) -> click.Command:
            loaded.append(self.name)
            raise AssertionError("loaded")

    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda group=None: [EntryPoint()]
    )
    result = runner.invoke(FlaskGroup(create_app=lambda: app), ["--help"])
    assert result.exit_code == 0, result.output
    assert loaded == []
    assert "kolben-check" not in result.output
