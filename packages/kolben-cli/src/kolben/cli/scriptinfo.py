"""Loading the application once per command line, and running commands in its
application context.
"""

from __future__ import annotations

import collections.abc as cabc
import re
import typing as t
from functools import update_wrapper

import click

from kolben.contexts import _cv_app

from .discovery import locate_app
from .discovery import NoAppException
from .discovery import prepare_import
from .env import get_debug_flag
from .env import get_load_dotenv
from .registry import _kind

_F = t.TypeVar("_F", bound=cabc.Callable[..., t.Any])

#: The files tried, in order, when no app is named.
DEFAULT_APP_FILES = ("wsgi.py", "app.py")

# Split "module:name" at the first colon not followed by a path separator, so a
# Windows drive ("C:\\src\\app.py") stays part of the module path.
_APP_SPLIT = re.compile(r":(?![\\/])")


class ScriptInfo:
    """The state of one command line run: how to find the application, and the
    application once loaded.

    :class:`FlaskGroup` creates one as the click context's ``obj``; commands reach
    it with :data:`pass_script_info` or ``click.get_current_context().obj``.

    :param app_import_path: ``module``, ``path/to/file.py`` or either followed by
        ``:name``, ``:factory()`` or ``:factory(args)``. Usually set by ``--app``.
    :param create_app: a function returning the application; takes precedence
        over ``app_import_path``.
    :param set_debug_flag: set the loaded app's ``debug`` from ``FLASK_DEBUG``.
    :param load_dotenv_defaults: load ``.env`` and ``.flaskenv`` when the command
        line starts; ``FLASK_SKIP_DOTENV`` can turn it off.
    """

    def __init__(
        self,
        app_import_path: str | None = None,
        create_app: cabc.Callable[[], t.Any] | None = None,
        set_debug_flag: bool = True,
        load_dotenv_defaults: bool = True,
    ) -> None:
        # Filled by the first load_app() call; later calls return it.
        self._loaded_app: t.Any = None
        #: Free-form storage for commands and extensions.
        self.data: dict[t.Any, t.Any] = {}
        #: Where to import the application from, as given to ``--app``.
        self.app_import_path = app_import_path
        #: The application factory, when one was given; wins over the path.
        self.create_app = create_app
        #: Whether the default dotenv files are loaded (``FLASK_SKIP_DOTENV``
        #: is consulted once, here).
        self.load_dotenv_defaults = get_load_dotenv(load_dotenv_defaults)
        #: Whether :meth:`load_app` sets ``app.debug`` from ``FLASK_DEBUG``.
        self.set_debug_flag = set_debug_flag

    def load_app(self) -> t.Any:
        """Return the application, finding or creating it on the first call.

        Uses :attr:`create_app` if given, else :attr:`app_import_path`, else the
        first of ``wsgi.py`` and ``app.py`` in the current directory that exists.

        :raises NoAppException: when no application can be found.
        """
        if self._loaded_app is not None:
            return self._loaded_app

        app: t.Any = None
        if self.create_app is not None:
            app = self.create_app()
        elif self.app_import_path:
            path, *name = _APP_SPLIT.split(self.app_import_path, maxsplit=1)
            app = locate_app(prepare_import(path), name[0] if name else None)
        else:
            for filename in DEFAULT_APP_FILES:
                app = locate_app(
                    prepare_import(filename), None, raise_if_not_found=False
                )
                if app is not None:
                    break

        if app is None:
            raise NoAppException(
                f"Could not locate a {_kind()} application. Use the 'flask --app'"
                " option, 'FLASK_APP' environment variable, or a 'wsgi.py' or"
                " 'app.py' file in the current directory."
            )

        if self.set_debug_flag and hasattr(app, "debug"):
            # "--debug" only sets FLASK_DEBUG; the app learns it here, before
            # any command (or the server) uses it.
            app.debug = get_debug_flag()

        self._loaded_app = app
        return app


def _push_app_context(ctx: click.Context, app: t.Any) -> None:
    """Push ``app``'s context until ``ctx`` closes, unless it is already the
    active one or the application has no app contexts at all.
    """
    active = _cv_app.get(None)
    if active is not None and active.app is app:
        return
    push = getattr(app, "app_context", None)
    if push is not None:
        ctx.with_resource(push())


#: Decorator passing the current :class:`ScriptInfo` as the first argument,
#: creating one if the command line has none.
pass_script_info = click.make_pass_decorator(ScriptInfo, ensure=True)


def with_appcontext(f: _F) -> _F:
    """Run the decorated click callback inside the application's app context.

    The application comes from the context's :class:`ScriptInfo`
    (:meth:`ScriptInfo.load_app`). Its context is pushed for the rest of the
    command line unless one is already active for that app; with no
    :class:`ScriptInfo` around, an already active context of any app is used.
    An app without ``app_context()`` runs the callback without a context.

    Commands registered through :class:`AppGroup` (``app.cli``) get this
    automatically; plain ``click.command`` callbacks can use it::

        @click.command()
        @with_appcontext
        def init_db():
            ...
    """

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        # Without a ScriptInfo, whichever app is active is good enough.
        if ctx.find_object(ScriptInfo) is not None or _cv_app.get(None) is None:
            _push_app_context(ctx, ctx.ensure_object(ScriptInfo).load_app())
        return ctx.invoke(f, *args, **kwargs)

    return t.cast(_F, update_wrapper(decorator, f))


class AppGroup(click.Group):
    """A click group whose commands run in the application context.

    :meth:`command` wraps callbacks with :func:`with_appcontext` unless given
    ``with_appcontext=False``; :meth:`group` makes sub-groups of this class. An
    app's and a blueprint's ``cli`` are ``AppGroup``\\ s.
    """

    @t.overload
    def command(self, __func: cabc.Callable[..., t.Any]) -> click.Command: ...

    @t.overload
    def command(
        self, *args: t.Any, **kwargs: t.Any
    ) -> cabc.Callable[[cabc.Callable[..., t.Any]], click.Command]: ...

    def command(
        self, *args: t.Any, **kwargs: t.Any
    ) -> cabc.Callable[[cabc.Callable[..., t.Any]], click.Command] | click.Command:
        """Like :meth:`click.Group.command`, wrapping the callback with
        :func:`with_appcontext` unless ``with_appcontext=False`` is passed.
        Works with and without parentheses.
        """
        wrap = kwargs.pop("with_appcontext", True)
        func = None
        if len(args) == 1 and not kwargs and callable(args[0]):
            (func,) = args
            args = ()

        def decorator(f: cabc.Callable[..., t.Any]) -> click.Command:
            if wrap:
                f = with_appcontext(f)
            # Never the decorator-less form here: the callback comes next.
            register = t.cast(
                "cabc.Callable[[cabc.Callable[..., t.Any]], click.Command]",
                super(AppGroup, self).command(*args, **kwargs),
            )
            return register(f)

        if func is not None:
            return decorator(func)
        return decorator


# Sub-groups of an AppGroup (and of a FlaskGroup) are AppGroups.
AppGroup.group_class = AppGroup
