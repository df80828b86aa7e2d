"""The template-related parts of application and blueprint classes.

The ``flask`` meta-package mixes :class:`TemplatingAppFacet` into ``Flask`` and
:class:`TemplatingBlueprintFacet` into ``Blueprint``. The facets have no
``__init__``: the loader and the environment are created on first use, and the
template filters, tests and globals registered are kept and added to the
environment when it is created. An application calls
:meth:`TemplatingAppFacet._init_templating` from its constructor to install
:func:`default_context_processor`.
"""

from __future__ import annotations

import collections.abc as cabc
import os
import threading
import typing as t
from functools import cached_property

from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import g
from kolben.contexts import request
from kolben.contexts import session

from ._autoescape import default_autoescape

if t.TYPE_CHECKING:
    from jinja2 import BaseLoader

    from .environment import Environment
    from .protocols import ContextProcessor
    from .protocols import SetupState
    from .protocols import TemplatingApp
    from .protocols import TemplatingBlueprint
    from .protocols import TemplatingScaffold

#: A template filter, test or global function.
TemplateCallable = t.TypeVar("TemplateCallable", bound=cabc.Callable[..., t.Any])

# Every filter, test and global registered through the facet, in order, as
# (environment attribute, name, function): applied to each environment created.
_REGISTERED = "_jinja_registrations"

# Guards creating environments and the pending registrations. Reentrant so that
# an environment created by an app whose create_jinja_environment reads
# jinja_env fails with a RecursionError rather than hanging.
_env_lock = threading.RLock()


class _EnvironmentClass:
    """The default of :attr:`TemplatingAppFacet.jinja_environment`:
    :class:`~kolben.templating.Environment`, imported (and Jinja with it) when
    first read, so that defining or creating an application does not load
    Jinja. A subclass or an instance that sets its own value replaces it.
    """

    def __get__(self, instance: object, owner: type | None = None) -> t.Any:
        from .environment import Environment

        return Environment


def default_context_processor() -> dict[str, t.Any]:
    """Give templates the active context's ``g`` and ``request``.

    An application's :meth:`~TemplatingAppFacet._init_templating` puts it first
    in ``template_context_processors[None]``. ``g`` is added inside an app
    context, ``request`` inside a request context. ``session`` is not added:
    templates read it through the environment's ``session`` global (a proxy,
    so rendering opens the session only if the template reads it), and the
    context that ``template_rendered`` receivers get has no ``session`` key,
    as in Flask.
    """
    rv: dict[str, t.Any] = {}
    app_ctx = _cv_app.get(None)
    if app_ctx is not None:
        rv["g"] = app_ctx.g
    request_ctx = _cv_request.get(None)
    if request_ctx is not None:
        rv["request"] = request_ctx.request
    return rv


def _check_setup(owner: object, method: str) -> None:
    # An owner that forbids setup after its first request provides this guard
    # (kolben.routing's scaffold does); a plain owner has none.
    guard = getattr(owner, "_check_setup_finished", None)
    if guard is not None:
        guard(method)


class TemplatingScaffoldFacet:
    """Gives an application or a blueprint the loader for its template folder.

    The class using it must satisfy
    :class:`~kolben.templating.protocols.TemplatingScaffold` (``root_path``,
    ``template_folder``).
    """

    @cached_property
    def jinja_loader(self) -> BaseLoader | None:
        """A :class:`jinja2.FileSystemLoader` for ``template_folder`` (resolved
        against ``root_path``), or ``None`` when there is no template folder.

        Computed on first use and kept; assign to it to use another loader.
        """
        owner = t.cast("TemplatingScaffold", self)
        if owner.template_folder is None:
            return None
        from jinja2 import FileSystemLoader

        return FileSystemLoader(os.path.join(owner.root_path, owner.template_folder))


