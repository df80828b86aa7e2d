"""The standalone example in the package README works as documented."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import typing as t

import pytest
import werkzeug.serving
from click.testing import CliRunner
from werkzeug.test import Client

from kolben.cli import cli

README = pathlib.Path(__file__).parent.parent / "README.md"


@pytest.fixture
def hello(modules: t.Any) -> t.Any:
    """The README's example saved as ``hello.py`` in the working directory."""
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert code is not None, "the README has no python example"
    return modules.write("hello.py", code.group(1))


def test_readme_custom_command(hello: t.Any, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--app", "hello", "greet", "--name", "CLI"])
    assert result.exit_code == 0, result.output
    assert result.output == "Hello, CLI!\n"
    assert (
        "greet   Print the greeting the app serves."
        in runner.invoke(cli, ["--app", "hello", "--help"]).output
    )


def test_readme_run(
    hello: t.Any, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[t.Any] = []
    monkeypatch.setattr(
        werkzeug.serving,
        "run_simple",
        lambda host, port, app, **options: served.append((host, port, app, options)),
    )
    result = runner.invoke(cli, ["--app", "hello", "--debug", "run", "--port", "8000"])
    assert result.exit_code == 0, result.output
    assert result.output == " * Serving Flask app 'hello'\n * Debug mode: on\n"
    ((host, port, app, options),) = served
    assert (host, port, options["use_reloader"]) == ("127.0.0.1", 8000, True)
    assert Client(app).get("/").text == "Hello, World!"


def test_readme_python_m_kolben_cli(hello: t.Any) -> None:
    env = {**os.environ, "FLASK_SKIP_DOTENV": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kolben.cli",
            "--app",
            "hello",
            "greet",
            "--name",
            "CLI",
        ],
        cwd=hello.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, CLI!\n"
