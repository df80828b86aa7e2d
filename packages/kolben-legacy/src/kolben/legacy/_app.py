"""Seed-era attributes of ``Flask``, ``Blueprint`` and ``Request``."""

from __future__ import annotations

import collections.abc as cabc
import threading
import typing as t

from flask import Blueprint
from flask import Flask
from flask import Request

from ._errors import _no_argument_ok
from ._patching import Patch
from ._patching import warn

#: Where an app keeps its ``before_first_request`` functions (instance dict).
_FIRST_FUNCS = "_kolben_legacy_first_funcs"
#: Set on an app once its ``before_first_request`` functions have run.
_FIRST_DONE = "_kolben_legacy_first_done"
_first_lock = threading.Lock()

#: Flask 0.x's ``debug_log_format``.
DEBUG_LOG_FORMAT = (
    "-" * 80
    + "\n%(levelname)s in %(module)s [%(pathname)s:%(lineno)d]:\n%(message)s\n"
    + "-" * 80
)


def _first_funcs(app: t.Any) -> list[cabc.Callable[[], t.Any]]:
    funcs: list[cabc.Callable[[], t.Any]] = vars(app).setdefault(_FIRST_FUNCS, [])
    return funcs


def before_first_request(self: t.Any, f: t.Any) -> t.Any:
    """Register ``f`` to run once, before the first request this app handles."""
    warn(
        "app.before_first_request",
        "code that runs while the app is set up (e.g. in create_app)",
    )
    # Like every setup method: an error once the app has handled a request.
    self._check_setup_finished("before_first_request")
    _first_funcs(self).append(f)
    return f


def _before_first_request_funcs(self: t.Any) -> list[cabc.Callable[[], t.Any]]:
    warn("app.before_first_request_funcs", "code run while the app is set up")
    return _first_funcs(self)


def _got_first_request(self: t.Any) -> bool:
    warn("app.got_first_request", "app._got_first_request (private)")
    return bool(self._got_first_request)


def _wrap_full_dispatch(original: t.Any) -> t.Any:
    def full_dispatch_request(self: t.Any) -> t.Any:
        funcs = vars(self).get(_FIRST_FUNCS)
        if funcs and not vars(self).get(_FIRST_DONE):
            with _first_lock:
                if not vars(self).get(_FIRST_DONE):
                    # Set first, as Flask 1.0 did: a function that fails is not
                    # retried on every following request.
                    vars(self)[_FIRST_DONE] = True
                    for func in funcs:
                        self.ensure_sync(func)()
        return original(self)

    full_dispatch_request.__doc__ = original.__doc__
    return full_dispatch_request


def before_app_first_request(self: t.Any, f: t.Any) -> t.Any:
    """Register ``f`` to run before the first request of the app the
    blueprint is registered on.
    """
    warn(
        "blueprint.before_app_first_request",
        "code that runs while the app is set up",
    )
    self._check_setup_finished("before_app_first_request")
    self.record_once(lambda state: _first_funcs(state.app).append(f))
    return f


def _config_property(key: str, old: str, writable: bool = True) -> property:
    def fget(self: t.Any) -> t.Any:
        warn(f"app.{old}", f"app.config[{key!r}]")
        return self.config[key]

    def fset(self: t.Any, value: t.Any) -> None:
        warn(f"app.{old}", f"app.config[{key!r}]")
        self.config[key] = value

    return property(fget, fset if writable else None, doc=f"``config[{key!r}]``.")


def _propagate_exceptions(self: t.Any) -> bool:
    warn("app.propagate_exceptions", "app.config['PROPAGATE_EXCEPTIONS']")
    value = self.config["PROPAGATE_EXCEPTIONS"]
    if value is not None:
        return bool(value)
    return bool(self.testing or self.debug)


def _logger_name(self: t.Any) -> str:
    warn("app.logger_name", "app.logger.name")
    return str(self.logger.name)


def _debug_log_format(self: t.Any) -> str:
    warn("app.debug_log_format", "a logging.Formatter on app.logger")
    return DEBUG_LOG_FORMAT


def _get_static_path(self: t.Any) -> str | None:
    warn("app.static_path", "app.static_url_path")
    return t.cast("str | None", self.static_url_path)


def _set_static_path(self: t.Any, value: str | None) -> None:
    warn("app.static_path", "app.static_url_path")
    self.static_url_path = value


def _package_name(self: t.Any) -> str:
    warn("app.package_name", "app.import_name")
    return str(self.import_name)


def _env(self: t.Any) -> str:
    warn("app.env", "app.debug")
    return str(
        self.config.get("ENV") or ("development" if self.debug else "production")
    )


