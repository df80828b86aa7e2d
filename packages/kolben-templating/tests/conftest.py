"""Minimal application and blueprint classes built from the facets, and fixtures.

The owners satisfy the templating protocols with as little as possible: no
routing, no werkzeug request (a tiny request class reads the blueprint of the
"matched endpoint" from the environ), dict config and sessions.
"""

from __future__ import annotations

import asyncio
import collections.abc as cabc
import inspect
import logging
import pathlib
import types
import typing as t
from collections import defaultdict
from urllib.parse import parse_qsl

import pytest

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import ContextsAppFacet
from kolben.contexts import RequestContext
from kolben.templating import TemplatingAppFacet
from kolben.templating import TemplatingBlueprintFacet

#: The app's templates, written into a temporary folder for each test.
APP_TEMPLATES = {
    "context_template.html": "<p>{{ value }}|{{ injected_value }}",
    "simple_template.html": "<h1>{{ whiskey }}</h1>",
    "escaping_template.html": (
        "{{ text }}\n{{ html }}\n"
        "{% autoescape false %}{{ text }}\n{{ html }}{% endautoescape %}\n"
        "{% autoescape true %}{{ text }}\n{{ html }}{% endautoescape %}"
    ),
    "non_escaping_template.txt": (
        "{{ text }}\n{{ html }}\n"
        "{% autoescape false %}{{ text }}\n{{ html }}{% endautoescape %}\n"
        "{% autoescape true %}{{ text }}\n{{ html }}{% endautoescape %}\n"
        "{{ text }}\n{{ html }}"
    ),
    "mail.txt": "{{ foo}} Mail",
    "_macro.html": "{% macro hello(name) %}Hello {{ name }}!{% endmacro %}",
    "template_filter.html": "{{ value|super_reverse }}",
    "template_test.html": "{% if value is boolean %}Success!{% endif %}",
    "nested/nested.txt": "I'm nested",
    "shared.html": "app version",
}

#: Each blueprint's templates, by blueprint name.
BLUEPRINT_TEMPLATES = {
    "admin": {"admin/index.html": "Hello from the Admin", "shared.html": "admin"},
    "frontend": {"frontend/index.html": "Hello from the Frontend"},
}


def write_templates(folder: pathlib.Path, templates: dict[str, str]) -> None:
    for name, source in templates.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


class MiniRequest:
    """Enough of a request for the contexts and the templates.

    ``environ["test.blueprint"]`` plays the blueprint of the matched endpoint.
    """

    def __init__(self, environ: dict[str, t.Any]) -> None:
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.url = "http://localhost" + environ.get("PATH_INFO", "/")
        self.args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        self.blueprint: str | None = environ.get("test.blueprint")
        self.closed = False

    @property
    def blueprints(self) -> list[str]:
        """The blueprint and its parents, innermost first, like Flask's."""
        if self.blueprint is None:
            return []
        parts = self.blueprint.split(".")
        return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    def close(self) -> None:
        self.closed = True


class DictSessions:
    """Opens a dict per request and counts how often a session was opened."""

    def __init__(self) -> None:
        self.opened = 0

    def open_session(self, app: t.Any, request: t.Any) -> dict[str, t.Any]:
        self.opened += 1
        return {"user": request.args.get("user")}

    def make_null_session(self, app: t.Any) -> dict[str, t.Any]:
        return {}


class MiniApp(ContextsAppFacet, TemplatingAppFacet):
    """An application made of the contexts and templating facets only."""

    request_class = MiniRequest

    def __init__(
        self,
        root_path: pathlib.Path,
        import_name: str = "mini",
        template_folder: str | None = "templates",
    ) -> None:
        self.import_name = self.name = import_name
        self.root_path = str(root_path)
        self.template_folder = template_folder
        self.config: dict[str, t.Any] = {
            "DEBUG": False,
            "TEMPLATES_AUTO_RELOAD": None,
            "EXPLAIN_TEMPLATE_LOADING": False,
        }
        self.logger = logging.getLogger(f"kolben-tests.{import_name}")
        self.template_context_processors: dict[
            str | None, list[cabc.Callable[[], dict[str, t.Any]]]
        ] = defaultdict(list)
        self.blueprints: dict[str, MiniBlueprint] = {}
        self.session_interface = DictSessions()
        self.synced: list[t.Any] = []
        self._init_templating()

    @property
    def debug(self) -> bool:
        return bool(self.config["DEBUG"])

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        self._refresh_jinja_auto_reload()

    def iter_blueprints(self) -> cabc.Iterator[MiniBlueprint]:
        return iter(self.blueprints.values())

    def register_blueprint(self, blueprint: MiniBlueprint) -> None:
        self.blueprints[blueprint.name] = blueprint
        blueprint.register(self)

    def context_processor(
        self, f: cabc.Callable[[], dict[str, t.Any]], blueprint: str | None = None
    ) -> cabc.Callable[[], dict[str, t.Any]]:
        self.template_context_processors[blueprint].append(f)
        return f

    def url_for(self, endpoint: str, /, **values: t.Any) -> str:
        return f"/{endpoint}"

    def create_url_adapter(self, request: t.Any) -> None:
        return None

    def do_teardown_request(self, exc: BaseException | None) -> None:
        pass

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        self.synced.append(func)
        if not inspect.iscoroutinefunction(func):
            return func

        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return asyncio.run(func(*args, **kwargs))

        return run

    def test_request_context(
        self, query: str = "", blueprint: str | None = None
    ) -> RequestContext:
        environ: dict[str, t.Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "QUERY_STRING": query,
        }
        if blueprint is not None:
            environ["test.blueprint"] = blueprint
        return self.request_context(environ)


