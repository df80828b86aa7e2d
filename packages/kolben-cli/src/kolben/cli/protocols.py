"""What the command line needs from "the application" and from a blueprint.

The ``flask`` meta-package's ``Flask`` and ``Blueprint`` satisfy these; any other
application class can too. Only :meth:`CliApp.__call__` is needed to ``run`` an
app: the commands look the other members up when they use them and do without
the ones an app lacks (see each member).
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Map

    from .scriptinfo import AppGroup


class CliApp(t.Protocol):
    """An application the ``flask`` command can load and work with."""

    @property
    def name(self) -> str:
        """The app's name; :class:`~kolben.cli.CliAppFacet` names the app's command
        group after it.
        """

    @property
    def import_name(self) -> str:
        """The module the app was created in; shown in the ``shell`` banner
        (the app's ``repr`` without it).
        """

    #: Set from ``FLASK_DEBUG`` by :meth:`ScriptInfo.load_app
    #: <kolben.cli.ScriptInfo.load_app>` when the app has this attribute.
    debug: bool

    @property
    def url_map(self) -> Map:
        """The URL map ``routes`` lists; an app without one cannot use ``routes``.
        Its ``host_matching`` decides between a host and a subdomain column.
        """

    @property
    def cli(self) -> AppGroup:
        """The app's own commands, offered by the ``flask`` group after the
        built-in and plugin ones. Without it the app only gets those.
        """

    def app_context(self) -> t.ContextManager[t.Any]:
        """Return a new application context; :func:`~kolben.cli.with_appcontext`
        pushes one around every app command. Without it commands run bare.
        """

    def make_shell_context(self) -> dict[str, t.Any]:
        """Return the names ``shell`` starts with. Without it the shell starts with
        ``app`` only.
        """

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """The WSGI entry point ``run`` serves."""


class CliBlueprint(t.Protocol):
    """What :class:`~kolben.cli.CliBlueprintFacet` reads from the blueprint class
    it is mixed into.
    """

    @property
    def name(self) -> str:
        """The blueprint's name; its command group is named after it by default."""


class CliOwner(t.Protocol):
    """What :class:`~kolben.cli.CliAppFacet` reads from the class it is mixed into."""

    @property
    def name(self) -> str:
        """Names the app's command group (read once, when ``cli`` is first used)."""


class SetupGuard(t.Protocol):
    """Optional: an app that forbids setup after it started handling requests."""

    def _check_setup_finished(self, f_name: str) -> None:
        """Called by ``shell_context_processor`` before it registers anything;
        raises when registering is no longer allowed (kolben.routing's scaffold
        provides it).
        """
