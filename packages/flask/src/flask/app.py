"""The ``Flask`` application class, composed from the Kolben parts.

Each part contributes a facet (see ``docs/design/composition.md``):

==========================  ===================================================
``ContextsAppFacet``        app and request contexts, ``teardown_appcontext``
``TemplatingAppFacet``      the Jinja environment, template filters/tests/globals
``TestingAppFacet``         ``test_client``, ``test_cli_runner``,
                            ``test_request_context``
``CliAppFacet``             ``app.cli``, shell context processors
``StaticFilesFacet``        ``send_static_file``, ``open_resource``
``RequestPipeline``         ``wsgi_app`` and the steps of a request
``ErrorHandling``           error handlers, propagation, logging of errors
``RoutingApp``              the registries, URL map, blueprints, ``url_for``
==========================  ===================================================

What no part owns lives here: configuration, the instance folder, JSON,
logging, aborting and redirecting, async support and the development server.
"""

from __future__ import annotations

import collections.abc as cabc
import logging
import os
import sys
import typing as t
import weakref as weakref
from datetime import timedelta as timedelta
from functools import cached_property
from inspect import CO_COROUTINE
from inspect import iscoroutinefunction as iscoroutinefunction
from itertools import chain as chain
from types import FunctionType
from types import TracebackType as TracebackType
from urllib.parse import quote as _url_quote  # noqa: F401

import werkzeug.serving
from werkzeug.datastructures import Headers as Headers
from werkzeug.datastructures import ImmutableDict as ImmutableDict
from werkzeug.exceptions import Aborter
from werkzeug.exceptions import BadRequestKeyError as BadRequestKeyError
from werkzeug.exceptions import HTTPException as HTTPException
from werkzeug.exceptions import InternalServerError as InternalServerError
from werkzeug.serving import is_running_from_reloader as is_running_from_reloader
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wrappers import Response as BaseResponse
from werkzeug.wsgi import get_host as get_host

from kolben.cli import CliAppFacet
from kolben.cli import load_dotenv as _load_dotenv
from kolben.cli import register_app_class
from kolben.contexts import _cv_app as _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import AppContext as AppContext
from kolben.contexts import appcontext_tearing_down as appcontext_tearing_down
from kolben.contexts import ContextsAppFacet
from kolben.contexts import current_app as current_app
from kolben.contexts import g as g
from kolben.contexts import request as request
from kolben.contexts import request_ctx as request_ctx
from kolben.contexts import request_tearing_down as request_tearing_down
from kolben.contexts import RequestContext as RequestContext
from kolben.contexts import session as session
from kolben.routing import get_root_path
from kolben.routing import RoutingApp
from kolben.templating import TemplatingAppFacet
from kolben.testing import TestingAppFacet

from ._errors import ErrorHandling
from ._pipeline import RequestPipeline
from ._static import StaticFilesFacet
from .config import Config
from .config import ConfigAttribute
from .helpers import _encode_line_breaks
from .helpers import get_debug_flag as get_debug_flag
from .helpers import get_flashed_messages as get_flashed_messages
from .helpers import get_load_dotenv as get_load_dotenv
from .helpers import send_from_directory as send_from_directory
from .json.provider import _default as _json_default
from .json.provider import DefaultJSONProvider
from .json.provider import JSONProvider
from .signals import got_request_exception as got_request_exception
from .signals import request_finished as request_finished
from .signals import request_started as request_started
from .wrappers import Request
from .wrappers import Response

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import BuildError as BuildError
    from werkzeug.routing import MapAdapter as MapAdapter
    from werkzeug.routing import RequestRedirect as RequestRedirect
    from werkzeug.routing import RoutingException as RoutingException
    from werkzeug.routing import Rule as Rule

    from kolben.cli import AppGroup
    from kolben.sessions import (
        SecureCookieSessionInterface as SecureCookieSessionInterface,
    )
    from kolben.sessions import SessionInterface as SessionInterface
    from kolben.templating import Environment as Environment

    from . import cli as cli
    from . import typing as ft
    from ._errors import _ExcInfo

T = t.TypeVar("T")

#: A folder argument: a path, or ``None`` for "no such folder".
_Folder: t.TypeAlias = "str | os.PathLike[str] | None"

