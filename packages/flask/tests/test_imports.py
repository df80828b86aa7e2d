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


@pytest.mark.parametrize(
    "name",
    [
        "blueprints",
        "cli",
        "ctx",
        "debughelpers",
        "globals",
        "logging",
        "sansio",
        "sessions",
        "templating",
        "testing",
        "typing",
        "views",
    ],
)
def test_deferred_submodules_are_attributes(name: str) -> None:
    import flask

    module = getattr(flask, name)
    assert module is sys.modules[f"flask.{name}"]
    assert name in dir(flask)


JINJA = {"jinja2", "flask.templating", "kolben.templating.environment"}


def test_jinja_loads_when_a_template_is_rendered() -> None:
    # An app serving requests without templates never pays for Jinja; the
    # first render (or reading the environment class) loads it.
    served = loaded_by(
        "import json, sys\n"
        "from flask import Flask, render_template_string\n"
        "app = Flask('lazy', template_folder='templates')\n"
        "app.add_url_rule('/', 'index', lambda: 'hi')\n"
        "assert app.test_client().get('/').text == 'hi'\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert sorted(served & JINJA) == []
    rendered = loaded_by(
        "import json, sys\n"
        "from flask import Flask, render_template_string\n"
        "app = Flask('lazy')\n"
        "with app.app_context():\n"
        "    assert render_template_string('{{ 1 + 1 }}') == '2'\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert {"jinja2", "kolben.templating.environment"} <= rendered


def test_jinja_names_of_flask_modules_are_jinja_s() -> None:
    import jinja2

    import flask.app
    import flask.sansio.scaffold
    import flask.templating

    assert flask.Flask.jinja_environment is flask.templating.Environment
    assert flask.app.Environment is flask.templating.Environment
    assert issubclass(flask.app.Environment, jinja2.Environment)
    assert flask.sansio.scaffold.BaseLoader is jinja2.BaseLoader
    assert flask.sansio.scaffold.FileSystemLoader is jinja2.FileSystemLoader
    assert flask.render_template is flask.templating.render_template


def test_pathlib_loads_when_an_app_is_built() -> None:
    # Upstream's ``import flask`` loads pathlib; ours leaves it to the
    # instance folder lookup of the first app, and the module name Flask's
    # ``flask.sansio.scaffold`` binds still resolves to the real module.
    imported = loaded_by(
        "import json, sys, flask; print(json.dumps(sorted(sys.modules)))"
    )
    assert "pathlib" not in imported
    built = loaded_by(
        "import json, sys, flask\n"
        "flask.Flask('built')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert "pathlib" in built


def test_scaffold_pathlib_is_the_module() -> None:
    import pathlib

    import flask.sansio.scaffold

    assert flask.sansio.scaffold.pathlib is pathlib


#: Modules upstream's ``import flask`` loads and ours leaves to first use:
#: werkzeug's routing package to the first app built, the sessions package
#: (and itsdangerous) to the first use of a session interface.
LATER = {
    "werkzeug.routing",
    "itsdangerous",
    "kolben.sessions",
    "flask.json.tag",
    # Needed when an app uses blueprints, logs or renders.
    "flask.blueprints",
    "kolben.routing.blueprints",
    "flask.logging",
    "kolben.templating.rendering",
    # Modules that only re-export kolben.contexts' names, or annotate.
    "flask.ctx",
    "flask.globals",
    "flask.typing",
}


def test_import_flask_defers_routing_and_sessions() -> None:
    imported = loaded_by(
        "import json, sys, flask; print(json.dumps(sorted(sys.modules)))"
    )
    assert sorted(imported & LATER) == []
    built = loaded_by(
        "import json, sys, flask\n"
        "flask.Flask('built')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert {"werkzeug.routing", "flask._instance"} <= built
    assert "kolben.sessions" not in built
    served = loaded_by(
        "import json, sys, flask\n"
        "app = flask.Flask('served')\n"
        "app.add_url_rule('/', 'index', lambda: 'hi')\n"
        "assert app.test_client().get('/').text == 'hi'\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert {"werkzeug.routing", "itsdangerous", "kolben.sessions"} <= served


@pytest.mark.parametrize(
    ("module", "name", "source"),
    [
        ("flask.app", "BuildError", "werkzeug.routing"),
        ("flask.app", "MapAdapter", "werkzeug.routing"),
        ("flask.app", "RequestRedirect", "werkzeug.routing"),
        ("flask.app", "RoutingException", "werkzeug.routing"),
        ("flask.app", "Rule", "werkzeug.routing"),
        ("flask.app", "SecureCookieSessionInterface", "kolben.sessions"),
        ("flask.app", "SessionInterface", "kolben.sessions"),
        ("flask.app", "_sentinel", "flask.sansio.scaffold"),
        ("flask", "Blueprint", "flask.blueprints"),
        ("flask", "render_template", "kolben.templating.rendering"),
        ("flask", "render_template_string", "kolben.templating.rendering"),
        ("flask", "stream_template", "kolben.templating.rendering"),
        ("flask", "stream_template_string", "kolben.templating.rendering"),
        ("flask", "get_template_attribute", "kolben.templating.rendering"),
        ("flask.helpers", "get_template_attribute", "kolben.templating.rendering"),
    ],
)
def test_deferred_names_are_the_same_objects(
    module: str, name: str, source: str
) -> None:
    import importlib

    owner = importlib.import_module(module)
    assert getattr(owner, name) is getattr(importlib.import_module(source), name)
    assert name in dir(owner)


def test_sessions_and_json_tag_are_attributes() -> None:
    import flask
    import kolben.sessions

    assert flask.sessions is sys.modules["flask.sessions"]
    assert "sessions" in dir(flask)
    assert flask.json.tag is sys.modules["flask.json.tag"]
    assert "tag" in dir(flask.json)
    assert flask.json.tag.TaggedJSONSerializer is kolben.sessions.TaggedJSONSerializer


def test_default_session_interface_is_one_cookie_interface() -> None:
    import flask
    from kolben.sessions import SecureCookieSessionInterface

    default = flask.Flask.session_interface
    assert type(default) is SecureCookieSessionInterface
    assert flask.Flask.session_interface is default
    assert flask.Flask("one").session_interface is default
    assert flask.Flask("two").session_interface is default


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("after_this_request", "flask.ctx"),
        ("copy_current_request_context", "flask.ctx"),
        ("has_app_context", "flask.ctx"),
        ("has_request_context", "flask.ctx"),
        ("current_app", "flask.globals"),
        ("g", "flask.globals"),
        ("request", "flask.globals"),
        ("session", "flask.globals"),
    ],
)
def test_context_names_are_those_of_their_flask_module(name: str, module: str) -> None:
    import importlib

    import flask

    assert getattr(flask, name) is getattr(importlib.import_module(module), name)


def test_flask_app_ft_is_flask_typing() -> None:
    import flask.app
    import flask.typing

    assert flask.app.ft is flask.typing
    assert "ft" in dir(flask.app)


#: The names Flask 3.1.3's ``from flask import *`` binds, besides the
#: incidental ``annotations`` and ``t`` of its own module.
STAR = """
Blueprint Config Flask Request Response abort after_this_request app
appcontext_popped appcontext_pushed appcontext_tearing_down before_render_template
blueprints cli config copy_current_request_context ctx current_app flash g
get_flashed_messages get_template_attribute globals got_request_exception
has_app_context has_request_context helpers json jsonify logging make_response
message_flashed redirect render_template render_template_string request
request_finished request_started request_tearing_down sansio send_file
send_from_directory session sessions signals stream_template
stream_template_string stream_with_context template_rendered templating typing
url_for wrappers
""".split()


def test_star_import_binds_what_flask_s_does() -> None:
    # A fresh interpreter, so names not yet loaded are bound all the same.
    code = (
        "import json\n"
        "from flask import *\n"
        "import flask\n"
        "names = [n for n in dir() if not n.startswith('_')]\n"
        "print(json.dumps([n for n in names if eval(n) is getattr(flask, n, None)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    bound = set(json.loads(out))
    assert set(STAR) <= bound
