"""Finding the application the command line works with.

``--app``/``FLASK_APP`` names a module (an import path, or a path to a file or a
package), optionally followed by ``:name``, ``:factory()`` or
``:factory(literal, args)``. Inside a module without a name, discovery takes the
attribute ``app`` or ``application``, else the only application instance in the
module, else calls a ``create_app`` or ``make_app`` factory.

What counts as "an application" is decided by the registered app classes (see
:func:`register_app_class`; the ``flask`` meta-package registers ``Flask``). With
none registered, an application is any instance with a callable ``wsgi_app``
attribute, and an object named explicitly with ``module:name`` may be any WSGI
callable that is not a class (a function named there is a factory and called).
"""

from __future__ import annotations

import ast
import inspect
import os
import sys
import traceback
import typing as t

import click

from .registry import _accept_named
from .registry import _kind
from .registry import is_app as is_app
from .registry import register_app_class as register_app_class
from .registry import registered_app_classes as registered_app_classes
from .registry import unregister_app_class as unregister_app_class

#: The attribute names looked up first in a module, in this order.
APP_NAMES = ("app", "application")

#: The factory names called when a module holds no application, in this order.
FACTORY_NAMES = ("create_app", "make_app")


class NoAppException(click.UsageError):
    """Raised when the application cannot be found or loaded; the message says
    what was tried and why it failed.
    """


def _bind_fails(factory: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any) -> bool:
    """Whether calling ``factory`` with these arguments would fail to bind.

    Checking the signature first tells "called with the wrong arguments" apart
    from a ``TypeError`` raised inside the factory, which must propagate.
    """
    try:
        inspect.signature(factory).bind(*args, **kwargs)
    except TypeError:
        return True
    return False


def find_best_app(module: t.Any) -> t.Any:
    """Return the application in ``module``, or raise :exc:`NoAppException`.

    Tries, in order: an application under one of :data:`APP_NAMES`; the single
    application among the module's attributes; the first of :data:`FACTORY_NAMES`
    that is a function, called without arguments. ``module`` may be any object
    with attributes, a module or a class.
    """
    for name in APP_NAMES:
        candidate = getattr(module, name, None)
        if is_app(candidate):
            return candidate

    found: dict[int, t.Any] = {}
    for value in vars(module).values():
        if is_app(value):
            found[id(value)] = value
    if len(found) == 1:
        return next(iter(found.values()))
    mod = module.__name__
    if found:
        raise NoAppException(
            f"Detected multiple {_kind()} applications in module '{mod}'."
            f" Use '{mod}:name' to specify the correct one."
        )

    for name in FACTORY_NAMES:
        factory = getattr(module, name, None)
        if not inspect.isfunction(factory):
            continue
        if _bind_fails(factory):
            raise NoAppException(
                f"Detected factory '{name}' in module '{mod}', but could not call"
                f" it without arguments. Use '{mod}:{name}(args)' to specify"
                " arguments."
            )
        app = factory()
        if is_app(app):
            return app

    raise NoAppException(
        f"Failed to find {_kind()} application or factory in module '{mod}'."
        f" Use '{mod}:name' to specify one."
    )


def _parse_app_name(app_name: str) -> tuple[str, list[t.Any], dict[str, t.Any]]:
    """Split ``name`` or ``name(args)`` into the name and literal arguments."""
    unparsable = NoAppException(
        f"Failed to parse {app_name!r} as an attribute name or function call."
    )
    try:
        expr = ast.parse(app_name.strip(), mode="eval").body
    except SyntaxError:
        raise unparsable from None

    if isinstance(expr, ast.Name):
        return expr.id, [], {}
    if not isinstance(expr, ast.Call):
        raise unparsable
    if not isinstance(expr.func, ast.Name):
        raise NoAppException(f"Function reference must be a simple name: {app_name!r}.")
    try:
        if any(kw.arg is None for kw in expr.keywords):
            raise ValueError("**kwargs")
        args = [ast.literal_eval(arg) for arg in expr.args]
        kwargs = {str(kw.arg): ast.literal_eval(kw.value) for kw in expr.keywords}
    except ValueError:
        raise NoAppException(
            f"Failed to parse arguments as literal values: {app_name!r}."
        ) from None
    return expr.func.id, args, kwargs


def find_app_by_string(module: t.Any, app_name: str) -> t.Any:
    """Return the application ``app_name`` names in ``module``.

    ``app_name`` is an attribute name or a call ``factory(args)`` whose arguments
    are Python literals. A function found under the name is called as a factory,
    with the given arguments or none.

    :raises NoAppException: when the name cannot be parsed or found, the factory
        cannot be called with those arguments, or the result is not an app.
    """
    name, args, kwargs = _parse_app_name(app_name)
    mod = module.__name__
    try:
        attr = getattr(module, name)
    except AttributeError as e:
        raise NoAppException(f"Failed to find attribute {name!r} in {mod!r}.") from e

    if inspect.isfunction(attr):
        if _bind_fails(attr, *args, **kwargs):
            raise NoAppException(
                f"The factory {app_name!r} in module {mod!r} could not be called"
                " with the specified arguments."
            )
        app = attr(*args, **kwargs)
    else:
        app = attr

    if _accept_named(app):
        return app
    raise NoAppException(
        f"A valid {_kind()} application was not obtained from '{mod}:{app_name}'."
    )


def prepare_import(path: str | os.PathLike[str]) -> str:
    """Turn a file path, a package path or a dotted name into an import name.

    Walks up from the file while the folder is a package (has ``__init__.py``),
    puts the first folder outside the package at the front of :data:`sys.path`,
    and returns the dotted name relative to it: ``src/pkg/app.py`` gives
    ``pkg.app`` when ``src/pkg`` is a package.
    """
    location = os.path.realpath(path)
    stem, ext = os.path.splitext(location)
    if ext == ".py":
        location = stem
    if os.path.basename(location) == "__init__":
        location = os.path.dirname(location)

    parts: list[str] = []
    while True:
        location, part = os.path.split(location)
        parts.append(part)
        if not os.path.exists(os.path.join(location, "__init__.py")):
            break

    if sys.path[0] != location:
        sys.path.insert(0, location)
    return ".".join(reversed(parts))


def _is_missing(error: ImportError, module_name: str) -> bool:
    """Whether ``error`` says ``module_name`` (or a package of it) does not exist,
    as opposed to an import failing while the module itself runs.
    """
    missing = error.name
    if not isinstance(error, ModuleNotFoundError) or not missing:
        return False
    return module_name == missing or module_name.startswith(f"{missing}.")


@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: t.Literal[True] = True
) -> t.Any: ...
@t.overload
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = ...
) -> t.Any | None: ...
def locate_app(
    module_name: str, app_name: str | None, raise_if_not_found: bool = True
) -> t.Any | None:
    """Import ``module_name`` and return the application in it.

    :param app_name: what follows the colon in ``module:name``; ``None`` lets
        :func:`find_best_app` choose.
    :param raise_if_not_found: when ``False``, a module that does not exist gives
        ``None`` instead of an error. An import error raised *while the module
        runs* is always an error, shown with its traceback.
    """
    try:
        __import__(module_name)
    except ImportError as e:
        if not _is_missing(e, module_name):
            raise NoAppException(
                f"While importing {module_name!r}, an ImportError was raised:"
                f"\n\n{traceback.format_exc()}"
            ) from None
        if raise_if_not_found:
            raise NoAppException(f"Could not import {module_name!r}.") from None
        return None

    module = sys.modules[module_name]
    if app_name is None:
        return find_best_app(module)
    return find_app_by_string(module, app_name)