# Names Flask's ``flask.app`` exposes besides ``Flask``; extensions import some
# of them from here (``flask.app.Rule``, ``flask.app.App`` ...).
App = RoutingApp
T_teardown = t.TypeVar("T_teardown", bound="ft.TeardownCallable")
T_shell_context_processor = t.TypeVar(
    "T_shell_context_processor", bound="ft.ShellContextProcessorCallable"
)
T_template_test = t.TypeVar("T_template_test", bound="ft.TemplateTestCallable")
T_template_global = t.TypeVar("T_template_global", bound="ft.TemplateGlobalCallable")
T_template_filter = t.TypeVar("T_template_filter", bound="ft.TemplateFilterCallable")
T_lifespan = t.TypeVar("T_lifespan", bound=cabc.Callable[[], t.Any])

_NESTED_RUN_WARNING = (
    " * Ignoring a call to 'app.run()': the 'flask' command is already"
    " serving this app.\n"
    "   Guard the call with 'if __name__ == \"__main__\":' so it only runs"
    " as a script."
)


def _make_timedelta(value: t.Any) -> t.Any:
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(seconds=value)


def _file_stem(path: str) -> str:
    stem, _ = os.path.splitext(os.path.basename(path))
    return stem


def _listen_address(
    server_name: str | None, host: str | None, port: int | str | None
) -> tuple[str, int]:
    """Fill in what ``run`` was not told from ``SERVER_NAME``, then from the
    development server's usual ``127.0.0.1:5000``.
    """
    name_host, _, name_port = (server_name or "").partition(":")
    if not port and port != 0:
        port = int(name_port) if name_port else 5000
    return host or name_host or "127.0.0.1", int(port)


_facet_cli = CliAppFacet.__dict__["cli"].func


class _SessionInterfaceSetting:
    """``Flask.session_interface`` when none was assigned: the interface the
    app's ``SESSION_TYPE`` names.

    A non-data descriptor, so an assigned interface (an instance attribute)
    is found without calling it. Once the app has handled a request its
    choice is stored on the app the same way, and later requests pay no more
    than an attribute lookup; until then a change of ``SESSION_TYPE`` is
    seen.

    The default cookie interface is made on first read, so that ``import
    flask`` loads neither :mod:`kolben.sessions` nor itsdangerous.
    """

    def __init__(self) -> None:
        self.default: SessionInterface | None = None

    def __get__(self, app: Flask | None, owner: type[Flask]) -> SessionInterface:
        default = self.default
        if default is None:
            from kolben.sessions import SecureCookieSessionInterface

            default = self.default = SecureCookieSessionInterface()
        if app is None:
            return default
        kind = app.config.get("SESSION_TYPE", "cookie")
        if kind == "cookie" or kind is None:
            interface = default
        else:
            made: dict[str, SessionInterface] = app.__dict__.setdefault(
                "_server_session_interfaces", {}
            )
            interface = made.get(kind)  # type: ignore[assignment]
            if interface is None:
                # Imported here: an app on cookie sessions never loads it.
                from kolben.sessions.server import interface_from_config

                interface = made[kind] = interface_from_config(app)
        if app._got_first_request:
            app.__dict__["session_interface"] = interface
        return interface


