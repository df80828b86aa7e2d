"""The command-line part of an application class and of a blueprint class.

Neither facet has an ``__init__``: the command groups and the list of shell
context processors are created on first use. Nor does importing them load
click: an application class mixes these in when it is imported, and click is
only needed once its commands are.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from functools import cached_property

from kolben.contexts import g

if t.TYPE_CHECKING:
    from .protocols import CliApp
    from .protocols import CliBlueprint
    from .protocols import CliOwner
    from .scriptinfo import AppGroup
    from .scriptinfo import ScriptInfo

ShellContextProcessor = t.TypeVar(
    "ShellContextProcessor", bound=cabc.Callable[[], dict[str, t.Any]]
)


class _DefaultCliGroup:
    """The type of :data:`DEFAULT_CLI_GROUP`."""

    def __repr__(self) -> str:
        return "DEFAULT_CLI_GROUP"


#: The default ``cli_group`` of a blueprint: its commands go in a group named
#: after the blueprint. (``None`` merges them into the app's commands; a string
#: names the group.)
DEFAULT_CLI_GROUP: t.Final = _DefaultCliGroup()


class _ScriptInfoClass:
    """The default :attr:`CliAppFacet.script_info_class`:
    :class:`~kolben.cli.ScriptInfo`, imported when first read.

    A subclass or an instance may still assign its own class.
    """

    def __get__(self, obj: object, owner: type | None = None) -> type[ScriptInfo]:
        from .scriptinfo import ScriptInfo

        return ScriptInfo


def _new_group(name: str) -> AppGroup:
    from .scriptinfo import AppGroup

    return AppGroup(name)


class CliAppFacet:
    """Mixin giving an application its command line: ``app.cli`` and the shell
    context.

    The class using it provides ``name``
    (:class:`~kolben.cli.protocols.CliOwner`); everything else is created on
    first use.
    """

    # At run time a descriptor, so that click is imported only when it is read.
    if t.TYPE_CHECKING:
        #: The :class:`~kolben.cli.ScriptInfo` class a test CLI runner creates
        #: for this app: ``app.script_info_class(create_app=lambda: app)``.
        script_info_class: t.ClassVar[type[ScriptInfo]]
    else:
        script_info_class = _ScriptInfoClass()

    @cached_property
    def cli(self) -> AppGroup:
        """The app's commands, offered by the ``flask`` command once the app is
        loaded; they run in the app context::

            @app.cli.command("init-db")
            def init_db():
                ...
        """
        return _new_group(t.cast("CliOwner", self).name)

    @cached_property
    def shell_context_processors(self) -> list[cabc.Callable[[], dict[str, t.Any]]]:
        """Functions whose returned dicts add names to the ``flask shell`` namespace,
        in registration order.
        """
        return []

    def shell_context_processor(
        self, f: ShellContextProcessor
    ) -> ShellContextProcessor:
        """Register ``f`` as a shell context processor; returns ``f``.

        Use it as a decorator::

            @app.shell_context_processor
            def add_models():
                return {"User": User}
        """
        # Apps that forbid setup after their first request provide this guard.
        guard = getattr(self, "_check_setup_finished", None)
        if guard is not None:
            guard("shell_context_processor")
        self.shell_context_processors.append(f)
        return f

    def make_shell_context(self) -> dict[str, t.Any]:
        """The namespace ``flask shell`` starts with: ``app`` and ``g``, updated
        with each shell context processor's dict in turn.
        """
        namespace: dict[str, t.Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            namespace.update(processor())
        return namespace


class CliBlueprintFacet:
    """Mixin giving a blueprint its commands, ``bp.cli``, and ``cli_group``.

    The class using it provides ``name``
    (:class:`~kolben.cli.protocols.CliBlueprint`) and calls
    :meth:`_merge_blueprint_cli` each time the blueprint is registered on an app.
    """

    #: Where the blueprint's commands go on the app: :data:`DEFAULT_CLI_GROUP` for
    #: a group named after the blueprint, ``None`` for the app's own commands, or
    #: a string naming the group. A ``cli_group`` registration option overrides it.
    cli_group: str | None | _DefaultCliGroup = DEFAULT_CLI_GROUP

    @cached_property
    def cli(self) -> AppGroup:
        """The blueprint's commands, added to the app's when it is registered."""
        return _new_group(t.cast("CliBlueprint", self).name)

    def _merge_blueprint_cli(
        self, app: CliApp, options: cabc.Mapping[str, t.Any]
    ) -> None:
        """Add this blueprint's commands to ``app.cli``.

        Called by the blueprint's ``register(app, options)`` for every
        registration; ``options`` are the registration options, whose
        ``cli_group`` overrides :attr:`cli_group`. A blueprint without commands
        adds nothing (not even an empty group).
        """
        group = options.get("cli_group", self.cli_group)
        # Read without creating: a blueprint that never touched .cli has none.
        commands: AppGroup | None = self.__dict__.get("cli")
        if commands is None or not commands.commands:
            return
        if group is None:
            app.cli.commands.update(commands.commands)
            return
        # Anything but a string (also another package's "not given" sentinel)
        # means the default: the blueprint's name.
        name = group if isinstance(group, str) else t.cast("CliBlueprint", self).name
        commands.name = name
        app.cli.add_command(commands)
