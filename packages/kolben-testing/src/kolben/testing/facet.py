"""The testing part of an application class.

Importing it loads neither werkzeug's test tools nor click's runner: an
application class mixes it in when it is imported, and they are only needed
once a test uses the app.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from .client import FlaskClient
    from .protocols import FacetOwner
    from .runner import FlaskCliRunner


class TestingAppFacet:
    """Mixin giving an application ``test_client()``, ``test_cli_runner()`` and
    ``test_request_context()``.

    It has no ``__init__`` and no state of its own. The class using it must
    provide ``request_context(environ)`` (``kolben.contexts``'
    ``ContextsAppFacet`` does) and is read as described in
    :mod:`kolben.testing.protocols` (``config``, ``json``, ``response_class``,
    ``session_interface``, ``cli``, optionally ``script_info_class``).
    """

    # The name starts with "Test": keep pytest from collecting the mixin (and
    # its test_* methods) in modules that import it.
    __test__ = False

    #: The client class :meth:`test_client` creates; ``None`` means
    #: :class:`~kolben.testing.FlaskClient`.
    test_client_class: type[FlaskClient] | None = None

    #: The runner class :meth:`test_cli_runner` creates; ``None`` means
    #: :class:`~kolben.testing.FlaskCliRunner`.
    test_cli_runner_class: type[FlaskCliRunner] | None = None

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """Return a test client for this app, wrapping responses in its
        ``response_class``.

        ::

            with app.test_client() as client:
                response = client.get("/?vodka=42")
                assert request.args["vodka"] == "42"

        In a ``with`` block the last request's contexts stay pushed until the
        block ends (see :class:`~kolben.testing.FlaskClient`).

        :param use_cookies: keep cookies across requests.
        :param kwargs: passed on to the client class (:attr:`test_client_class`),
            for example ``allow_subdomain_redirects`` or a custom client's own
            arguments.
        """
        owner = t.cast("FacetOwner", self)
        client_class = self.test_client_class
        if client_class is None:
            from .client import FlaskClient

            client_class = FlaskClient
        return client_class(
            owner, owner.response_class, use_cookies=use_cookies, **kwargs
        )

    def test_cli_runner(self, **kwargs: t.Any) -> FlaskCliRunner:
        """Return a CLI runner whose ``invoke`` runs this app's commands.

        :param kwargs: passed on to the runner class
            (:attr:`test_cli_runner_class`) and to :class:`click.testing.CliRunner`.
        """
        runner_class = self.test_cli_runner_class
        if runner_class is None:
            from .runner import FlaskCliRunner

            runner_class = FlaskCliRunner
        return runner_class(self, **kwargs)

    def test_request_context(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        """Return a request context for a request built from the arguments.

        They are those of :class:`~kolben.testing.EnvironBuilder` (without the
        app), so the request goes to the app's configured server and root::

            with app.test_request_context("/search?q=kolben", method="POST"):
                assert request.args["q"] == "kolben"

        The context is not pushed; use it in a ``with`` block or call ``push()``.
        """
        from .environ import EnvironBuilder

        builder = EnvironBuilder(self, *args, **kwargs)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        return t.cast("FacetOwner", self).request_context(environ)
