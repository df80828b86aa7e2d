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
from .options import CertParamType as CertParamType
from .options import debug_option
from .options import SeparatedPathType as SeparatedPathType
from .options import validate_key
from .scriptinfo import pass_script_info
from .scriptinfo import ScriptInfo
from .scriptinfo import with_appcontext

if t.TYPE_CHECKING:
    import ssl

    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule


def _current_app() -> t.Any:
    """The application a built-in command works on: the one whose app context is
    active, else the one the command line loads (an application without
    ``app_context()`` runs its commands with no context pushed).
    """
    active = _cv_app.get(None)
    if active is None:
        info = click.get_current_context().ensure_object(ScriptInfo)
        return info.load_app()
    return active.app


# -- run ----------------------------------------------------------------------


def show_server_banner(debug: bool | None, app_import_path: str | None) -> None:
    """Tell the user what ``run`` is about to serve and whether debug mode is on.

    Nothing is printed in the reloader's child process: it restarts on every
    code change and would repeat the banner each time.

    :param debug: the debug mode, or ``None`` to leave that line out.
    :param app_import_path: what ``--app`` named, or ``None`` to leave the
        application's line out.
    """
    from werkzeug.serving import is_running_from_reloader

    if is_running_from_reloader():
        return
    lines = []
    if app_import_path is not None:
        lines.append(f"Serving Flask app '{app_import_path}'")
    if debug is not None:
        lines.append("Debug mode: " + ("on" if debug else "off"))
    for text in lines:
        click.echo(f" * {text}")


def _stand_in(error: Exception) -> WSGIApplication:
    """A WSGI app failing every request with ``error``."""

    def broken(environ: WSGIEnvironment, start_response: StartResponse) -> t.NoReturn:
        raise error from None

    return broken


def _app_to_serve(info: ScriptInfo) -> t.Any:
    """Load the application for ``run``.

    A failure ends the command, except in the reloader's child: there the
    traceback is printed and a stand-in app serves the error, so that saving a
    fix restarts the server instead of leaving it dead.
    """
    from werkzeug.serving import is_running_from_reloader

    try:
        return info.load_app()
    except Exception as e:
        if not is_running_from_reloader():
            raise
        traceback.print_exc()
        return _stand_in(e)


def _switch(flags: str, what: str) -> click.Option:
    """A ``--x/--no-x`` option whose unset value (``None``) means "as debug"."""
    return click.Option(
        [flags],
        default=None,
        help=f"Turn the {what} on or off; without this option it is on exactly"
        " when debug mode is.",
    )


def _path_list(flag: str, what: str) -> click.Option:
    return click.Option(
        [flag],
        type=SeparatedPathType(),
        default=None,
        help=f"{what}; separate several with {os.pathsep!r}.",
    )


_RUN_PARAMS: list[click.Parameter] = [
    # Where the server listens.
    click.Option(
        ["--host", "-h"], default="127.0.0.1", help="Address of the interface to use."
    ),
    click.Option(["--port", "-p"], default=5000, help="TCP port to listen on."),
    # HTTPS. --cert is eager so --key can be checked against it in any order.
    click.Option(
        ["--cert"],
        type=CertParamType(),
        is_eager=True,
        help="Serve HTTPS with this certificate file, 'adhoc', or an"
        " ssl.SSLContext given by import path.",
    ),
    click.Option(
        ["--key"],
        type=click.Path(exists=True, dir_okay=False, resolve_path=True),
        expose_value=False,
        callback=validate_key,
        help="Private key file for the certificate given with --cert.",
    ),
    # Development helpers; --reload and --debugger, left unset, follow --debug.
    debug_option(),
    _switch("--reload/--no-reload", "reloader"),
    _switch("--debugger/--no-debugger", "interactive debugger"),
    click.Option(
        ["--with-threads/--without-threads"],
        default=True,
        help="Handle each request in its own thread (the default) or not.",
    ),
    _path_list("--extra-files", "More files whose changes restart the server"),
    _path_list(
        "--exclude-patterns", "fnmatch patterns of files whose changes are ignored"
    ),
]


def _serve(
    info: ScriptInfo,
    *,
    host: str,
    port: int,
    cert: str | tuple[str, str] | ssl.SSLContext | None,
    reload: bool | None,
    debugger: bool | None,
    with_threads: bool,
    extra_files: list[str] | None,
    exclude_patterns: list[str] | None,
) -> None:
    import werkzeug.serving

    application = _app_to_serve(info)
    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    werkzeug.serving.run_simple(
        host,
        port,
        application,
        use_reloader=debug if reload is None else reload,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        ssl_context=cert,  # type: ignore[arg-type]
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
    )


#: ``flask run``: serve the application with werkzeug's development server.
run_command = click.Command(
    "run",
    callback=pass_script_info(_serve),
    params=_RUN_PARAMS,
    short_help="Run a development server.",
    help=(
        "Serve the application with werkzeug's development server.\n\n"
        "Meant for working on the application locally: it is not built to be"
        " secure, fast or robust enough for production, where a real WSGI"
        " server belongs.\n\n"
        "With '--debug', the reloader and the debugger are on unless turned off."
    ),
)


