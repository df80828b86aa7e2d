"""Importing kolben.templating loads nothing outside its declared dependencies."""

from __future__ import annotations

import json
import subprocess
import sys

ALLOWED_TOP_LEVEL = {"kolben", "jinja2", "markupsafe", "blinker", "werkzeug"}

SCRIPT = """
import json, sys
before = set(sys.modules)
import kolben.templating
# Every name, including those imported on first access.
[getattr(kolben.templating, name) for name in dir(kolben.templating)]
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_import_loads_only_declared_dependencies() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    ours = {name for name in loaded if name.startswith("kolben.")}
    assert {name.split(".")[1] for name in ours} == {"templating", "contexts"}
    third_party = {
        name.split(".")[0]
        for name in loaded
        if name.split(".")[0] not in sys.stdlib_module_names
    }
    # werkzeug comes with kolben-contexts, our one sibling.
    assert third_party <= ALLOWED_TOP_LEVEL
    assert "flask" not in third_party


RENDERING = [
    "get_template_attribute",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
]


def test_rendering_functions_load_on_first_access() -> None:
    # Defining an application class needs the facets, not the rendering
    # functions, which arrive with the first use of one of them.
    code = (
        "import sys, kolben.templating;"
        " print('kolben.templating.rendering' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
    import kolben.templating
    import kolben.templating.rendering

    for name in RENDERING:
        assert getattr(kolben.templating, name) is getattr(
            kolben.templating.rendering, name
        )
        assert name in dir(kolben.templating)
