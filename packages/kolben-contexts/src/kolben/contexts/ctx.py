"""Application and request contexts, and the ``g`` namespace.

A context is pushed when work for an application (or for one of its requests)
starts and popped when it ends. Pushing sets a context variable, so nested and
concurrent work each see their own context; popping restores the previous value
and, when the outermost push of that context ends, runs the teardown callbacks.
"""

from __future__ import annotations

import collections.abc as cabc
import logging
import sys
import typing as t
from types import TracebackType

from werkzeug.exceptions import HTTPException

from .globals import _cv_app
from .globals import _cv_request
from .signals import appcontext_popped
from .signals import appcontext_pushed

if t.TYPE_CHECKING:
    from contextvars import ContextVar
    from contextvars import Token

    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import MapAdapter
    from werkzeug.wrappers import Request

    from .protocols import ContextApp

# Marks "no exception passed to pop()": pop() then uses the one being handled.
_UNSET: t.Any = object()

_C = t.TypeVar("_C", bound="_Context")


class AppCtxGlobals:
    """A plain namespace for data that lives as long as one application context.

    It is what :data:`~kolben.contexts.g` refers to; an app may replace it with its
    own class through ``app_ctx_globals_class``. Besides attribute access it
    offers a few dict-like helpers::

        g.db = connect()
        if "db" in g:
            g.pop("db").close()
    """

    # Attributes live in the instance __dict__ like on any object; these
    # declarations only tell type checkers that any name may be set or read.
    if t.TYPE_CHECKING:

        def __getattr__(self, name: str) -> t.Any: ...

        def __setattr__(self, name: str, value: t.Any) -> None: ...

    def get(self, name: str, default: t.Any | None = None) -> t.Any:
        """Return attribute ``name``, or ``default`` when it is not set."""
        return vars(self).get(name, default)

    def pop(self, name: str, *default: t.Any) -> t.Any:
        """Remove attribute ``name`` and return its value, or ``default`` if given
        and the attribute is not set.

        :raises KeyError: when it is not set and no ``default`` was given.
        """
        return vars(self).pop(name, *default)

    def setdefault(self, name: str, default: t.Any = None) -> t.Any:
        """Return attribute ``name``, setting it to ``default`` first if missing."""
        return vars(self).setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in vars(self)

    def __iter__(self) -> cabc.Iterator[str]:
        return iter(list(vars(self)))

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is None:
            return object.__repr__(self)
        # The repr Flask users know from their debuggers.
        return f"<flask.g of {getattr(ctx.app, 'name', ctx.app)!r}>"


class _LazyGlobals:
    """The ``g`` namespace of an app context: an :class:`AppCtxGlobals` made
    when first read, then kept in the context's ``__dict__``, which is looked
    up before this (non-data) descriptor from then on. Assigning ``ctx.g``
    replaces it as with a plain attribute.
    """

    def __get__(self, ctx: object | None, owner: type | None = None) -> t.Any:
        if ctx is None:
            return self
        # setdefault: two threads sharing this context still get one g.
        return ctx.__dict__.setdefault("g", AppCtxGlobals())


def _pop_keeping_first_error(ctx: AppContext, exc: BaseException | None) -> None:
    """Pop ``ctx`` while a request teardown failure is propagating.

    Its own teardown still runs; a failure there (already logged when it
    comes from a teardown function) must not replace the first one.
    """
    try:
        ctx.pop(exc)
    except Exception:
        logging.getLogger("kolben.contexts").debug(
            "App context teardown failed after a request teardown failure",
            exc_info=True,
        )


