"""What templating needs from "the application" and its blueprints.

The facets in :mod:`kolben.templating.facets` read these members from the class
they are mixed into; the ``flask`` meta-package's ``Flask`` and ``Blueprint``
provide them (mostly through ``kolben.routing``'s scaffold), and the package's
own tests use tiny classes of their own. Nothing here is imported at run time
by anyone: the protocols only document and type-check the contract.
"""

from __future__ import annotations

import collections.abc as cabc
import logging
import os
import typing as t

if t.TYPE_CHECKING:
    from jinja2 import BaseLoader

    from .environment import Environment

#: A template context processor: called with no arguments, returns values to
#: add to the context of every template rendered.
ContextProcessor = cabc.Callable[[], dict[str, t.Any]]


class TemplatingScaffold(t.Protocol):
    """Anything with a template folder: an application or a blueprint.

    ``kolben.routing``'s ``Scaffold.__init__`` sets both attributes.
    """

    #: The absolute folder the owner lives in; relative template folders are
    #: resolved against it when ``jinja_loader`` is first read.
    root_path: str

    #: The owner's template folder, relative to ``root_path``, or ``None`` when
    #: it has no templates of its own.
    template_folder: str | os.PathLike[str] | None


class TemplateSource(t.Protocol):
    """One place templates are searched: the application or a blueprint.

    The dispatching loader asks each for its loader; the template-loading
    explanation names it with ``name`` and ``import_name``.
    """

    #: The blueprint's (or app's) registered name.
    name: str

    #: The import name the owner was created with (``__name__`` usually).
    import_name: str

    @property
    def jinja_loader(self) -> BaseLoader | None:
        """The loader for this owner's own templates, or ``None`` when it has none.

        Read on every template lookup that misses Jinja's cache.
        """


class TemplatingApp(TemplateSource, t.Protocol):
    """An application that :class:`~kolben.templating.TemplatingAppFacet` serves.

    The facet itself supplies ``jinja_loader``, ``jinja_env`` and the template
    registration methods; everything else comes from the app's other parts.
    """

    #: The configuration mapping. Read keys: ``TEMPLATES_AUTO_RELOAD`` (when
    #: the environment is created), ``EXPLAIN_TEMPLATE_LOADING`` (on each
    #: template lookup that misses Jinja's cache). Missing keys count as unset.
    #: It is also the ``config`` global of templates.
    config: t.Any

    #: The template-context processors, keyed by blueprint name, ``None`` for
    #: those of the app. ``update_template_context`` reads it on every render,
    #: so direct changes take effect at once.
    template_context_processors: cabc.Mapping[str | None, list[ContextProcessor]]

    @property
    def debug(self) -> bool:
        """Whether debug mode is on; templates auto-reload in debug mode unless
        ``TEMPLATES_AUTO_RELOAD`` says otherwise. Read when the environment is
        created.
        """

    @property
    def logger(self) -> logging.Logger:
        """The logger that receives template-loading explanations (at ``INFO``)
        when ``EXPLAIN_TEMPLATE_LOADING`` is on.
        """

    @property
    def jinja_env(self) -> Environment:
        """The app's Jinja environment; the render functions use it."""

    def iter_blueprints(self) -> cabc.Iterable[TemplateSource]:
        """Return the registered blueprints in registration order; their template
        folders are searched after the app's, in that order.
        """

    def url_for(self, endpoint: str, /, **values: t.Any) -> str:
        """Build a URL; exposed to templates as the ``url_for`` global."""

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        """Wrap a possibly ``async`` callable so it can be called synchronously;
        used for context processors and signal receivers.
        """

    def create_global_jinja_loader(self) -> BaseLoader:
        """Return the loader of the app's environment (the facet provides it)."""

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the context processors' values to ``context`` (the facet provides
        it); called by every render and stream function.
        """


class SetupState(t.Protocol):
    """What a blueprint's deferred setup function receives when the blueprint is
    registered (``kolben.routing``'s ``BlueprintSetupState``).
    """

    #: The application the blueprint is being registered on; it has the
    #: ``add_template_*`` methods of :class:`~kolben.templating.TemplatingAppFacet`.
    app: t.Any


class TemplatingBlueprint(TemplatingScaffold, t.Protocol):
    """A blueprint that :class:`~kolben.templating.TemplatingBlueprintFacet` serves."""

    def record_once(self, func: cabc.Callable[[SetupState], None]) -> None:
        """Run ``func`` with the setup state the first time the blueprint is
        registered on an app. The ``app_template_*`` methods use it to add their
        filters, tests and globals to that app.
        """
