"""What :mod:`kolben.asgi` needs from the application it serves.

The adapter never sees a ``Flask`` class: anything with a WSGI entry point
and an application context can be served. The meta-package's ``Flask``
satisfies :class:`ServedApp`.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIEnvironment


@t.runtime_checkable
class ServedApp(t.Protocol):
    """An application :class:`~kolben.asgi.ASGIAdapter` can serve.

    ``wsgi_app`` handles one request the WSGI way (the adapter calls it in a
    worker thread, with a streamed ``wsgi.input``); ``app_context`` returns a
    context manager that makes the app current, pushed around lifespan
    handlers.

    .. versionadded:: 0.1.0
    """

    def wsgi_app(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> cabc.Iterable[bytes]:
        """Handle one request and return the response body."""

    def app_context(self) -> contextlib.AbstractContextManager[t.Any]:
        """Return a context manager that pushes this app's context."""
