"""The application logger and its default handler.

``app.logger`` is the standard :mod:`logging` logger named after the app. When
nothing else would handle its records, it gets :data:`default_handler`, which
writes to the WSGI server's error stream during a request and to
:data:`sys.stderr` otherwise.
"""

from __future__ import annotations

import logging
import sys
import typing as t

from werkzeug.local import LocalProxy

from kolben.contexts import _cv_request
from kolben.contexts import request as request


class _LoggingApp(t.Protocol):
    @property
    def name(self) -> str: ...

    @property
    def debug(self) -> bool: ...


def _current_errors_stream() -> t.TextIO:
    ctx = _cv_request.get(None)
    if ctx is None:
        return sys.stderr
    return ctx.request.environ["wsgi.errors"]  # type: ignore[no-any-return]


#: The WSGI server's error stream (``environ["wsgi.errors"]``) during a request,
#: :data:`sys.stderr` otherwise. Logging handlers may be given it as their
#: stream so log lines end up where the server keeps them.
wsgi_errors_stream: t.TextIO = LocalProxy(_current_errors_stream)  # type: ignore[assignment]


def has_level_handler(logger: logging.Logger) -> bool:
    """Tell whether a handler would emit ``logger``'s records at its effective
    level, looking up the logger hierarchy as far as records propagate.
    """
    level = logger.getEffectiveLevel()
    current: logging.Logger | None = logger
    while current is not None:
        if any(handler.level <= level for handler in current.handlers):
            return True
        if not current.propagate:
            return False
        current = current.parent
    return False


#: The handler added to an app's logger when no handler would handle its
#: records. Remove it to take over: ``app.logger.removeHandler(default_handler)``.
default_handler = logging.StreamHandler(wsgi_errors_stream)
default_handler.setFormatter(
    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
)


def create_logger(app: _LoggingApp) -> logging.Logger:
    """Return the logger named ``app.name``, prepared for the app.

    In debug mode it logs at ``DEBUG`` unless a level was set; when no handler
    would emit its records, :data:`default_handler` is added.
    """
    logger = logging.getLogger(app.name)
    # A level chosen by the user's logging configuration wins over debug mode.
    if app.debug and logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG)
    if has_level_handler(logger):
        return logger
    logger.addHandler(default_handler)
    return logger
