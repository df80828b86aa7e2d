"""What the routing facets need from the classes they are mixed into.

:class:`~kolben.routing.RoutingApp` provides the URL map, the registries and URL
building, but reads a few things it does not own. The ``flask`` meta-package's
``Flask`` class provides them; so does the standalone
:class:`~kolben.routing.Router`.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t


class RoutingOwner(t.Protocol):
    """The application class a :class:`~kolben.routing.RoutingApp` is part of."""

    #: The configuration mapping. Read by ``create_url_adapter`` for every
    #: context: ``SERVER_NAME`` (base of subdomain matching, and needed to
    #: build URLs outside a request), ``APPLICATION_ROOT`` and
    #: ``PREFERRED_URL_SCHEME`` (for URLs built outside a request),
    #: ``TRUSTED_HOSTS`` (hosts a request may name, or ``None`` for any); and
    #: by ``add_url_rule``: ``PROVIDE_AUTOMATIC_OPTIONS`` (default for rules
    #: that do not say). Missing keys take Flask's defaults.
    config: cabc.Mapping[str, t.Any]

    def send_static_file(self, filename: str) -> t.Any:
        """Return the response for ``filename`` from the static folder; called
        by the app's static route (added when there is a static folder) with
        the ``filename`` matched from the URL.
        """

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        """Wrap a possibly ``async`` callable so it can be called synchronously.

        Called on ``current_app`` by :class:`~kolben.routing.View` and
        :class:`~kolben.routing.MethodView` around their dispatch, per request.
        The request pipeline should call the hook functions it gets from the
        ``*_for`` queries through it as well.
        """


class StaticFilesBlueprint(t.Protocol):
    """A blueprint class that serves its own static folder."""

    def send_static_file(self, filename: str) -> t.Any:
        """Return the response for ``filename`` from the blueprint's static
        folder. When a blueprint with a static folder has this method, its
        registration adds the route ``<static_url_path>/<path:filename>`` with
        endpoint ``"<name>.static"`` calling it.
        """


class URLBuilder(t.Protocol):
    """What :func:`kolben.routing.url_for` calls on ``current_app``."""

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _external: bool | None = None,
        _anchor: str | None = None,
        _scheme: str | None = None,
        _method: str | None = None,
        **values: t.Any,
    ) -> str:
        """Build the URL of ``endpoint``; see
        :meth:`kolben.routing.RoutingApp.url_for`.
        """
