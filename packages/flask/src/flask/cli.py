"""The ``flask`` command line, from :mod:`kolben.cli`."""

from __future__ import annotations

import ast as ast
import collections.abc as cabc  # noqa: F401
import importlib as importlib
import inspect as inspect
import os as os
import platform as platform
import re as re
import sys as sys
import traceback as traceback
import typing as t
from functools import update_wrapper as update_wrapper
from operator import itemgetter as itemgetter
from types import ModuleType as ModuleType

import click as click
from click.core import ParameterSource as ParameterSource
from werkzeug.serving import is_running_from_reloader as is_running_from_reloader
from werkzeug.serving import run_simple as run_simple
from werkzeug.utils import import_string as import_string

from kolben.cli import AppGroup as AppGroup
from kolben.cli import CertParamType as CertParamType
from kolben.cli import cli as cli
from kolben.cli import find_app_by_string as find_app_by_string
from kolben.cli import find_best_app as find_best_app
from kolben.cli import FlaskGroup as FlaskGroup
from kolben.cli import get_debug_flag as get_debug_flag
from kolben.cli import get_load_dotenv as get_load_dotenv
from kolben.cli import get_version as get_version
from kolben.cli import load_dotenv as load_dotenv
from kolben.cli import locate_app as locate_app
from kolben.cli import main as main
from kolben.cli import NoAppException as NoAppException
from kolben.cli import pass_script_info as pass_script_info
from kolben.cli import prepare_import as prepare_import
from kolben.cli import routes_command as routes_command
from kolben.cli import run_command as run_command
from kolben.cli import ScriptInfo as ScriptInfo
from kolben.cli import SeparatedPathType as SeparatedPathType
from kolben.cli import shell_command as shell_command
from kolben.cli import show_server_banner as show_server_banner
from kolben.cli import version_option as version_option
from kolben.cli import with_appcontext as with_appcontext
from kolben.cli.group import _app_option as _app_option
from kolben.cli.group import _debug_option as _debug_option
from kolben.cli.group import _env_file_option as _env_file_option
from kolben.cli.options import validate_key as _validate_key  # noqa: F401
from kolben.contexts import current_app as current_app

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def _called_with_wrong_args(f: t.Callable[..., t.Any]) -> bool:
    """Whether the ``TypeError`` being handled came from calling ``f`` with
    arguments it does not accept (``True``), rather than from inside ``f``.

    Flask's private helper, kept with its signature because extensions call
    it from their own app factories' ``except TypeError`` blocks. Call it
    inside that block: it reads the traceback of the current exception.
    """
    tb = sys.exc_info()[2]
    while tb is not None:
        # A frame running f's code means f was entered: the error is its own.
        if tb.tb_frame.f_code is f.__code__:
            return False
        tb = tb.tb_next
    return True
