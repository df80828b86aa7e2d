"""The ``flask`` command line: app discovery, the command group, ``run``, ``shell``
and ``routes``, for Flask and for any WSGI application.
"""

from __future__ import annotations

from .commands import CertParamType as CertParamType
from .commands import routes_command as routes_command
from .commands import run_command as run_command
from .commands import SeparatedPathType as SeparatedPathType
from .commands import shell_command as shell_command
from .commands import show_server_banner as show_server_banner
from .discovery import find_app_by_string as find_app_by_string
from .discovery import find_best_app as find_best_app
from .discovery import is_app as is_app
from .discovery import locate_app as locate_app
from .discovery import NoAppException as NoAppException
from .discovery import prepare_import as prepare_import
from .discovery import register_app_class as register_app_class
from .discovery import registered_app_classes as registered_app_classes
from .discovery import unregister_app_class as unregister_app_class
from .env import get_debug_flag as get_debug_flag
from .env import get_load_dotenv as get_load_dotenv
from .env import load_dotenv as load_dotenv
from .facets import CliAppFacet as CliAppFacet
from .facets import CliBlueprintFacet as CliBlueprintFacet
from .facets import DEFAULT_CLI_GROUP as DEFAULT_CLI_GROUP
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
