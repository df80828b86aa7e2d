"""The loader that searches an application's templates, then its blueprints'."""

from __future__ import annotations

import collections.abc as cabc
import itertools
import typing as t

from jinja2 import BaseLoader
from jinja2 import TemplateNotFound

if t.TYPE_CHECKING:
    from jinja2 import Environment

    from .debug import LoadAttempt
    from .debug import Source
    from .protocols import TemplateSource
    from .protocols import TemplatingApp


class DispatchingJinjaLoader(BaseLoader):
    """Find a template in the app's template folder, then in each blueprint's.

    Blueprints are searched in the order they were registered, and the first
    folder holding the template wins, so an app can override any blueprint's
    template by placing one with the same name in its own folder. Owners without
    a template folder are skipped.

    When the app's ``EXPLAIN_TEMPLATE_LOADING`` setting is true every loader is
    asked, and the app's logger receives an explanation of what each one found
    (see :func:`~kolben.templating.explain_template_loading_attempts`).

    :param app: the application whose templates are served.
    """

    def __init__(self, app: TemplatingApp) -> None:
        #: The application whose templates are served.
        self.app = app

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, cabc.Callable[[], bool] | None]:
        """Return the source of ``template`` from the first owner that has it.

        :raises jinja2.TemplateNotFound: when no owner has it; its ``name`` is
            ``template``.
        """
        config = self.app.config
        if config.get("EXPLAIN_TEMPLATE_LOADING"):
            return self._get_source_explained(environment, template)
        for _owner, loader in self._iter_loaders():
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _get_source_explained(self, environment: Environment, template: str) -> Source:
        # Only an app with EXPLAIN_TEMPLATE_LOADING gets here: the helper is
        # imported on demand, not with the loader.
        from .debug import explain_template_loading_attempts

        attempts: list[LoadAttempt] = []
        found: Source | None = None
        for owner, loader in self._iter_loaders():
            try:
                source: Source | None = loader.get_source(environment, template)
            except TemplateNotFound:
                source = None
            if found is None:
                found = source
            attempts.append((loader, owner, source))
        explain_template_loading_attempts(self.app, template, attempts)
        if found is None:
            raise TemplateNotFound(template)
        return found

    def _iter_loaders(self) -> cabc.Iterator[tuple[TemplateSource, BaseLoader]]:
        """Yield each owner that has templates with its loader, app first."""
        app = self.app
        owners: cabc.Iterable[TemplateSource] = itertools.chain(
            (app,), app.iter_blueprints()
        )
        # Pair first, filter second: ``jinja_loader`` may be a property that
        # builds the loader, so it is read exactly once per owner.
        pairs = ((owner, owner.jinja_loader) for owner in owners)
        yield from ((owner, found) for owner, found in pairs if found is not None)

    def list_templates(self) -> list[str]:
        """Return the names of every template of the app and its blueprints,
        sorted and without duplicates.
        """
        names: set[str] = set()
        for _owner, loader in self._iter_loaders():
            names.update(loader.list_templates())
        return sorted(names)
