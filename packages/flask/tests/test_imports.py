"""``import flask`` loads what serving requests needs, and no more.

The command line, the test tools and the debug helpers are imported when they
are first used (``app.cli``, ``app.test_client()``, ``flask.testing``, ...).
Only modules Flask 3.1.3's own ``import flask`` does not load either are
listed, so the check asks for nothing upstream does not do.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules that ``import flask`` must not load.
DEFERRED = [
    # flask's own modules for tests, debugging and class-based views.
    "flask.debughelpers",
    "flask.testing",
    "flask.views",
    # The test client, the environ builder and the CLI runner behind them.
    "kolben.testing.client",
    "kolben.testing.environ",
    "kolben.testing.runner",
    "click.testing",
    "pdb",
    # The command line's group, commands and app discovery (and with them click).
    "kolben.cli.commands",
    "kolben.cli.discovery",
    "kolben.cli.group",
    "kolben.cli.scriptinfo",
    # Only needed to explain template loading, or without an app class.
    "kolben.templating.debug",
    "kolben.templating.templates",
    # Only async views and handlers need an event loop.
    "asyncio",
]

FIRST_USE = """
import json, sys
import flask
app = flask.Flask("deferred")

@app.cli.command()
def hello():
    pass

app.test_client().get("/")
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def test_import_flask_defers_cli_testing_and_debugging() -> None:
    loaded = loaded_by(
        "import json, sys, flask; print(json.dumps(sorted(sys.modules)))"
    )
    assert "flask.app" in loaded
    assert sorted(loaded & set(DEFERRED)) == []


def test_deferred_modules_load_on_first_use() -> None:
    # The same modules arrive as soon as the app's commands or client are used.
    loaded = loaded_by(FIRST_USE)
    assert {"kolben.cli.scriptinfo", "kolben.testing.client", "click"} <= loaded


@pytest.mark.parametrize("name", ["cli", "debughelpers", "testing", "views"])
def test_deferred_submodules_are_attributes(name: str) -> None:
    import flask

    module = getattr(flask, name)
    assert module is sys.modules[f"flask.{name}"]
    assert name in dir(flask)
