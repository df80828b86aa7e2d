"""The per-request questions a request pipeline asks the hook registries.

Which ``before_request`` functions apply to a request routed to blueprint
``"admin.users"``, in which order? Which handler takes a ``Forbidden`` raised
there? The answers depend only on registration, so :class:`HookQueries`
computes each one once per blueprint chain and caches it; any change to a
registry (through a decorator or by mutating the dicts directly) invalidates
every cached answer at once.

A blueprint chain is what :func:`blueprint_chain` returns for the request's
blueprint: its dotted name, then each parent's, innermost first.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t
from functools import cached_property
from functools import lru_cache
from inspect import iscoroutinefunction

from ._registry import Stamp
from ._registry import stamp_of
from ._typing import ErrorHandlerCallable
from ._typing import URLDefaultCallable
from .scaffold import Scaffold

# Answers keyed by exception class or endpoint prefix come from an open set; a
# program making endless new classes or endpoints must not grow the cache forever.
_MAX_CACHED = 1024


@lru_cache(maxsize=1024)
def blueprint_chain(name: str | None) -> tuple[str, ...]:
    """Return the chain of blueprint names for blueprint ``name``, innermost first.

    ``"a.b.c"`` gives ``("a.b.c", "a.b", "a")``; ``None`` (a request that no
    blueprint handles) gives ``()``. The result is cached and hashable, ready
    to pass to the :class:`HookQueries` methods.
    """
    if not name:
        return ()
    chain = [name]
    while "." in name:
        name = name.rpartition(".")[0]
        chain.append(name)
    return tuple(chain)


def split_blueprint_path(name: str) -> list[str]:
    """Return :func:`blueprint_chain` of ``name`` as a new list.

    This is the value of Flask's ``request.blueprints``:
    ``split_blueprint_path("a.b.c") == ["a.b.c", "a.b", "a"]``.
    """
    return list(blueprint_chain(name))


#: The registries whose functions are looked up per blueprint chain.
_CHAIN_REGISTRIES = (
    "url_value_preprocessors",
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "template_context_processors",
    "before_websocket_funcs",
    "after_websocket_funcs",
)


class _QueryCache:
    """The cached answers of one app, valid while its stamp is unchanged."""

    __slots__ = ("stamp", "seen", "chains", "url_defaults", "errors", "requests")

    def __init__(self, stamp: Stamp) -> None:
        self.stamp = stamp
        self.reset()

    def reset(self) -> None:
        self.seen = self.stamp.value
        #: Per registry name: blueprint chain -> functions in call order.
        self.chains: dict[str, dict[tuple[str, ...], tuple[t.Any, ...]]] = {
            name: {} for name in _CHAIN_REGISTRIES
        }
        #: Endpoint -> URL default functions in call order.
        self.url_defaults: dict[str, tuple[t.Any, ...]] = {}
        self.errors: dict[tuple[type, tuple[str, ...]], t.Any] = {}
        #: Endpoint (``None``: no rule matched) -> the request's hooks.
        self.requests: dict[str | None, RequestHooks] = {}


class RequestHooks(t.NamedTuple):
    """The hook functions that apply to one request, each group in call
    order: what :meth:`HookQueries.request_hooks_for` answers.

    .. versionadded:: 0.1.0
    """

    #: As :meth:`HookQueries.url_value_preprocessors_for` answers.
    url_value_preprocessors: tuple[t.Any, ...]
    #: As :meth:`HookQueries.before_request_funcs_for` answers.
    before_request: tuple[t.Any, ...]
    #: As :meth:`HookQueries.after_request_funcs_for` answers.
    after_request: tuple[t.Any, ...]
    #: As :meth:`HookQueries.teardown_request_funcs_for` answers.
    teardown_request: tuple[t.Any, ...]
    #: Whether a ``before_request`` or ``after_request`` function is a
    #: coroutine function (:func:`inspect.iscoroutinefunction`). When not,
    #: an owner whose ``ensure_sync`` returns every other function as it is
    #: may call them directly.
    has_async: bool = False


def _app_first(
    registry: cabc.Mapping[str | None, list[t.Any]], chain: tuple[str, ...]
) -> tuple[t.Any, ...]:
    """The app's functions, then each blueprint's from outermost to innermost,
    each group in registration order.
    """
    funcs: list[t.Any] = []
    for name in (None, *reversed(chain)):
        group = registry.get(name)
        if group:
            funcs.extend(group)
    return tuple(funcs)


def _app_last(
    registry: cabc.Mapping[str | None, list[t.Any]], chain: tuple[str, ...]
) -> tuple[t.Any, ...]:
    """Each blueprint's functions from innermost to outermost, then the app's,
    each group last registered first.
    """
    funcs: list[t.Any] = []
    for name in (*chain, None):
        group = registry.get(name)
        if group:
            funcs.extend(reversed(group))
    return tuple(funcs)


_Order = cabc.Callable[
    [cabc.Mapping[str | None, list[t.Any]], tuple[str, ...]], tuple[t.Any, ...]
]


def _chain_query(
    registry: str, order: _Order, doc: str
) -> cabc.Callable[[HookQueries, cabc.Sequence[str]], tuple[t.Any, ...]]:
    """Build a query method answering "which functions of ``registry`` apply to
    this blueprint chain, in call order?", cached until registration changes.

    One definition serves every registry; the generated methods stay a single
    call each, since the pipeline asks them on every request.
    """

    def query(self: HookQueries, blueprints: cabc.Sequence[str]) -> tuple[t.Any, ...]:
        chain = blueprints if type(blueprints) is tuple else tuple(blueprints)
        cache = self._query_cache
        if cache.seen != cache.stamp.value:
            cache.reset()
        table = cache.chains[registry]
        try:
            return table[chain]
        except KeyError:
            funcs = table[chain] = order(getattr(self, registry), chain)
            return funcs

    query.__name__ = f"{registry}_for"
    query.__doc__ = doc
    return query


class HookQueries(Scaffold):
    """Cached answers to "which functions apply to this request?".

    ``blueprints`` is the request's blueprint chain, innermost first (a tuple
    from :func:`blueprint_chain`, or any sequence of names). Each method
    returns a tuple of functions in the order they must be called; call them
    through the owner's ``ensure_sync`` when they may be ``async``.
    """

    @cached_property
    def _query_cache(self) -> _QueryCache:
        """The cached answers; validated against the registries' stamp on use."""
        return _QueryCache(stamp_of(self))

    url_value_preprocessors_for = _chain_query(
        "url_value_preprocessors",
        _app_first,
        """The URL value preprocessors: the app's, then outermost to innermost
        blueprint, each in registration order.""",
    )
    before_request_funcs_for = _chain_query(
        "before_request_funcs",
        _app_first,
        """The ``before_request`` functions: the app's, then outermost to
        innermost blueprint, each in registration order. The first one returning
        a value other than ``None`` ends the chain.""",
    )
    after_request_funcs_for = _chain_query(
        "after_request_funcs",
        _app_last,
        """The ``after_request`` functions: innermost blueprint first, the app
        last, each last registered first.""",
    )
    teardown_request_funcs_for = _chain_query(
        "teardown_request_funcs",
        _app_last,
        """The ``teardown_request`` functions, in the order of
        :meth:`after_request_funcs_for`.""",
    )
    template_context_processors_for = _chain_query(
        "template_context_processors",
        _app_first,
        """The template context processors: the app's, then outermost to
        innermost blueprint, so the innermost blueprint's values win.""",
    )
    before_websocket_funcs_for = _chain_query(
        "before_websocket_funcs",
        _app_first,
        """The ``before_websocket`` functions, in the order of
        :meth:`before_request_funcs_for`.

        .. versionadded:: 0.1.0""",
    )
    after_websocket_funcs_for = _chain_query(
        "after_websocket_funcs",
        _app_last,
        """The ``after_websocket`` functions, in the order of
        :meth:`after_request_funcs_for`.

        .. versionadded:: 0.1.0""",
    )

    def request_hooks_for(self, endpoint: str | None) -> RequestHooks:
        """The URL value preprocessors, ``before_request``, ``after_request``
        and ``teardown_request`` functions of a request routed to
        ``endpoint`` (``None`` when no rule matched), each in call order.

        One cached answer per endpoint for the four questions a request
        pipeline asks, without working out the blueprint chain on every
        request; each group is what the query of its own name answers for
        the endpoint's chain.

        .. versionadded:: 0.1.0
        """
        cache = self._query_cache
        if cache.seen != cache.stamp.value:
            cache.reset()
        table = cache.requests
        try:
            return table[endpoint]
        except KeyError:
            chain = blueprint_chain(endpoint.rpartition(".")[0]) if endpoint else ()
            before = self.before_request_funcs_for(chain)
            after = self.after_request_funcs_for(chain)
            hooks = RequestHooks(
                self.url_value_preprocessors_for(chain),
                before,
                after,
                self.teardown_request_funcs_for(chain),
                any(iscoroutinefunction(f) for f in (*before, *after)),
            )
            if len(table) >= _MAX_CACHED:
                table.clear()
            table[endpoint] = hooks
            return hooks

    def url_default_functions_for(
        self, endpoint: str
    ) -> tuple[URLDefaultCallable, ...]:
        """The URL default functions for building a URL to ``endpoint``: the
        app's, then those of the blueprints named by the endpoint's dotted
        prefix, outermost first. The endpoint decides, not the current request,
        so URLs can be built outside one.
        """
        cache = self._query_cache
        if cache.seen != cache.stamp.value:
            cache.reset()
        # Keyed by the whole endpoint so that ``url_for`` can look an answer up
        # without splitting the name first.
        table = cache.url_defaults
        try:
            return table[endpoint]
        except KeyError:
            prefix = endpoint.rpartition(".")[0]
            funcs = _app_first(self.url_default_functions, blueprint_chain(prefix))
            if len(table) < _MAX_CACHED:
                table[endpoint] = funcs
            return funcs

    def _find_error_handler(
        self, e: BaseException, blueprints: cabc.Sequence[str]
    ) -> ErrorHandlerCallable | None:
        """Return the handler registered for ``e``, or ``None``.

        Handlers registered by HTTP code come first (when ``e`` is an HTTP
        exception), then those registered by class; within each kind the
        blueprints are tried innermost first and then the app, and for each
        the exception's classes are tried in MRO order, the closest winning.
        """
        chain = blueprints if type(blueprints) is tuple else tuple(blueprints)
        exc_type = type(e)
        cache = self._query_cache
        if cache.seen != cache.stamp.value:
            cache.reset()
        table = cache.errors
        key = (exc_type, chain)
        try:
            return table[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        exc_class, code = self._get_exc_class_and_code(exc_type)  # type: ignore[arg-type]
        spec = self.error_handler_spec
        handler: ErrorHandlerCallable | None = None
        names = (*chain, None)
        for c in (code, None) if code is not None else (None,):
            for name in names:
                by_code = spec.get(name)
                handler_map = by_code.get(c) if by_code else None
                if not handler_map:
                    continue
                for cls in exc_class.__mro__:
                    handler = handler_map.get(cls)
                    if handler is not None:
                        break
                if handler is not None:
                    break
            if handler is not None:
                break
        if len(table) >= _MAX_CACHED:
            table.clear()
        table[key] = handler
        return handler
