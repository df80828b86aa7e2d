"""Explanations of how a template was looked up, for ``EXPLAIN_TEMPLATE_LOADING``."""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from kolben.contexts import _cv_request

if t.TYPE_CHECKING:
    from jinja2 import BaseLoader

#: What a loader's ``get_source`` returns: source, file name, up-to-date check.
Source = tuple[str, str | None, cabc.Callable[[], bool] | None]

#: One loader asked for a template: the loader, the app or blueprint it belongs
#: to, and what it returned (``None`` when it did not have the template).
LoadAttempt = tuple["BaseLoader", t.Any, Source | None]

#: Where the Flask documentation explains blueprint template folders.
BLUEPRINT_TEMPLATES_DOCS = "https://flask.palletsprojects.com/blueprints/#templates"

_INDENT = "       "


def _describe_owner(app: t.Any, owner: t.Any) -> str:
    if owner is app:
        return f"application {owner.import_name!r}"
    return f"blueprint {owner.name!r} ({owner.import_name})"


def _describe_loader(loader: BaseLoader) -> list[str]:
    """List a loader's class and its public settings, one per line."""
    cls = type(loader)
    lines = [f"class: {cls.__module__}.{cls.__qualname__}"]
    for key, value in sorted(vars(loader).items()):
        if key.startswith("_"):
            continue
        if isinstance(value, (str, int, float, bool)):
            lines.append(f"{key}: {value!r}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f"  - {item}" for item in value)
    return lines


def explain_template_loading_attempts(
    app: t.Any, template: str, attempts: cabc.Sequence[LoadAttempt]
) -> None:
    """Log, on ``app.logger`` at ``INFO``, how ``template`` was looked up.

    The message lists every loader tried, numbered in search order, with its
    settings and whether it found the template, then says when nothing (or more
    than one loader) matched::

        Locating template 'missing.html':
            1: trying loader of application 'shop'
               class: jinja2.loaders.FileSystemLoader
               ...
               -> no match
            2: trying loader of blueprint 'admin' (shop.admin)
               ...
               -> no match
        Error: the template could not be found.

    When that happens during a request to a blueprint's endpoint, three more
    lines say that the template was looked up from an endpoint of that
    blueprint, ask whether it is in the right folder, and link to
    :data:`BLUEPRINT_TEMPLATES_DOCS`.

    :class:`~kolben.templating.DispatchingJinjaLoader` calls it when the app's
    ``EXPLAIN_TEMPLATE_LOADING`` setting is true.

    :param app: the application, providing ``logger``.
    :param template: the name that was looked up.
    :param attempts: ``(loader, owner, result)`` per loader asked, in order;
        ``result`` is what ``get_source`` returned, or ``None``.
    """
    # A proxy to the app must still be recognised as the app among the owners.
    unwrap = getattr(app, "_get_current_object", None)
    if callable(unwrap):
        app = unwrap()
    lines = [f"Locating template {template!r}:"]
    found = 0
    for number, (loader, owner, result) in enumerate(attempts, 1):
        lines.append(f"    {number}: trying loader of {_describe_owner(app, owner)}")
        lines.extend(_INDENT + line for line in _describe_loader(loader))
        if result is None:
            lines.append(f"{_INDENT}-> no match")
        else:
            found += 1
            lines.append(f"{_INDENT}-> found ({result[1] or '<string>'!r})")

    if found == 0:
        lines.append("Error: the template could not be found.")
    elif found > 1:
        lines.append("Warning: multiple loaders returned a match for the template.")
    ctx = _cv_request.get(None)
    blueprint = None if ctx is None else getattr(ctx.request, "blueprint", None)
    if found != 1 and blueprint is not None:
        lines.append(
            "  The template was looked up from an endpoint that belongs to"
            f" the blueprint {blueprint!r}."
        )
        lines.append("  Maybe you did not place a template in the right folder?")
        lines.append(f"  See {BLUEPRINT_TEMPLATES_DOCS}")
    app.logger.info("\n".join(lines))