# -- shell --------------------------------------------------------------------


def _shell_banner(app: t.Any) -> str:
    name = getattr(app, "import_name", None)
    parts = [
        f"Python {sys.version} on {sys.platform}",
        f"App: {repr(app) if name is None else name}",
    ]
    instance = getattr(app, "instance_path", None)
    if instance is not None:
        parts.append(f"Instance: {instance}")
    return "\n".join(parts)


def _run_startup_file(namespace: dict[str, t.Any]) -> None:
    """Run ``PYTHONSTARTUP`` into ``namespace``, as the plain interpreter does."""
    script = os.environ.get("PYTHONSTARTUP")
    if not script or not os.path.isfile(script):
        return
    with open(script) as stream:
        source = stream.read()
    eval(compile(source, script, "exec"), namespace)


def _run_interactive_hook(namespace: dict[str, t.Any]) -> None:
    """Call :data:`sys.__interactivehook__` (readline history and completion)
    like the interpreter does, with completion over ``namespace``: the hook's
    own completer would offer the names of ``__main__``.
    """
    hook = getattr(sys, "__interactivehook__", None)
    if hook is None:
        return
    try:
        import readline
        import rlcompleter
    except ImportError:
        pass
    else:
        readline.set_completer(rlcompleter.Completer(namespace).complete)
    hook()


@click.command(
    "shell",
    short_help="Run a shell in the app context.",
    help=(
        "Start an interactive Python interpreter for the application, inside"
        " its app context.\n\n"
        "The namespace holds what the application's shell context processors"
        " provide ('app' and 'g' at least), which makes it handy for one-off"
        " maintenance code."
    ),
)
@with_appcontext
def shell_command() -> None:
    """Start :func:`code.interact` with the application's shell namespace."""
    import code

    app = _current_app()
    namespace: dict[str, t.Any] = {}
    _run_startup_file(namespace)
    # The app's own names win over those the startup file defined.
    make_context = getattr(app, "make_shell_context", None)
    namespace.update({"app": app} if make_context is None else make_context())
    _run_interactive_hook(namespace)
    code.interact(banner=_shell_banner(app), local=namespace)


# -- routes -------------------------------------------------------------------

_HIDDEN_METHODS = frozenset(("HEAD", "OPTIONS"))


def _domain_attribute(url_map: t.Any) -> str:
    """The rule attribute that holds the domain part: ``host`` or ``subdomain``."""
    return "host" if getattr(url_map, "host_matching", False) else "subdomain"


def _sorted_rules(rules: list[Rule], order: str, domain: str) -> list[Rule]:
    """``rules`` in the order ``--sort`` asks for; ``match`` keeps the map's."""
    keys: dict[str, cabc.Callable[[Rule], t.Any]] = {
        "endpoint": lambda rule: rule.endpoint,
        "methods": lambda rule: sorted(rule.methods or ()),
        "rule": lambda rule: rule.rule,
        "domain": lambda rule: getattr(rule, domain) or "",
    }
    key = keys.get(order)
    return rules if key is None else sorted(rules, key=key)


def _route_table(
    rules: list[Rule], domain: str, hidden: cabc.Set[str]
) -> list[tuple[str, list[str]]]:
    """The columns of the listing, each a header and its cells."""
    table = [
        ("Endpoint", [rule.endpoint for rule in rules]),
        ("Methods", [", ".join(sorted(set(r.methods or ()) - hidden)) for r in rules]),
    ]
    cells = [getattr(rule, domain) or "" for rule in rules]
    if domain == "host" or any(cells):
        table.append((domain.capitalize(), cells))
    table.append(("Rule", [rule.rule for rule in rules]))
    return table


def _print_table(table: list[tuple[str, list[str]]]) -> None:
    widths = [max(len(cell) for cell in (head, *cells)) for head, cells in table]

    def join(row: cabc.Iterable[str]) -> str:
        return "  ".join(map(str.ljust, row, widths))

    # Flask pads every cell, the last one included, except in the header line.
    click.echo(join(head for head, _ in table).rstrip())
    click.echo(join("-" * width for width in widths))
    for row in zip(*(cells for _, cells in table), strict=True):
        click.echo(join(row))


@click.command("routes", short_help="Show the routes for the app.")
@click.option(
    "--sort",
    "-s",
    default="endpoint",
    type=click.Choice(("endpoint", "methods", "domain", "rule", "match")),
    help="Order of the listing. 'match' is the order in which requests are"
    " matched against the rules.",
)
@click.option(
    "--all-methods", is_flag=True, help="Include the HEAD and OPTIONS methods."
)
@with_appcontext
def routes_command(sort: str, all_methods: bool) -> None:
    """List the application's URL rules with their endpoints and methods."""
    url_map = getattr(_current_app(), "url_map", None)
    if url_map is None:
        raise click.UsageError("The application has no URL map to show routes of.")
    rules: list[Rule] = list(url_map.iter_rules())
    if not rules:
        click.echo("No routes were registered.")
        return
    domain = _domain_attribute(url_map)
    hidden = frozenset() if all_methods else _HIDDEN_METHODS
    _print_table(_route_table(_sorted_rules(rules, sort, domain), domain, hidden))
