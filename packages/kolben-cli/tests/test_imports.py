"""Importing kolben.cli loads only its declared dependencies, and lazily."""

from __future__ import annotations

import json
import subprocess
import sys

ALLOWED_TOP_LEVEL = {"kolben", "click", "werkzeug", "markupsafe", "blinker"}


def test_import_loads_only_declared_dependencies() -> None:
    code = (
        "import sys, json; before = set(sys.modules); import kolben.cli;"
        " print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    stdlib = set(sys.stdlib_module_names)
    foreign = {
        name
        for name in loaded
        if name.split(".")[0] not in ALLOWED_TOP_LEVEL | stdlib
        and not name.startswith("_")
    }
    assert foreign == set()
    parts = {name for name in loaded if name.startswith("kolben.")}
    assert {name.split(".")[1] for name in parts} == {"cli", "contexts"}
    # python-dotenv and the shell's modules are only imported when used.
    assert not {"dotenv", "code", "rlcompleter"} & set(loaded)


def test_every_name_loads_only_declared_dependencies() -> None:
    code = (
        "import sys, json; before = set(sys.modules); import kolben.cli;"
        " [getattr(kolben.cli, name) for name in dir(kolben.cli)];"
        " print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    stdlib = set(sys.stdlib_module_names)
    assert {
        name
        for name in loaded
        if name.split(".")[0] not in ALLOWED_TOP_LEVEL | stdlib
        and not name.startswith("_")
    } == set()
    assert "kolben.cli.group" in loaded


def test_app_class_facets_do_not_load_click() -> None:
    # An application class mixes the facets in when its module is imported;
    # click arrives with the first use of its commands.
    code = (
        "import sys, json; from kolben.cli import CliAppFacet, CliBlueprintFacet,"
        " register_app_class, load_dotenv, get_debug_flag, get_load_dotenv;"
        " print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    assert [name for name in loaded if name.partition(".")[0] == "click"] == []
