"""Importing kolben.cli loads only its declared dependencies, and lazily."""

from __future__ import annotations

import json
import subprocess
import sys

ALLOWED_TOP_LEVEL = {"kolben", "click", "werkzeug", "markupsafe", "blinker"}


def modules_loaded_by(statements: str) -> list[str]:
    """The modules a fresh interpreter loads while running ``statements``."""
    code = (
        f"import sys, json; before = set(sys.modules); {statements};"
        " print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


def foreign(loaded: list[str]) -> set[str]:
    """The public modules in ``loaded`` that are neither ours, a declared
    dependency nor the standard library."""
    allowed = ALLOWED_TOP_LEVEL | set(sys.stdlib_module_names)
    return {
        name
        for name in loaded
        if name.split(".")[0] not in allowed and not name.startswith("_")
    }


def test_import_loads_only_declared_dependencies() -> None:
    loaded = modules_loaded_by("import kolben.cli")
    assert foreign(loaded) == set()
    parts = {name for name in loaded if name.startswith("kolben.")}
    assert {name.split(".")[1] for name in parts} == {"cli", "contexts"}
    # python-dotenv and the shell's modules are only imported when used.
    assert not {"dotenv", "code", "rlcompleter"} & set(loaded)


def test_every_name_loads_only_declared_dependencies() -> None:
    loaded = modules_loaded_by(
        "import kolben.cli; [getattr(kolben.cli, name) for name in dir(kolben.cli)]"
    )
    assert foreign(loaded) == set()
    assert "kolben.cli.group" in loaded


def test_app_class_facets_do_not_load_click() -> None:
    # An application class mixes the facets in when its module is imported;
    # click arrives with the first use of its commands.
    loaded = modules_loaded_by(
        "from kolben.cli import CliAppFacet, CliBlueprintFacet, register_app_class,"
        " load_dotenv, get_debug_flag, get_load_dotenv"
    )
    assert [name for name in loaded if name.partition(".")[0] == "click"] == []


def test_command_helpers_do_not_load_package_metadata() -> None:
    # An app module that defines its commands with the command line's names
    # keeps no entry point machinery in its server processes; plugin commands
    # are looked up when the command line runs.
    loaded = modules_loaded_by(
        "from kolben.cli import FlaskGroup, cli, with_appcontext, AppGroup"
    )
    assert "kolben.cli.group" in loaded
    assert "importlib.metadata" not in loaded
    loaded = modules_loaded_by(
        "from click.testing import CliRunner; from kolben.cli import cli;"
        " assert 'routes' in CliRunner().invoke(cli, ['--help']).output"
    )
    assert "importlib.metadata" in loaded
