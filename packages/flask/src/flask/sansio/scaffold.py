"""The registration scaffold shared by applications and blueprints, from
:mod:`kolben.routing`.

Besides the scaffold, the module binds every name Flask's ``flask.sansio.scaffold``
binds at its top level (its imports included) that extensions may import from
here; ``tools/_upstream_names.py`` checks the list.
"""

from __future__ import annotations

import importlib as importlib
import os as os
import sys as sys
import typing as t
from collections import defaultdict as defaultdict
from functools import update_wrapper as update_wrapper

from werkzeug.exceptions import default_exceptions as default_exceptions
from werkzeug.exceptions import HTTPException as HTTPException
from werkzeug.utils import cached_property as cached_property

from kolben.routing import get_root_path as get_root_path
from kolben.routing import Scaffold as Scaffold
from kolben.routing import setupmethod as setupmethod
from kolben.routing._typing import T_after_request as T_after_request
from kolben.routing._typing import T_before_request as T_before_request
from kolben.routing._typing import T_error_handler as T_error_handler
from kolben.routing._typing import T_route as T_route
from kolben.routing._typing import T_teardown as T_teardown
from kolben.routing._typing import (
    T_template_context_processor as T_template_context_processor,
)
from kolben.routing._typing import T_url_defaults as T_url_defaults
from kolben.routing._typing import T_url_value_preprocessor as T_url_value_preprocessor

# Flask's private helper, imported from here by extensions such as Flask-RESTX.
from kolben.routing.scaffold import _endpoint_from_view_func as _endpoint_from_view_func
from kolben.templating import default_context_processor

from .. import typing as ft  # noqa: F401
from .._instance import find_package as find_package

if t.TYPE_CHECKING:
    import pathlib as pathlib

    from jinja2 import BaseLoader as BaseLoader
    from jinja2 import FileSystemLoader as FileSystemLoader

#: Flask's marker for "argument not given", imported from here by extensions.
_sentinel = object()

#: A decorated function's type, as in Flask's module.
F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Flask's name for the processor that gives templates ``g`` and ``request``.
_default_template_ctx_processor = default_context_processor


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, Jinja's loaders and ``pathlib`` included (see
        # ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module imports Jinja's loaders; here they are imported when first
    # read, so that importing the app class does not load Jinja.
    if name in ("BaseLoader", "FileSystemLoader"):
        import jinja2

        return getattr(jinja2, name)
    if name == "pathlib":
        # Flask's module imports pathlib at its top; ``import flask`` does not
        # need it, so it is imported when an extension reads it from here.
        import pathlib

        return pathlib
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "BaseLoader", "FileSystemLoader", "pathlib"})