def open_session(self: t.Any, request: t.Any) -> t.Any:
    """Open the session of ``request`` with the app's session interface."""
    warn("app.open_session", "app.session_interface.open_session")
    return self.session_interface.open_session(self, request)


def save_session(self: t.Any, session: t.Any, response: t.Any) -> None:
    """Save ``session`` onto ``response`` with the app's session interface."""
    warn("app.save_session", "app.session_interface.save_session")
    self.session_interface.save_session(self, session, response)


def make_null_session(self: t.Any) -> t.Any:
    """Return the app's null session (used when no secret key is set)."""
    warn("app.make_null_session", "app.session_interface.make_null_session")
    return self.session_interface.make_null_session(self)


def create_jinja_loader(self: t.Any) -> t.Any:
    """Return the loader that searches the app's then the blueprints' templates."""
    warn("app.create_jinja_loader", "app.create_global_jinja_loader")
    return self.create_global_jinja_loader()


def init_jinja_globals(self: t.Any) -> None:
    """Make sure the template environment and its globals exist (Flask 0.5)."""
    warn("app.init_jinja_globals", "app.jinja_env.globals.update")
    self.jinja_env  # noqa: B018


def match_request(self: t.Any) -> tuple[t.Any, dict[str, t.Any]]:
    """Match the active request's URL and return ``(rule, view_args)``,
    also setting ``request.url_rule`` and ``request.view_args`` (Flask 0.6).
    """
    from flask.globals import request_ctx

    warn("app.match_request", "flask.request.url_rule and request.view_args")
    ctx: t.Any = request_ctx._get_current_object()  # type: ignore[attr-defined]
    if ctx.url_adapter is None:
        raise RuntimeError("the app cannot build a URL adapter for this request")
    rule, view_args = ctx.url_adapter.match(return_rule=True)
    ctx.request.url_rule = rule
    ctx.request.view_args = view_args
    return rule, dict(view_args)


class ErrorHandlers(dict[t.Any, t.Any]):
    """The 0.1-era ``app.error_handlers``: assigning a handler to a status
    code registers it with :meth:`~flask.Flask.register_error_handler`. A
    handler that takes no argument is called without the error.
    """

    def __init__(self, app: t.Any) -> None:
        super().__init__()
        self._app = app

    def __setitem__(self, code: t.Any, handler: t.Any) -> None:
        warn("app.error_handlers[code] = f", "app.register_error_handler(code, f)")
        self._app.register_error_handler(code, _no_argument_ok(handler))
        super().__setitem__(code, handler)


def _error_handlers(self: t.Any) -> ErrorHandlers:
    warn("app.error_handlers", "app.register_error_handler")
    found = vars(self).get("_kolben_legacy_error_handlers")
    if found is None:
        found = vars(self)["_kolben_legacy_error_handlers"] = ErrorHandlers(self)
    return t.cast(ErrorHandlers, found)


def _is_xhr(self: t.Any) -> bool:
    warn(
        "request.is_xhr",
        "request.headers.get('X-Requested-With') == 'XMLHttpRequest'",
    )
    value = self.environ.get("HTTP_X_REQUESTED_WITH", "")
    return bool(value.lower() == "xmlhttprequest")


def _module(self: t.Any) -> str | None:
    warn("request.module", "request.blueprint")
    return t.cast("str | None", self.blueprint)


def patches() -> list[Patch]:
    """Return the patches of ``Flask``, ``Blueprint`` and ``Request``."""
    app: dict[str, t.Any] = {
        "before_first_request": before_first_request,
        "before_first_request_funcs": property(_before_first_request_funcs),
        "got_first_request": property(_got_first_request),
        "full_dispatch_request": _wrap_full_dispatch(Flask.full_dispatch_request),
        "session_cookie_name": _config_property(
            "SESSION_COOKIE_NAME", "session_cookie_name"
        ),
        "use_x_sendfile": _config_property("USE_X_SENDFILE", "use_x_sendfile"),
        "propagate_exceptions": property(_propagate_exceptions),
        "logger_name": property(_logger_name),
        "debug_log_format": property(_debug_log_format),
        "static_path": property(_get_static_path, _set_static_path),
        "package_name": property(_package_name),
        "env": property(_env),
        "open_session": open_session,
        "save_session": save_session,
        "make_null_session": make_null_session,
        "create_jinja_loader": create_jinja_loader,
        "init_jinja_globals": init_jinja_globals,
        "match_request": match_request,
        "error_handlers": property(_error_handlers),
    }
    found = [Patch(Flask, name, value) for name, value in app.items()]
    found.append(Patch(Blueprint, "before_app_first_request", before_app_first_request))
    found.append(Patch(Request, "is_xhr", property(_is_xhr)))
    found.append(Patch(Request, "module", property(_module)))
    return found
