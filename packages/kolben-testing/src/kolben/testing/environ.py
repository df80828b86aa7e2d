"""An environ builder that knows where the application is served."""

from __future__ import annotations

import typing as t
from urllib.parse import urlsplit

import werkzeug.test

if t.TYPE_CHECKING:
    from .protocols import BuilderApp


class EnvironBuilder(werkzeug.test.EnvironBuilder):
    """A :class:`werkzeug.test.EnvironBuilder` whose defaults come from an app.

    Unless ``base_url`` is given, the request goes to the app's configured
    location: the scheme is ``PREFERRED_URL_SCHEME`` (or ``url_scheme``), the
    host ``SERVER_NAME`` (``localhost`` when unset) with ``subdomain`` in front
    of it, and the root path ``APPLICATION_ROOT``. ``path`` is relative to that
    root; it may also be a full URL, whose scheme and host then replace the
    configured ones::

        builder = EnvironBuilder(app, "/search?q=kolben", method="POST")
        environ = builder.get_environ()

    A ``json=`` body is serialised with the app's JSON provider
    (``app.json.dumps``), so it follows the app's settings. An object without
    ``config`` or ``json`` (any WSGI callable) gets werkzeug's defaults.

    :param app: the application to build the environ for; see
        :class:`~kolben.testing.protocols.BuilderApp`.
    :param path: the requested path, with an optional query string, or a full URL.
    :param base_url: where the app is served, which ``path`` is relative to;
        overrides the configured location.
    :param subdomain: a subdomain to prefix to ``SERVER_NAME``.
    :param url_scheme: the scheme to use instead of ``PREFERRED_URL_SCHEME``.
    :param args: passed on to :class:`werkzeug.test.EnvironBuilder`.
    :param kwargs: passed on to :class:`werkzeug.test.EnvironBuilder`.
    :raises AssertionError: when ``base_url`` is combined with ``subdomain``
        or ``url_scheme``.
    """

    def __init__(
        self,
        app: BuilderApp | t.Any,
        path: str = "/",
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        *args: t.Any,
        **kwargs: t.Any,
    ) -> None:
        # The same check (and message) as Flask: a base URL already says which
        # host and scheme to use.
        assert not (base_url is not None and (subdomain or url_scheme)), (
            'Cannot pass "subdomain" or "url_scheme" with "base_url".'
        )
        #: The application the environ is built for.
        self.app: t.Any = app
        if base_url is None:
            base_url, path = _locate(app, path, subdomain, url_scheme)
        super().__init__(path, base_url, *args, **kwargs)

    def json_dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialise a ``json=`` body with the app's ``json.dumps``, or
        :func:`json.dumps` for an app without a JSON provider.
        """
        provider = getattr(self.app, "json", None)
        if provider is None:
            return super().json_dumps(obj, **kwargs)
        return t.cast(str, provider.dumps(obj, **kwargs))


def _locate(
    app: t.Any, path: str, subdomain: str | None, url_scheme: str | None
) -> tuple[str, str]:
    """Return the base URL for a request to ``path`` and the path relative to it."""
    config = getattr(app, "config", None) or {}
    host = config.get("SERVER_NAME") or "localhost"
    if subdomain:
        host = f"{subdomain}.{host}"
    scheme = url_scheme or config.get("PREFERRED_URL_SCHEME") or "http"
    root = (config.get("APPLICATION_ROOT") or "/").strip("/")
    url = urlsplit(path)
    if url.netloc:
        # A full URL names its own scheme and host; its path stays relative to
        # the application root, like a relative path does.
        scheme, host = url.scheme or scheme, url.netloc
        path = url.path or "/"
        if url.query:
            path = f"{path}?{url.query}"
    base_url = f"{scheme}://{host}/{root}"
    return base_url, path
