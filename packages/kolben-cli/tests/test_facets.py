"""The app and blueprint facets: ``cli``, ``cli_group`` and the shell context."""

from __future__ import annotations

import typing as t

import click
import pytest
from click.testing import CliRunner

from kolben.cli import AppGroup
from kolben.cli import CliAppFacet
from kolben.cli import FlaskGroup
from kolben.cli import ScriptInfo
from kolben.contexts import g


def test_app_cli_is_a_group_named_after_the_app(app_class: t.Any) -> None:
    app = app_class("named")
    assert isinstance(app.cli, AppGroup)
    assert app.cli.name == "named"
    assert app.cli is app.cli
    assert app_class("other").cli is not app.cli


def test_script_info_class(app: t.Any) -> None:
    assert app.script_info_class is ScriptInfo
    info = app.script_info_class(create_app=lambda: app)
    assert info.load_app() is app


def test_make_shell_context(app: t.Any) -> None:
    assert app.make_shell_context() == {"app": app, "g": g}

    @app.shell_context_processor
    def first() -> dict[str, t.Any]:
        return {"a": 1, "b": 1}

    app.shell_context_processor(lambda: {"b": 2})
    assert app.shell_context_processors[0] is first
    assert app.make_shell_context() == {"app": app, "g": g, "a": 1, "b": 2}


def test_shell_context_processor_asks_the_setup_guard() -> None:
    class Guarded(CliAppFacet):
        name = "guarded"

        def _check_setup_finished(self, f_name: str) -> None:
            raise AssertionError(f"too late for {f_name}")

    with pytest.raises(AssertionError, match="too late for shell_context_processor"):
        Guarded().shell_context_processor(dict)
    assert Guarded().shell_context_processors == []


def invoke(app: t.Any, *args: str) -> t.Any:
    return CliRunner().invoke(FlaskGroup(create_app=lambda: app), list(args))


def test_blueprint_commands_by_cli_group(app: t.Any, blueprint_class: t.Any) -> None:
    custom = blueprint_class("custom", cli_group="customized")
    nested = blueprint_class("nested")
    merged = blueprint_class("merged", cli_group=None)
    late = blueprint_class("late")

    for bp in (custom, nested, merged, late):
        bp.cli.command(bp.name)(lambda name=bp.name: click.echo(f"{name}_result"))

    app.register_blueprint(custom)
    app.register_blueprint(nested)
    app.register_blueprint(merged)
    app.register_blueprint(late, cli_group="late_registration")

    assert invoke(app, "customized", "custom").output == "custom_result\n"
    assert invoke(app, "nested", "nested").output == "nested_result\n"
    assert invoke(app, "merged").output == "merged_result\n"
    assert invoke(app, "late_registration", "late").output == "late_result\n"
    assert sorted(app.cli.commands) == [
        "customized",
        "late_registration",
        "merged",
        "nested",
    ]


def test_blueprint_commands_run_in_the_app_context(
    app: t.Any, blueprint_class: t.Any
) -> None:
    bp = blueprint_class("admin")

    @bp.cli.command()
    def who() -> None:
        click.echo(g.__class__.__name__)

    app.register_blueprint(bp)
    result = invoke(app, "admin", "who")
    assert result.exit_code == 0, result.output
    assert result.output == "AppCtxGlobals\n"


def test_empty_blueprint_group_is_not_added(app: t.Any, blueprint_class: t.Any) -> None:
    touched = blueprint_class("blue", cli_group="blue")
    assert touched.cli.commands == {}
    app.register_blueprint(touched)
    app.register_blueprint(blueprint_class("untouched"))
    assert app.cli.commands == {}
    assert invoke(app, "blue", "--help").exit_code == 2


def test_unknown_cli_group_value_means_the_blueprint_name(
    app: t.Any, blueprint_class: t.Any
) -> None:
    # The meta-package may pass its own "not given" sentinel.
    bp = blueprint_class("named", cli_group=object())
    bp.cli.command("go")(lambda: click.echo("went"))
    app.register_blueprint(bp)
    assert invoke(app, "named", "go").output == "went\n"
