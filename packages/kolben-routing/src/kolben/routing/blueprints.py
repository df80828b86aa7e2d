"""Blueprints: groups of views and hooks recorded now and applied to an app later.

A blueprint collects registrations like an app does, but only records them.
:meth:`RoutingApp.register_blueprint <kolben.routing.RoutingApp.register_blueprint>`
replays them through a :class:`BlueprintSetupState` that adds the blueprint's
name to endpoints and its prefix and subdomain to rules. The same blueprint may
be registered several times under different names, and blueprints may be
registered on blueprints, their names joined with dots.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from functools import update_wrapper

from ._typing import RouteCallable
from ._typing import StrPath
from ._typing import T_after_request
from ._typing import T_after_websocket
from ._typing import T_before_request
from ._typing import T_before_websocket
from ._typing import T_error_handler
from ._typing import T_teardown
from ._typing import T_template_context_processor
from ._typing import T_url_defaults
from ._typing import T_url_value_preprocessor
from .scaffold import _endpoint_from_view_func
from .scaffold import _too_late
from .scaffold import Scaffold
from .scaffold import setupmethod

if t.TYPE_CHECKING:
    from .app import RoutingApp

#: A function recorded with :meth:`Blueprint.record`, called with the
#: :class:`BlueprintSetupState` of each registration.
DeferredSetupFunction = cabc.Callable[["BlueprintSetupState"], t.Any]

# The hook registries a blueprint's functions are merged into on registration.
_HOOK_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_default_functions",
    "url_value_preprocessors",
    "template_context_processors",
    "before_websocket_funcs",
    "after_websocket_funcs",
)


def _either(given: str | None, fallback: str | None) -> str | None:
    """``given`` unless it is ``None``, else ``fallback``."""
    return fallback if given is None else given


def _join_path(head: str, tail: str) -> str:
    """Join two URL paths with exactly one slash between them."""
    return f"{head.rstrip('/')}/{tail.lstrip('/')}"


def _join_subdomain(outer: str, inner: str) -> str:
    """Put a nested blueprint's subdomain in front of its parent's."""
    return f"{inner}.{outer}"


# How a nested blueprint's registration inherits from its parent's: the option
# name (also the attribute of the state and of the blueprint) and how an outer
# and an inner value combine when both are set.
_INHERITED: tuple[tuple[str, cabc.Callable[[str, str], str]], ...] = (
    ("subdomain", _join_subdomain),
    ("url_prefix", _join_path),
)


class BlueprintSetupState:
    """One registration of a blueprint on an app, passed to every function the
    blueprint recorded.

    :param blueprint: the blueprint being registered.
    :param app: the application it is registered on.
    :param options: the keyword arguments of ``register_blueprint``, plus the
        prefixes inherited from parent blueprints.
    :param first_registration: whether this blueprint was never registered on
        ``app`` before (under any name).
    """

    def __init__(
        self,
        blueprint: Blueprint,
        app: RoutingApp,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        #: The name of this registration, without the parents' names.
        self.name: str = options.get("name", blueprint.name)
        #: The dotted name of the parent blueprints, ``""`` at the top.
        self.name_prefix: str = options.get("name_prefix", "")
        #: The path every rule is prefixed with, or ``None``.
        self.url_prefix = _either(options.get("url_prefix"), blueprint.url_prefix)
        #: The subdomain rules are added for, or ``None``.
        self.subdomain = _either(options.get("subdomain"), blueprint.subdomain)
        #: Default values for the variables of every rule: the blueprint's,
        #: overridden by the registration's.
        self.url_defaults: dict[str, t.Any] = {
            **blueprint.url_values_defaults,
            **dict(options.get("url_defaults", ())),
        }
        #: The options given to ``register_blueprint``.
        self.options: dict[str, t.Any] = options
        #: Whether this is the blueprint's first registration on :attr:`app`;
        #: :meth:`Blueprint.record_once` functions run only then.
        self.first_registration = first_registration
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The application the blueprint is registered on.
        self.app = app

    def _full_rule(self, rule: str) -> str:
        """``rule`` under this registration's URL prefix."""
        prefix = self.url_prefix
        if prefix is None:
            return rule
        return _join_path(prefix, rule) if rule else prefix

    def _full_endpoint(self, endpoint: str) -> str:
        """``endpoint`` qualified with the dotted blueprint name."""
        return f"{self.name_prefix}.{self.name}.{endpoint}".lstrip(".")

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the app on behalf of the blueprint.

        ``rule`` goes under the registration's URL prefix and ``endpoint``
        (the view's name by default) under the dotted blueprint name; the
        registration's subdomain applies unless ``options`` names one, and its
        URL defaults are merged under any ``defaults`` given here.
        """
        local_name = (
            _endpoint_from_view_func(view_func) if endpoint is None else endpoint
        )
        extra_defaults = options.pop("defaults", None)
        defaults = self.url_defaults
        if extra_defaults is not None:
            defaults = {**defaults, **extra_defaults}
        options.setdefault("subdomain", self.subdomain)
        self.app.add_url_rule(
            self._full_rule(rule),
            self._full_endpoint(local_name),
            view_func,
            defaults=defaults,
            **options,
        )


def _check_blueprint_name(name: str) -> None:
    """Reject names that would break the dotted naming of endpoints."""
    if not name:
        raise ValueError("'name' may not be empty.")
    if "." in name:
        raise ValueError("'name' may not contain a dot '.' character.")


class Blueprint(Scaffold):
    """A reusable group of views, hooks and error handlers.

    ::

        admin = Blueprint("admin", __name__, url_prefix="/admin")

        @admin.route("/")
        def index():
            return url_for(".users")

        app.register_blueprint(admin)

    Endpoints become ``"admin.index"``; hooks and error handlers registered on
    the blueprint apply only to its requests, the ``app_*`` variants to all.

    :param name: the blueprint's name; no dots.
    :param import_name: the module or package defining it, usually ``__name__``.
    :param static_folder: a static folder served under the blueprint's prefix.
    :param static_url_path: the URL path of the static folder.
    :param template_folder: a templates folder added to the app's search path.
    :param url_prefix: a path every rule of the blueprint is prefixed with.
    :param subdomain: the subdomain the blueprint's rules match.
    :param url_defaults: default values for the variables of every rule.
    :param root_path: the folder relative paths start from.
    :raises ValueError: for an empty or dotted ``name``.
    """

    #: Set on the first registration; setup methods refuse to run afterwards.
    _got_registered_once = False

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: StrPath | None = None,
        static_url_path: str | None = None,
        template_folder: StrPath | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
    ) -> None:
        _check_blueprint_name(name)
        super().__init__(
            import_name, static_folder, static_url_path, template_folder, root_path
        )
        #: The blueprint's name, the default prefix of its endpoints.
        self.name = name
        #: Default values for the variables of every rule.
        self.url_values_defaults: dict[str, t.Any] = (
            {} if url_defaults is None else url_defaults
        )
        #: The subdomain of its rules, unless registration gives another.
        self.subdomain = subdomain
        #: The path prefix of its rules, unless registration gives another.
        self.url_prefix = url_prefix
        #: Functions replayed on each registration, see :meth:`record`.
        self.deferred_functions: list[DeferredSetupFunction] = []
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise _too_late(
                f_name,
                f"the blueprint '{self.name}'",
                "It has already been registered at least once, so a change now"
                " would not reach the apps it is registered on.",
                "the blueprint are done before registering it",
            )

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Record ``func`` to be called with the :class:`BlueprintSetupState`
        each time the blueprint is registered.
        """
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Like :meth:`record`, but ``func`` runs only on the blueprint's first
        registration on each app, not again when registered under another name.
        """

        def first_time_only(state: BlueprintSetupState) -> None:
            if not state.first_registration:
                return
            func(state)

        self.record(update_wrapper(first_time_only, func))

    def make_setup_state(
        self,
        app: RoutingApp,
        options: dict[str, t.Any],
        first_registration: bool = False,
    ) -> BlueprintSetupState:
        """Create the :class:`BlueprintSetupState` of one registration; override
        to use a subclass.
        """
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Register ``blueprint`` on this blueprint.

        It is registered on the app together with this one: its name becomes
        ``"<this name>.<its name>"`` and the prefixes and subdomains combine.
        The options are those of :meth:`RoutingApp.register_blueprint
        <kolben.routing.RoutingApp.register_blueprint>`.
        """
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    def _claim(self, app: RoutingApp, dotted: str, local: str) -> bool:
        """Reserve ``dotted`` in ``app.blueprints`` for this blueprint.

        :return: whether this is the blueprint's first registration on ``app``.
        :raises ValueError: when the name is taken, by this blueprint or another.
        """
        holder = app.blueprints.get(dotted)
        if holder is not None:
            whose = "this" if holder is self else "a different"
            where = "" if local == dotted else f" '{dotted}'"
            raise ValueError(
                f"The name '{local}' is already registered for {whose}"
                f" blueprint{where}. Use 'name=' to provide a unique name."
            )
        first = all(other is not self for other in app.blueprints.values())
        app.blueprints[dotted] = self
        return first

    def register(self, app: RoutingApp, options: dict[str, t.Any]) -> None:
        """Apply the blueprint to ``app``; called by ``app.register_blueprint``.

        Adds the static route, merges the blueprint's hooks, error handlers and
        endpoint functions into the app under the dotted name, calls the
        recorded functions with a :class:`BlueprintSetupState`, then registers
        the nested blueprints.

        :raises ValueError: when the dotted name is already registered.
        """
        local = options.get("name", self.name)
        dotted = f"{options.get('name_prefix', '')}.{local}".lstrip(".")
        first = self._claim(app, dotted, local)
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first)

        # The static view comes from the class that serves files (the flask
        # meta-package's Blueprint); without one there is nothing to route to.
        serve = getattr(self, "send_static_file", None)
        if serve is not None and self.has_static_folder:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                view_func=serve,
            )

        self._merge_blueprint_funcs(app, dotted)
        for deferred in self.deferred_functions:
            deferred(state)
        for child, child_options in self._blueprints:
            child.register(app, _nested_options(state, dotted, child, child_options))

    def _merge_blueprint_funcs(self, app: RoutingApp, name: str) -> None:
        """Copy the blueprint's registries into the app's, keyed by ``name``."""

        def scoped(key: str | None) -> str:
            return name if key is None else f"{name}.{key}"

        for key, by_code in self.error_handler_spec.items():
            app.error_handler_spec[scoped(key)] = {
                code: dict(handlers) for code, handlers in by_code.items()
            }

        # Endpoint functions keep their names: see Scaffold.endpoint.
        app.view_functions.update(self.view_functions)

        for attribute in _HOOK_REGISTRIES:
            source: dict[str | None, list[t.Any]] = getattr(self, attribute)
            target: dict[str | None, list[t.Any]] = getattr(app, attribute)
            for key, funcs in source.items():
                target.setdefault(scoped(key), []).extend(funcs)

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a URL rule, added to the app with the blueprint's prefix and
        name on registration. The arguments are those of
        :meth:`RoutingApp.add_url_rule <kolben.routing.RoutingApp.add_url_rule>`.

        :raises ValueError: when the endpoint or the view's name has a dot.
        """
        if endpoint and "." in endpoint:
            raise ValueError("'endpoint' may not contain a dot '.' character.")
        if "." in getattr(view_func, "__name__", ""):
            raise ValueError("'view_func' name may not contain a dot '.' character.")
        options["provide_automatic_options"] = provide_automatic_options
        self.record(_DeferredRule(rule, endpoint, view_func, options))

    def _record_app_hook(self, registry_name: str, f: t.Any) -> None:
        """On first registration, append ``f`` to the app-wide (``None``) entry
        of the app's registry called ``registry_name``.
        """

        def install(state: BlueprintSetupState) -> None:
            getattr(state.app, registry_name).setdefault(None, []).append(f)

        self.record_once(install)

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> cabc.Callable[[T_error_handler], T_error_handler]:
        """Like :meth:`errorhandler`, but for every request of the app."""

        def decorator(f: T_error_handler) -> T_error_handler:
            self.record_once(lambda state: state.app.errorhandler(code)(f))
            return f

        return decorator

    @setupmethod
    def app_context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Like :meth:`context_processor`, but for every template of the app."""
        self._record_app_hook("template_context_processors", f)
        return f

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """Like :meth:`before_request`, but for every request of the app."""
        self._record_app_hook("before_request_funcs", f)
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """Like :meth:`after_request`, but for every request of the app."""
        self._record_app_hook("after_request_funcs", f)
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """Like :meth:`teardown_request`, but for every request of the app."""
        self._record_app_hook("teardown_request_funcs", f)
        return f

    @setupmethod
    def app_url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """Like :meth:`url_value_preprocessor`, but for every request of the app."""
        self._record_app_hook("url_value_preprocessors", f)
        return f

    @setupmethod
    def before_app_websocket(self, f: T_before_websocket) -> T_before_websocket:
        """Like :meth:`before_websocket`, but for every WebSocket of the app.

        .. versionadded:: 0.1.0
        """
        self._record_app_hook("before_websocket_funcs", f)
        return f

    @setupmethod
    def after_app_websocket(self, f: T_after_websocket) -> T_after_websocket:
        """Like :meth:`after_websocket`, but for every WebSocket of the app.

        .. versionadded:: 0.1.0
        """
        self._record_app_hook("after_websocket_funcs", f)
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Like :meth:`url_defaults`, but for every URL built by the app."""
        self._record_app_hook("url_default_functions", f)
        return f


class _DeferredRule:
    """A rule recorded by :meth:`Blueprint.add_url_rule`, added through each
    registration's :class:`BlueprintSetupState`.
    """

    __slots__ = ("rule", "endpoint", "view_func", "options")

    def __init__(
        self,
        rule: str,
        endpoint: str | None,
        view_func: RouteCallable | None,
        options: dict[str, t.Any],
    ) -> None:
        self.rule = rule
        self.endpoint = endpoint
        self.view_func = view_func
        self.options = options

    def __call__(self, state: BlueprintSetupState) -> None:
        state.add_url_rule(self.rule, self.endpoint, self.view_func, **self.options)


def _nested_options(
    state: BlueprintSetupState,
    parent_name: str,
    child: Blueprint,
    child_options: dict[str, t.Any],
) -> dict[str, t.Any]:
    """The options a nested blueprint is registered with: its own, with the
    parent registration's subdomain and URL prefix combined into them and the
    parent's dotted name as ``name_prefix``.
    """
    options = dict(child_options)
    for key, combine in _INHERITED:
        outer: str | None = getattr(state, key)
        inner = _either(options.get(key), getattr(child, key))
        if outer is None or inner is None:
            merged = inner if outer is None else outer
        else:
            merged = combine(outer, inner)
        if merged is not None:
            options[key] = merged
    options["name_prefix"] = parent_name
    return options
