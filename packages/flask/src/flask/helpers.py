"""Helpers for views: flashing, sending files, aborting, redirecting, building
responses and URLs, and reading Flask's environment switches.
"""

from __future__ import annotations

import importlib as importlib
import os
import sys as sys
import typing as t
from datetime import datetime as datetime
from functools import cache as cache
from functools import update_wrapper as update_wrapper

import werkzeug.utils
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.utils import redirect as _wz_redirect
from werkzeug.wrappers import Response as BaseResponse

from kolben.cli import get_debug_flag as get_debug_flag
from kolben.cli import get_load_dotenv as get_load_dotenv
from kolben.contexts import _cv_app
from kolben.contexts import _cv_request
from kolben.contexts import current_app as current_app
from kolben.contexts import request as request
from kolben.contexts import request_ctx as request_ctx
from kolben.contexts import session as session
from kolben.contexts import stream_with_context as stream_with_context
from kolben.routing import get_root_path as get_root_path
from kolben.routing import split_blueprint_path
from kolben.routing import url_for as url_for

from .signals import message_flashed as message_flashed

if t.TYPE_CHECKING:  # pragma: no cover
    from kolben.templating import get_template_attribute as get_template_attribute

    from .wrappers import Response


#: Flask's private, cached ``"a.b.c"`` -> ``["a.b.c", "a.b", "a"]``, which
#: extensions import from here.
_split_blueprint_path = cache(split_blueprint_path)


def make_response(*args: t.Any) -> Response:
    """Turn a view's return value into a response object, so a view can add
    headers before returning it::

        def index():
            response = make_response(render_template("index.html", foo=42))
            response.headers["X-Parachutes"] = "parachutes are cool"
            return response

    With no arguments, an empty response; with one, that value; with more, the
    tuple they form, like a view returning ``body, status, headers``. See
    :meth:`Flask.make_response` for the accepted values.
    """
    app = current_app
    if not args:
        return app.response_class()  # type: ignore[no-any-return]
    return app.make_response(args[0] if len(args) == 1 else args)  # type: ignore[no-any-return]


