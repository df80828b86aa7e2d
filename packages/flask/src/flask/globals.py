"""The context proxies and variables, from :mod:`kolben.contexts`.

``current_app``, ``g``, ``request`` and ``session`` forward to the active
context's objects; ``app_ctx`` and ``request_ctx`` are the contexts themselves.
"""

from __future__ import annotations

import typing as t  # noqa: F401
from contextvars import ContextVar as ContextVar

from werkzeug.local import LocalProxy as LocalProxy

from kolben.contexts import _cv_app as _cv_app
from kolben.contexts import _cv_request as _cv_request
from kolben.contexts import app_ctx as app_ctx
from kolben.contexts import current_app as current_app
from kolben.contexts import g as g
from kolben.contexts import request as request
from kolben.contexts import request_ctx as request_ctx
from kolben.contexts import session as session
