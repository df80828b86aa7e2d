"""What applications and blueprints share: registering views, hooks and error
handlers.

:class:`Scaffold` holds the registries and the decorators that fill them. An
application (:class:`~kolben.routing.RoutingApp`) adds the URL map and applies
registrations at once; a blueprint (:class:`~kolben.routing.Blueprint`) records
them and replays them onto an application when it is registered.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib.util
import inspect
import os
import sys
import typing as t
from functools import wraps

from werkzeug.exceptions import default_exceptions
from werkzeug.exceptions import HTTPException

from ._registry import error_registry
from ._registry import hook_registry
from ._registry import registry
from ._registry import stamp_of
from ._typing import AfterRequestCallable
from ._typing import AfterWebSocketCallable
from ._typing import AppOrBlueprintKey
from ._typing import BeforeRequestCallable
from ._typing import BeforeWebSocketCallable
from ._typing import ErrorHandlerCallable
from ._typing import RouteCallable
from ._typing import StrPath
from ._typing import T_after_request
from ._typing import T_after_websocket
from ._typing import T_before_request
from ._typing import T_before_websocket
from ._typing import T_error_handler
from ._typing import T_route
from ._typing import T_teardown
from ._typing import T_template_context_processor
from ._typing import T_url_defaults
from ._typing import T_url_value_preprocessor
from ._typing import T_websocket
from ._typing import TeardownCallable
from ._typing import TemplateContextProcessorCallable
from ._typing import URLDefaultCallable
from ._typing import URLValuePreprocessorCallable

F = t.TypeVar("F", bound=cabc.Callable[..., t.Any])

#: ``{blueprint name or None: {code or None: {exception class: handler}}}``
ErrorHandlerSpec = dict[
    AppOrBlueprintKey,
    dict[int | None, dict[type[Exception], ErrorHandlerCallable]],
]


def setupmethod(f: F) -> F:
    """Mark a method as part of setting up its owner.

    Before the method runs, the owner's ``_check_setup_finished`` is asked
    whether setup is still open; it raises once the owner is in use (an app
    that handled its first request, a blueprint that was registered), because
    a change made then would reach some requests and not others.
    """

    @wraps(f)
    def checked(self: t.Any, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self._check_setup_finished(f.__name__)
        return f(self, *args, **kwargs)

    return t.cast(F, checked)


def _too_late(f_name: str, owner: str, why: str, subject: str) -> AssertionError:
    """The error a setup method raises once its owner is in use.

    :param f_name: the setup method's name.
    :param owner: how to name the owner, e.g. ``"the application"``.
    :param why: a sentence saying why setup is over.
    :param subject: what must be set up earlier, and before what.
    """
    return AssertionError(
        f"The setup method '{f_name}' can no longer be called on {owner}. {why}\n"
        f"Make sure all imports, decorators, functions, etc. needed to set up"
        f" {subject}."
    )


def _file_of_loaded(import_name: str) -> str | None:
    """The ``__file__`` of module ``import_name`` if it is imported and has one."""
    return getattr(sys.modules.get(import_name), "__file__", None)


def _loader_for(import_name: str) -> t.Any:
    """The loader the import system would use for ``import_name``, or ``None``
    when it cannot tell (an unloaded ``__main__``, an unknown name).
    """
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        return None
    return None if spec is None else spec.loader


def get_root_path(import_name: str) -> str:
    """Return the folder that holds the module or package ``import_name``.

    This is what an app or blueprint uses as its ``root_path`` when none is
    given: static files, templates and resources are found relative to it.
    An imported module's file decides; otherwise the import system is asked
    where the module would come from, without importing it when it can say;
    when it cannot (an unloaded ``__main__``, an interactive session) the
    current working directory is used.

    :param import_name: the module's ``__name__``, usually.
    :raises RuntimeError: when the module has no file, such as a namespace
        package: pass ``root_path`` explicitly then.
    """
    filename = _file_of_loaded(import_name)
    if filename is None:
        loader = _loader_for(import_name)
        if loader is None:
            return os.getcwd()
        locate = getattr(loader, "get_filename", None)
        if locate is None:
            # The loader cannot say without running the module: import it.
            __import__(import_name)
            filename = _file_of_loaded(import_name)
        else:
            filename = locate(import_name)
        if filename is None:
            raise RuntimeError(
                f"Cannot find a root path for the module {import_name!r}: it has"
                " no file, which happens for namespace packages and modules"
                " created by import hooks. Pass 'root_path' explicitly."
            )
    return os.path.dirname(os.path.abspath(filename))


def _endpoint_from_view_func(view_func: RouteCallable | None) -> str:
    """The default endpoint of a view: its function name."""
    assert view_func is not None, "expected view func if endpoint is not provided."
    return view_func.__name__


def _append_app_wide(
    registry: cabc.MutableMapping[AppOrBlueprintKey, list[t.Any]], f: t.Any
) -> None:
    """Add ``f`` to the functions of ``registry`` that apply to every request
    of the owner (the ``None`` key).
    """
    registry.setdefault(None, []).append(f)


class Scaffold:
    """The registries and registration decorators of an app or a blueprint.

    Each registry is a dict keyed by the name of the blueprint the functions
    apply to, or ``None`` for the whole application. They keep Flask's public
    shape because extensions read and change them directly; every change,
    whichever way it is made, is noticed by the app's per-request caches.

    This is the only class in the chain of an application's or blueprint's
    bases that has an ``__init__``.

    :param import_name: the name of the module or package that defines the app
        or blueprint, usually ``__name__``; it locates :attr:`root_path`.
    :param static_folder: folder of static files, relative to :attr:`root_path`;
        ``None`` for none.
    :param static_url_path: URL path the static files are served under;
        defaults to the static folder's name.
    :param template_folder: folder of templates, relative to :attr:`root_path`.
    :param root_path: the folder other paths are relative to; found from
        ``import_name`` by default (see :func:`get_root_path`).
    """

    before_request_funcs: registry[
        dict[AppOrBlueprintKey, list[BeforeRequestCallable]]
    ] = registry(
        hook_registry,
        "Functions called before each request, registered with before_request.",
    )
    after_request_funcs: registry[
        dict[AppOrBlueprintKey, list[AfterRequestCallable]]
    ] = registry(
        hook_registry,
        "Functions called with the response of each request, with after_request.",
    )
    teardown_request_funcs: registry[
        dict[AppOrBlueprintKey, list[TeardownCallable]]
    ] = registry(
        hook_registry,
        "Functions called when a request context ends, with teardown_request.",
    )
    template_context_processors: registry[
        dict[AppOrBlueprintKey, list[TemplateContextProcessorCallable]]
    ] = registry(
        hook_registry,
        "Functions adding values to template contexts, with context_processor.",
    )
    url_value_preprocessors: registry[
        dict[AppOrBlueprintKey, list[URLValuePreprocessorCallable]]
    ] = registry(
        hook_registry,
        "Functions called with the matched endpoint and URL values of a request.",
    )
    url_default_functions: registry[
        dict[AppOrBlueprintKey, list[URLDefaultCallable]]
    ] = registry(
        hook_registry,
        "Functions filling in URL values before a URL is built, with url_defaults.",
    )
    before_websocket_funcs: registry[
        dict[AppOrBlueprintKey, list[BeforeWebSocketCallable]]
    ] = registry(
        hook_registry,
        "Functions called before each WebSocket handler, with before_websocket.",
    )
    after_websocket_funcs: registry[
        dict[AppOrBlueprintKey, list[AfterWebSocketCallable]]
    ] = registry(
        hook_registry,
        "Functions called after each WebSocket handler, with after_websocket.",
    )
    error_handler_spec: registry[ErrorHandlerSpec] = registry(
        error_registry,
        "Error handlers by blueprint name (None for the app), then by HTTP code"
        " (None for handlers registered by class), then by exception class.",
    )

    def __init__(
        self,
        import_name: str,
        static_folder: StrPath | None = None,
        static_url_path: str | None = None,
        template_folder: StrPath | None = None,
        root_path: str | None = None,
    ) -> None:
        stamp_of(self)
        #: The absolute folder that relative paths are resolved against.
        self.root_path = get_root_path(import_name) if root_path is None else root_path
        #: The name of the module or package that defines this object.
        self.import_name = import_name
        #: Endpoint name to view function; extensions may assign entries.
        self.view_functions: dict[str, RouteCallable] = {}
        #: The templates folder, relative to :attr:`root_path`, or ``None``.
        self.template_folder = template_folder
        self.static_url_path = static_url_path
        self.static_folder = static_folder

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'name', self.import_name)!r}>"

    def _check_setup_finished(self, f_name: str) -> None:
        """Raise if setup method ``f_name`` may no longer be called."""
        raise NotImplementedError

    @property
    def static_folder(self) -> str | None:
        """The absolute path of the static folder, or ``None`` when there is none.

        It may be assigned a path relative to :attr:`root_path`, or ``None``.
        """
        relative = self._static_folder
        return None if relative is None else os.path.join(self.root_path, relative)

    @static_folder.setter
    def static_folder(self, value: StrPath | None) -> None:
        # A trailing separator would make the default URL path empty.
        self._static_folder = None if value is None else os.fspath(value).rstrip("\\/")

    @property
    def has_static_folder(self) -> bool:
        """Whether a static folder is configured."""
        return self.static_folder is not None

    @property
    def static_url_path(self) -> str | None:
        """The URL prefix static files are served under.

        Unless assigned, it is ``/`` followed by the static folder's name, or
        ``None`` without a static folder. ``""`` serves the files at the root.
        """
        explicit = self._static_url_path
        if explicit is not None:
            return explicit
        folder = self.static_folder
        return None if folder is None else f"/{os.path.basename(folder)}".rstrip("/")

    @static_url_path.setter
    def static_url_path(self, value: str | None) -> None:
        self._static_url_path = None if value is None else value.rstrip("/")

    def _route_one_method(
        self, method: str, rule: str, options: dict[str, t.Any]
    ) -> cabc.Callable[[T_route], T_route]:
        """:meth:`route` for one HTTP method, for the shortcuts below."""
        if "methods" in options:
            raise TypeError("Use the 'route' decorator to use the 'methods' argument.")
        options["methods"] = [method]
        return self.route(rule, **options)

    def get(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["GET"]``."""
        return self._route_one_method("GET", rule, options)

    def post(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["POST"]``."""
        return self._route_one_method("POST", rule, options)

    def put(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PUT"]``."""
        return self._route_one_method("PUT", rule, options)

    def delete(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["DELETE"]``."""
        return self._route_one_method("DELETE", rule, options)

    def patch(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Shortcut for :meth:`route` with ``methods=["PATCH"]``."""
        return self._route_one_method("PATCH", rule, options)

    def route(self, rule: str, **options: t.Any) -> cabc.Callable[[T_route], T_route]:
        """Decorate a view function to serve URL ``rule``.

        ::

            @app.route("/users/<int:user_id>", methods=["GET", "POST"])
            def user(user_id):
                ...

        The endpoint defaults to the function's name; the options are those of
        :meth:`add_url_rule`.

        :param rule: the URL rule, in werkzeug's syntax.
        :param options: passed on to :meth:`add_url_rule`.
        """

        def connect(view: T_route) -> T_route:
            self.add_url_rule(rule, options.pop("endpoint", None), view, **options)
            return view

        return connect

    def websocket(
        self, rule: str, **options: t.Any
    ) -> cabc.Callable[[T_websocket], T_websocket]:
        """Decorate an ``async def`` handler to serve WebSocket connections at
        URL ``rule``.

        ::

            @app.websocket("/echo/<room>")
            async def echo(room):
                while True:
                    await websocket.send(await websocket.receive())

        The rule is a werkzeug rule with ``websocket=True``: it matches only
        WebSocket handshakes, its converters fill the handler's arguments, and
        ``url_for`` builds ``ws://`` (or ``wss://``) URLs to it. Serving the
        connection is the ASGI server's job (``kolben.asgi``); an HTTP request
        to the URL gets a 426 error rather than the handler.

        :param rule: the URL rule, in werkzeug's syntax.
        :param options: passed on to :meth:`add_url_rule` (``endpoint``,
            ``defaults``, ``subdomain``, ``host``, ...). ``methods`` may only
            name ``GET``; no automatic ``OPTIONS`` is added.
        :raises TypeError: when the handler is not a coroutine function.

        .. versionadded:: 0.1.0
        """

        def connect(handler: T_websocket) -> T_websocket:
            # A sync handler would block the server's loop for the whole
            # connection: refuse it at registration, not at the first client.
            if not inspect.iscoroutinefunction(t.cast(t.Any, handler)):
                raise TypeError(
                    f"The WebSocket handler {handler.__qualname__!r} must be an"
                    " 'async def' function: it awaits websocket.receive() and"
                    " websocket.send()."
                )
            options.setdefault("provide_automatic_options", False)
            self.add_url_rule(
                rule,
                options.pop("endpoint", None),
                handler,
                websocket=True,
                **options,
            )
            return handler

        return connect

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Connect URL ``rule`` to ``endpoint`` and, if given, ``view_func``.

        Implemented by applications and blueprints; see
        :meth:`kolben.routing.RoutingApp.add_url_rule` for the options.
        """
        raise NotImplementedError

    @setupmethod
    def endpoint(self, endpoint: str) -> cabc.Callable[[F], F]:
        """Decorate a view function for an endpoint whose rule is added
        elsewhere (for example straight to the URL map)::

            app.url_map.add(Rule("/", endpoint="index"))

            @app.endpoint("index")
            def index():
                ...

        On a blueprint the endpoint name is used as given, without the
        blueprint's name in front.
        """
        views = self.view_functions

        def attach(view: F) -> F:
            views[endpoint] = view
            return view

        return attach

    @setupmethod
    def before_request(self, f: T_before_request) -> T_before_request:
        """Register ``f`` to run before each request.

        It is called without arguments after the URL is matched; if it returns
        something other than ``None``, that becomes the response and the view is
        not called. On a blueprint it runs only for that blueprint's requests.
        """
        _append_app_wide(self.before_request_funcs, f)
        return f

    @setupmethod
    def after_request(self, f: T_after_request) -> T_after_request:
        """Register ``f`` to run after each request.

        It receives the response and returns it or a replacement. Functions run
        last registered first; they are skipped when an unhandled exception
        ends the request. On a blueprint they run only for its requests.
        """
        _append_app_wide(self.after_request_funcs, f)
        return f

    @setupmethod
    def teardown_request(self, f: T_teardown) -> T_teardown:
        """Register ``f`` to run when the request context ends.

        It receives the exception that ended the request, or ``None``, and runs
        even after errors, last registered first. Its return value is ignored.
        """
        _append_app_wide(self.teardown_request_funcs, f)
        return f

    @setupmethod
    def before_websocket(self, f: T_before_websocket) -> T_before_websocket:
        """Register ``f`` to run before each WebSocket handler.

        It is called without arguments, with the connection's request context
        pushed, before the connection is accepted. If it returns something
        other than ``None`` (or raises an HTTP error such as ``abort(403)``),
        the handshake is rejected with that response and the handler is not
        called. On a blueprint it runs only for that blueprint's WebSockets.

        .. versionadded:: 0.1.0
        """
        _append_app_wide(self.before_websocket_funcs, f)
        return f

    @setupmethod
    def after_websocket(self, f: T_after_websocket) -> T_after_websocket:
        """Register ``f`` to run after each WebSocket handler.

        It receives the response that rejects the handshake, or ``None`` once
        the handler finished with the connection, and returns it or a
        replacement. Functions run last registered first; they also run
        when the client disconnected, and are skipped when the handler or a
        hook raised. On a blueprint they run only for its
        WebSockets.

        .. versionadded:: 0.1.0
        """
        _append_app_wide(self.after_websocket_funcs, f)
        return f

    @setupmethod
    def context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Register ``f`` to add values to the context of rendered templates.

        It returns a dict that is merged into the context. On a blueprint it
        applies to templates rendered by that blueprint's requests.
        """
        _append_app_wide(self.template_context_processors, f)
        return f

    @setupmethod
    def url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """Register ``f`` to see the URL values of each request before the view.

        It receives the endpoint and the dict of matched values and may change
        that dict, for example to pop a language code every view shares::

            @app.url_value_preprocessor
            def pull_lang(endpoint, values):
                g.lang = values.pop("lang", None)

        These functions run before the ``before_request`` functions.
        """
        _append_app_wide(self.url_value_preprocessors, f)
        return f

    @setupmethod
    def url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Register ``f`` to fill in values before a URL is built.

        It receives the endpoint and the dict of values passed to ``url_for``
        and may change the dict in place::

            @app.url_defaults
            def add_lang(endpoint, values):
                values.setdefault("lang", g.lang)
        """
        _append_app_wide(self.url_default_functions, f)
        return f

    @setupmethod
    def errorhandler(
        self, code_or_exception: type[Exception] | int
    ) -> cabc.Callable[[T_error_handler], T_error_handler]:
        """Decorate a function to handle an exception class or an HTTP code.

        ::

            @app.errorhandler(404)
            def not_found(e):
                return "nothing here", 404

            @app.errorhandler(DatabaseError)
            def db_error(e):
                return "try again later", 503

        A handler for a class also handles its subclasses, the closest one
        winning. For HTTP errors, a handler for the code is preferred over one
        for a class.

        :param code_or_exception: an HTTP error code or an exception class.
        """

        def handles(handler: T_error_handler) -> T_error_handler:
            self.register_error_handler(code_or_exception, handler)
            return handler

        return handles

    @setupmethod
    def register_error_handler(
        self, code_or_exception: type[Exception] | int, f: ErrorHandlerCallable
    ) -> None:
        """Register ``f`` as an error handler without the decorator syntax.

        :raises ValueError: for an unknown code or a class that is not an
            :class:`Exception`.
        :raises TypeError: when given an exception instance.
        """
        handled, code = self._get_exc_class_and_code(code_or_exception)
        by_class = self.error_handler_spec[None][code]
        by_class[handled] = f

    @staticmethod
    def _get_exc_class_and_code(
        exc_class_or_code: type[Exception] | int,
    ) -> tuple[type[Exception], int | None]:
        """Resolve what an error handler is registered for into the exception
        class and its HTTP code (``None`` for a non-HTTP exception).

        :raises ValueError: for a code werkzeug has no exception for, or
            something that is not an :class:`Exception` subclass.
        :raises TypeError: for an exception instance.
        """
        target: t.Any = exc_class_or_code
        if isinstance(target, int):
            target = default_exceptions.get(target)
            if target is None:
                raise ValueError(
                    f"'{exc_class_or_code}' is not a recognized HTTP error code."
                    " Use a subclass of HTTPException with that code instead."
                )
        if isinstance(target, Exception):
            raise TypeError(
                f"{target!r} is an instance, not a class. Handlers can only be"
                " registered for Exception classes or HTTP error codes."
            )
        if isinstance(target, type) and issubclass(target, Exception):
            code = target.code if issubclass(target, HTTPException) else None
            return target, code
        label = getattr(target, "__name__", repr(target))
        raise ValueError(
            f"'{label}' is not a subclass of Exception. Handlers can only be"
            " registered for Exception classes or HTTP error codes."
        )
