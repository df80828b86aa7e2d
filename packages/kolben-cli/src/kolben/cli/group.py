"""The ``flask`` command group: global options, built-in, plugin and app commands."""

from __future__ import annotations

import collections.abc as cabc
import importlib.metadata
import os
import platform
import traceback
import typing as t

import click
from click.core import ParameterSource

from kolben.contexts import _cv_app

from .commands import routes_command
from .commands import run_command
from .commands import shell_command
from .discovery import NoAppException
from .env import load_dotenv
from .scriptinfo import AppGroup
from .scriptinfo import ScriptInfo

#: The entry point group plugin commands are registered in.
PLUGIN_GROUP = "flask.commands"


def _framework_version() -> tuple[str, str]:
    """The name and version ``--version`` reports for the framework: the installed
    ``flask`` distribution, or this package when used without it.
    """
    try:
        return "Flask", importlib.metadata.version("flask")
    except importlib.metadata.PackageNotFoundError:
        return "kolben-cli", importlib.metadata.version("kolben-cli")


def get_version(ctx: t.Any, param: t.Any, value: t.Any) -> None:
    """Callback of ``--version``: print the Python, Flask and Werkzeug versions and
    exit. Does nothing when the flag is off or click is only completing.
    """
    if not value or ctx.resilient_parsing:
        return
    name, version = _framework_version()
    click.echo(
        f"Python {platform.python_version()}\n"
        f"{name} {version}\n"
        f"Werkzeug {importlib.metadata.version('werkzeug')}",
        color=ctx.color,
    )
    ctx.exit()


#: The ``--version`` option :class:`FlaskGroup` adds.
version_option = click.Option(
    ["--version"],
    help="Show the Flask version.",
    expose_value=False,
    callback=get_version,
    is_flag=True,
    is_eager=True,
)


def _set_app(ctx: click.Context, param: click.Option, value: str | None) -> str | None:
    if value is None:
        return None
    ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


# Eager, and declared after --env-file: a FLASK_APP read from a dotenv file is
# seen when --app looks at the environment.
_app_option = click.Option(
    ["-A", "--app"],
    metavar="IMPORT",
    help=(
        "The Flask application or factory function to load, in the form"
        " 'module:name'. Module can be a dotted import or file path. Name is not"
        " required if it is 'app', 'application', 'create_app', or 'make_app',"
        " and can be 'name(args)' to pass arguments."
    ),
    is_eager=True,
    expose_value=False,
    callback=_set_app,
)


def _set_debug(ctx: click.Context, param: click.Option, value: bool) -> bool | None:
    # Only an explicit --debug/--no-debug (or FLASK_DEBUG itself) counts: the
    # flag's default must not overwrite what the environment says.
    source = ctx.get_parameter_source(str(param.name))
    if source is None or source in (
        ParameterSource.DEFAULT,
        ParameterSource.DEFAULT_MAP,
    ):
        return None
    # The app and "run" read FLASK_DEBUG, so the option works through it.
    os.environ["FLASK_DEBUG"] = "1" if value else "0"
    return value


_debug_option = click.Option(
    ["--debug/--no-debug"],
    help="Set debug mode.",
    expose_value=False,
    callback=_set_debug,
)


def _load_env_file(
    ctx: click.Context, param: click.Option, value: str | None
) -> str | None:
    try:
        import dotenv  # noqa: F401
    except ImportError:
        # Without a file asked for, load_dotenv below still prints its tip.
        if value is not None:
            raise click.BadParameter(
                "python-dotenv must be installed to load an env file.",
                ctx=ctx,
                param=param,
            ) from None

    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if value is not None or defaults:
        load_dotenv(value, load_defaults=defaults)
    return value


_env_file_option = click.Option(
    ["-e", "--env-file"],
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "Load environment variables from this file, taking precedence over those"
        " set by '.env' and '.flaskenv'. Variables set directly in the environment"
        " take highest precedence. python-dotenv must be installed."
    ),
    is_eager=True,
    expose_value=False,
    callback=_load_env_file,
)


