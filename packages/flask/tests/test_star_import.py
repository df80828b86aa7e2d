"""``from flask.<module> import *`` binds what Flask's own star import binds.

Flask's modules have no ``__all__``, so a star import of one binds every
public name of the module. Some of ours import a few of those names on first
access (to keep ``import flask`` cheap); a star import must bind them all
the same, as the same objects the module attribute gives.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Per module, the names it imports on first access rather than at import.
DEFERRED = {
    "flask.app": {
        "BuildError",
        "Environment",
        "MapAdapter",
        "RequestRedirect",
        "RoutingException",
        "Rule",
        "SecureCookieSessionInterface",
        "SessionInterface",
        "cli",
        "click",
        "ft",
    },
    "flask.blueprints": {"AppGroup"},
    "flask.helpers": {"get_template_attribute"},
    "flask.json": {"tag"},
    "flask.json.provider": {"decimal", "uuid"},
    "flask.json.tag": {"UUID"},
    "flask.sansio.scaffold": {"BaseLoader", "FileSystemLoader", "pathlib"},
}

# Run in a fresh interpreter per module: in this one, earlier tests have
# imported modules (``flask.json.tag``) that would already be attributes.
STAR_IMPORT = """
import importlib, json, sys
import flask
module = importlib.import_module(sys.argv[1])
public = sorted(name for name in dir(module) if not name.startswith("_"))
namespace = {}
exec(f"from {sys.argv[1]} import *", namespace)
del namespace["__builtins__"]
same = sorted(n for n, v in namespace.items() if v is getattr(module, n))
print(json.dumps({"public": public, "bound": sorted(namespace), "same": same}))
"""


@pytest.fixture(scope="module")
def star_imports() -> dict[str, dict[str, list[str]]]:
    """What the star import of each module binds, from interpreters run side
    by side."""
    runs = {
        module: subprocess.Popen(
            [sys.executable, "-c", STAR_IMPORT, module],
            stdout=subprocess.PIPE,
            text=True,
        )
        for module in DEFERRED
    }
    found = {}
    for module, process in runs.items():
        out = process.communicate()[0]
        assert process.returncode == 0, module
        found[module] = json.loads(out)
    return found


@pytest.mark.parametrize("module", sorted(DEFERRED))
def test_star_import_binds_every_public_name(
    module: str, star_imports: dict[str, dict[str, list[str]]]
) -> None:
    found = star_imports[module]
    assert DEFERRED[module] <= set(found["bound"])
    # Every public name, the deferred ones included, and nothing private.
    assert found["bound"] == found["public"]
    assert found["same"] == found["bound"]


def test_star_import_binds_names_extensions_use() -> None:
    namespace: dict[str, object] = {}
    exec("from flask.app import *", namespace)
    import werkzeug.routing

    import flask

    assert namespace["Rule"] is werkzeug.routing.Rule
    assert namespace["Flask"] is flask.Flask
    assert namespace["cli"] is flask.cli
    assert "_sentinel" not in namespace
