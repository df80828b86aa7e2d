"""The routing facet of an application: the URL map, blueprints, URL adapters
and URL building.
"""

from __future__ import annotations

import collections.abc as cabc
import sys
import typing as t
import warnings
import weakref
from functools import cached_property
from urllib.parse import quote

from werkzeug.wsgi import get_host

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request

from ._typing import RouteCallable
from ._typing import StrPath
from ._typing import URLBuildErrorHandler
from .hooks import HookQueries
from .lazy import LazyImport
from .scaffold import _endpoint_from_view_func
from .scaffold import _too_late
from .scaffold import setupmethod

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import BuildError
    from werkzeug.routing import Map
    from werkzeug.routing import MapAdapter
    from werkzeug.routing import Rule
    from werkzeug.wrappers import Request

    from .blueprints import Blueprint
    from .protocols import RoutingOwner

# Characters left alone when quoting a URL fragment (``_anchor``): the ones a
# fragment may contain literally, plus "%" so pre-quoted anchors survive.
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


class _werkzeug:
    """werkzeug's routing classes, as this module's request-time code tests
    against them: imported on first read (an app's construction reads
    ``url_map_class``), not by ``import kolben.routing``, which an app's
    module pays for at start-up (see :class:`.LazyImport`).
    """

    map_class: LazyImport[type[Map]] = LazyImport("werkzeug.routing", "Map")
    # The methods whose results create_url_adapter reproduces; a map class
    # that overrides one is always asked itself.
    map_bind_to_environ: LazyImport[t.Any] = LazyImport(
        "werkzeug.routing", "Map.bind_to_environ"
    )
    map_bind: LazyImport[t.Any] = LazyImport("werkzeug.routing", "Map.bind")
    adapter_class: LazyImport[type[MapAdapter]] = LazyImport(
        "werkzeug.routing", "MapAdapter"
    )
    build_error: LazyImport[type[BuildError]] = LazyImport(
        "werkzeug.routing", "BuildError"
    )


# werkzeug's subdomain for a host outside SERVER_NAME: it matches no rule.
_INVALID_SUBDOMAIN = "<invalid>"

# Request hosts come from clients: the memo of bound host names is emptied
# when it reaches this size rather than growing without bound.
_MAX_REMEMBERED = 256

_K = t.TypeVar("_K")
_V = t.TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    """Store ``value`` in ``memo``, emptying it first when it is full."""
    if len(memo) >= _MAX_REMEMBERED:
        memo.clear()
    memo[key] = value


def _wsgi_decode(value: str) -> str:
    """Decode a WSGI environ string (bytes as latin-1) as UTF-8, the way
    werkzeug reads ``SCRIPT_NAME``, ``PATH_INFO`` and ``QUERY_STRING``.
    """
    return value.encode("latin1").decode(errors="replace")


def _build_relative(
    adapter: MapAdapter, endpoint: str, values: dict[str, t.Any]
) -> str | None:
    """What ``adapter.build(endpoint, values)`` returns, for the common case
    it settles directly: a relative URL to an endpoint of a single HTTP rule
    on the adapter's subdomain, with werkzeug's stock map and adapter and no
    host matching. ``None`` for anything else, which werkzeug then builds (or
    fails to build) itself.

    The rule's own methods do the work (``suitable_for`` with the adapter's
    default method, then ``build``), as ``MapAdapter.build`` calls them, but
    without its generic search through the endpoint's rules, which costs
    more than building the URL.
    """
    url_map = adapter.map
    if (
        type(adapter) is not _werkzeug.adapter_class
        or type(url_map) is not _werkzeug.map_class
        or url_map.host_matching
    ):
        return None
    # Map.add files a rule under its endpoint (and compiles it) at once;
    # Map.update, which build calls first, only re-sorts those lists, which
    # cannot matter for a list of one.
    rules = getattr(url_map, "_rules_by_endpoint", _NO_RULES).get(endpoint)
    if rules is None or len(rules) != 1:
        return None
    rule = rules[0]
    if rule.websocket:
        return None
    # As MapAdapter.build: a value of None counts as not given.
    values = {key: value for key, value in values.items() if value is not None}
    if not rule.suitable_for(values, adapter.default_method):
        return None
    built = rule.build(values, True)
    if built is None or built[0] != adapter.subdomain:
        return None
    return f"{adapter.script_name.rstrip('/')}/{built[1].lstrip('/')}"


