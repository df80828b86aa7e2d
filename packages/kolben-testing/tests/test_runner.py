"""FlaskCliRunner invokes the app's commands and hands them the app."""

from __future__ import annotations

import os
import typing as t

import click
import pytest

from kolben.testing import FlaskCliRunner
from kolben.testing import StaticScriptInfo


@pytest.fixture
def hello_app(app: t.Any) -> t.Any:
    @app.cli.command("hello")
    @click.pass_obj
    def hello(info: t.Any) -> None:
        click.echo(f"Hello from {info.load_app().name}!")

    return app


def test_invoke_defaults_to_the_app_cli(hello_app: t.Any) -> None:
    result = FlaskCliRunner(hello_app).invoke(args=["hello"])
    assert result.exit_code == 0
    assert result.output == "Hello from mini!\n"


def test_invoke_a_command_object(hello_app: t.Any) -> None:
    command = hello_app.cli.commands["hello"]
    result = FlaskCliRunner(hello_app).invoke(command)
    assert result.output == "Hello from mini!\n"


def test_default_obj_loads_the_app(app: t.Any) -> None:
    runner = FlaskCliRunner(app)
    info = runner.make_script_info()
    assert isinstance(info, StaticScriptInfo)
    assert info.load_app() is app
    assert info.data == {}


def test_app_script_info_class_is_used(hello_app: t.Any) -> None:
    made: list[t.Any] = []

    class ScriptInfo:
        def __init__(self, create_app: t.Callable[[], t.Any]) -> None:
            self.create_app = create_app
            made.append(self)

        def load_app(self) -> t.Any:
            return self.create_app()

    hello_app.script_info_class = ScriptInfo
    result = FlaskCliRunner(hello_app).invoke(args=["hello"])
    assert result.output == "Hello from mini!\n"
    assert len(made) == 1


def test_explicit_obj_is_kept(hello_app: t.Any, make_app: t.Any) -> None:
    other = make_app("other")
    created: list[t.Any] = []

    def create_app() -> t.Any:
        created.append(other)
        return other

    result = FlaskCliRunner(hello_app).invoke(
        args=["hello"], obj=StaticScriptInfo(create_app)
    )
    assert result.output == "Hello from other!\n"
    assert created == [other]


def test_runner_arguments_reach_click(app: t.Any) -> None:
    @app.cli.command("env")
    def env() -> None:
        click.echo(os.environ["KOLBEN_GREETING"])

    runner = FlaskCliRunner(app, env={"KOLBEN_GREETING": "hi"})
    assert runner.invoke(args=["env"]).output == "hi\n"
    result = runner.invoke(args=["env"], env={"KOLBEN_GREETING": "ho"})
    assert result.output == "ho\n"


def test_errors_are_reported_in_the_result(app: t.Any) -> None:
    @app.cli.command("boom")
    def boom() -> None:
        raise ValueError("boom")

    result = FlaskCliRunner(app).invoke(args=["boom"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)
