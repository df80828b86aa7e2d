"""Importing kolben.testing loads only its declared dependencies."""

from __future__ import annotations

import json
import subprocess
import sys

# The declared dependencies, werkzeug's own (markupsafe) and kolben-contexts'.
ALLOWED = {"kolben", "werkzeug", "markupsafe", "click", "blinker"}


def test_import_loads_only_declared_dependencies() -> None:
    code = (
        "import json, sys; import kolben.testing;"
        # Every name, including those imported on first access.
        " [getattr(kolben.testing, name) for name in dir(kolben.testing)];"
        " print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    top_level = {name.partition(".")[0] for name in loaded}
    foreign = sorted(
        name
        for name in top_level - ALLOWED
        if name not in sys.stdlib_module_names and not name.startswith("_")
    )
    assert foreign == []
    parts = {name for name in loaded if name.startswith("kolben.")}
    assert {p.split(".")[1] for p in parts} <= {"testing", "contexts"}


def test_facet_does_not_load_the_test_tools() -> None:
    # An application class mixes the facet in when its module is imported;
    # the client, the environ builder and click's runner arrive on first use.
    code = (
        "import json, sys; from kolben.testing import TestingAppFacet;"
        " print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    deferred = {"kolben.testing.client", "kolben.testing.runner", "click.testing"}
    assert loaded & deferred == set()
