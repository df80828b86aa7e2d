"""The Jinja environment of an application and its autoescaping rule."""

from __future__ import annotations

import typing as t

import jinja2

from ._autoescape import AUTOESCAPED_EXTENSIONS as AUTOESCAPED_EXTENSIONS
from ._autoescape import default_autoescape as default_autoescape

if t.TYPE_CHECKING:
    from .protocols import TemplatingApp


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
