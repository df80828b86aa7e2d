"""``tools/bench.py`` compares like with like: under gunicorn (``--e2e``), and
against the floor of the ``flask`` command's startup."""

from __future__ import annotations

import ast
import importlib
import os
import pathlib
import subprocess
import sys
import types
import typing as t

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def scenarios(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/bench_scenarios.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("bench_scenarios")


def answer(app: t.Any) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body of ``GET /`` sent straight to a WSGI app."""
    from werkzeug.test import EnvironBuilder

    sent: list[t.Any] = []

    def start_response(status: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
        sent[:] = [status, list(headers)]
        return lambda data: None

    result = app(EnvironBuilder(path="/").get_environ(), start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return sent[0], sent[1], body


def test_bare_hello_answers_as_the_flask_hello_app(
    scenarios: types.ModuleType,
) -> None:
    # The ceiling row is only a ceiling if the bare callable sends the very
    # bytes our flask's hello app sends: the same status, headers and body.
    expected = answer(scenarios.e2e_app("flask", "hello"))
    assert answer(scenarios.e2e_app("bare", "hello")) == expected


def test_no_bare_app_for_other_scenarios(scenarios: types.ModuleType) -> None:
    with pytest.raises(ValueError, match="no bare WSGI app for scenario 'session'"):
        scenarios.e2e_app("bare", "session")


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/bench.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("bench")


def loaded_modules(code: str, tmp_path: pathlib.Path) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code`` in
    ``tmp_path`` with Flaskr importable, whether or not ``code`` exits."""
    out = tmp_path / "modules.txt"
    dump = (
        "import atexit, sys; atexit.register(lambda:"
        f" open({str(out)!r}, 'w').write('\\n'.join(sys.modules)))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "docs" / "examples" / "flaskr"),
        "FLASKR_DATABASE": str(tmp_path / "flaskr.sqlite"),
        "FLASKR_SECRET_KEY": "test",
    }
    command = [sys.executable, "-c", f"{dump}\n{code}"]
    subprocess.run(command, env=env, cwd=tmp_path, check=True, capture_output=True)
    return set(out.read_text().split())


@pytest.mark.parametrize("args", [["--help"], ["routes"]])
def test_cli_floor_loads_nothing_the_command_does_not(
    bench: types.ModuleType, tmp_path: pathlib.Path, args: list[str]
) -> None:
    # A floor is only a floor if the real command does all of its work too.
    command = loaded_modules(
        "import sys; from flask.cli import main;"
        f" sys.argv = ['flask', '--app', 'flaskr', *{args!r}]; main()",
        tmp_path,
    )
    floor = loaded_modules(bench.cli_floor(), tmp_path)
    assert "flaskr" in command
    assert {"werkzeug.routing", "click", "importlib.metadata"} <= floor
    assert floor - command == set()


def test_cli_floor_holds_flaskr_imports(bench: types.ModuleType) -> None:
    # The floor pays for what Flaskr itself imports besides flask, no more.
    folder = ROOT / "docs" / "examples" / "flaskr" / "flaskr"
    imported: set[str] = set()
    for name in ("factory", "auth", "blog", "db"):
        tree = ast.parse((folder / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(t.cast(str, node.module))
    outside = {m for m in imported if m.split(".")[0] not in {"flask", "__future__"}}
    assert outside - {"click"} == set(bench.FLASKR_IMPORTS)
