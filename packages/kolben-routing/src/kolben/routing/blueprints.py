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
import os
import typing as t
from functools import update_wrapper

from ._typing import RouteCallable
from ._typing import T_after_request
from ._typing import T_before_request
from ._typing import T_error_handler
from ._typing import T_teardown
from ._typing import T_template_context_processor
from ._typing import T_url_defaults
from ._typing import T_url_value_preprocessor
from .scaffold import _endpoint_from_view_func
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
        #: The application the blueprint is registered on.
        self.app = app
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The options given to ``register_blueprint``.
        self.options: dict[str, t.Any] = options
        #: Whether this is the blueprint's first registration on :attr:`app`;
        #: :meth:`Blueprint.record_once` functions run only then.
        self.first_registration = first_registration

        subdomain = options.get("subdomain")
        if subdomain is None:
            subdomain = blueprint.subdomain
        #: The subdomain rules are added for, or ``None``.
        self.subdomain: str | None = subdomain

        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = blueprint.url_prefix
        #: The path every rule is prefixed with, or ``None``.
        self.url_prefix: str | None = url_prefix

        #: The name of this registration, without the parents' names.
        self.name: str = options.get("name", blueprint.name)
        #: The dotted name of the parent blueprints, ``""`` at the top.
        self.name_prefix: str = options.get("name_prefix", "")

        #: Default values for the variables of every rule.
        self.url_defaults: dict[str, t.Any] = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the app for the blueprint: the URL prefix goes in
        front of ``rule``, the dotted blueprint name in front of ``endpoint``,
        and the registration's subdomain and URL defaults apply.
        """
        if self.url_prefix is not None:
            if rule:
                rule = "/".join((self.url_prefix.rstrip("/"), rule.lstrip("/")))
            else:
                rule = self.url_prefix
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = dict(defaults, **options.pop("defaults"))
        self.app.add_url_rule(
            rule,
            f"{self.name_prefix}.{self.name}.{endpoint}".lstrip("."),
            view_func,
            defaults=defaults,
            **options,
        )


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
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if not name:
            raise ValueError("'name' may not be empty.")
        if "." in name:
            raise ValueError("'name' may not contain a dot '.' character.")
        #: The blueprint's name, the default prefix of its endpoints.
        self.name = name
        #: The path prefix of its rules, unless registration gives another.
        self.url_prefix = url_prefix
        #: The subdomain of its rules, unless registration gives another.
        self.subdomain = subdomain
        #: Functions replayed on each registration, see :meth:`record`.
        self.deferred_functions: list[DeferredSetupFunction] = []
        #: Default values for the variables of every rule.
        self.url_values_defaults: dict[str, t.Any] = (
            {} if url_defaults is None else url_defaults
        )
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the"
                f" blueprint '{self.name}'. It has already been registered at"
                " least once, so a change now would not reach the apps it is"
                " registered on.\n"
                "Make sure all imports, decorators, functions, etc. needed to"
                " set up the blueprint are done before registering it."
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

        def on_first_registration(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(on_first_registration, func))

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

    def register(self, app: RoutingApp, options: dict[str, t.Any]) -> None:
        """Apply the blueprint to ``app``; called by ``app.register_blueprint``.

        Adds the static route, merges the blueprint's hooks, error handlers and
        endpoint functions into the app under the dotted name, calls the
        recorded functions with a :class:`BlueprintSetupState`, then registers
        the nested blueprints.

        :raises ValueError: when the dotted name is already registered.
        """
        name_prefix = options.get("name_prefix", "")
        self_name = options.get("name", self.name)
        name = f"{name_prefix}.{self_name}".lstrip(".")

        if name in app.blueprints:
            which = "this" if app.blueprints[name] is self else "a different"
            full = f" '{name}'" if self_name != name else ""
            raise ValueError(
                f"The name '{self_name}' is already registered for {which}"
                f" blueprint{full}. Use 'name=' to provide a unique name."
            )

        first_registration = not any(bp is self for bp in app.blueprints.values())
        app.blueprints[name] = self
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_registration)

        # The static view comes from the class that serves files (the flask
        # meta-package's Blueprint); without one there is nothing to route to.
        send_static_file = getattr(self, "send_static_file", None)
        if self.has_static_folder and send_static_file is not None:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                view_func=send_static_file,
                endpoint="static",
            )

        self._merge_blueprint_funcs(app, name)

        for deferred in self.deferred_functions:
            deferred(state)

        for blueprint, child_options in self._blueprints:
            self._register_child(app, state, name, blueprint, child_options)

    @staticmethod
    def _register_child(
        app: RoutingApp,
        state: BlueprintSetupState,
        name: str,
        blueprint: Blueprint,
        child_options: dict[str, t.Any],
    ) -> None:
        """Register a nested blueprint, combining this registration's subdomain
        and URL prefix with the child's.
        """
        options = dict(child_options)
        subdomain = options.get("subdomain")
        if subdomain is None:
            subdomain = blueprint.subdomain
        if state.subdomain is not None and subdomain is not None:
            options["subdomain"] = f"{subdomain}.{state.subdomain}"
        elif subdomain is not None:
            options["subdomain"] = subdomain
        elif state.subdomain is not None:
            options["subdomain"] = state.subdomain

        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = blueprint.url_prefix
        if state.url_prefix is not None and url_prefix is not None:
            options["url_prefix"] = (
                state.url_prefix.rstrip("/") + "/" + url_prefix.lstrip("/")
            )
        elif url_prefix is not None:
            options["url_prefix"] = url_prefix
        elif state.url_prefix is not None:
            options["url_prefix"] = state.url_prefix

        options["name_prefix"] = name
        blueprint.register(app, options)

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
        if view_func is not None and "." in getattr(view_func, "__name__", ""):
            raise ValueError("'view_func' name may not contain a dot '.' character.")

        def add(state: BlueprintSetupState) -> None:
            state.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )

        self.record(add)

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> cabc.Callable[[T_error_handler], T_error_handler]:
        """Like :meth:`errorhandler`, but for every request of the app."""

        def decorator(f: T_error_handler) -> T_error_handler:
            def register(state: BlueprintSetupState) -> None:
                state.app.errorhandler(code)(f)

            self.record_once(register)
            return f

        return decorator

    @setupmethod
    def app_context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Like :meth:`context_processor`, but for every template of the app."""
        self.record_once(
            lambda s: s.app.template_context_processors.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """Like :meth:`before_request`, but for every request of the app."""
        self.record_once(
            lambda s: s.app.before_request_funcs.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """Like :meth:`after_request`, but for every request of the app."""
        self.record_once(
            lambda s: s.app.after_request_funcs.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """Like :meth:`teardown_request`, but for every request of the app."""
        self.record_once(
            lambda s: s.app.teardown_request_funcs.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def app_url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """Like :meth:`url_value_preprocessor`, but for every request of the app."""
        self.record_once(
            lambda s: s.app.url_value_preprocessors.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Like :meth:`url_defaults`, but for every URL built by the app."""
        self.record_once(
            lambda s: s.app.url_default_functions.setdefault(None, []).append(f)
        )
        return f