class FlaskGroup(AppGroup):
    """The group behind the ``flask`` command: global options, the built-in
    commands, plugin commands and the loaded application's commands.

    Use it to make a command line for one application::

        cli = FlaskGroup(create_app=create_app)

    :param add_default_commands: add ``run``, ``shell`` and ``routes``.
    :param create_app: a function returning the app, instead of ``--app``.
    :param add_version_option: add ``--version``.
    :param load_dotenv: load ``.env`` and ``.flaskenv`` (and the ``--env-file``)
        before anything else; needs python-dotenv.
    :param set_debug_flag: set the loaded app's ``debug`` from ``--debug`` /
        ``FLASK_DEBUG``.
    :param extra: passed on to :class:`click.Group`. Options read ``FLASK_*``
        environment variables (``auto_envvar_prefix="FLASK"``) unless
        ``context_settings`` says otherwise.
    """

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: cabc.Callable[..., t.Any] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        params: list[click.Parameter] = list(extra.pop("params", None) or ())
        params.extend((_env_file_option, _app_option, _debug_option))
        if add_version_option:
            params.append(version_option)
        extra.setdefault("context_settings", {}).setdefault(
            "auto_envvar_prefix", "FLASK"
        )
        super().__init__(params=params, **extra)

        #: The app factory given to the constructor, if any.
        self.create_app = create_app
        #: Whether the default dotenv files are loaded.
        self.load_dotenv = load_dotenv
        #: Whether the loaded app's ``debug`` follows ``FLASK_DEBUG``.
        self.set_debug_flag = set_debug_flag

        if add_default_commands:
            self.add_command(run_command)
            self.add_command(shell_command)
            self.add_command(routes_command)
        self._loaded_plugin_commands = False

    def _load_plugin_commands(self) -> None:
        """Add the commands of the ``flask.commands`` entry point group, once."""
        if self._loaded_plugin_commands:
            return
        for entry_point in importlib.metadata.entry_points(group=PLUGIN_GROUP):
            self.add_command(entry_point.load(), entry_point.name)
        self._loaded_plugin_commands = True

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a built-in or plugin command, else one of the app's. When the app
        cannot be loaded, the error is shown and the command is not found.
        """
        self._load_plugin_commands()
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command

        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
            return None

        app_cli = getattr(app, "cli", None)
        if app_cli is None:
            return None
        return t.cast("click.Command | None", app_cli.get_command(ctx, cmd_name))

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Find the command to invoke; for one of the app's commands, push the app
        context for the rest of the command line first (unless it is active),
        so that the command's parameter callbacks can use it.
        """
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and self.commands.get(name or "") is not command:
            # Pushed here rather than in get_command, which listing commands for
            # --help calls too, and which would leave the context pushed.
            app = ctx.ensure_object(ScriptInfo).load_app()
            active = _cv_app.get(None)
            push = getattr(app, "app_context", None)
            if push is not None and (active is None or active.app is not app):
                ctx.with_resource(push())
        return name, command, rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The names of the built-in, plugin and app commands, sorted. A failure to
        load the app is shown (with its traceback when unexpected) and leaves
        the app's commands out.
        """
        self._load_plugin_commands()
        names = set(super().list_commands(ctx))
        try:
            app_cli = getattr(ctx.ensure_object(ScriptInfo).load_app(), "cli", None)
            if app_cli is not None:
                names.update(app_cli.list_commands(ctx))
        except NoAppException as e:
            click.secho(f"Error: {e.format_message()}\n", err=True, fg="red")
        except Exception:
            # Help must still be shown when the app itself is broken.
            click.secho(f"{traceback.format_exc()}\n", err=True, fg="red")
        return sorted(names)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: t.Any,
    ) -> click.Context:
        """Create the context with a :class:`ScriptInfo` as ``obj`` (unless one is
        given) and set ``FLASK_RUN_FROM_CLI``, which tells ``app.run()`` not to
        start a second server when the app module calls it at import time.
        """
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        if "obj" not in extra and "obj" not in self.context_settings:
            extra["obj"] = ScriptInfo(
                create_app=self.create_app,
                set_debug_flag=self.set_debug_flag,
                load_dotenv_defaults=self.load_dotenv,
            )
        return super().make_context(info_name, args, parent=parent, **extra)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        ):
            # Help is shown while parsing, before the eager options would run:
            # apply --env-file and --app from the environment first, so that the
            # app's commands are listed.
            _env_file_option.handle_parse_result(ctx, {}, [])
            _app_option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


#: The ``flask`` command.
cli = FlaskGroup(
    name="flask",
    help=(
        "A general utility script for Flask applications.\n\n"
        "An application to load must be given with the '--app' option,"
        " 'FLASK_APP' environment variable, or with a 'wsgi.py' or 'app.py' file"
        " in the current directory."
    ),
)


def main() -> None:
    """Run the ``flask`` command (the console script's entry point)."""
    cli.main()
