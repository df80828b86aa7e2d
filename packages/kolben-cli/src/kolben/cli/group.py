"""The ``flask`` command group: global options, built-in, plugin and app commands."""

from __future__ import annotations

import collections.abc as cabc
import os
import traceback
import typing as t

import click

from .commands import routes_command
from .commands import run_command
from .commands import shell_command
from .discovery import NoAppException
from .env import _dotenv
from .env import load_dotenv
from .options import debug_option
from .scriptinfo import _push_app_context
from .scriptinfo import AppGroup
from .scriptinfo import ScriptInfo

#: The entry point group plugin commands are registered in.
PLUGIN_GROUP = "flask.commands"

#: kolben-cli's own plugin in that group, for upstream Flask's command only:
#: it reports upstream Flask having replaced Kolben's (``kolben.cli.swap``).
_SWAP_PLUGIN = "kolben.cli.swap:command"


def _distribution_versions() -> list[tuple[str, str]]:
    """What ``--version`` reports, in order: Python, the framework (the installed
    ``flask`` distribution, or this package when used without it), Werkzeug.
    """
    import importlib.metadata
    import platform

    version = importlib.metadata.version
    try:
        framework = ("Flask", version("flask"))
    except importlib.metadata.PackageNotFoundError:
        framework = ("kolben-cli", version("kolben-cli"))
    return [
        ("Python", platform.python_version()),
        framework,
        ("Werkzeug", version("werkzeug")),
    ]


def get_version(ctx: t.Any, param: t.Any, value: t.Any) -> None:
    """The ``--version`` callback: print the versions of Python, Flask and
    Werkzeug, one a line, and end the command line.

    Does nothing unless the flag was given, nor while click only parses for
    shell completion (``resilient_parsing``).
    """
    if ctx.resilient_parsing or not value:
        return
    report = "\n".join(f"{name} {number}" for name, number in _distribution_versions())
    click.echo(report, color=ctx.color)
    ctx.exit()


#: The ``--version`` option :class:`FlaskGroup` adds.
version_option = click.Option(
    ["--version"],
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=get_version,
    help="Print the Python, Flask and Werkzeug versions, then exit.",
)


def _remember_app(
    ctx: click.Context, param: click.Option, value: str | None
) -> str | None:
    if value is not None:
        ctx.ensure_object(ScriptInfo).app_import_path = value
    return value


def _read_env_file(
    ctx: click.Context, param: click.Option, value: str | None
) -> str | None:
    # Without a file asked for, load_dotenv below prints its own tip instead.
    if value is not None and _dotenv() is None:
        raise click.BadParameter(
            "python-dotenv must be installed to load an env file.", ctx, param
        )
    defaults = ctx.ensure_object(ScriptInfo).load_dotenv_defaults
    if defaults or value is not None:
        load_dotenv(value, load_defaults=defaults)
    return value


def _hidden_eager(
    decls: list[str],
    callback: cabc.Callable[[click.Context, click.Option, t.Any], t.Any],
    **attrs: t.Any,
) -> click.Option:
    """An option handled entirely by its callback, before the other parameters."""
    return click.Option(
        decls, callback=callback, is_eager=True, expose_value=False, **attrs
    )


_env_file_option = _hidden_eager(
    ["-e", "--env-file"],
    _read_env_file,
    type=click.Path(dir_okay=False, exists=True),
    help=(
        "A dotenv file to load variables from. It beats '.env' and '.flaskenv';"
        " variables already in the environment beat it. Needs python-dotenv."
    ),
)

# Declared after --env-file, and eager too: a FLASK_APP that the env file
# sets is in the environment by the time --app reads it.
_app_option = _hidden_eager(
    ["-A", "--app"],
    _remember_app,
    metavar="IMPORT",
    help=(
        "Where the application (or a factory making it) lives: 'module:name',"
        " the module as a dotted name or a file path. Without a name, 'app',"
        " 'application', 'create_app' and 'make_app' are tried; 'name(args)'"
        " calls a factory with arguments."
    ),
)

_debug_option = debug_option()

_GLOBAL_OPTIONS = (_env_file_option, _app_option, _debug_option)
_DEFAULT_COMMANDS = (run_command, shell_command, routes_command)


class _FlaskContext(click.Context):
    """The context of a :class:`FlaskGroup`: its ``obj`` defaults to a fresh
    :class:`ScriptInfo` configured from the group (an ``obj`` given to
    :meth:`~click.Command.make_context` or in ``context_settings`` wins).

    Creating one sets ``FLASK_RUN_FROM_CLI``, so that an ``app.run()`` call in
    the imported module does not start a second server.
    """

    def __init__(self, command: click.Command, *args: t.Any, **kwargs: t.Any) -> None:
        os.environ["FLASK_RUN_FROM_CLI"] = "true"
        # make_context passes "obj" only when the caller or the settings did.
        if "obj" not in kwargs and isinstance(command, FlaskGroup):
            kwargs["obj"] = ScriptInfo(
                create_app=command.create_app,
                load_dotenv_defaults=command.load_dotenv,
                set_debug_flag=command.set_debug_flag,
            )
        super().__init__(command, *args, **kwargs)


