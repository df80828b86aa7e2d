"""Class-based views, from :mod:`kolben.routing`."""

from __future__ import annotations

import typing as t

from kolben.contexts import current_app as current_app
from kolben.contexts import request as request
from kolben.routing import http_method_funcs as http_method_funcs
from kolben.routing import MethodView as MethodView
from kolben.routing import View as View

# Flask's module exposes its typing module under this name.
from . import typing as ft  # noqa: F401

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