_NO_RULES: dict[str, list[Rule]] = {}


def _request_blueprint(request: t.Any) -> str | None:
    """The dotted name of the blueprint that handles ``request``, if any."""
    try:
        return request.blueprint  # type: ignore[no-any-return]
    except AttributeError:
        pass
    rule = getattr(request, "url_rule", None)
    endpoint = rule.endpoint if rule is not None else None
    if isinstance(endpoint, str) and "." in endpoint:
        return endpoint.rpartition(".")[0]
    return None


def _requested_methods(view_func: RouteCallable | None, given: t.Any) -> set[str]:
    """The upper-cased HTTP methods a new rule is for: ``given``, else the
    view's ``methods`` attribute, else just ``GET``.
    """
    if given is None:
        given = getattr(view_func, "methods", None) or ("GET",)
    elif isinstance(given, str):
        # A string is iterable too, and would silently become its letters.
        raise TypeError(
            "Allowed methods must be a list of strings, for example:"
            ' @app.route(..., methods=["POST"])'
        )
    return {method.upper() for method in given}


class RoutingApp(HookQueries):
    """The routing part of an application class.

    It owns the URL map and the application-side registration: view rules are
    added to the map at once, blueprints are registered onto the app, and URLs
    are built against the current request or the configured server. The hook
    registries it inherits from :class:`~kolben.routing.Scaffold` are read
    back through the cached queries of :class:`~kolben.routing.HookQueries`.

    What it needs from the final application class (``config``,
    ``send_static_file``, ``ensure_sync``) is listed by
    :class:`~kolben.routing.protocols.RoutingOwner`.

    :param import_name: the app's module or package name, usually ``__name__``.
    :param static_url_path: URL prefix of the static route; defaults to the
        static folder's name.
    :param static_folder: the static files folder, relative to the root path;
        ``None`` adds no static route.
    :param static_host: the host the static route answers on; required with
        ``host_matching`` when there is a static folder, forbidden without it.
    :param host_matching: match rules by their ``host`` instead of only path.
    :param subdomain_matching: match rules by subdomain against ``SERVER_NAME``.
    :param template_folder: the templates folder, relative to the root path.
    :param root_path: the folder relative paths start from.
    """

    #: The class of rules :meth:`add_url_rule` creates: werkzeug's ``Rule``
    #: (imported on first read, see :class:`.LazyImport`).
    url_rule_class: type[Rule] = LazyImport("werkzeug.routing", "Rule")  # type: ignore[assignment]

    #: The class of :attr:`url_map`: werkzeug's ``Map`` (imported on first
    #: read).
    url_map_class: type[Map] = LazyImport("werkzeug.routing", "Map")  # type: ignore[assignment]

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: StrPath | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: StrPath | None = "templates",
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name, static_folder, static_url_path, template_folder, root_path
        )
        #: The werkzeug routing map every rule is added to.
        self.url_map = self.url_map_class(host_matching=host_matching)
        #: Whether rules are matched by subdomain relative to ``SERVER_NAME``.
        self.subdomain_matching = subdomain_matching
        #: The host the static route was added for, with host matching.
        self.static_host = static_host
        #: Registered blueprints by their dotted name.
        self.blueprints: dict[str, Blueprint] = {}
        #: Called in order with ``(error, endpoint, values)`` when building a
        #: URL fails; the first result other than ``None`` is the URL.
        self.url_build_error_handlers: list[URLBuildErrorHandler] = []
        #: Set by the request pipeline when the first request starts; setup
        #: methods refuse to run afterwards.
        self._got_first_request = False
        if self.has_static_folder:
            self._add_static_route(static_host, host_matching)

    def _add_static_route(self, static_host: str | None, host_matching: bool) -> None:
        """Route ``<static_url_path>/<path:filename>`` to the owner's
        ``send_static_file``.
        """
        # With host matching every rule needs a host, the static route
        # included; without host matching a host on it would mean nothing.
        if bool(host_matching) != bool(static_host):
            raise AssertionError("Invalid static_host/host_matching combination")
        # A weak reference: the app must not keep itself alive through a cycle
        # running via its own view functions.
        owner = weakref.ref(t.cast("RoutingOwner", self))

        def static(**kwargs: t.Any) -> t.Any:
            app = owner()
            assert app is not None
            return app.send_static_file(**kwargs)

        self.add_url_rule(
            f"{self.static_url_path}/<path:filename>",
            view_func=static,
            endpoint="static",
            host=static_host,
        )

    @property
    def host_matching(self) -> bool:
        """Whether :attr:`url_map` matches rules by host."""
        return self.url_map.host_matching

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_first_request:
            raise _too_late(
                f_name,
                "the application",
                "It has already handled its first request, so a change now"
                " would apply to some requests and not to others.",
                "the application are done before running it",
            )

    def _automatic_options(
        self, view_func: RouteCallable | None, given: bool | None, methods: set[str]
    ) -> tuple[bool, tuple[str, ...]]:
        """Decide whether a rule answers ``OPTIONS`` by itself.

        :return: the decision and the methods it adds to the rule.
        """
        # An explicit argument wins over the view's attribute; either way the
        # rule's methods stay as given (Flask adds OPTIONS only by default).
        for choice in (given, getattr(view_func, "provide_automatic_options", None)):
            if choice is not None:
                return choice, ()
        config = getattr(self, "config", None)
        if "OPTIONS" in methods or not (
            config is None or config.get("PROVIDE_AUTOMATIC_OPTIONS", True)
        ):
            return False, ()
        return True, ("OPTIONS",)

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Add URL ``rule`` to the map, for ``endpoint`` and ``view_func``.

        ::

            app.add_url_rule("/users/<int:id>", "user", show_user)

        :param rule: the URL rule, in werkzeug's syntax.
        :param endpoint: the endpoint name; defaults to ``view_func.__name__``.
        :param view_func: the view; may be left out to connect one later with
            :meth:`endpoint` or ``view_functions``. Registering a different
            function for an endpoint that has one is an error.
        :param provide_automatic_options: answer ``OPTIONS`` requests
            automatically. By default true unless ``OPTIONS`` is among the
            methods, or the view sets the attribute of the same name, or the
            ``PROVIDE_AUTOMATIC_OPTIONS`` config key is false.
        :param options: passed to the rule class: ``methods`` (default: the
            view's ``methods`` attribute, else ``GET``; ``HEAD`` follows
            ``GET``), ``defaults``, ``subdomain``, ``host``, ``strict_slashes``,
            ``merge_slashes``, ``redirect_to``, ...; the view's
            ``required_methods`` attribute adds methods.
        """
        name = _endpoint_from_view_func(view_func) if endpoint is None else endpoint
        methods = _requested_methods(view_func, options.pop("methods", None))
        automatic, implied = self._automatic_options(
            view_func, provide_automatic_options, methods
        )
        methods.update(implied, getattr(view_func, "required_methods", ()))

        url_rule = self.url_rule_class(rule, endpoint=name, methods=methods, **options)
        # The request pipeline reads this to answer OPTIONS itself.
        url_rule.provide_automatic_options = automatic  # type: ignore[attr-defined]
        self.url_map.add(url_rule)
        if view_func is not None:
            self._bind_view(name, view_func)

    def _bind_view(self, endpoint: str, view_func: RouteCallable) -> None:
        """Make ``view_func`` the view of ``endpoint``, unless another is."""
        bound = self.view_functions.get(endpoint)
        if bound is None or bound == view_func:
            self.view_functions[endpoint] = view_func
            return
        raise AssertionError(
            "View function mapping is overwriting an existing endpoint"
            f" function: {endpoint}"
        )

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register ``blueprint`` on this app, applying what it recorded.

        :param blueprint: the blueprint.
        :param options: override the blueprint's own settings for this
            registration: ``url_prefix``, ``subdomain``, ``url_defaults``,
            ``name`` (to register one blueprint several times); other keys
            reach the blueprint's deferred functions in ``state.options``.
        :raises ValueError: when the name is taken.
        """
        blueprint.register(self, options)

    def iter_blueprints(self) -> cabc.ValuesView[Blueprint]:
        """The registered blueprints, in registration order."""
        return self.blueprints.values()

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Return a URL adapter for ``request``, or for the configured server.

        With a request, the adapter matches and builds against the request's
        host; ``TRUSTED_HOSTS`` is checked first (an untrusted host raises a
        400 error). ``SERVER_NAME`` is the base for subdomain matching; with
        host matching the request's host is used as is; with neither, every
        request matches the default subdomain whatever its host.

        Without a request, ``SERVER_NAME`` (with ``APPLICATION_ROOT`` and
        ``PREFERRED_URL_SCHEME``) is needed to build URLs; without it this
        returns ``None``.

        The adapter is the one :meth:`werkzeug.routing.Map.bind_to_environ`
        (or :meth:`~werkzeug.routing.Map.bind`, without a request) returns,
        attribute for attribute. Only the first request from a host pays for
        working out the server name and subdomain; later ones reuse them.
        """
        owner: RoutingOwner = self  # type: ignore[assignment]
        config = owner.config
        server_name: str | None = config.get("SERVER_NAME")
        url_map = self.url_map
        if request is None:
            if server_name is None:
                return None
            return self._server_adapter(url_map, server_name, config)

        trusted = config.get("TRUSTED_HOSTS")
        if trusted is not None or request.trusted_hosts is not None:
            self._check_trusted_host(request, trusted)
        environ = request.environ
        host = environ.get("HTTP_HOST")
        # Without a Host header the server's address names the host, and a
        # websocket upgrade changes the scheme: both are rare enough to leave
        # to werkzeug, as is a map class with its own binding.
        if (
            host is None
            or "HTTP_UPGRADE" in environ
            or type(url_map).bind_to_environ is not _werkzeug.map_bind_to_environ
        ):
            return self._bind_to_environ(url_map, environ, server_name)

        scheme = environ["wsgi.url_scheme"]
        # Everything bind_to_environ derives the server name and subdomain
        # from, besides werkzeug's own (pure) functions.
        key = (
            host,
            scheme,
            server_name,
            url_map.host_matching,
            self.subdomain_matching,
            url_map.default_subdomain,
        )
        try:
            bound_name, subdomain = self._bound_hosts[key]
        except KeyError:
            adapter = self._bind_to_environ(url_map, environ, server_name)
            # A host outside SERVER_NAME warns on every request: not memoised.
            if adapter.subdomain != _INVALID_SUBDOMAIN:
                _remember(
                    self._bound_hosts, key, (adapter.server_name, adapter.subdomain)
                )
            return adapter

        # The same values bind_to_environ reads: the raw environ strings,
        # decoded as werkzeug decodes them (a no-op for ASCII).
        script_name = environ.get("SCRIPT_NAME")
        if script_name is None:
            script_name = "/"
        elif not script_name.isascii():
            script_name = _wsgi_decode(script_name)
        path_info = environ.get("PATH_INFO")
        if path_info is None:
            path_info = "/"
        elif not path_info.isascii():
            path_info = _wsgi_decode(path_info)
        query_args = environ.get("QUERY_STRING")
        if query_args is not None and not query_args.isascii():
            query_args = _wsgi_decode(query_args)
        return _werkzeug.adapter_class(
            url_map,
            bound_name,
            script_name,
            subdomain,
            scheme,
            path_info,
            environ["REQUEST_METHOD"],
            query_args,
        )

    @cached_property
    def _bound_hosts(self) -> dict[tuple[t.Any, ...], tuple[str, str | None]]:
        """Server name and subdomain of the adapters built so far, by the
        request host and the settings they were derived from.
        """
        return {}

    @cached_property
    def _bound_servers(self) -> dict[str, str]:
        """The adapter's server name for each ``SERVER_NAME`` bound so far."""
        return {}

    def _server_adapter(
        self, url_map: Map, server_name: str, config: cabc.Mapping[str, t.Any]
    ) -> MapAdapter:
        """The adapter for building URLs outside a request: ``Map.bind`` to
        ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.
        """
        script_name = config.get("APPLICATION_ROOT", "/")
        url_scheme = config.get("PREFERRED_URL_SCHEME", "http")
        if type(url_map).bind is not _werkzeug.map_bind:
            return url_map.bind(
                server_name, url_scheme=url_scheme, script_name=script_name
            )
        try:
            bound_name = self._bound_servers[server_name]
        except KeyError:
            adapter = url_map.bind(
                server_name, url_scheme=url_scheme, script_name=script_name
            )
            _remember(self._bound_servers, server_name, adapter.server_name)
            return adapter
        return _werkzeug.adapter_class(
            url_map,
            bound_name,
            "/" if script_name is None else script_name,
            None if url_map.host_matching else url_map.default_subdomain,
            url_scheme,
            "/",
            "GET",
        )

    def _bind_to_environ(
        self, url_map: Map, environ: WSGIEnvironment, server_name: str | None
    ) -> MapAdapter:
        """Bind ``url_map`` to ``environ`` with werkzeug, for the app's
        matching mode.
        """
        if url_map.host_matching:
            # A server name would replace the request's host and defeat
            # host matching.
            return url_map.bind_to_environ(environ, server_name=None)
        if not self.subdomain_matching:
            # Any host is served, as the default subdomain.
            return url_map.bind_to_environ(
                environ,
                server_name=server_name,
                subdomain=url_map.default_subdomain or "",
            )
        subdomain = None
        if server_name is not None:
            subdomain = self._subdomain_of(environ, server_name)
        return url_map.bind_to_environ(
            environ, server_name=server_name, subdomain=subdomain
        )

    @staticmethod
    def _check_trusted_host(request: Request, trusted: list[str] | None) -> None:
        """Apply ``TRUSTED_HOSTS`` to ``request``; werkzeug raises a
        ``SecurityError`` (400) for a host not in the list.
        """
        if trusted is not None:
            request.trusted_hosts = trusted
        if request.trusted_hosts is not None:
            request.host = get_host(request.environ, request.trusted_hosts)

    def _subdomain_of(self, environ: WSGIEnvironment, server_name: str) -> str:
        """The subdomain of the request's host under ``server_name``.

        A host outside ``server_name`` gets the subdomain ``"<invalid>"``, which
        matches no rule, and a warning.
        """
        host = get_host(environ).lower()
        scheme = environ["wsgi.url_scheme"]
        connection = environ.get("HTTP_CONNECTION", "").lower()
        if (
            "upgrade" in (part.strip(" \t") for part in connection.split(","))
            and environ.get("HTTP_UPGRADE", "").lower() == "websocket"
        ):
            scheme = "wss" if scheme == "https" else "ws"
        server_name = server_name.lower()
        # The default port is left out of the host, so leave it out here too.
        if scheme in {"http", "ws"} and server_name.endswith(":80"):
            server_name = server_name[:-3]
        elif scheme in {"https", "wss"} and server_name.endswith(":443"):
            server_name = server_name[:-4]
        current = host.split(".")
        configured = server_name.split(".")
        offset = -len(configured)
        if current[offset:] != configured:
            self._warn(
                f"Current server name {host!r} doesn't match configured server"
                f" name {server_name!r}"
            )
            return _INVALID_SUBDOMAIN
        return ".".join(filter(None, current[:offset]))

    def _warn(self, message: str) -> None:
        """Warn about the app's configuration, on behalf of the module that
        defines the app's class, so it can be filtered per application.
        """
        module_name = type(self).__module__
        module = sys.modules.get(module_name)
        namespace = vars(module) if module is not None else {}
        warnings.warn_explicit(
            message,
            UserWarning,
            namespace.get("__file__") or module_name,
            1,
            module=module_name,
            registry=namespace.setdefault("__warningregistry__", {}),
        )

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _external: bool | None = None,
        _anchor: str | None = None,
        _scheme: str | None = None,
        _method: str | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint`` with ``values``.

        Inside a request the URL is relative to the host (``/users/1``) unless
        ``_external`` or ``_scheme`` is given, and an endpoint starting with
        ``.`` is relative to the current blueprint. Outside a request it is
        absolute and needs ``SERVER_NAME``. Values the rule does not use become
        query arguments.

        :param endpoint: the endpoint name, e.g. ``"index"``, ``"admin.users"``
            or ``".users"``.
        :param _external: build an absolute URL with scheme and host.
        :param _anchor: a fragment to append after ``#``.
        :param _scheme: the scheme of an external URL.
        :param _method: pick the rule that accepts this HTTP method.
        :param values: the rule's variables and extra query arguments.
        :raises RuntimeError: outside a request when there is no
            ``SERVER_NAME``.
        :raises werkzeug.routing.BuildError: when no rule fits and no
            :attr:`url_build_error_handlers` entry returns a URL.
        """
        return self._build_url(endpoint, values, _external, _anchor, _scheme, _method)

    def _build_url(
        self,
        endpoint: str,
        values: dict[str, t.Any],
        _external: bool | None,
        _anchor: str | None,
        _scheme: str | None,
        _method: str | None,
    ) -> str:
        """Do the work of :meth:`url_for`. ``values`` belongs to the caller,
        which lets it be filled in: :func:`kolben.routing.url_for` calls this
        directly (when ``url_for`` is not overridden) to spare building the
        keyword arguments twice.
        """
        # In a request, the request's adapter builds relative URLs unless a
        # scheme is asked for; otherwise the app context's adapter (or one for
        # SERVER_NAME) builds absolute ones.
        adapter: MapAdapter | None
        req_ctx = _cv_request.get(None)
        if req_ctx is not None:
            adapter = req_ctx.url_adapter
            if endpoint[:1] == ".":
                blueprint = _request_blueprint(req_ctx.request)
                endpoint = endpoint[1:] if blueprint is None else blueprint + endpoint
            external = (_scheme is not None) if _external is None else _external
        else:
            app_ctx = _cv_app.get(None)
            if app_ctx is not None and app_ctx.app is self:  # type: ignore[comparison-overlap]
                adapter = app_ctx.url_adapter
            else:
                adapter = self.create_url_adapter(None)
            external = True if _external is None else _external
        if adapter is None:
            raise RuntimeError(
                "Unable to build URLs outside an active request without"
                " 'SERVER_NAME' configured. Also configure 'APPLICATION_ROOT'"
                " and 'PREFERRED_URL_SCHEME' as needed."
            )
        # An explicit scheme on a relative URL would be dropped silently, and
        # the caller likely meant to switch to https: refuse instead.
        if _scheme is not None and not external:
            raise ValueError("When specifying '_scheme', '_external' must be True.")

        if (
            type(self).inject_url_defaults is _INJECT_URL_DEFAULTS
            and "inject_url_defaults" not in self.__dict__
        ):
            # What url_default_functions_for answers, read from its cache
            # without the call while the cache is valid: no call at all per
            # URL when, as usual, no function applies.
            cache = self._query_cache
            funcs = (
                cache.url_defaults.get(endpoint)
                if cache.seen == cache.stamp.value
                else None
            )
            if funcs is None:
                funcs = self.url_default_functions_for(endpoint)
            for func in funcs:
                func(endpoint, values)
        else:
            self.inject_url_defaults(endpoint, values)
        built = (
            None if external or _method else _build_relative(adapter, endpoint, values)
        )
        try:
            if built is None:
                # Positionally: (values, method, force_external,
                # append_unknown, url_scheme), a cheaper call than by keyword.
                built = adapter.build(
                    endpoint, values, _method, external, True, _scheme
                )
        except _werkzeug.build_error as error:
            # Handlers see the special arguments among the values, as in Flask.
            values.update(
                _external=external, _anchor=_anchor, _scheme=_scheme, _method=_method
            )
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is None:
            return built
        return f"{built}#{quote(_anchor, safe=_ANCHOR_SAFE)}"

    def inject_url_defaults(self, endpoint: str, values: dict[str, t.Any]) -> None:
        """Let the URL default functions for ``endpoint`` fill in ``values``:
        the app's, then those of the blueprints in the endpoint's name.
        """
        for func in self.url_default_functions_for(endpoint):
            func(endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, t.Any]
    ) -> str:
        """Give :attr:`url_build_error_handlers` a chance to produce a URL.

        Each handler gets ``(error, endpoint, values)``; the first result other
        than ``None`` is returned. A handler may raise a new
        :exc:`~werkzeug.routing.BuildError`, which replaces ``error``. When none
        succeeds the error is raised.
        """
        latest = error
        for handler in self.url_build_error_handlers:
            url, latest = _ask_build_error_handler(handler, latest, endpoint, values)
            if url is not None:
                return url
        if latest is not sys.exc_info()[1]:
            raise latest
        # Re-raise the error being handled itself, keeping its traceback.
        raise


_URL_FOR = RoutingApp.url_for
_INJECT_URL_DEFAULTS = RoutingApp.inject_url_defaults


def _ask_build_error_handler(
    handler: URLBuildErrorHandler,
    error: BuildError,
    endpoint: str,
    values: dict[str, t.Any],
) -> tuple[str | None, BuildError]:
    """Call one URL build error handler.

    :return: its URL (``None`` for none) and the error to give the next one,
        which is the one it raised if it raised a :exc:`BuildError`.
    """
    try:
        url = handler(error, endpoint, values)
    except _werkzeug.build_error as raised:
        return None, raised
    return url, error
