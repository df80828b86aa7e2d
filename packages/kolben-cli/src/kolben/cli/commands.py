"""The built-in commands: ``run``, ``shell`` and ``routes``."""

from __future__ import annotations

import collections.abc as cabc
import os
import sys
import traceback
import typing as t

import click

from kolben.contexts import _cv_app

from .env import get_debug_flag
from .scriptinfo import pass_script_info
from .scriptinfo import ScriptInfo
from .scriptinfo import with_appcontext

if t.TYPE_CHECKING:
    import ssl

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule


if t.TYPE_CHECKING:
    # Generic in recent click only; subscripting it would fail at run time on
    # the older releases this package supports.
    _ParamType = click.ParamType[t.Any]
else:
    _ParamType = click.ParamType


class CertParamType(_ParamType):
    """The ``--cert`` value: an existing file, ``adhoc`` (a throwaway certificate,
    needs the cryptography package), or the import path of an
    :class:`ssl.SSLContext` object.
    """

    name = "path"

    def __init__(self) -> None:
        self.path_type = click.Path(exists=True, dir_okay=False, resolve_path=True)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        try:
            import ssl
        except ImportError:
            raise click.BadParameter(
                'Using "--cert" requires Python to be compiled with SSL support.',
                ctx,
                param,
            ) from None

        try:
            return self.path_type(value, param, ctx)
        except click.BadParameter:
            value = click.STRING(value, param, ctx).lower()

        if value == "adhoc":
            try:
                import cryptography  # noqa: F401
            except ImportError:
                raise click.BadParameter(
                    "Using ad-hoc certificates requires the cryptography library.",
                    ctx,
                    param,
                ) from None
            return value

        from werkzeug.utils import import_string

        try:
            obj = import_string(value, silent=True)
        except ImportError:
            obj = None
        if isinstance(obj, ssl.SSLContext):
            return obj
        raise click.BadParameter(
            f"{value!r} is not an existing file, 'adhoc', or the import path of an"
            " ssl.SSLContext object.",
            ctx,
            param,
        )


