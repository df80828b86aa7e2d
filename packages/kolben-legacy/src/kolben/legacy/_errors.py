"""``app.error_handler_spec[None][code] = handler``, as Flask 0.7 to 0.10
applications and extensions wrote it.

Flask 3.1's registry is ``{blueprint: {code: {exception class: handler}}}``;
the shim turns a handler assigned straight to a code into that shape. The
registry's own dict type is reused (its changes invalidate the app's handler
caches); only the app-level code map gets a subclass that accepts a handler.
"""

from __future__ import annotations

import inspect
import typing as t

from werkzeug.exceptions import default_exceptions

import kolben.legacy

from ._patching import Patch
from ._patching import warn


def _no_argument_ok(handler: t.Any) -> t.Any:
    try:
        if inspect.signature(handler).parameters:
            return handler
    except (TypeError, ValueError):
        return handler

    def call_without_error(error: BaseException) -> t.Any:
        return handler()

    call_without_error.__name__ = getattr(handler, "__name__", "handler")
    return call_without_error


class SpecDescriptor:
    """Stands in for ``Flask.error_handler_spec`` while installed: returns the
    same registry, whose ``[None]`` code map accepts a bare handler.
    """

    def __init__(self, original: t.Any, spec_type: type[t.Any]) -> None:
        self.original = original
        self.spec_type = spec_type

        class LegacyCodes(spec_type):  # type: ignore[misc]
            __slots__ = ()

            def __setitem__(self, code: t.Any, value: t.Any) -> None:
                if (
                    kolben.legacy.installed()
                    and callable(value)
                    and not isinstance(value, dict)
                ):
                    warn(
                        "error_handler_spec[None][code] = f",
                        "app.register_error_handler(code, f)",
                        stacklevel=2,
                    )
                    if code not in default_exceptions:
                        raise KeyError(f"{code!r} is not an HTTP error code")
                    value = {default_exceptions[code]: _no_argument_ok(value)}
                super().__setitem__(code, value)

        self.codes_type = LegacyCodes

    def __get__(self, obj: t.Any, owner: t.Any = None) -> t.Any:
        spec = self.original.__get__(obj, owner)
        if obj is None or None not in spec:
            if obj is not None:
                # Created on first use, as Flask's own registry does.
                spec[None]  # noqa: B018
            else:
                return spec
        codes = dict.__getitem__(spec, None)
        if type(codes) is self.spec_type:
            # Same layout, so the class can change in place: the registry
            # keeps its identity and its cache stamp.
            codes.__class__ = self.codes_type
        return spec

    def __set__(self, obj: t.Any, value: t.Any) -> None:
        self.original.__set__(obj, value)


def patches() -> list[Patch]:
    """Return the patch of ``Flask.error_handler_spec``."""
    from flask import Flask

    original = inspect.getattr_static(Flask, "error_handler_spec")
    spec_type = type(Flask(__name__).error_handler_spec)
    return [Patch(Flask, "error_handler_spec", SpecDescriptor(original, spec_type))]
