"""How ``Flask`` turns errors raised while handling a request into responses.

An error raised by a hook or a view goes to :meth:`handle_user_exception`,
which finds the registered handler (HTTP errors without one become their own
response). What escapes that, or the response finalization, goes to
:meth:`handle_exception`: propagated in debug and testing mode, otherwise
logged and answered with a 500 response.
"""

from __future__ import annotations

import collections.abc as cabc
import sys
import typing as t

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from kolben.contexts import _cv_request

from ._pipeline import _deferred
from ._pipeline import request_chain
from .signals import got_request_exception

if t.TYPE_CHECKING:  # pragma: no cover
    import logging
    from types import TracebackType

    from .config import Config
    from .typing import ResponseReturnValue
    from .wrappers import Request
    from .wrappers import Response

    _ExcInfo = (
        tuple[type[BaseException], BaseException, TracebackType]
        | tuple[None, None, None]
    )


def _request_chain() -> tuple[str, ...]:
    req: Request = _cv_request.get().request  # type: ignore[assignment]
    return request_chain(req)


class ErrorHandling:
    """Mixin with the error handling methods of ``Flask``."""

    if t.TYPE_CHECKING:  # pragma: no cover
        # Provided by the other facets of Flask.
        config: Config

        @property
        def debug(self) -> bool: ...

        @property
        def testing(self) -> bool: ...

        @property
        def logger(self) -> logging.Logger: ...

        # Defined on Flask itself, so that its log records say "app".
        def log_exception(self, exc_info: _ExcInfo) -> None: ...

        def ensure_sync(
            self, func: cabc.Callable[..., t.Any]
        ) -> cabc.Callable[..., t.Any]: ...
        def _find_error_handler(
            self, e: BaseException, blueprints: cabc.Sequence[str]
        ) -> t.Any: ...
        def finalize_request(
            self,
            rv: ResponseReturnValue | HTTPException,
            from_error_handler: bool = False,
        ) -> Response: ...

    def handle_http_exception(
        self, e: HTTPException
    ) -> HTTPException | ResponseReturnValue:
        """Handle an HTTP error with its registered handler, if any; without
        one, the error is its own response.

        Routing redirects and errors without a code (proxy exceptions) are
        returned as they are, never passed to handlers.
        """
        if e.code is None or isinstance(e, _deferred.routing_exception):
            return e
        handler = self._find_error_handler(e, _request_chain())
        if handler is None:
            return e
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def trap_http_exception(self, e: Exception) -> bool:
        """Tell whether an HTTP error should be raised like any other error
        instead of handled as a response, for debugging.

        True for every HTTP error with ``TRAP_HTTP_EXCEPTIONS``; for bad request
        errors with ``TRAP_BAD_REQUEST_ERRORS``; and, when that is unset, for
        the ``KeyError`` of a missing form key in debug mode.
        """
        config = self.config
        if config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad_request = config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad_request is None:
            return self.debug and isinstance(e, BadRequestKeyError)
        return bool(trap_bad_request) and isinstance(e, BadRequest)

    def handle_user_exception(
        self, e: Exception
    ) -> HTTPException | ResponseReturnValue:
        """Handle an error raised by a view or a hook.

        HTTP errors go to :meth:`handle_http_exception` unless trapped; other
        errors go to their registered handler, and are raised again when there
        is none (to end up in :meth:`handle_exception`).
        """
        if isinstance(e, BadRequestKeyError) and (
            self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
        ):
            # Name the missing key in the error page while debugging.
            e.show_exception = True
        if isinstance(e, HTTPException) and not self.trap_http_exception(e):
            return self.handle_http_exception(e)
        handler = self._find_error_handler(e, _request_chain())
        if handler is None:
            raise
        return self.ensure_sync(handler)(e)  # type: ignore[no-any-return]

    def handle_exception(self, e: Exception) -> Response:
        """Handle an error no handler took care of.

        Sends ``got_request_exception``. Then, when exceptions propagate
        (``PROPAGATE_EXCEPTIONS``, or debug or testing mode when it is unset),
        the error is raised again for the server, the debugger or the test.
        Otherwise it is logged with :meth:`log_exception` and answered with an
        :exc:`~werkzeug.exceptions.InternalServerError` (whose
        ``original_exception`` is ``e``), passed to a 500 handler if one is
        registered.
        """
        exc_info = sys.exc_info()
        if got_request_exception.receivers:
            got_request_exception.send(
                self, _async_wrapper=self.ensure_sync, exception=e
            )
        if self._propagates_exceptions():
            if exc_info[1] is not e:
                raise e
            # The error being handled: a bare raise keeps its traceback as is.
            raise

        self.log_exception(exc_info)
        failure = InternalServerError(original_exception=e)
        handler = self._find_error_handler(failure, _request_chain())
        answer: InternalServerError | ResponseReturnValue = (
            failure if handler is None else self.ensure_sync(handler)(failure)
        )
        return self.finalize_request(answer, from_error_handler=True)

    def _propagates_exceptions(self) -> bool:
        # PROPAGATE_EXCEPTIONS, which when unset follows testing or debug mode.
        setting = self.config["PROPAGATE_EXCEPTIONS"]
        if setting is None:
            return self.testing or self.debug
        return bool(setting)

    def should_ignore_error(self, error: BaseException | None) -> bool:
        """Tell whether ``error`` should not be passed to the teardown
        functions. Always ``False``; override to hide some errors from them.
        """
        return False