class TemplatingAppFacet(TemplatingScaffoldFacet):
    """Gives an application its Jinja environment and template registrations.

    The class using it must satisfy
    :class:`~kolben.templating.protocols.TemplatingApp` (``config``, ``debug``,
    ``logger``, ``import_name``, ``name``, ``root_path``, ``template_folder``,
    ``template_context_processors``, ``iter_blueprints()``, ``url_for()``,
    ``ensure_sync()``); an optional ``_check_setup_finished(name)`` guards the
    registration methods.
    """

    if t.TYPE_CHECKING:
        jinja_environment: type[Environment]
    else:
        #: The class of :attr:`jinja_env`; a subclass of
        #: :class:`~kolben.templating.Environment`.
        jinja_environment = _EnvironmentClass()

    #: Extra keyword arguments for the environment. Changing them after
    #: :attr:`jinja_env` was first used has no effect.
    jinja_options: dict[str, t.Any] = {}

    def _init_templating(self) -> None:
        """Put :func:`default_context_processor` first among the app's context
        processors. The application's constructor calls it once, after
        ``template_context_processors`` exists.
        """
        owner = t.cast("TemplatingApp", self)
        processors = t.cast(
            "dict[str | None, list[ContextProcessor]]",
            owner.template_context_processors,
        )
        funcs = processors.setdefault(None, [])
        if default_context_processor not in funcs:
            funcs.insert(0, default_context_processor)

    @property
    def jinja_env(self) -> Environment:
        """The application's Jinja environment, created by
        :meth:`create_jinja_environment` the first time it is used.

        It may be replaced by assignment, or deleted to be created again (with
        the filters, tests and globals registered so far).
        """
        env: Environment | None = self.__dict__.get("jinja_env")
        if env is not None:
            return env
        # Two threads rendering the first template at once must end up with
        # one environment that has every registered filter, test and global.
        with _env_lock:
            env = self.__dict__.get("jinja_env")
            if env is None:
                env = self.create_jinja_environment()
                for table, name, func in self.__dict__.get(_REGISTERED, ()):
                    getattr(env, table)[name] = func
                self.__dict__["jinja_env"] = env
        return env

    @jinja_env.setter
    def jinja_env(self, env: Environment) -> None:
        self.__dict__["jinja_env"] = env

    @jinja_env.deleter
    def jinja_env(self) -> None:
        self.__dict__.pop("jinja_env", None)

    def create_jinja_environment(self) -> Environment:
        """Create the environment :attr:`jinja_env` holds.

        It is a :attr:`jinja_environment` built with :attr:`jinja_options`,
        autoescaping chosen by :meth:`select_jinja_autoescape` and auto-reload
        by :attr:`templates_auto_reload` (unless the options say otherwise), and
        the globals ``url_for``, ``config``, ``request``, ``session`` and ``g``.
        Then :meth:`_extend_jinja_env` adds the application's own.
        """
        owner = t.cast("TemplatingApp", self)
        options = dict(self.jinja_options)
        options.setdefault("autoescape", self.select_jinja_autoescape)
        if "auto_reload" not in options:
            options["auto_reload"] = self.templates_auto_reload
        env = self.jinja_environment(owner, **options)
        env.globals.update(
            url_for=owner.url_for,
            config=owner.config,
            request=request,
            session=session,
            g=g,
        )
        self._extend_jinja_env(env)
        return env

    def _extend_jinja_env(self, env: Environment) -> None:
        """Add the application's own globals, filters and policies to a new
        environment; called at the end of :meth:`create_jinja_environment`.

        Does nothing here. The ``flask`` meta-package overrides it to add the
        ``get_flashed_messages`` global and to set the ``json.dumps_function``
        policy to ``app.json.dumps`` (so ``|tojson`` uses the app's JSON
        provider).

        :param env: the environment just created.
        """

    def create_global_jinja_loader(self) -> BaseLoader:
        """Return the loader of :attr:`jinja_env`: a
        :class:`~kolben.templating.DispatchingJinjaLoader` searching the app's
        templates, then its blueprints'. Override it to load templates from
        elsewhere.
        """
        from .loaders import DispatchingJinjaLoader

        return DispatchingJinjaLoader(t.cast("TemplatingApp", self))

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Tell whether the template ``filename`` is autoescaped: ``True`` for
        ``.html``, ``.htm``, ``.xml``, ``.xhtml`` and ``.svg`` files and for
        string templates (``filename`` is ``None``).
        """
        return default_autoescape(filename)

    @property
    def templates_auto_reload(self) -> bool:
        """Whether changed templates are reloaded: the ``TEMPLATES_AUTO_RELOAD``
        setting, or debug mode when it is ``None``.

        Setting it writes the setting and updates an existing environment.
        """
        owner = t.cast("TemplatingApp", self)
        value = owner.config.get("TEMPLATES_AUTO_RELOAD")
        return owner.debug if value is None else t.cast(bool, value)

    @templates_auto_reload.setter
    def templates_auto_reload(self, value: bool) -> None:
        t.cast("TemplatingApp", self).config["TEMPLATES_AUTO_RELOAD"] = value
        self._refresh_jinja_auto_reload()

    def _refresh_jinja_auto_reload(self) -> None:
        """Apply :attr:`templates_auto_reload` to the environment if it exists.

        An application calls it when debug mode changes, so that an environment
        created earlier follows (Flask's ``debug`` setter does this).
        """
        if "jinja_env" in self.__dict__:
            self.jinja_env.auto_reload = self.templates_auto_reload

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the context processors' values to ``context``, in place.

        The app's processors (``template_context_processors[None]``) run first,
        then, during a request, those of the request's blueprints from the
        outermost to the innermost (``request.blueprints`` reversed); later
        values replace earlier ones, and the values already in ``context`` (those
        passed to the render function) win over all of them.
        """
        owner = t.cast("TemplatingApp", self)
        processors = owner.template_context_processors
        names: cabc.Iterable[str | None] = (None,)
        request_ctx = _cv_request.get(None)
        if request_ctx is not None:
            blueprints = getattr(request_ctx.request, "blueprints", None)
            if blueprints:
                names = (None, *reversed(blueprints))
        passed: dict[str, t.Any] | None = None
        for name in names:
            funcs = processors.get(name)
            if not funcs:
                continue
            if passed is None:
                passed = context.copy()
            for func in funcs:
                context.update(owner.ensure_sync(func)())
        if passed:
            context.update(passed)

    def _register_in_env(
        self, table: str, name: str, func: cabc.Callable[..., t.Any]
    ) -> None:
        with _env_lock:
            self.__dict__.setdefault(_REGISTERED, []).append((table, name, func))
            if "jinja_env" in self.__dict__:
                getattr(self.jinja_env, table)[name] = func

    def template_filter(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Register the decorated function as a template filter::

            @app.template_filter()
            def reverse(s):
                return s[::-1]

        :param name: the filter's name; the function's name by default.
        """
        _check_setup(self, "template_filter")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_template_filter(f, name=name)
            return f

        return decorator

    def add_template_filter(
        self, f: cabc.Callable[..., t.Any], name: str | None = None
    ) -> None:
        """Register ``f`` as a template filter; like :meth:`template_filter`.

        :param f: the filter function.
        :param name: the filter's name; the function's name by default.
        """
        _check_setup(self, "add_template_filter")
        self._register_in_env("filters", name or f.__name__, f)

    def template_test(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Register the decorated function as a template test::

            @app.template_test()
            def is_prime(n):
                return n > 1 and all(n % i for i in range(2, int(n**0.5) + 1))

        ``{% if value is is_prime %}`` then uses it.

        :param name: the test's name; the function's name by default.
        """
        _check_setup(self, "template_test")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_template_test(f, name=name)
            return f

        return decorator

    def add_template_test(
        self, f: cabc.Callable[..., bool], name: str | None = None
    ) -> None:
        """Register ``f`` as a template test; like :meth:`template_test`.

        :param f: the test function.
        :param name: the test's name; the function's name by default.
        """
        _check_setup(self, "add_template_test")
        self._register_in_env("tests", name or f.__name__, f)

    def template_global(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Make the decorated function available in every template::

            @app.template_global()
            def double(n):
                return 2 * n

        :param name: the global's name; the function's name by default.
        """
        _check_setup(self, "template_global")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_template_global(f, name=name)
            return f

        return decorator

    def add_template_global(
        self, f: cabc.Callable[..., t.Any], name: str | None = None
    ) -> None:
        """Make ``f`` available in every template; like :meth:`template_global`.

        :param f: the function.
        :param name: the global's name; the function's name by default.
        """
        _check_setup(self, "add_template_global")
        self._register_in_env("globals", name or f.__name__, f)


class TemplatingBlueprintFacet(TemplatingScaffoldFacet):
    """Gives a blueprint its template folder and the ``app_template_*`` methods,
    which register filters, tests and globals on the application the blueprint
    is registered on.

    The class using it must satisfy
    :class:`~kolben.templating.protocols.TemplatingBlueprint` (``root_path``,
    ``template_folder``, ``record_once()``); an optional
    ``_check_setup_finished(name)`` guards the registration methods.
    """

    def _record_on_app(
        self, method: str, f: cabc.Callable[..., t.Any], name: str | None
    ) -> None:
        def register(state: SetupState) -> None:
            getattr(state.app, method)(f, name=name)

        t.cast("TemplatingBlueprint", self).record_once(register)

    def app_template_filter(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Register the decorated function as a template filter of the app; see
        :meth:`TemplatingAppFacet.template_filter`.

        :param name: the filter's name; the function's name by default.
        """
        _check_setup(self, "app_template_filter")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_app_template_filter(f, name=name)
            return f

        return decorator

    def add_app_template_filter(
        self, f: cabc.Callable[..., t.Any], name: str | None = None
    ) -> None:
        """Register ``f`` as a template filter of the app when the blueprint is
        registered; like :meth:`app_template_filter`.
        """
        _check_setup(self, "add_app_template_filter")
        self._record_on_app("add_template_filter", f, name)

    def app_template_test(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Register the decorated function as a template test of the app; see
        :meth:`TemplatingAppFacet.template_test`.

        :param name: the test's name; the function's name by default.
        """
        _check_setup(self, "app_template_test")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_app_template_test(f, name=name)
            return f

        return decorator

    def add_app_template_test(
        self, f: cabc.Callable[..., bool], name: str | None = None
    ) -> None:
        """Register ``f`` as a template test of the app when the blueprint is
        registered; like :meth:`app_template_test`.
        """
        _check_setup(self, "add_app_template_test")
        self._record_on_app("add_template_test", f, name)

    def app_template_global(
        self, name: str | None = None
    ) -> cabc.Callable[[TemplateCallable], TemplateCallable]:
        """Make the decorated function a template global of the app; see
        :meth:`TemplatingAppFacet.template_global`.

        :param name: the global's name; the function's name by default.
        """
        _check_setup(self, "app_template_global")

        def decorator(f: TemplateCallable) -> TemplateCallable:
            self.add_app_template_global(f, name=name)
            return f

        return decorator

    def add_app_template_global(
        self, f: cabc.Callable[..., t.Any], name: str | None = None
    ) -> None:
        """Make ``f`` a template global of the app when the blueprint is
        registered; like :meth:`app_template_global`.
        """
        _check_setup(self, "add_app_template_global")
        self._record_on_app("add_template_global", f, name)