class MiniBlueprint(TemplatingBlueprintFacet):
    """A blueprint with deferred setup functions, run once when registered."""

    def __init__(
        self,
        name: str,
        root_path: pathlib.Path,
        template_folder: str | None = None,
    ) -> None:
        self.name = name
        self.import_name = f"mini.{name}"
        self.root_path = str(root_path)
        self.template_folder = template_folder
        self.deferred: list[cabc.Callable[[t.Any], None]] = []
        self.registered = False
        self.guarded: list[str] = []

    def _check_setup_finished(self, f_name: str) -> None:
        self.guarded.append(f_name)
        if self.registered:
            raise AssertionError(f"{f_name!r} called after registration")

    def record_once(self, func: cabc.Callable[[t.Any], None]) -> None:
        self.deferred.append(func)

    def register(self, app: MiniApp) -> None:
        state = types.SimpleNamespace(app=app)
        if not self.registered:
            for func in self.deferred:
                func(state)
        self.registered = True


@pytest.fixture
def app_root(tmp_path: pathlib.Path) -> pathlib.Path:
    """A folder holding ``templates/`` with :data:`APP_TEMPLATES`."""
    root = tmp_path / "app"
    write_templates(root / "templates", APP_TEMPLATES)
    return root


@pytest.fixture
def make_app(app_root: pathlib.Path) -> cabc.Callable[..., MiniApp]:
    """Build a minimal app, by default rooted at :func:`app_root`."""

    def make(**kwargs: t.Any) -> MiniApp:
        kwargs.setdefault("root_path", app_root)
        return MiniApp(**kwargs)

    return make


@pytest.fixture
def app(make_app: cabc.Callable[..., MiniApp]) -> MiniApp:
    return make_app()


@pytest.fixture
def app_ctx(app: MiniApp) -> cabc.Iterator[t.Any]:
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def req_ctx(app: MiniApp) -> cabc.Iterator[RequestContext]:
    with app.test_request_context() as ctx:
        yield ctx


@pytest.fixture
def make_blueprint(tmp_path: pathlib.Path) -> cabc.Callable[..., MiniBlueprint]:
    """Build a minimal blueprint; ``templates=True`` gives it a template folder
    with its :data:`BLUEPRINT_TEMPLATES`.
    """

    def make(name: str, templates: bool = False) -> MiniBlueprint:
        root = tmp_path / name
        if templates:
            write_templates(root / "templates", BLUEPRINT_TEMPLATES.get(name, {}))
            return MiniBlueprint(name, root, template_folder="templates")
        return MiniBlueprint(name, root)

    return make


@pytest.fixture
def blueprint_app(
    app: MiniApp, make_blueprint: cabc.Callable[..., MiniBlueprint]
) -> MiniApp:
    """The app with the ``admin`` then ``frontend`` blueprints registered."""
    app.register_blueprint(make_blueprint("admin", templates=True))
    app.register_blueprint(make_blueprint("frontend", templates=True))
    return app


@pytest.fixture(autouse=True)
def no_leaked_context() -> cabc.Iterator[None]:
    yield
    leaked = _cv_request.get(None) is not None or _cv_app.get(None) is not None
    while (ctx := _cv_request.get(None)) is not None:
        ctx.pop()
    while (ctx := _cv_app.get(None)) is not None:
        ctx.pop()
    assert not leaked, "a test left a context pushed"
