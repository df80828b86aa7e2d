"""The ``flask`` command line: app discovery, the command group, ``run``, ``shell``
and ``routes``, for Flask and for any WSGI application.

Importing the package loads only what an application class needs when it is
defined (the facets, the app class registry and the environment helpers); the
names built on click are imported on first access, so that ``import flask``
does not load the command line.
"""

from __future__ import annotations

import importlib
import typing as t

from .env import get_debug_flag as get_debug_flag
from .env import get_load_dotenv as get_load_dotenv
from .env import load_dotenv as load_dotenv
from .facets import CliAppFacet as CliAppFacet
from .facets import CliBlueprintFacet as CliBlueprintFacet
from .facets import DEFAULT_CLI_GROUP as DEFAULT_CLI_GROUP
from .registry import is_app as is_app
from .registry import register_app_class as register_app_class
from .registry import registered_app_classes as registered_app_classes
from .registry import unregister_app_class as unregister_app_class

if t.TYPE_CHECKING:
    from .commands import CertParamType as CertParamType
    from .commands import routes_command as routes_command
    from .commands import run_command as run_command
    from .commands import SeparatedPathType as SeparatedPathType
    from .commands import shell_command as shell_command
    from .commands import show_server_banner as show_server_banner
    from .discovery import find_app_by_string as find_app_by_string
    from .discovery import find_best_app as find_best_app
    from .discovery import locate_app as locate_app
    from .discovery import NoAppException as NoAppException
    from .discovery import prepare_import as prepare_import
    from .group import cli as cli
    from .group import FlaskGroup as FlaskGroup
    from .group import get_version as get_version
    from .group import main as main
    from .group import version_option as version_option
    from .protocols import CliApp as CliApp
    from .protocols import CliBlueprint as CliBlueprint
    from .scriptinfo import AppGroup as AppGroup
    from .scriptinfo import pass_script_info as pass_script_info
    from .scriptinfo import ScriptInfo as ScriptInfo
    from .scriptinfo import with_appcontext as with_appcontext

#: The module of each name imported on first access.
_LAZY = {
    "CertParamType": "commands",
    "routes_command": "commands",
    "run_command": "commands",
    "SeparatedPathType": "commands",
    "shell_command": "commands",
    "show_server_banner": "commands",
    "find_app_by_string": "discovery",
    "find_best_app": "discovery",
    "locate_app": "discovery",
    "NoAppException": "discovery",
    "prepare_import": "discovery",
    "cli": "group",
    "FlaskGroup": "group",
    "get_version": "group",
    "main": "group",
    "version_option": "group",
    "CliApp": "protocols",
    "CliBlueprint": "protocols",
    "AppGroup": "scriptinfo",
    "pass_script_info": "scriptinfo",
    "ScriptInfo": "scriptinfo",
    "with_appcontext": "scriptinfo",
}


def __getattr__(name: str) -> t.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    # Later lookups find it directly, like an eagerly imported name.
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
