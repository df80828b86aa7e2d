"""The Jinja environment of an application and its autoescaping rule."""

from __future__ import annotations

import typing as t

import jinja2

if t.TYPE_CHECKING:
    from .protocols import TemplatingApp

#: Templates whose names end like this are autoescaped.
AUTOESCAPED_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg")


def default_autoescape(filename: str | None) -> bool:
    """Tell whether a template should be autoescaped, the way Flask decides.

    Templates loaded from a file ending in ``.html``, ``.htm``, ``.xml``,
    ``.xhtml`` or ``.svg`` are; other files (``mail.txt``) are not. Templates
    built from a string have no file name and are always autoescaped.

    :param filename: the template's name, or ``None`` for a string template.
    """
    if filename is None:
        return True
    return filename.endswith(AUTOESCAPED_EXTENSIONS)


class Environment(jinja2.Environment):
    """A Jinja environment that belongs to an application.

    Unless a ``loader`` is passed, it loads templates through the app's
    :meth:`~kolben.templating.TemplatingAppFacet.create_global_jinja_loader`,
    which searches the app's template folder and then its blueprints'. Set an
    app class's ``jinja_environment`` to a subclass to customise it.

    :param app: the application; kept as :attr:`app`.
    :param options: the keyword arguments of :class:`jinja2.Environment`.
    """

    def __init__(self, app: TemplatingApp, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        #: The application this environment renders for.
        self.app = app
