"""What the testing tools need from "the application".

Every member is optional for the environ builder and the test client, which
test any WSGI callable and fall back to werkzeug's defaults for what an app
does not provide. The ``flask`` meta-package's ``Flask`` satisfies all of
these protocols; ``kolben.sessions``' ``SessionMiddleware`` satisfies
:class:`SessionApp`.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.wrappers import Response


class JSONProvider(t.Protocol):
    """The part of an app's JSON provider the testing tools call."""

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialise ``obj``; called by :class:`~kolben.testing.EnvironBuilder`
        for a ``json=`` body, so the test request is encoded with the app's
        settings (``ensure_ascii``, custom types, ...).
        """

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Parse JSON; the provider is the ``json_module`` of every response the
        test client returns, so ``response.json`` decodes with the app's settings.
        """


class SessionBackend(t.Protocol):
    """The session interface :meth:`~kolben.testing.FlaskClient.session_transaction`
    opens and saves a session through (``kolben.sessions.SessionInterface``'s shape).
    """

    def open_session(self, app: t.Any, request: t.Any) -> t.Any | None:
        """Load the session for ``request`` from its cookies; called when a
        transaction starts. ``None`` means no session can be opened (for example
        no secret key), which the client reports as an error.
        """

    def save_session(self, app: t.Any, session: t.Any, response: t.Any) -> None:
        """Write ``session`` into ``response`` (a ``Set-Cookie`` header); called when
        the transaction's ``with`` block ends without an error.
        """

    def is_null_session(self, obj: t.Any) -> bool:
        """Whether ``obj`` is the stand-in session that must not be saved; checked
        before saving.
        """


class BuilderApp(t.Protocol):
    """What :class:`~kolben.testing.EnvironBuilder` reads from an app.

    Both members are optional: without ``config`` the request goes to
    ``http://localhost/``; without ``json`` bodies are encoded with
    :func:`json.dumps`.
    """

    #: Read for ``SERVER_NAME`` (host of the base URL), ``APPLICATION_ROOT``
    #: (its path) and ``PREFERRED_URL_SCHEME`` (its scheme) each time a builder
    #: is created.
    config: cabc.Mapping[str, t.Any]

    #: The JSON provider serialising ``json=`` request bodies.
    json: JSONProvider


class SessionApp(t.Protocol):
    """What :meth:`~kolben.testing.FlaskClient.session_transaction` needs.

    A Flask app provides :meth:`test_request_context`; a plain WSGI app wrapped in
    ``kolben.sessions.SessionMiddleware`` does not, and the client builds the
    request itself (with ``request_class`` when the app has one).
    """

    #: Opens the session at the start of a transaction and saves it at the end.
    session_interface: SessionBackend

    #: Instantiated with no arguments to receive the saved session's cookie.
    #: Optional; werkzeug's ``Response`` is used otherwise.
    response_class: type[Response]

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Optional. Return a request context (with a ``request`` attribute) for a
        request built from ``EnvironBuilder`` arguments; the client pushes it while
        the session is opened and while it is saved.
        """


class RunnerApp(t.Protocol):
    """What :class:`~kolben.testing.FlaskCliRunner` needs from an app."""

    #: The command group :meth:`~kolben.testing.FlaskCliRunner.invoke` runs when
    #: it is not given another command.
    cli: t.Any

    #: Optional. Called as ``script_info_class(create_app=...)`` to make the
    #: ``obj`` commands receive; ``kolben.cli`` provides its ``ScriptInfo`` here
    #: so its command groups find the app. Without it the runner passes a
    #: :class:`~kolben.testing.StaticScriptInfo`.
    script_info_class: cabc.Callable[..., t.Any]


class FacetOwner(t.Protocol):
    """What :class:`~kolben.testing.TestingAppFacet` needs from the class it is
    mixed into, besides what the builder, client and runner read.
    """

    #: The response class the test client wraps responses in (combined with
    #: werkzeug's ``TestResponse``).
    response_class: type[Response]

    def request_context(self, environ: WSGIEnvironment) -> t.Any:
        """Return a request context for ``environ`` (``kolben.contexts``'
        ``ContextsAppFacet`` provides it); called by ``test_request_context``.
        """

    def __call__(
        self, environ: WSGIEnvironment, start_response: t.Any
    ) -> cabc.Iterable[bytes]:
        """The WSGI entry point the test client calls for every request."""
