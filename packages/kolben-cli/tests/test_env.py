"""Dotenv files, their precedence, and the FLASK_* switches."""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kolben.cli import FlaskGroup
from kolben.cli import get_debug_flag
from kolben.cli import get_load_dotenv
from kolben.cli import load_dotenv
from kolben.cli import ScriptInfo


@pytest.fixture
def project(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> t.Any:
    """A project folder with ``.flaskenv`` and ``.env``, as the working directory."""
    (tmp_path / ".flaskenv").write_text("FOO=flaskenv\nBAR=bar\nEGGS=0\n")
    (tmp_path / ".env").write_text(
        "FOO=env\nSPAM=1\nEGGS=2\nHAM=火腿\n", encoding="utf-8"
    )
    (tmp_path / "extra.env").write_text("FOO=extra\nEXTRA=yes\n")
    for name in ("FOO", "BAR", "SPAM", "HAM", "EXTRA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EGGS", "3")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_precedence_of_the_default_files(project: t.Any) -> None:
    assert load_dotenv()
    assert os.getcwd() == str(project)
    # .env wins over .flaskenv, the environment over both.
    assert os.environ["FOO"] == "env"
    assert os.environ["BAR"] == "bar"
    assert os.environ["SPAM"] == "1"
    assert os.environ["EGGS"] == "3"
    assert os.environ["HAM"] == "火腿"


def test_explicit_file_wins_over_the_default_files(project: t.Any) -> None:
    assert load_dotenv("extra.env")
    assert os.environ["FOO"] == "extra"
    assert os.environ["EXTRA"] == "yes"
    assert os.environ["SPAM"] == "1"


def test_explicit_file_alone(project: t.Any) -> None:
    assert load_dotenv(project / "extra.env", load_defaults=False)
    assert os.environ["FOO"] == "extra"
    assert "SPAM" not in os.environ


def test_missing_explicit_file_loads_nothing(project: t.Any) -> None:
    assert not load_dotenv("non-existent-file", load_defaults=False)
    assert "FOO" not in os.environ


def test_default_files_are_found_in_parent_folders(project: t.Any) -> None:
    (project / "deep" / "er").mkdir(parents=True)
    os.chdir(project / "deep" / "er")
    assert load_dotenv()
    assert os.environ["FOO"] == "env"
    assert os.getcwd() == str(project / "deep" / "er")


def test_without_python_dotenv_a_tip_is_shown(
    project: t.Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    assert not load_dotenv()
    assert "FOO" not in os.environ
    assert "Install python-dotenv to use them." in capsys.readouterr().err


def test_without_python_dotenv_and_no_files_nothing_is_shown(
    tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    monkeypatch.chdir(tmp_path)
    assert not load_dotenv()
    assert capsys.readouterr().err == ""


_SHOW_FOO_IN_A_FRESH_PROCESS = """
import os, sys
import click
from click.testing import CliRunner
from kolben.cli import FlaskGroup

cli = FlaskGroup(create_app=lambda: None)

@cli.command(with_appcontext=False)
def foo():
    click.echo(os.environ.get("FOO", "unset"))
    click.echo("dotenv imported" if "dotenv" in sys.modules else "no dotenv")

sys.exit(cli.main(["foo"], prog_name="flask"))
"""


def test_python_dotenv_is_imported_only_for_a_file_to_read(tmp_path: t.Any) -> None:
    # Most projects have no dotenv file: their commands start without paying
    # for python-dotenv, and behave exactly as when it is imported.
    if any(
        os.path.lexists(os.path.join(folder, name))
        for folder in (tmp_path, *tmp_path.parents)
        for name in (".env", ".flaskenv")
    ):
        pytest.skip("a folder above the temporary folder holds a dotenv file")
    deep = tmp_path / "deep" / "er"
    deep.mkdir(parents=True)
    command = [sys.executable, "-c", _SHOW_FOO_IN_A_FRESH_PROCESS]
    env = {k: v for k, v in os.environ.items() if k not in ("FOO", "FLASK_SKIP_DOTENV")}

    def show() -> str:
        done = subprocess.run(
            command, cwd=deep, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    assert show() == "unset\nno dotenv\n"
    # A default file anywhere up the tree, as python-dotenv searches, is read.
    (tmp_path / ".flaskenv").write_text("FOO=flaskenv\n")
    assert show() == "flaskenv\ndotenv imported\n"


def test_without_defaults_only_the_working_directory_can_give_a_tip(
    project: t.Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    (project / "deep").mkdir()
    monkeypatch.chdir(project / "deep")
    assert not load_dotenv(load_defaults=False)
    assert capsys.readouterr().err == ""
    monkeypatch.chdir(project)
    assert not load_dotenv(load_defaults=False)
    assert "Install python-dotenv to use them." in capsys.readouterr().err


def show_foo() -> FlaskGroup:
    cli = FlaskGroup(create_app=lambda: None)

    @cli.command(with_appcontext=False)
    def foo() -> None:
        click.echo(os.environ.get("FOO", "unset"))

    return cli


def test_group_loads_the_default_files(project: t.Any, runner: CliRunner) -> None:
    assert runner.invoke(show_foo(), ["foo"]).output == "env\n"


def test_env_file_option(project: t.Any, runner: CliRunner) -> None:
    assert runner.invoke(show_foo(), ["-e", "extra.env", "foo"]).output == "extra\n"
    os.environ.pop("FOO")
    result = runner.invoke(show_foo(), ["foo"], env={"FLASK_ENV_FILE": "extra.env"})
    assert result.output == "extra\n"


def test_env_file_must_exist(project: t.Any, runner: CliRunner) -> None:
    result = runner.invoke(show_foo(), ["--env-file", "nope.env", "foo"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_env_file_needs_python_dotenv(
    project: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dotenv", None)
    result = runner.invoke(show_foo(), ["-e", "extra.env", "foo"])
    assert result.exit_code == 2
    assert "python-dotenv must be installed to load an env file." in result.output
    result = runner.invoke(show_foo(), ["foo"])
    assert result.exit_code == 0
    assert result.stdout == "unset\n"
    assert "Install python-dotenv" in result.stderr


def test_flask_app_from_a_dotenv_file(
    project: t.Any, runner: CliRunner, modules: t.Any
) -> None:
    modules.write(".flaskenv", "FLASK_APP=served:made\n")
    modules.write("served.py", "from tinyapp import TinyApp\nmade = TinyApp('made')\n")
    cli = FlaskGroup()

    @cli.command()
    @click.pass_obj
    def which(info: ScriptInfo) -> None:
        click.echo(f"{info.app_import_path} {info.load_app().name}")

    assert runner.invoke(cli, ["which"]).output == "served:made made\n"


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_skip_dotenv(
    project: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("FLASK_SKIP_DOTENV", value)
    assert runner.invoke(show_foo(), ["foo"]).output == "unset\n"
    assert runner.invoke(show_foo(), ["-e", "extra.env", "foo"]).output == "extra\n"
    assert "SPAM" not in os.environ


def test_group_can_be_told_not_to_load_dotenv(
    project: t.Any, runner: CliRunner
) -> None:
    cli = FlaskGroup(load_dotenv=False)

    @cli.command(with_appcontext=False)
    def foo() -> None:
        click.echo(os.environ.get("FOO", "unset"))

    assert runner.invoke(cli, ["foo"]).output == "unset\n"


_FALSY_WORDS = ("0", "false", "no")
_env_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1
)


@given(
    st.sampled_from(_FALSY_WORDS).flatmap(
        lambda word: st.tuples(
            *(st.sampled_from([c.lower(), c.upper()]) for c in word)
        ).map("".join)
    )
)
def test_debug_flag_off_words_in_any_case(value: str) -> None:
    os.environ["FLASK_DEBUG"] = value
    try:
        assert get_debug_flag() is False
    finally:
        del os.environ["FLASK_DEBUG"]


@given(_env_text.filter(lambda v: v.lower() not in _FALSY_WORDS))
def test_debug_flag_on_for_any_other_value(value: str) -> None:
    os.environ["FLASK_DEBUG"] = value
    try:
        assert get_debug_flag() is True
    finally:
        del os.environ["FLASK_DEBUG"]


def test_debug_flag_off_when_unset_or_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_debug_flag() is False
    monkeypatch.setenv("FLASK_DEBUG", "")
    assert get_debug_flag() is False


@pytest.mark.parametrize(
    ("value", "default", "expected"),
    [
        (None, True, True),
        (None, False, False),
        ("", True, True),
        ("1", True, False),
        ("0", True, True),
        ("False", False, True),
        ("no", True, True),
    ],
)
def test_get_load_dotenv(
    monkeypatch: pytest.MonkeyPatch, value: str | None, default: bool, expected: bool
) -> None:
    if value is not None:
        monkeypatch.setenv("FLASK_SKIP_DOTENV", value)
    assert get_load_dotenv(default) is expected
    assert ScriptInfo(load_dotenv_defaults=default).load_dotenv_defaults is expected