class _Context:
    """What app and request contexts share: a stack of pushes of one object.

    The same context object may be pushed several times (nested ``with`` blocks,
    or a test client keeping it alive); only the outermost pop tears it down.
    """

    _var: t.ClassVar[ContextVar[t.Any]]
    _kind: t.ClassVar[str]

    # Subclasses set it first thing in __init__ (a plain assignment is
    # cheaper than a super() call on every request).
    _tokens: list[Token[t.Any]]

    def _set(self) -> None:
        self._tokens.append(self._var.set(self))

    def _reset(self) -> None:
        """Undo the latest push, checking that it was this context's."""
        active = self._var.get(None)
        self._var.reset(self._tokens.pop())
        if active is not self:
            raise AssertionError(
                f"Popped the wrong {self._kind} context: {active!r} was active,"
                f" {self!r} was popped. Pop contexts in the reverse order they"
                " were pushed."
            )

    def __enter__(self: _C) -> _C:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def push(self) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError

    def pop(self, exc: BaseException | None = _UNSET) -> None:  # pragma: no cover
        raise NotImplementedError


class AppContext(_Context):
    """The application context: makes ``current_app`` and ``g`` available.

    Pushed automatically with each request, and by hand for work outside a
    request such as CLI commands or setup code::

        with app.app_context():
            init_db()

    :param app: the application, anything satisfying
        :class:`~kolben.contexts.protocols.ContextApp`.
    """

    _var = _cv_app
    _kind = "application"

    def __init__(self, app: ContextApp) -> None:
        self._tokens = []
        #: The application this context belongs to.
        self.app = app
        #: A URL adapter for building URLs without a request, or ``None``.
        self.url_adapter: MapAdapter | None = app.create_url_adapter(None)
        globals_class = app.app_ctx_globals_class
        if globals_class is not AppCtxGlobals:
            # Another class may count on being made with the context.
            self.__dict__["g"] = globals_class()
        # Else the default namespace is made on first use (_LazyGlobals):
        # most requests never touch ``g``, and one object fewer per request
        # is less for a cache-cold request to pay.

    #: The ``g`` namespace of this context, an instance of the app's
    #: ``app_ctx_globals_class``.
    g: t.Any = _LazyGlobals()

    def push(self) -> None:
        """Make this the active app context and send ``appcontext_pushed``."""
        # _set's line, inlined: this runs twice on every request.
        self._tokens.append(self._var.set(self))
        if appcontext_pushed.receivers:
            appcontext_pushed.send(self.app, _async_wrapper=self.app.ensure_sync)

    def pop(self, exc: BaseException | None = _UNSET) -> None:
        """Undo one push; the outermost pop runs the app's teardown callbacks.

        :param exc: the exception that ended the context; by default the one
            currently being handled, if any.
        """
        try:
            if len(self._tokens) == 1:
                if exc is _UNSET:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_appcontext(exc)
        finally:
            self._reset()
        if appcontext_popped.receivers:
            appcontext_popped.send(self.app, _async_wrapper=self.app.ensure_sync)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {getattr(self.app, 'name', self.app)!r}>"


