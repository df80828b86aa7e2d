"""A click test runner that invokes an application's commands."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from click.testing import CliRunner
from click.testing import Result

if t.TYPE_CHECKING:
    from .protocols import RunnerApp


class StaticScriptInfo:
    """The script info a :class:`FlaskCliRunner` hands to commands of an app that
    has no ``script_info_class`` of its own: it always loads the same app.

    Commands reach it as click's context object::

        @app.cli.command()
        @click.pass_obj
        def hello(info):
            click.echo(info.load_app().name)

    :param create_app: returns the app; called by :meth:`load_app`.
    """

    def __init__(self, create_app: cabc.Callable[[], t.Any]) -> None:
        #: Returns the application; kept under the name ``ScriptInfo`` uses.
        self.create_app = create_app
        #: Free storage for commands, like ``ScriptInfo.data``.
        self.data: dict[t.Any, t.Any] = {}

    def load_app(self) -> t.Any:
        """Return the application."""
        return self.create_app()


class FlaskCliRunner(CliRunner):
    """A :class:`click.testing.CliRunner` for an application's commands.

    :meth:`invoke` runs the app's command group unless told otherwise, and gives
    commands a script info object that loads the app::

        runner = app.test_cli_runner()
        result = runner.invoke(args=["init-db"])
        assert "Initialized" in result.output

    :param app: the application; see :class:`~kolben.testing.protocols.RunnerApp`.
    :param kwargs: passed on to :class:`click.testing.CliRunner`.
    """

    def __init__(self, app: RunnerApp | t.Any, **kwargs: t.Any) -> None:
        #: The application whose commands are invoked.
        self.app: t.Any = app
        super().__init__(**kwargs)

    def invoke(  # type: ignore[override]
        self,
        cli: t.Any = None,
        args: str | cabc.Sequence[str] | None = None,
        **kwargs: t.Any,
    ) -> Result:
        """Invoke a command in an isolated environment and return the
        :class:`click.testing.Result`.

        :param cli: the command to run; the app's ``cli`` group by default.
        :param args: the command line, a list of arguments or a string.
        :param kwargs: passed on to :meth:`click.testing.CliRunner.invoke`. When
            ``obj`` is not among them, commands get the app's script info: its
            ``script_info_class(create_app=...)`` if it has one, otherwise a
            :class:`StaticScriptInfo`.
        """
        if cli is None:
            cli = self.app.cli
        if "obj" not in kwargs:
            kwargs["obj"] = self.make_script_info()
        return super().invoke(cli, args, **kwargs)

    def make_script_info(self) -> t.Any:
        """Return a new script info object whose ``load_app()`` returns the app."""
        app = self.app
        script_info_class = getattr(app, "script_info_class", None)
        if script_info_class is not None:
            return script_info_class(create_app=lambda: app)
        return StaticScriptInfo(create_app=lambda: app)
