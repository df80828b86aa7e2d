"""The blueprint base classes, from :mod:`kolben.routing`.

The module also binds the other names Flask's ``flask.sansio.blueprints``
binds at its top level (its imports included), for extensions importing them
from here.
"""

from __future__ import annotations

import os as os
import typing as t  # noqa: F401
from collections import defaultdict as defaultdict
from functools import update_wrapper as update_wrapper

from kolben.routing import Blueprint as Blueprint
from kolben.routing import BlueprintSetupState as BlueprintSetupState
from kolben.routing import DeferredSetupFunction as DeferredSetupFunction

from .. import typing as ft  # noqa: F401
from ..app import T_template_filter as T_template_filter
from ..app import T_template_global as T_template_global
from ..app import T_template_test as T_template_test
from .scaffold import _endpoint_from_view_func  # noqa: F401
from .scaffold import _sentinel  # noqa: F401
from .scaffold import Scaffold as Scaffold
from .scaffold import setupmethod as setupmethod
from .scaffold import T_after_request as T_after_request
from .scaffold import T_before_request as T_before_request
from .scaffold import T_error_handler as T_error_handler
from .scaffold import T_teardown as T_teardown
from .scaffold import T_template_context_processor as T_template_context_processor
from .scaffold import T_url_defaults as T_url_defaults
from .scaffold import T_url_value_preprocessor as T_url_value_preprocessor
