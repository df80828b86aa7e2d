"""What the context objects need from "the application".

Any object that provides these members can own contexts; the ``flask``
meta-package's ``Flask`` class is one, and the package's own tests use a tiny
class of their own.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter
    from werkzeug.wrappers import Request

    from .ctx import AppContext


class SessionOpener(t.Protocol):
    """The part of a session interface a request context calls."""

    def open_session(self, app: t.Any, request: t.Any) -> t.Any | None:
        """Load the session for ``request``; called the first time ``session`` is read.

        Returning ``None`` means the session could not be opened, and
        :meth:`make_null_session` supplies a stand-in.
        """

    def make_null_session(self, app: t.Any) -> t.Any:
        """Return the stand-in session used when :meth:`open_session` returned None."""


@t.runtime_checkable
class ContextApp(t.Protocol):
    """An application that :class:`~kolben.contexts.AppContext` and
    :class:`~kolben.contexts.RequestContext` can be pushed for.
    """

    #: Called with no arguments when an app context is created; the result
    #: becomes that context's ``g``.
    app_ctx_globals_class: cabc.Callable[[], t.Any]

    #: Called with the WSGI environ when a request context is created without a
    #: ready-made request object.
    request_class: cabc.Callable[[WSGIEnvironment], Request]

    #: Consulted lazily, the first time a request context's ``session`` is read.
    session_interface: SessionOpener

    def app_context(self) -> AppContext:
        """Return a new app context; a request context pushes one when none is active
        for this app.
        """

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """Return the URL adapter for a context: bound to ``request`` for a request
        context, or to the configured server for an app context; ``None`` when URLs
        cannot be built or matched.
        """

    def do_teardown_request(self, exc: BaseException | None) -> None:
        """Called once when a request context is finally popped, with the exception
        that ended it or ``None``.
        """

    def do_teardown_appcontext(self, exc: BaseException | None) -> None:
        """Called once when an app context is finally popped, with the exception that
        ended it or ``None``.
        """

    def ensure_sync(self, func: cabc.Callable[..., t.Any]) -> cabc.Callable[..., t.Any]:
        """Wrap a possibly ``async`` callable so it can be called synchronously; used
        for signal receivers and copied-context functions.
        """
