"""``Blueprint``: routing's blueprint with templates, commands and static
files.
"""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta as timedelta

from kolben.cli import CliBlueprintFacet
from kolben.cli import DEFAULT_CLI_GROUP
from kolben.contexts import current_app as current_app
from kolben.routing import Blueprint as _RoutingBlueprint
from kolben.routing import BlueprintSetupState as BlueprintSetupState
from kolben.templating import TemplatingBlueprintFacet

from ._static import StaticFilesFacet
from .helpers import send_from_directory as send_from_directory
from .sansio.scaffold import _sentinel as _sentinel

if t.TYPE_CHECKING:  # pragma: no cover
    from kolben.cli import AppGroup as AppGroup
    from kolben.routing import RoutingApp

#: A folder argument: a path, or ``None`` for "no such folder".
_Folder: t.TypeAlias = "str | os.PathLike[str] | None"

#: Values for URL variables, by variable name.
_URLValues: t.TypeAlias = "dict[str, t.Any]"

#: Flask's name for the blueprint without templates, commands and static files.
SansioBlueprint = _RoutingBlueprint


class Blueprint(
    TemplatingBlueprintFacet, CliBlueprintFacet, StaticFilesFacet, _RoutingBlueprint
):
    """A group of views, hooks, error handlers, templates, static files and
    commands, registered on an application (possibly several times, or inside
    another blueprint)::

        bp = Blueprint("admin", __name__, url_prefix="/admin")

        @bp.route("/")
        def index():
            return render_template("admin/index.html")

        app.register_blueprint(bp)

    :param name: the blueprint's name; prefixes its endpoints.
    :param import_name: the blueprint's module or package, usually ``__name__``.
    :param static_folder: a folder of static files, served under the
        blueprint's URL prefix.
    :param static_url_path: the URL path of the static files.
    :param template_folder: a folder of templates, searched after the app's.
    :param url_prefix: a path prefixed to all the blueprint's URLs.
    :param subdomain: the subdomain the blueprint's routes match by default.
    :param url_defaults: default values for the blueprint's URL variables.
    :param root_path: the blueprint's folder, when it cannot be found from
        ``import_name``.
    :param cli_group: the name of the group of the blueprint's commands on the
        app; ``None`` to add them to the app's own commands. By default the
        blueprint's name.
    """

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: _Folder = None,
        static_url_path: str | None = None,
        template_folder: _Folder = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: _URLValues | None = None,
        root_path: str | None = None,
        cli_group: str | None = DEFAULT_CLI_GROUP,  # type: ignore[assignment]
    ) -> None:
        super().__init__(
            name,
            import_name,
            root_path=root_path,
            # Files: templates and static files.
            template_folder=template_folder,
            static_folder=static_folder,
            static_url_path=static_url_path,
            # Where its rules land when registered.
            subdomain=subdomain,
            url_prefix=url_prefix,
            url_defaults=url_defaults,
        )
        #: The name of the ``flask`` command group holding the blueprint's
        #: commands; ``None`` merges them into the app's own group.
        self.cli_group = cli_group

    def register(self, app: RoutingApp, options: dict[str, t.Any]) -> None:
        """Apply the blueprint to ``app``; called by ``app.register_blueprint``.

        Adds its routes, hooks, error handlers and templates to the app, and
        its commands to ``app.cli``.
        """
        super().register(app, options)
        self._merge_blueprint_cli(app, options)  # type: ignore[arg-type]


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, ``AppGroup`` included (see ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module has ``AppGroup``; it is imported on first access so that
    # importing the blueprint class does not load click.
    if name == "AppGroup":
        from kolben.cli import AppGroup

        return AppGroup
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "AppGroup"})
