"""Module-level names of seed-era ``flask``: ``flask.Markup``,
``flask.escape``, ``flask.safe_join``, ``flask.Session``,
``flask.signals_available``, the context stacks and ``flask.ext.<name>``.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
import typing as t

import markupsafe
import werkzeug.security
from werkzeug.exceptions import NotFound

import flask
from flask.globals import _cv_app
from flask.globals import _cv_request
from flask.sessions import SecureCookieSession

from ._patching import Patch
from ._patching import warn


def safe_join(directory: str | os.PathLike[str], *pathnames: str) -> str:
    """Join ``pathnames`` onto ``directory`` without leaving it, as
    ``flask.safe_join`` did up to Flask 2.0.

    :param directory: the trusted base folder.
    :param pathnames: untrusted path segments (from a URL, say).
    :raises werkzeug.exceptions.NotFound: when the result would escape
        ``directory``; Flask turns it into a 404.

    .. versionadded:: 0.1.0
    """
    warn("flask.safe_join", "werkzeug.utils.safe_join (which returns None)")
    joined = werkzeug.security.safe_join(os.fspath(directory), *pathnames)
    if joined is None:
        raise NotFound()
    return joined


class ContextStack:
    """What ``flask._app_ctx_stack`` and ``flask._request_ctx_stack`` were
    before Flask 2.3: ``top`` is the active context or ``None``.

    :param which: ``"app"`` or ``"request"``.

    .. versionadded:: 0.1.0
    """

    def __init__(self, which: t.Literal["app", "request"]) -> None:
        self._which = which
        self._var = _cv_app if which == "app" else _cv_request

    def _warn(self) -> None:
        warn(
            f"flask._{self._which}_ctx_stack",
            f"flask.globals.{self._which}_ctx (or flask.g for extension data)",
            stacklevel=4,
        )

    @property
    def top(self) -> t.Any:
        """The active context, or ``None`` outside of one."""
        self._warn()
        return self._var.get(None)

    def push(self, ctx: t.Any) -> None:
        """Push ``ctx`` (an :class:`~flask.ctx.AppContext` or
        :class:`~flask.ctx.RequestContext`), i.e. call its ``push()``.
        """
        self._warn()
        ctx.push()

    def pop(self) -> t.Any:
        """Pop the active context and return it."""
        self._warn()
        top = self._var.get(None)
        if top is None:
            raise RuntimeError(f"no {self._which} context to pop")
        top.pop()
        return top

    def __repr__(self) -> str:
        return f"<kolben.legacy {self._which} context stack>"


_app_ctx_stack = ContextStack("app")
_request_ctx_stack = ContextStack("request")

#: name -> (the value, what replaces it); the stacks warn when used, not here.
_NAMES: dict[str, tuple[t.Any, str | None]] = {
    "Markup": (markupsafe.Markup, "markupsafe.Markup"),
    "escape": (markupsafe.escape, "markupsafe.escape"),
    "Session": (SecureCookieSession, "flask.sessions.SecureCookieSession"),
    "signals_available": (True, "nothing (blinker is always installed)"),
    "_app_ctx_stack": (_app_ctx_stack, None),
    "_request_ctx_stack": (_request_ctx_stack, None),
}


def _module_getattr(
    original: cabc.Callable[[str], t.Any],
) -> cabc.Callable[[str], t.Any]:
    def __getattr__(name: str) -> t.Any:
        if name == "safe_join":
            return safe_join
        if name in _NAMES:
            value, replacement = _NAMES[name]
            if replacement is not None:
                warn(f"flask.{name}", replacement)
            return value
        return original(name)

    return __getattr__


class _ExtLoader(importlib.abc.Loader):
    """Loads ``flask.ext`` (an empty package) and ``flask.ext.<name>``, which
    becomes the module ``flask_<name>`` itself.
    """

    def __init__(self, real: str | None) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        if self.real is None:
            return
        warn(f"flask.ext.{self.real[6:]}", self.real)
        # The import system returns whatever ``sys.modules`` holds for the name
        # once this returns, so the extension's own module is what the
        # application gets, with its identity (and ``__spec__``) untouched.
        sys.modules[module.__name__] = importlib.import_module(self.real)


class ExtFinder(importlib.abc.MetaPathFinder):
    """The ``flask.ext`` redirect of Flask 0.8 to 0.12: ``import
    flask.ext.sqlalchemy`` imports ``flask_sqlalchemy``.

    .. versionadded:: 0.1.0
    """

    def find_spec(
        self,
        fullname: str,
        path: cabc.Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        """Answer for ``flask.ext`` and ``flask.ext.<name>`` only."""
        if fullname == "flask.ext":
            return importlib.machinery.ModuleSpec(
                fullname, _ExtLoader(None), is_package=True
            )
        prefix, _, name = fullname.rpartition(".")
        if prefix != "flask.ext" or not name:
            return None
        real = f"flask_{name}"
        if real not in sys.modules and importlib.util.find_spec(real) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _ExtLoader(real))


class ModuleShims:
    """Installs the module-level names and the ``flask.ext`` finder."""

    def __init__(self) -> None:
        self.finder = ExtFinder()
        self.patches: list[Patch] = []

    def install(self) -> None:
        """Start answering the legacy names on ``flask``."""
        original = vars(flask)["__getattr__"]
        self.patches = [Patch(flask, "__getattr__", _module_getattr(original))]
        for patch in self.patches:
            patch.apply()
        sys.meta_path.insert(0, self.finder)

    def uninstall(self) -> None:
        """Forget the legacy names and every ``flask.ext`` module imported."""
        if self.finder in sys.meta_path:
            sys.meta_path.remove(self.finder)
        for name in [
            n for n in sys.modules if n == "flask.ext" or n.startswith("flask.ext.")
        ]:
            del sys.modules[name]
        if "ext" in vars(flask):
            delattr(flask, "ext")
        for patch in reversed(self.patches):
            patch.undo()
        self.patches = []
