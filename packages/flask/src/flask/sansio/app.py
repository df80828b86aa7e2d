"""The application base class, from :mod:`kolben.routing`.

The module also binds the other names Flask's ``flask.sansio.app`` binds at
its top level (its imports included), for extensions importing them from here.
"""

from __future__ import annotations

import logging as logging
import os as os
import sys as sys
import typing as t  # noqa: F401
from datetime import timedelta as timedelta
from itertools import chain as chain

from werkzeug.exceptions import Aborter as Aborter
from werkzeug.exceptions import BadRequest as BadRequest
from werkzeug.exceptions import BadRequestKeyError as BadRequestKeyError
from werkzeug.routing import BuildError as BuildError
from werkzeug.routing import Map as Map
from werkzeug.routing import Rule as Rule
from werkzeug.sansio.response import Response as Response
from werkzeug.utils import cached_property as cached_property
from werkzeug.utils import redirect as _wz_redirect  # noqa: F401

from kolben.cli import get_debug_flag as get_debug_flag
from kolben.contexts import AppCtxGlobals as _AppCtxGlobals  # noqa: F401
from kolben.routing import RoutingApp
from kolben.templating import DispatchingJinjaLoader as DispatchingJinjaLoader
from kolben.templating import Environment as Environment

from .. import typing as ft  # noqa: F401

# Flask's private helpers, imported from here by extensions.
from ..app import _make_timedelta as _make_timedelta
from ..app import T_shell_context_processor as T_shell_context_processor
from ..app import T_teardown as T_teardown
from ..app import T_template_filter as T_template_filter
from ..app import T_template_global as T_template_global
from ..app import T_template_test as T_template_test
from ..config import Config as Config
from ..config import ConfigAttribute as ConfigAttribute
from ..helpers import _split_blueprint_path  # noqa: F401
from ..json.provider import DefaultJSONProvider as DefaultJSONProvider
from ..json.provider import JSONProvider as JSONProvider
from ..logging import create_logger as create_logger
from .scaffold import _endpoint_from_view_func  # noqa: F401
from .scaffold import find_package as find_package
from .scaffold import Scaffold as Scaffold
from .scaffold import setupmethod as setupmethod

#: The base of ``Flask`` that holds the URL map and the registries.
App = RoutingApp