class FlaskGroup(AppGroup):
    """The ``flask`` command as a click group: the global options (``--env-file``,
    ``--app``, ``--debug``, ``--version``), the built-in commands, commands that
    installed packages register under :data:`PLUGIN_GROUP`, and the loaded
    application's ``app.cli`` commands.

    A project can build its own command line around one application::

        cli = FlaskGroup(create_app=create_app)

    :param add_default_commands: include ``run``, ``shell`` and ``routes``.
    :param create_app: a callable returning the application; ``--app`` is not
        needed then.
    :param add_version_option: include ``--version``.
    :param load_dotenv: read ``.env`` and ``.flaskenv`` before anything else
        (python-dotenv must be installed).
    :param set_debug_flag: let ``--debug`` / ``FLASK_DEBUG`` set the loaded
        application's ``debug``.
    :param extra: given to :class:`click.Group`. Unless ``context_settings``
        says otherwise, options also read ``FLASK_``-prefixed environment
        variables.
    """

    context_class = _FlaskContext

    def __init__(
        self,
        add_default_commands: bool = True,
        create_app: cabc.Callable[[], t.Any] | None = None,
        add_version_option: bool = True,
        load_dotenv: bool = True,
        set_debug_flag: bool = True,
        **extra: t.Any,
    ) -> None:
        settings: dict[str, t.Any] = extra.setdefault("context_settings", {})
        settings.setdefault("auto_envvar_prefix", "FLASK")
        ours = _GLOBAL_OPTIONS + ((version_option,) if add_version_option else ())
        given: cabc.Iterable[click.Parameter] = extra.pop("params", None) or ()
        super().__init__(params=[*given, *ours], **extra)

        #: The application factory given to the constructor, if any.
        self.create_app = create_app
        #: Whether the loaded application's ``debug`` follows ``FLASK_DEBUG``.
        self.set_debug_flag = set_debug_flag
        #: Whether ``.env`` and ``.flaskenv`` are read.
        self.load_dotenv = load_dotenv
        # Entry points are looked up on first need, not at import time.
        self._plugins_added = False
        for command in _DEFAULT_COMMANDS if add_default_commands else ():
            self.add_command(command)

    def _add_plugins(self) -> None:
        if self._plugins_added:
            return
        self._plugins_added = True
        # Imported here, not with the module: an app that imports the command
        # line's helpers (``with_appcontext``) to define its commands should
        # not keep the metadata machinery in every server process.
        import importlib.metadata

        for point in importlib.metadata.entry_points(group=PLUGIN_GROUP):
            # Test suites hand in stand-ins with only name and load().
            value = getattr(point, "value", "")
            if isinstance(value, str) and value.replace(" ", "") == _SWAP_PLUGIN:
                continue
            self.add_command(point.load(), point.name)

    def _app_cli(self, ctx: click.Context) -> click.Group | None:
        """``app.cli`` of the loaded application, or ``None`` if it has none.

        :raises NoAppException: when no application can be loaded.
        """
        app = ctx.ensure_object(ScriptInfo).load_app()
        return getattr(app, "cli", None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Look ``cmd_name`` up among the built-in and plugin commands first, then
        among the application's. If the application cannot be loaded, say why
        and report the command as missing.
        """
        self._add_plugins()
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        try:
            app_cli = self._app_cli(ctx)
        except NoAppException as e:
            _show_error(f"Error: {e.format_message()}")
            return None
        return None if app_cli is None else app_cli.get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Resolve the command to run. For a command of the application, its app
        context is pushed first, for the rest of the command line, so that the
        command's parameter callbacks already run inside it.
        """
        resolved = super().resolve_command(ctx, args)
        name, command, _ = resolved
        is_builtin = command is self.commands.get(name or "")
        if command is not None and not is_builtin:
            # Not in get_command: --help calls that for every command it lists,
            # and the context would stay pushed.
            _push_app_context(ctx, ctx.ensure_object(ScriptInfo).load_app())
        return resolved

    def list_commands(self, ctx: click.Context) -> list[str]:
        """All command names, sorted: built-in, plugin and the application's.

        When the application fails to load, the reason is shown (a traceback if
        the failure is unexpected) and only the other commands are listed, so
        that ``--help`` still works.
        """
        self._add_plugins()
        names = set(super().list_commands(ctx))
        try:
            app_cli = self._app_cli(ctx)
        except NoAppException as e:
            _show_error(f"Error: {e.format_message()}")
        except Exception:
            _show_error(traceback.format_exc())
        else:
            if app_cli is not None:
                names.update(app_cli.list_commands(ctx))
        return sorted(names)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse ``args``; for a bare help request, read the env file and the
        application option from the environment first.

        click prints help while parsing, before eager options are processed;
        without this the application's commands would be missing from it.
        """
        asks_help = (not args and self.no_args_is_help) or (
            len(args) == 1 and args[0] in self.get_help_option_names(ctx)
        )
        if asks_help:
            for option in (_env_file_option, _app_option):
                option.handle_parse_result(ctx, {}, [])
        return super().parse_args(ctx, args)


def _show_error(message: str) -> None:
    click.secho(f"{message}\n", err=True, fg="red")


#: The ``flask`` command.
cli = FlaskGroup(
    name="flask",
    help=(
        "Manage and serve a Flask application from the command line.\n\n"
        "Name the application with '--app' or the 'FLASK_APP' environment"
        " variable; without either, a 'wsgi.py' or 'app.py' file in the current"
        " directory is used."
    ),
)


def main() -> None:
    """Run the ``flask`` command (the console script's entry point)."""
    cli.main()
