"""The Jinja environment of an application and its autoescaping rule."""

from __future__ import annotations

import collections
import typing as t

import jinja2
from jinja2.runtime import new_context

from ._autoescape import AUTOESCAPED_EXTENSIONS as AUTOESCAPED_EXTENSIONS
from ._autoescape import default_autoescape as default_autoescape

if t.TYPE_CHECKING:
    import collections.abc as cabc

    from jinja2.runtime import Context

    from .protocols import TemplatingApp


class Template(jinja2.Template):
    """The class of an application's templates: Jinja's, with a cheaper
    start to each render.

    Each render begins with a copy of the template's globals (its own over
    the environment's, a :class:`collections.ChainMap`) holding the render's
    variables. Jinja copies the ChainMap name by name; when both of its
    mappings are plain dicts, this merges them in one step into the same
    dict. Anything else is left to Jinja.

    .. versionadded:: 0.1.0
    """

    def new_context(
        self,
        vars: dict[str, t.Any] | None = None,
        shared: bool = False,
        locals: cabc.Mapping[str, t.Any] | None = None,
    ) -> Context:
        """Create the context of one render, as :meth:`jinja2.Template.new_context`.

        :param vars: the variables passed to the template.
        :param shared: use ``vars`` as the context without the globals.
        :param locals: local variables for Jinja's internal use.
        """
        template_globals = self.globals
        if not shared and type(template_globals) is collections.ChainMap:
            maps = template_globals.maps
            if len(maps) == 2 and type(maps[0]) is dict and type(maps[1]) is dict:
                # dict(ChainMap(own, shared)): the same keys in the same
                # order, the template's own values winning.
                parent = {**maps[1], **maps[0]}
                if vars:
                    # As dict(globals, **vars): names must be strings.
                    parent.update(**vars)
                return new_context(
                    self.environment,
                    self.name,
                    self.blocks,
                    parent,
                    True,
                    template_globals,
                    locals,
                )
        return super().new_context(vars, shared, locals)


class Environment(jinja2.Environment):
    """A Jinja environment that belongs to an application.

    Unless a ``loader`` is passed, it loads templates through the app's
    :meth:`~kolben.templating.TemplatingAppFacet.create_global_jinja_loader`,
    which searches the app's template folder and then its blueprints'. Set an
    app class's ``jinja_environment`` to a subclass to customise it.

    Its templates are :class:`Template` instances unless ``template_class``
    says otherwise.

    :param app: the application; kept as :attr:`app`.
    :param options: the keyword arguments of :class:`jinja2.Environment`.
    """

    template_class = Template

    def __init__(self, app: TemplatingApp, **options: t.Any) -> None:
        if "loader" not in options:
            options["loader"] = app.create_global_jinja_loader()
        super().__init__(**options)
        #: The application this environment renders for.
        self.app = app
