"""The context-related part of an application class.

The ``flask`` meta-package mixes :class:`ContextsAppFacet` into ``Flask``; any
other application class can do the same to get ``app_context()``,
``request_context()`` and app-context teardown callbacks.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

from .ctx import AppContext
from .ctx import AppCtxGlobals
from .ctx import RequestContext
from .helpers import call_teardown_functions
from .signals import appcontext_tearing_down

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from .protocols import ContextApp

TeardownFunc = cabc.Callable[[BaseException | None], t.Any]
TeardownCallable = t.TypeVar(
    "TeardownCallable", bound=cabc.Callable[[BaseException | None], t.Any]
)


class ContextsAppFacet:
    """Mixin giving an application its contexts.

    It has no ``__init__``: ``teardown_appcontext_funcs`` is created on first use.
    The class using it must satisfy :class:`~kolben.contexts.protocols.ContextApp`
    (``request_class``, ``create_url_adapter``, ``session_interface``,
    ``do_teardown_request``, ``ensure_sync``).
    """

    #: The class of ``g``; replace it to give ``g`` extra behaviour.
    app_ctx_globals_class: cabc.Callable[[], t.Any] = AppCtxGlobals

    #: The class used for application contexts.
    app_context_class: type[AppContext] = AppContext

    #: The class used for request contexts.
    request_context_class: type[RequestContext] = RequestContext

    @property
    def teardown_appcontext_funcs(self) -> list[TeardownFunc]:
        """Functions called when an app context is popped, last registered first."""
        funcs: list[TeardownFunc] = self.__dict__.setdefault("_teardown_appcontext", [])
        return funcs

    @teardown_appcontext_funcs.setter
    def teardown_appcontext_funcs(self, funcs: list[TeardownFunc]) -> None:
        self.__dict__["_teardown_appcontext"] = funcs

    def teardown_appcontext(self, f: TeardownCallable) -> TeardownCallable:
        """Register ``f`` to run whenever an app context ends.

        It receives the exception that ended the context, or ``None``, and runs
        even when a request fails, so it is the place to release resources::

            @app.teardown_appcontext
            def close_db(exc):
                db = g.pop("db", None)
                if db is not None:
                    db.close()

        Return values are ignored. Errors raised by ``f`` are not handled.
        """
        # An app class that forbids setup after its first request provides this
        # guard (kolben.routing's scaffold does); a plain app has none.
        guard = getattr(self, "_check_setup_finished", None)
        if guard is not None:
            guard("teardown_appcontext")
        self.teardown_appcontext_funcs.append(f)
        return f

    def app_context(self) -> AppContext:
        """Return a new :class:`~kolben.contexts.AppContext` for this app.

        ::

            with app.app_context():
                init_db()
        """
        return self.app_context_class(self)  # type: ignore[arg-type]

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """Return a new :class:`~kolben.contexts.RequestContext` for ``environ``."""
        return self.request_context_class(self, environ)  # type: ignore[arg-type]

    def do_teardown_appcontext(self, exc: BaseException | None = None) -> None:
        """Run the teardown callbacks, last registered first, then send
        ``appcontext_tearing_down``. Called when an app context is popped.

        A failing callback does not stop the others: each failure is logged
        and the first is raised once all have run (and the signal is then not
        sent, as when a single callback fails).
        """
        app: ContextApp = self  # type: ignore[assignment]
        funcs = self.__dict__.get("_teardown_appcontext")
        if funcs:
            call_teardown_functions(app, reversed(funcs), exc)
        if appcontext_tearing_down.receivers:
            appcontext_tearing_down.send(self, _async_wrapper=app.ensure_sync, exc=exc)