def _validate_key(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    """Check ``--key`` against ``--cert`` and store the pair as ``cert``.

    ``--cert`` is eager, so it is always converted before this runs, whatever
    the order on the command line.
    """
    cert = ctx.params.get("cert")
    is_adhoc = cert == "adhoc"
    try:
        import ssl
    except ImportError:
        is_context = False
    else:
        is_context = isinstance(cert, ssl.SSLContext)

    if value is not None:
        if is_adhoc:
            raise click.BadParameter(
                'When "--cert" is "adhoc", "--key" is not used.', ctx, param
            )
        if is_context:
            raise click.BadParameter(
                'When "--cert" is an SSLContext object, "--key" is not used.',
                ctx,
                param,
            )
        if not cert:
            raise click.BadParameter('"--cert" must also be specified.', ctx, param)
        ctx.params["cert"] = cert, value
    elif cert and not (is_adhoc or is_context):
        raise click.BadParameter('Required when using "--cert".', ctx, param)
    return value


class SeparatedPathType(click.Path):
    """A list of paths in one value, separated by :data:`os.pathsep` (``:`` on
    POSIX, ``;`` on Windows); each is checked like a :class:`click.Path`.
    """

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        if isinstance(value, (list, tuple)):
            items: cabc.Iterable[t.Any] = value
        else:
            items = self.split_envvar_value(value)
        return [super(SeparatedPathType, self).convert(i, param, ctx) for i in items]


def show_server_banner(debug: bool | None, app_import_path: str | None) -> None:
    """Print the lines ``run`` shows before the server starts: which app is served
    and whether debug mode is on. Silent in the reloader's child process, which
    would repeat them on every restart.
    """
    from werkzeug.serving import is_running_from_reloader

    if is_running_from_reloader():
        return
    if app_import_path is not None:
        click.echo(f" * Serving Flask app '{app_import_path}'")
    if debug is not None:
        click.echo(f" * Debug mode: {'on' if debug else 'off'}")


@click.command("run", short_help="Run a development server.")
@click.option("--host", "-h", default="127.0.0.1", help="The interface to bind to.")
@click.option("--port", "-p", default=5000, help="The port to bind to.")
@click.option(
    "--cert",
    type=CertParamType(),
    is_eager=True,
    help="Specify a certificate file to use HTTPS.",
)
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, resolve_path=True),
    callback=_validate_key,
    expose_value=False,
    help="The key file to use when specifying a certificate.",
)
@click.option(
    "--reload/--no-reload",
    default=None,
    help="Enable or disable the reloader. By default the reloader is active if"
    " debug is enabled.",
)
@click.option(
    "--debugger/--no-debugger",
    default=None,
    help="Enable or disable the debugger. By default the debugger is active if"
    " debug is enabled.",
)
@click.option(
    "--with-threads/--without-threads",
    default=True,
    help="Enable or disable multithreading.",
)
@click.option(
    "--extra-files",
    default=None,
    type=SeparatedPathType(),
    help="Extra files that trigger a reload on change. Multiple paths are"
    f" separated by {os.path.pathsep!r}.",
)
@click.option(
    "--exclude-patterns",
    default=None,
    type=SeparatedPathType(),
    help="Files matching these fnmatch patterns will not trigger a reload on"
    f" change. Multiple patterns are separated by {os.path.pathsep!r}.",
)
@pass_script_info
def run_command(
    info: ScriptInfo,
    host: str,
    port: int,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    cert: str | tuple[str, str] | ssl.SSLContext | None,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    """Run a local development server.

    This server is for development purposes only. It does not provide the
    stability, security, or performance of production WSGI servers.

    The reloader and debugger are enabled by default with the '--debug' option.
    """
    import werkzeug.serving

    app: t.Any
    try:
        app = info.load_app()
    except Exception as e:
        if not werkzeug.serving.is_running_from_reloader():
            raise e from None
        # In the reloader's child, keep serving so that fixing the code restarts
        # the server; every request shows the error until then.
        traceback.print_exc()
        error = e

        def app(environ: WSGIEnvironment, start_response: StartResponse) -> t.NoReturn:
            raise error from None

    debug = get_debug_flag()
    if reload is None:
        reload = debug
    if debugger is None:
        debugger = debug

    show_server_banner(debug, info.app_import_path)
    werkzeug.serving.run_simple(
        host,
        port,
        app,
        use_reloader=reload,
        use_debugger=debugger,
        threaded=with_threads,
        ssl_context=cert,  # type: ignore[arg-type]
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


@click.command("shell", short_help="Run a shell in the app context.")
@with_appcontext
def shell_command() -> None:
    """Run an interactive Python shell in the context of a given Flask
    application. The application will populate the default namespace of this
    shell according to its configuration.

    This is useful for executing small snippets of management code without
    having to manually configure the application.
    """
    import code

    app = _loaded_app()
    banner = f"Python {sys.version} on {sys.platform}\nApp: {_describe(app)}"
    instance_path = getattr(app, "instance_path", None)
    if instance_path is not None:
        banner += f"\nInstance: {instance_path}"
    namespace: dict[str, t.Any] = {}

    # Honour the interpreter's own startup script, as "python" would.
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            eval(compile(f.read(), startup, "exec"), namespace)

    make_context = getattr(app, "make_shell_context", None)
    namespace.update(make_context() if make_context is not None else {"app": app})

    # The interactive hook (set up by site) installs readline completion and
    # history; its completer would complete names from __main__, so point it at
    # the shell's namespace instead.
    hook = getattr(sys, "__interactivehook__", None)
    if hook is not None:
        try:
            import readline
            from rlcompleter import Completer
        except ImportError:
            pass
        else:
            readline.set_completer(Completer(namespace).complete)
        hook()

    code.interact(banner=banner, local=namespace)


def _loaded_app() -> t.Any:
    """The app a command runs for: the active one, else the one being loaded."""
    active = _cv_app.get(None)
    if active is not None:
        return active.app
    # An app without app_context() runs its commands without a context.
    return click.get_current_context().ensure_object(ScriptInfo).load_app()


def _describe(app: t.Any) -> str:
    """Name the app in the shell banner: its import name, else its repr."""
    import_name = getattr(app, "import_name", None)
    return str(import_name) if import_name is not None else repr(app)


_SORT_KEYS: dict[str, cabc.Callable[[Rule], t.Any]] = {
    "endpoint": lambda rule: rule.endpoint,
    "rule": lambda rule: rule.rule,
    "methods": lambda rule: sorted(rule.methods or ()),
}


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    default="endpoint",
    help=(
        "Method to sort routes by. 'match' is the order that Flask will match routes"
        " when dispatching a request."
    ),
)
@click.option("--all-methods", is_flag=True, help="Show HEAD and OPTIONS methods.")
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """Show all registered routes with endpoints and methods."""
    app = _loaded_app()
    url_map = getattr(app, "url_map", None)
    if url_map is None:
        raise click.UsageError("The application has no URL map to show routes of.")

    rules: list[Rule] = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return

    host_matching = bool(getattr(url_map, "host_matching", False))
    domain_attr = "host" if host_matching else "subdomain"
    if sort == "domain":
        rules.sort(key=lambda rule: getattr(rule, domain_attr) or "")
    elif sort in _SORT_KEYS:
        rules.sort(key=_SORT_KEYS[sort])

    hidden = set() if all_methods else {"HEAD", "OPTIONS"}
    headers = ["Endpoint", "Methods"]
    columns: list[list[str]] = [
        [rule.endpoint for rule in rules],
        [", ".join(sorted((rule.methods or set()) - hidden)) for rule in rules],
    ]
    if host_matching:
        headers.append("Host")
        columns.append([rule.host or "" for rule in rules])
    elif any(rule.subdomain for rule in rules):
        headers.append("Subdomain")
        columns.append([rule.subdomain or "" for rule in rules])
    headers.append("Rule")
    columns.append([rule.rule for rule in rules])

    widths = [
        max(len(header), *(len(cell) for cell in column))
        for header, column in zip(headers, columns, strict=True)
    ]

    def line(cells: cabc.Iterable[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        )

    # Flask pads every cell, the last one included, except in the header line.
    click.echo(line(headers).rstrip())
    click.echo(line("-" * width for width in widths))
    for row in zip(*columns, strict=True):
        click.echo(line(row))
