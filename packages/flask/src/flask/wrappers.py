"""Flask's request and response classes.

They are werkzeug's, with the settings an application controls read from the
active app's configuration, the routing results of the request, and the
application's JSON provider for ``get_json()`` and ``Response.json``.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import BadRequest as BadRequest
from werkzeug.exceptions import HTTPException as HTTPException
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase

from kolben.contexts import _cv_app
from kolben.contexts import current_app as current_app
from kolben.routing import split_blueprint_path

from . import json as json

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.routing import Rule


_NO_APP: t.Any = object()


def _config_value(key: str) -> t.Any:
    """The active app's setting ``key``; a sentinel when there is no app."""
    ctx = _cv_app.get(None)
    return _NO_APP if ctx is None else t.cast(t.Any, ctx.app).config[key]


def _in_debug_app() -> bool:
    ctx = _cv_app.get(None)
    return ctx is not None and bool(t.cast(t.Any, ctx.app).debug)


class _AppSetting:
    """A size limit of werkzeug's wrappers that the active app configures.

    Reading it gives, in order: a value assigned to this very object (when
    ``settable``), the app's configuration key, or werkzeug's own value when
    there is no app context. Assigning ``None`` drops the object's own value.
    """

    def __init__(self, key: str, doc: str, *, settable: bool = True) -> None:
        self.key = key
        self.settable = settable
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.owner = owner
        self.name = name

    @t.overload
    def __get__(self, obj: None, objtype: type | None = None) -> _AppSetting: ...

    @t.overload
    def __get__(self, obj: object, objtype: type | None = None) -> t.Any: ...

    def __get__(self, obj: object | None, objtype: type | None = None) -> t.Any:
        if obj is None:
            return self
        own = obj.__dict__.get(self.name) if self.settable else None
        if own is not None:
            return own
        value = _config_value(self.key)
        if value is _NO_APP:
            return getattr(super(self.owner, obj), self.name)
        return value

    def __set__(self, obj: object, value: int | None) -> None:
        if not self.settable:
            raise AttributeError(f"{self.name!r} is read-only; set {self.key}")
        obj.__dict__[self.name] = value


class Request(RequestBase):
    """The request object of Flask applications, available as
    :data:`flask.request` during a request.

    Body limits (:attr:`max_content_length`, :attr:`max_form_memory_size`,
    :attr:`max_form_parts`) come from the app's ``MAX_CONTENT_LENGTH``,
    ``MAX_FORM_MEMORY_SIZE`` and ``MAX_FORM_PARTS`` settings unless set on the
    request itself. Replace it through ``Flask.request_class``.
    """

    #: The failure routing recorded for this request (404, 405, or a redirect),
    #: raised when the request is dispatched; ``None`` when matching worked.
    routing_exception: HTTPException | None = None

    #: The values of the URL's variables, the view's keyword arguments;
    #: ``None`` when matching failed.
    view_args: dict[str, t.Any] | None = None

    #: The rule the URL matched, ``None`` before matching or when it failed;
    #: its ``methods`` say which methods the URL allows.
    url_rule: Rule | None = None

    #: Decodes :meth:`get_json`: :mod:`flask.json`, which defers to the app's
    #: JSON provider.
    json_module: t.Any = json

    max_content_length = _AppSetting(
        "MAX_CONTENT_LENGTH",
        """The largest request body accepted, in bytes; reading a larger one
        fails with 413. Assign to it to override the app's
        ``MAX_CONTENT_LENGTH`` for this request; with neither, werkzeug's
        default (unlimited).

        .. versionchanged:: 3.1
            Settable per request.
        """,
    )

    max_form_memory_size = _AppSetting(
        "MAX_FORM_MEMORY_SIZE",
        """The largest non-file field of a multipart form, in bytes; a larger
        one fails with 413. Assign to it to override the app's
        ``MAX_FORM_MEMORY_SIZE`` for this request.

        .. versionchanged:: 3.1
            Settable per request, and configurable.
        """,
    )

    max_form_parts = _AppSetting(
        "MAX_FORM_PARTS",
        """The most fields a multipart form may have; more fail with 413.
        Assign to it to override the app's ``MAX_FORM_PARTS`` for this
        request.

        .. versionchanged:: 3.1
            Settable per request, and configurable.
        """,
    )

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None`` when nothing matched.
        Together with :attr:`view_args` it rebuilds the URL.
        """
        rule = self.url_rule
        return None if rule is None else t.cast(str, rule.endpoint)

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint the endpoint belongs to, e.g.
        ``"parent.child"``; ``None`` for an endpoint of the app itself. See
        :attr:`blueprints` for the chain of parents.
        """
        owner, dot, _ = (self.endpoint or "").rpartition(".")
        return owner if dot else None

    @property
    def blueprints(self) -> list[str]:
        """The current blueprint followed by each of its parents, with the
        names the registries use: ``["parent.child", "parent"]``. Empty for an
        endpoint of the app itself.

        .. versionadded:: 2.0.1
        """
        name = self.blueprint
        return [] if name is None else split_blueprint_path(name)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        # In debug mode, turn "no such file" into an explanation of the missing
        # multipart enctype, the usual cause.
        if (
            self.mimetype != "multipart/form-data"
            and not self.files
            and _in_debug_app()
        ):
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        """Called when :meth:`get_json` cannot decode the body.

        Raises :exc:`~werkzeug.exceptions.BadRequest`; in debug mode its
        description says what failed to decode, otherwise it is generic so
        parser details do not leak to clients.
        """
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as detailed:
            if _in_debug_app():
                raise
            raise BadRequest() from detailed


class Response(ResponseBase):
    """The response object of Flask applications.

    Views need not create it: :meth:`Flask.make_response` turns their return
    value into one. Its default mimetype is ``text/html``. Replace it through
    ``Flask.response_class``.
    """

    default_mimetype: str | None = "text/html"

    #: The module whose ``loads`` decodes :attr:`json`; :mod:`flask.json`
    #: follows the app's JSON provider.
    json_module = json

    # Relative Location headers are valid (RFC 9110), keep them as given.
    autocorrect_location_header = False

    max_cookie_size = _AppSetting(
        "MAX_COOKIE_SIZE",
        """The largest cookie ``set_cookie`` accepts without warning: the app's
        ``MAX_COOKIE_SIZE``, or werkzeug's default outside an app context.
        ``0`` turns the check off.
        """,
        settable=False,
    )