class RequestContext(_Context):
    """The request context: makes ``request`` and ``session`` available.

    Created by the application for each WSGI call; when pushed it also pushes an
    app context for the same app unless one is active, and matches the request
    against the URL map. The session is opened the first time it is read.

    :param app: the application, anything satisfying
        :class:`~kolben.contexts.protocols.ContextApp`.
    :param environ: the WSGI environment of the request.
    :param request: an existing request object to use instead of building one.
    :param session: an already opened session to use instead of opening one.
    """

    _var = _cv_request
    _kind = "request"

    def __init__(
        self,
        app: ContextApp,
        environ: WSGIEnvironment,
        request: Request | None = None,
        session: t.Any | None = None,
    ) -> None:
        self._tokens = []
        #: The application handling the request.
        self.app = app
        if request is None:
            request = app.request_class(environ)
        #: The request object.
        self.request: Request = request
        #: Messages flashed during this request, filled in by ``flash``.
        self.flashes: list[tuple[str, str]] | None = None
        self._opened_session = session
        self._after_request_functions: list[cabc.Callable[[t.Any], t.Any]] = []
        # The app contexts this context pushed itself, one entry per push.
        self._implicit_app_ctxs: list[AppContext | None] = []
        self.url_adapter: MapAdapter | None = None
        try:
            self.url_adapter = app.create_url_adapter(self.request)
        except HTTPException as e:
            self.request.routing_exception = e  # type: ignore[attr-defined]

    @property
    def session(self) -> t.Any:
        """The request's session, opened through the app's session interface on
        first access (or a null session when it cannot be opened).
        """
        if self._opened_session is None:
            interface = self.app.session_interface
            opened = interface.open_session(self.app, self.request)
            if opened is None:
                opened = interface.make_null_session(self.app)
            self._opened_session = opened
        return self._opened_session

    @session.setter
    def session(self, value: t.Any) -> None:
        self._opened_session = value

    # Flask's request context keeps its session in ``_session``, and code written
    # against Flask (tests inspecting a preserved context) reads it there.
    _session = session

    @property
    def session_is_open(self) -> bool:
        """Whether the session has been opened (read) during this request."""
        return self._opened_session is not None

    def copy(self) -> RequestContext:
        """Return a new context for the same request, app and session.

        Use it to run code that needs this request in another thread or greenlet
        (see :func:`~kolben.contexts.copy_current_request_context`). The copy
        shares the request object, so don't read the body in both.

        The session is opened now if the request has not opened it yet, so
        the copy and the original always share one session object and writes
        made through the copy reach the response.
        """
        # Opening here rather than lazily in each context: two lazy contexts
        # would each open a session of their own, and the copy's writes would
        # be lost (the response saves the original's).
        return type(self)(
            self.app,
            self.request.environ,
            request=self.request,
            session=self.session,
        )

    def match_request(self) -> None:
        """Match the request against the URL adapter.

        Sets ``request.url_rule`` and ``request.view_args`` on success; a
        routing failure (404, 405, a redirect) is stored as
        ``request.routing_exception`` for the app to raise when it dispatches,
        and is ``None`` otherwise.
        """
        assert self.url_adapter is not None
        # All three are set either way, so a plain werkzeug Request works too.
        request: t.Any = self.request
        try:
            request.url_rule, request.view_args = self.url_adapter.match(
                return_rule=True
            )
            request.routing_exception = None
        except HTTPException as e:
            request.url_rule = request.view_args = None
            # Kept without the traceback of werkzeug's matcher (and the
            # matcher's own NoMatch, suppressed by werkzeug anyway): its
            # frames reach this context, so the request, its environ and
            # the error would be a reference cycle on every 404, left to the
            # garbage collector. Raised again, the error gets a new one.
            e.__context__ = None
            request.routing_exception = e.with_traceback(None)

    def push(self) -> None:
        """Make this the active request context.

        Pushes an app context for the same app first unless one is active, and
        matches the request the first time.
        """
        active_app = _cv_app.get(None)
        if active_app is None or active_app.app is not self.app:
            implicit: AppContext | None = self.app.app_context()
            implicit.push()  # type: ignore[union-attr]
        else:
            implicit = None
        self._implicit_app_ctxs.append(implicit)
        self._tokens.append(_cv_request.set(self))
        if self.url_adapter is not None and len(self._tokens) == 1:
            self.match_request()

    def pop(self, exc: BaseException | None = _UNSET) -> None:
        """Undo one push; the outermost pop runs the request teardown callbacks,
        closes the request and pops the app context this context pushed.

        :param exc: the exception that ended the request; by default the one
            currently being handled, if any.
        """
        last = len(self._tokens) == 1
        failed = False
        try:
            if last:
                if exc is _UNSET:
                    exc = sys.exc_info()[1]
                self.app.do_teardown_request(exc)
                self.request.close()
        except Exception:
            failed = True
            raise
        finally:
            try:
                self._reset()
            finally:
                if last:
                    # Break the environ -> request reference cycle.
                    self.request.environ["werkzeug.request"] = None
                implicit = self._implicit_app_ctxs.pop()
                if implicit is not None:
                    if failed:
                        _pop_keeping_first_error(implicit, exc)
                    else:
                        implicit.pop(exc)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.request.url!r}"
            f" [{self.request.method}] of {getattr(self.app, 'name', self.app)!r}>"
        )
