"""The application and request contexts, from :mod:`kolben.contexts`."""

from __future__ import annotations

import contextvars as contextvars
import sys as sys
import typing as t
from functools import update_wrapper as update_wrapper
from types import TracebackType as TracebackType

from werkzeug.exceptions import HTTPException as HTTPException

from kolben.contexts import _cv_app as _cv_app
from kolben.contexts import _cv_request as _cv_request
from kolben.contexts import after_this_request as after_this_request
from kolben.contexts import AppContext as AppContext
from kolben.contexts import appcontext_popped as appcontext_popped
from kolben.contexts import appcontext_pushed as appcontext_pushed

# Flask's name for the class of ``g``; extensions subclass it from here.
from kolben.contexts import AppCtxGlobals as _AppCtxGlobals  # noqa: F401
from kolben.contexts import copy_current_request_context as copy_current_request_context
from kolben.contexts import has_app_context as has_app_context
from kolben.contexts import has_request_context as has_request_context
from kolben.contexts import RequestContext as RequestContext

# Flask's module exposes its typing module under this name.
from . import typing as ft  # noqa: F401

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

#: Flask's marker for "argument not given" in this module.
_sentinel = object()