class Flask(
    ContextsAppFacet,
    TemplatingAppFacet,
    TestingAppFacet,
    CliAppFacet,
    StaticFilesFacet,
    RequestPipeline,
    ErrorHandling,
    RoutingApp,
):
    """The application: a WSGI application and the registry of its views,
    hooks, templates, configuration and commands.

    Create it in the main module or the ``__init__.py`` of the package::

        from flask import Flask
        app = Flask(__name__)

    ``import_name`` locates the application's files: templates, static files
    and resources are found relative to the folder of that module or package.

    :param import_name: the name of the application's module or package,
        usually ``__name__``.
    :param static_url_path: the URL path of the static files; the name of
        the static folder by default.
    :param static_folder: the folder of static files, relative to the root
        path, served at ``static_url_path``; ``None`` for no static route.
    :param static_host: the host the static route answers on, required with
        ``host_matching`` and a static folder.
    :param host_matching: match rules by their ``host`` argument.
    :param subdomain_matching: match rules by subdomain relative to
        ``SERVER_NAME``.
    :param template_folder: the folder of templates, relative to the root path;
        ``None`` for none.
    :param instance_path: the absolute instance folder; found from the
        package's location by default (see :meth:`auto_find_instance_path`).
    :param instance_relative_config: resolve relative configuration file names
        against the instance folder instead of the root path.
    :param root_path: the folder of the application's files, when it cannot be
        found from ``import_name`` (namespace packages).
    """

    #: The class of :attr:`request`; see :class:`~flask.Request`.
    request_class: type[Request] = Request

    #: The class of responses :meth:`make_response` creates; see
    #: :class:`~flask.Response`.
    response_class: type[Response] = Response

    #: The class of :attr:`aborter`, which :func:`~flask.abort` calls.
    aborter_class = Aborter

    #: The class of :attr:`config`.
    config_class = Config

    #: Whether testing mode is on: errors propagate to the test instead of
    #: becoming 500 responses. The ``TESTING`` setting.
    testing = ConfigAttribute[bool]("TESTING")

    #: The key signing session cookies and anything else the app or its
    #: extensions sign. The ``SECRET_KEY`` setting.
    secret_key = ConfigAttribute[str | bytes | None]("SECRET_KEY")

    #: How long a permanent session lasts, as a ``timedelta``. The
    #: ``PERMANENT_SESSION_LIFETIME`` setting (a number of seconds is accepted).
    permanent_session_lifetime = ConfigAttribute[timedelta](
        "PERMANENT_SESSION_LIFETIME", get_converter=_make_timedelta
    )

    #: The class of :attr:`json`, the app's JSON provider.
    json_provider_class: type[JSONProvider] = DefaultJSONProvider

    #: Stores sessions; by default in a signed cookie. See
    #: :class:`~flask.sessions.SessionInterface`. Unless one is assigned, the
    #: ``SESSION_TYPE`` setting chooses: ``"cookie"`` (the default),
    #: ``"sqlite"``, ``"redis"`` or ``"memory"`` (server-side sessions from
    #: :mod:`kolben.sessions`, built on first use).
    session_interface: SessionInterface = _SessionInterfaceSetting()  # type: ignore[assignment]

    #: The settings every app starts with.
    default_config: ImmutableDict[str, t.Any] = ImmutableDict(
        {
            # Modes, and how errors travel.
            "TESTING": False,
            "DEBUG": None,
            "TRAP_HTTP_EXCEPTIONS": False,
            "TRAP_BAD_REQUEST_ERRORS": None,
            "PROPAGATE_EXCEPTIONS": None,
            # Signing, and the session cookie that relies on it.
            "SECRET_KEY": None,
            "SECRET_KEY_FALLBACKS": None,
            "SESSION_COOKIE_NAME": "session",
            "SESSION_COOKIE_PATH": None,
            "SESSION_COOKIE_DOMAIN": None,
            "SESSION_COOKIE_SECURE": False,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": None,
            "SESSION_COOKIE_PARTITIONED": False,
            "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
            "SESSION_REFRESH_EACH_REQUEST": True,
            # Where the app lives, and what URLs it builds.
            "SERVER_NAME": None,
            "TRUSTED_HOSTS": None,
            "PREFERRED_URL_SCHEME": "http",
            "APPLICATION_ROOT": "/",
            "PROVIDE_AUTOMATIC_OPTIONS": True,
            # Limits on what a request may send.
            "MAX_FORM_PARTS": 1_000,
            "MAX_FORM_MEMORY_SIZE": 500_000,
            "MAX_CONTENT_LENGTH": None,
            # Responses: files and cookies.
            "USE_X_SENDFILE": False,
            "SEND_FILE_MAX_AGE_DEFAULT": None,
            "MAX_COOKIE_SIZE": 4093,
            # Templates.
            "TEMPLATES_AUTO_RELOAD": None,
            "EXPLAIN_TEMPLATE_LOADING": False,
        }
    )

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: _Folder = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: _Folder = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        # The configuration exists before routing's constructor adds the
        # static route, so that rule already sees the app's settings.
        self.import_name = import_name
        if root_path is None:
            root_path = get_root_path(import_name)
        self.root_path = root_path
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError(
                "The instance path must be absolute; the relative path"
                f" {instance_path!r} was given."
            )
        #: The absolute path of the instance folder, for files that belong to
        #: this deployment rather than to the code (configuration, databases).
        self.instance_path = instance_path
        #: The configuration, a :class:`~flask.Config` dict.
        self.config = self.make_config(instance_relative_config)
        #: Raises the HTTP errors :func:`~flask.abort` asks for; see
        #: :meth:`make_aborter`.
        self.aborter = self.make_aborter()
        #: The JSON provider; see :class:`~flask.json.provider.JSONProvider`.
        self.json: JSONProvider = self.json_provider_class(self)
        #: Where extensions keep their state, by extension name.
        self.extensions: dict[str, t.Any] = {}

        RoutingApp.__init__(
            self,
            import_name,
            root_path=root_path,
            template_folder=template_folder,
            static_folder=static_folder,
            static_url_path=static_url_path,
            # How requests are matched to rules.
            host_matching=host_matching,
            static_host=static_host,
            subdomain_matching=subdomain_matching,
        )
        self._init_templating()

    @cached_property
    def cli(self) -> AppGroup:
        """The app's command group (see :class:`~kolben.cli.CliAppFacet`),
        holding the hidden ``sessions`` group as well: ``flask sessions
        purge`` deletes expired server-side session records. It is hidden so
        that the help of an app on cookie sessions does not change.
        """
        group: AppGroup = _facet_cli(self)
        from ._session_cli import sessions_command

        group.add_command(sessions_command)
        return group

    @property
    def session_json(self) -> JSONProvider | None:
        """The JSON provider session data is written with, for
        :mod:`kolben.sessions`: :attr:`json` when it encodes differently from
        the default provider (another class, ``default``, ``sort_keys`` or
        ``ensure_ascii``), so the session goes through it as in Flask;
        ``None`` while it is the default, which lets the session interface
        use its own encoder, byte for byte the same.

        .. versionadded:: 3.1.3
        """
        provider = self.json
        if (
            type(provider) is DefaultJSONProvider
            and provider.sort_keys is True
            and provider.ensure_ascii is True
            and provider.default is _json_default
        ):
            return None
        return provider

    @cached_property
    def name(self) -> str:
        """The application's name: the import name, or for ``__main__`` the
        name of the script being run. The logger is named after it.
        """
        if self.import_name != "__main__":
            return self.import_name
        # A script run directly is named after its file, not "__main__".
        script = getattr(sys.modules["__main__"], "__file__", None)
        return "__main__" if script is None else _file_stem(script)

    @cached_property
    def logger(self) -> logging.Logger:
        """The :mod:`logging` logger named after :attr:`name`.

        In debug mode it logs at ``DEBUG`` unless it has a level; when no
        handler would emit its records it gets
        :data:`~flask.logging.default_handler`. Configure logging before first
        using it to take over.
        """
        from .logging import create_logger

        return create_logger(self)

    # Here rather than with the other error handling in _errors: a log record
    # names the module and function it was made in, and Flask users grep their
    # logs for "ERROR in app: Exception on ...".
    def log_exception(self, exc_info: _ExcInfo) -> None:
        """Log an unhandled error (with its traceback) to :attr:`logger`; called
        by :meth:`handle_exception` when the error does not propagate. Override
        to log elsewhere or not at all.
        """
        req = _cv_request.get().request
        self.logger.error(f"Exception on {req.path} [{req.method}]", exc_info=exc_info)

    @property
    def debug(self) -> bool:
        """Whether debug mode is on: the interactive debugger on errors, the
        reloader, auto-reloading templates, detailed error messages. The
        ``DEBUG`` setting, from ``FLASK_DEBUG`` by default.

        Never enable it in production.
        """
        return self.config["DEBUG"]  # type: ignore[no-any-return]

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        if self.config["TEMPLATES_AUTO_RELOAD"] is None:
            self._refresh_jinja_auto_reload()

    def make_config(self, instance_relative: bool = False) -> Config:
        """Create :attr:`config` from :attr:`default_config`, with ``DEBUG``
        from ``FLASK_DEBUG``; called by the constructor.

        :param instance_relative: resolve relative file names against the
            instance folder rather than the root path.
        """
        root_path = self.instance_path if instance_relative else self.root_path
        defaults = dict(self.default_config)
        defaults["DEBUG"] = get_debug_flag()
        return self.config_class(root_path, defaults)

    def make_aborter(self) -> Aborter:
        """Create :attr:`aborter` (an :attr:`aborter_class`); called by the
        constructor. Add to its ``mapping`` to make :func:`~flask.abort` know
        more codes.
        """
        return self.aborter_class()

    def auto_find_instance_path(self) -> str:
        """Return the default instance folder: ``instance`` beside the package
        when it runs from a source checkout, ``<prefix>/var/<name>-instance``
        when it is installed.
        """
        from ._instance import default_instance_path

        return default_instance_path(self.import_name, self.name)

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open a file of the instance folder; unlike :meth:`open_resource` it
        may be opened for writing.

        :param resource: the path relative to :attr:`instance_path`.
        :param mode: any mode of :func:`open`.
        :param encoding: the encoding in text mode, ignored in binary mode.

        .. versionchanged:: 3.1
            ``encoding`` (Flask 3.1).
        """
        # open() refuses an encoding in binary mode, so it only goes to text.
        binary = "b" in mode
        return open(
            os.path.join(self.instance_path, resource),
            mode,
            encoding=None if binary else encoding,
        )

    def _extend_jinja_env(self, env: Environment) -> None:
        # Flask's own template globals and the JSON policy of ``|tojson``.
        env.globals["get_flashed_messages"] = get_flashed_messages
        env.policies["json.dumps_function"] = self.json.dumps

    def redirect(self, location: str, code: int = 302) -> BaseResponse:
        """Return a response redirecting to ``location``;
        :func:`~flask.redirect` calls it inside an app context, so an app can
        change how redirects are made.

        CR and LF in ``location`` are percent-encoded (``%0D``, ``%0A``):
        the target is often user-supplied, and a raw line break would make
        the ``Location`` header invalid (a 500) instead of a redirect.

        :param location: the URL to redirect to.
        :param code: the status code.
        """
        return _wz_redirect(
            _encode_line_breaks(location), code=code, Response=self.response_class
        )

    def ensure_sync(self, func: cabc.Callable[..., T]) -> cabc.Callable[..., T]:
        """Return ``func`` callable synchronously: coroutine functions are
        wrapped with :meth:`async_to_sync`, others returned as they are. Every
        view, hook and handler is called through it.
        """
        if (
            type(func) is FunctionType
            and not func.__code__.co_flags & CO_COROUTINE
            and "_is_coroutine_marker" not in func.__dict__
        ):
            # A plain function that inspect would not call a coroutine
            # function (nor one marked as such), without its several calls.
            return func
        if iscoroutinefunction(func):
            return self.async_to_sync(func)
        return func

    def async_to_sync(
        self, func: cabc.Callable[..., cabc.Coroutine[t.Any, t.Any, T]]
    ) -> cabc.Callable[..., T]:
        """Run a coroutine function synchronously, with asgiref's
        ``async_to_sync``. Override it to use another event loop integration.

        :raises RuntimeError: when asgiref is not installed (the ``async``
            extra).
        """
        asgi = sys.modules.get("kolben.asgi")
        if asgi is not None:
            loop = asgi.server_loop()
            if loop is not None:
                # Served by kolben.asgi: await on the server's one loop, so
                # loop-bound objects outlive the request.
                run = asgi.sync_on_loop(func, loop)

                def call(*args: t.Any, **kwargs: t.Any) -> T:
                    # The loop cannot block on the body: load it here, in the
                    # worker thread (form data parsed, files spooled).
                    ctx = _cv_request.get(None)
                    if ctx is not None:
                        ctx.request.get_data(parse_form_data=True)
                    return t.cast(T, run(*args, **kwargs))

                return call
        try:
            from asgiref.sync import async_to_sync
        except ImportError:
            raise RuntimeError(
                "Install Flask with the 'async' extra in order to use async"
                " views (pip install 'flask[async]'), which installs asgiref."
            ) from None
        return async_to_sync(func)

    @cached_property
    def asgi_app(self) -> t.Any:
        """This app as an ASGI application: ``uvicorn module:app.asgi_app``.

        A :class:`kolben.asgi.ASGIAdapter`, made (and ``kolben.asgi``
        imported) on first access, so WSGI serving pays nothing for it.
        Async views and hooks are awaited on the server's event loop.

        .. versionadded:: 3.1.3
        """
        from kolben.asgi import ASGIAdapter

        return ASGIAdapter(self)

    def asgi_handler(self, environ: WSGIEnvironment) -> t.Any:
        """Return the coroutine that serves this request on the ASGI server's
        loop, or ``None`` to serve it the WSGI way in the thread pool.

        :class:`kolben.asgi.ASGIAdapter` asks for each request (the
        :class:`kolben.asgi.protocols.NativeApp` protocol). An ``async def``
        view is awaited on the loop, holding no thread while it waits;
        sync hooks, handlers and body loading around it run in the pool.

        .. versionadded:: 3.1.3
        """
        from ._asgi import native_handler

        return native_handler(self, environ)

    def before_serving(self, func: T_lifespan) -> T_lifespan:
        """Register ``func`` to run when an ASGI server starts (lifespan).

        Sync or ``async def``, called with no arguments inside the app
        context. Only ASGI servers send lifespan events.

        .. versionadded:: 3.1.3
        """
        return t.cast("T_lifespan", self.asgi_app.before_serving(func))

    def after_serving(self, func: T_lifespan) -> T_lifespan:
        """Register ``func`` to run when an ASGI server shuts down (lifespan).

        .. versionadded:: 3.1.3
        """
        return t.cast("T_lifespan", self.asgi_app.after_serving(func))

    def run(
        self,
        host: str | None = None,
        port: int | str | None = None,
        debug: bool | None = None,
        load_dotenv: bool = True,
        **options: t.Any,
    ) -> None:
        """Serve the application with werkzeug's development server.

        Not for production: use a WSGI server. The ``flask run`` command is
        the usual way to start it; call this only under
        ``if __name__ == "__main__":``, since it blocks. Inside a running
        ``flask`` command it does nothing.

        :param host: the interface to listen on; the host of ``SERVER_NAME``,
            else ``127.0.0.1``.
        :param port: the port, an int or a numeric string; the port of
            ``SERVER_NAME``, else 5000.
        :param debug: set debug mode, which turns on the reloader and debugger.
        :param load_dotenv: load ``.env`` and ``.flaskenv`` files and take
            ``FLASK_DEBUG`` from them.
        :param options: passed to :func:`werkzeug.serving.run_simple`, e.g.
            ``use_reloader``, ``use_debugger``, ``threaded``, ``ssl_context``.
        """
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            # ``flask run`` is already serving this app: a second, blocking
            # server would never return to the command.
            if not is_running_from_reloader():
                import click

                click.secho(_NESTED_RUN_WARNING, fg="red")
            return

        if get_load_dotenv(load_dotenv):
            _load_dotenv()
            # An explicit ``debug`` argument beats FLASK_DEBUG from the files.
            if debug is None and "FLASK_DEBUG" in os.environ:
                debug = get_debug_flag()
        if debug is not None:
            self.debug = bool(debug)

        host, port = _listen_address(self.config.get("SERVER_NAME"), host, port)
        options = {
            "threaded": True,
            "use_debugger": self.debug,
            "use_reloader": self.debug,
            **options,
        }

        from kolben.cli import show_server_banner

        show_server_banner(self.debug, self.name)

        try:
            werkzeug.serving.run_simple(host, port, self, **options)
        finally:
            # After a reload in the same process the app starts afresh.
            self._got_first_request = False


# The `flask` command looks for instances of Flask when it discovers an app.
register_app_class(Flask)


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global. Served here rather than assigned, so the names below
        # are bound too, and type checkers and the API docs are not told that
        # ``os`` or ``t`` are this module's API.
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module has ``cli`` and ``click``; they are imported on first access, as
    # ``flask.cli`` is, so that importing the app class does not load click.
    if name == "cli":
        import importlib

        return importlib.import_module("flask.cli")
    if name == "click":
        import click

        return click
    if name == "Environment":
        # Flask's module has the Jinja environment class; Jinja is loaded
        # when a template is first rendered, or when this is first read.
        from kolben.templating import Environment

        return Environment
    if name in _ROUTING_NAMES:
        # werkzeug's routing package is imported when the first app is built
        # (its url_map_class), not by ``import flask``.
        import werkzeug.routing

        return getattr(werkzeug.routing, name)
    if name == "ft":
        # Flask's module names its typing module so; it only annotates here.
        from . import typing

        return typing
    if name == "_sentinel":
        # Flask's private marker, which extensions import from here.
        from .sansio.scaffold import _sentinel

        return _sentinel
    if name in _SESSIONS_NAMES:
        # kolben.sessions, and itsdangerous with it, load when an app first
        # uses its session interface.
        import kolben.sessions

        return getattr(kolben.sessions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Names Flask's module imports from werkzeug.routing, for extensions that
#: import them from here.
_ROUTING_NAMES = frozenset(
    {"BuildError", "MapAdapter", "RequestRedirect", "RoutingException", "Rule"}
)
#: Names Flask's module imports from its sessions module.
_SESSIONS_NAMES = frozenset({"SecureCookieSessionInterface", "SessionInterface"})


def __dir__() -> list[str]:
    lazy = {"cli", "click", "Environment", "ft", "_sentinel"}
    lazy |= {*_ROUTING_NAMES, *_SESSIONS_NAMES}
    return sorted({*globals(), *lazy})
