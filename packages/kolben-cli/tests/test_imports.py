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
