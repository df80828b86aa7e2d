"""Minimal application and blueprint classes, and the fixtures the CLI tests share.

Test modules cannot import this file (``--import-mode=importlib``), so the
classes reach them through fixtures; app modules written to a temporary folder
import them from the fake module ``tinyapp`` (see ``modules``).
"""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import textwrap
import types
import typing as t

import pytest
from click.testing import CliRunner
from werkzeug.routing import Map
from werkzeug.routing import MapAdapter
from werkzeug.routing import Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from kolben.cli import CliAppFacet
from kolben.cli import CliBlueprintFacet
from kolben.cli import DEFAULT_CLI_GROUP
from kolben.cli import register_app_class
from kolben.cli import registered_app_classes
from kolben.cli import unregister_app_class
from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import ContextsAppFacet


class NoSessions:
    def open_session(self, app: t.Any, request: t.Any) -> dict[str, t.Any]:
        return {}

    def make_null_session(self, app: t.Any) -> dict[str, t.Any]:
        return {}


class TinyApp(ContextsAppFacet, CliAppFacet):
    """Just enough of an application for every command."""

    request_class = Request
    session_interface = NoSessions()

    def __init__(self, name: str = "tiny", host_matching: bool = False) -> None:
        self.name = name
        self.import_name = name
        self.debug = False
        self.url_map = Map(host_matching=host_matching)

    def add_url_rule(self, rule: str, endpoint: str, **options: t.Any) -> None:
        self.url_map.add(Rule(rule, endpoint=endpoint, **options))

    def register_blueprint(self, blueprint: t.Any, **options: t.Any) -> None:
        blueprint._merge_blueprint_cli(self, options)

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is None:
            return None
        return self.url_map.bind_to_environ(request.environ)

    def do_teardown_request(self, exc: BaseException | None) -> None:
        pass

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        return func

    def wsgi_app(self, environ: t.Any, start_response: t.Any) -> cabc.Iterable[bytes]:
        return Response(f"I am {self.name}")(environ, start_response)

    __call__ = wsgi_app

    def __repr__(self) -> str:
        return f"<TinyApp {self.name!r}>"


class TinyBlueprint(CliBlueprintFacet):
    def __init__(self, name: str, cli_group: t.Any = DEFAULT_CLI_GROUP) -> None:
        self.name = name
        self.cli_group = cli_group


class Modules:
    """A temporary folder on ``sys.path`` (and the working directory) to write
    app modules into.
    """

    def __init__(self, root: t.Any) -> None:
        self.root = root

    def write(self, name: str, source: str = "") -> t.Any:
        """Write ``name`` (a relative file path) with dedented ``source``."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path


@pytest.fixture(autouse=True)
def _clean_process_state() -> cabc.Iterator[None]:
    """Give each test the environment, ``sys.path`` and modules it started with,
    without the ``FLASK_*`` variables the command line reads or sets.
    """
    environ = dict(os.environ)
    path = sys.path[:]
    modules = set(sys.modules)
    for name in (
        "FLASK_APP",
        "FLASK_DEBUG",
        "FLASK_ENV_FILE",
        "FLASK_RUN_FROM_CLI",
        "FLASK_SKIP_DOTENV",
        "WERKZEUG_RUN_MAIN",
        "PYTHONSTARTUP",
    ):
        os.environ.pop(name, None)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _no_registered_app_classes() -> cabc.Iterator[None]:
    """Start each test with no app class registered (in a run that also tests the
    meta-package, ``flask.Flask`` is), and restore the registry afterwards.
    """
    saved = registered_app_classes()
    for cls in saved:
        unregister_app_class(cls)
    yield
    for cls in registered_app_classes():
        unregister_app_class(cls)
    for cls in saved:
        register_app_class(cls)


def _unwind(var: t.Any) -> bool:
    leaked = False
    while (ctx := var.get(None)) is not None and ctx._tokens:
        var.reset(ctx._tokens.pop())
        leaked = True
    return leaked


@pytest.fixture(autouse=True)
def no_leaked_context() -> cabc.Iterator[None]:
    """Fail a test that leaves a context pushed, without spoiling the next test."""
    yield
    leaked_request = _unwind(_cv_request)
    leaked_app = _unwind(_cv_app)
    assert not leaked_request, "a test left a request context pushed"
    assert not leaked_app, "a test left an app context pushed"


@pytest.fixture
def app_class() -> type[TinyApp]:
    return TinyApp


@pytest.fixture
def blueprint_class() -> type[TinyBlueprint]:
    return TinyBlueprint


@pytest.fixture
def app() -> TinyApp:
    return TinyApp()


@pytest.fixture
def registered() -> type[TinyApp]:
    """TinyApp registered as the application class, like the meta-package's Flask."""
    register_app_class(TinyApp)
    return TinyApp


@pytest.fixture
def modules(tmp_path: t.Any, monkeypatch: pytest.MonkeyPatch) -> Modules:
    """A folder for app modules, first on ``sys.path`` and the working directory;
    modules there can ``from tinyapp import TinyApp``.
    """
    root = tmp_path / "modules"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.chdir(root)
    tinyapp = types.ModuleType("tinyapp")
    tinyapp.TinyApp = TinyApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tinyapp", tinyapp)
    return Modules(root)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