def redirect(
    location: str, code: int = 302, Response: type[BaseResponse] | None = None
) -> BaseResponse:
    """Return a response redirecting the client to ``location``.

    Inside an app context this is ``current_app.redirect``, so an app can
    change how redirects are made; otherwise werkzeug's
    :func:`~werkzeug.utils.redirect`.

    CR and LF in ``location`` (it is often a user-supplied ``next=`` value)
    are percent-encoded (``%0D``, ``%0A``), so the result is always a valid
    redirect to that one target, never a header error.

    :param location: the URL to redirect to.
    :param code: the status code, 302 by default.
    :param Response: the response class, used only without an app.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        app: t.Any = ctx.app
        return app.redirect(location, code=code)  # type: ignore[no-any-return]
    return _wz_redirect(_encode_line_breaks(location), code=code, Response=Response)


def _encode_line_breaks(location: str) -> str:
    """Percent-encode CR and LF in a redirect target.

    A target often comes from the client (a ``next=`` parameter); a raw line
    break cannot go into the ``Location`` header, so rather than failing with
    a header error (a 500) it is encoded as in any URL, and the redirect stays
    on the one target the client gave.
    """
    if "\r" in location or "\n" in location:
        return location.replace("\r", "%0D").replace("\n", "%0A")
    return location


def _valid_flashes(value: t.Any) -> list[tuple[str, str]]:
    """The flashed messages stored in a session, or none when the stored value
    is not a list of ``(category, message)`` pairs (a session signed with the
    app's key but written by other code).
    """
    if isinstance(value, list) and all(
        isinstance(item, (tuple, list)) and len(item) == 2 for item in value
    ):
        return value
    return []


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the :exc:`~werkzeug.exceptions.HTTPException` for ``code``.

    Inside an app context this calls ``current_app.aborter``, so codes an app
    registered there work; otherwise werkzeug's :func:`~werkzeug.exceptions.abort`.
    Passing a response object raises it as is.

    :param code: a status code or a response.
    :param args: passed to the exception.
    """
    ctx = _cv_app.get(None)
    if ctx is not None:
        app: t.Any = ctx.app
        app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def flash(message: str, category: str = "message") -> None:
    """Record a message to show on the next request (usually the next page).

    Messages live in the session, so a session (a secret key) is needed::

        flash("Saved.")
        flash("Could not save.", "error")

    Sends :data:`~flask.signals.message_flashed`.

    :param message: the message.
    :param category: any string; ``"message"``, ``"error"``, ``"info"`` and
        ``"warning"`` are customary.
    """
    # Reassign rather than append in place: assigning marks the session modified.
    flashes = _valid_flashes(session.get("_flashes", []))
    flashes.append((category, message))
    session["_flashes"] = flashes
    app = current_app._get_current_object()
    if message_flashed.receivers:
        message_flashed.send(
            app, _async_wrapper=app.ensure_sync, message=message, category=category
        )


@t.overload
def get_flashed_messages(
    with_categories: t.Literal[False] = False,
    category_filter: t.Iterable[str] = (),
) -> list[str]: ...


@t.overload
def get_flashed_messages(
    with_categories: t.Literal[True],
    category_filter: t.Iterable[str] = (),
) -> list[tuple[str, str]]: ...


@t.overload
def get_flashed_messages(
    with_categories: bool = False,
    category_filter: t.Iterable[str] = (),
) -> list[str] | list[tuple[str, str]]: ...


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """Return the flashed messages and remove them from the session.

    The first call in a request takes them from the session; later calls in the
    same request return the same messages. A stored ``_flashes`` value that is
    not a list of ``(category, message)`` pairs counts as no messages.

    :param with_categories: return ``(category, message)`` tuples.
    :param category_filter: only return messages of these categories.
    """
    ctx = _cv_request.get(None)
    if ctx is None:
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    flashes: list[tuple[str, str]] | None = ctx.flashes
    if flashes is None:
        session = ctx.session
        flashes = (
            _valid_flashes(session.pop("_flashes")) if "_flashes" in session else []
        )
        ctx.flashes = flashes
    if category_filter:
        wanted = set(category_filter)
        flashes = [item for item in flashes if item[0] in wanted]
    if with_categories:
        return flashes
    return [message for _, message in flashes]


#: A file or folder name.
_PathArg: t.TypeAlias = "os.PathLike[str] | str"

#: What ``max_age`` accepts: seconds, or a function of the file name.
_MaxAge: t.TypeAlias = "int | t.Callable[[str | None], int | None] | None"


def _app_file_options(max_age: _MaxAge) -> dict[str, t.Any]:
    """The arguments werkzeug's file senders need from the current app and
    request; the app's caching policy stands in for a missing ``max_age``.
    """
    app = current_app
    return {
        "environ": request.environ,
        "response_class": app.response_class,
        "use_x_sendfile": app.config["USE_X_SENDFILE"],
        "max_age": app.get_send_file_max_age if max_age is None else max_age,
        # Relative paths are resolved against the app, not the process cwd.
        "_root_path": app.root_path,
    }


def send_file(
    path_or_file: _PathArg | t.IO[bytes],
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | float | None = None,
    max_age: _MaxAge = None,
) -> Response:
    """Send a file to the client.

    A thin layer over :func:`werkzeug.utils.send_file` that fills in the
    request environ, the app's response class, ``USE_X_SENDFILE``, and
    ``max_age`` from :meth:`Flask.get_send_file_max_age`. Relative paths are
    relative to the app's root path. Conditional requests (``If-None-Match``,
    ``If-Modified-Since``) and ranges are answered with 304 and 206.

    Never pass a path taken from the request: use :func:`send_from_directory`.

    :param path_or_file: a path, or a file opened in binary mode.
    :param mimetype: guessed from the file name when not given.
    :param as_attachment: tell the browser to save the file instead of showing it.
    :param download_name: the file name the browser proposes.
    :param conditional: answer conditional and range requests.
    :param etag: compute an ETag for the file, or use this one.
    :param last_modified: the time the file was last modified.
    :param max_age: seconds the browser may cache the file, or a function of
        the file name returning them.
    """
    return werkzeug.utils.send_file(  # type: ignore[return-value]
        path_or_file,
        **_app_file_options(max_age),
        # What the caller decides about this particular file.
        mimetype=mimetype,
        download_name=download_name,
        as_attachment=as_attachment,
        last_modified=last_modified,
        etag=etag,
        conditional=conditional,
    )


def send_from_directory(
    directory: _PathArg, path: _PathArg, **kwargs: t.Any
) -> Response:
    """Send a file from inside ``directory``; ``path`` may come from the user.

    The path is checked with :func:`werkzeug.security.safe_join`; a path that
    escapes ``directory`` or names no file is a 404::

        @app.route("/uploads/<path:name>")
        def download_file(name):
            return send_from_directory(
                app.config["UPLOAD_FOLDER"], name, as_attachment=True
            )

    :param directory: the folder, relative to the app's root path or absolute.
    :param path: the file's path inside ``directory``.
    :param kwargs: passed to :func:`send_file`.
    """
    options = {**kwargs, **_app_file_options(kwargs.get("max_age"))}
    return werkzeug.utils.send_from_directory(  # type: ignore[return-value]
        directory, path, **options
    )


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, ``get_template_attribute`` included (see ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module has get_template_attribute; it is imported on first
    # access, with kolben.templating's rendering functions.
    if name == "get_template_attribute":
        from kolben.templating import get_template_attribute

        return get_template_attribute
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "get_template_attribute"})
