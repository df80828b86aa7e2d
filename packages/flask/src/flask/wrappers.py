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


def _config_value(key: str) -> t.Any:
    """The active app's setting ``key``; a sentinel when there is no app."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return _NO_APP
    app: t.Any = ctx.app
    return app.config[key]


_NO_APP: t.Any = object()


class Request(RequestBase):
    """The request object of Flask applications, available as
    :data:`flask.request` during a request.

    Body limits (:attr:`max_content_length`, :attr:`max_form_memory_size`,
    :attr:`max_form_parts`) come from the app's ``MAX_CONTENT_LENGTH``,
    ``MAX_FORM_MEMORY_SIZE`` and ``MAX_FORM_PARTS`` settings unless set on the
    request itself. Replace it through ``Flask.request_class``.
    """

    #: The module whose ``loads`` decodes :meth:`get_json`; :mod:`flask.json`
    #: follows the app's JSON provider.
    json_module: t.Any = json

    #: The URL rule that matched, or ``None`` before matching or when it failed.
    #: Its ``methods`` tell which methods the URL accepts.
    url_rule: Rule | None = None

    #: The arguments parsed from the URL for the view, or ``None`` when
    #: matching failed.
    view_args: dict[str, t.Any] | None = None

    #: The routing failure (404, 405, or a redirect) to raise when the request is
    #: dispatched, or ``None`` when matching succeeded.
    routing_exception: HTTPException | None = None

    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    @property
    def max_content_length(self) -> int | None:
        """The largest request body accepted, in bytes; a larger one is refused
        with 413 when its data is read. Set on the request to override the app's
        ``MAX_CONTENT_LENGTH``; with no app and no override, werkzeug's default
        (no limit).

        .. versionchanged:: 3.1
            It can be set per request.
        """
        if self._max_content_length is not None:
            return self._max_content_length
        value = _config_value("MAX_CONTENT_LENGTH")
        if value is _NO_APP:
            return super().max_content_length
        return value  # type: ignore[no-any-return]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """The largest size, in bytes, of a non-file field of a multipart form;
        a larger one is refused with 413. Set on the request to override the app's
        ``MAX_FORM_MEMORY_SIZE``.

        .. versionchanged:: 3.1
            It can be set per request, and is configurable.
        """
        if self._max_form_memory_size is not None:
            return self._max_form_memory_size
        value = _config_value("MAX_FORM_MEMORY_SIZE")
        if value is _NO_APP:
            return super().max_form_memory_size
        return value  # type: ignore[no-any-return]

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]
    def max_form_parts(self) -> int | None:
        """The largest number of fields of a multipart form; more are refused
        with 413. Set on the request to override the app's ``MAX_FORM_PARTS``.

        .. versionchanged:: 3.1
            It can be set per request, and is configurable.
        """
        if self._max_form_parts is not None:
            return self._max_form_parts
        value = _config_value("MAX_FORM_PARTS")
        if value is _NO_APP:
            return super().max_form_parts
        return value  # type: ignore[no-any-return]

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The endpoint of the matched rule, or ``None``. With :attr:`view_args`
        it is enough to rebuild the URL.
        """
        if self.url_rule is None:
            return None
        endpoint: str = self.url_rule.endpoint
        return endpoint

    @property
    def blueprint(self) -> str | None:
        """The full dotted name of the blueprint owning the endpoint, or ``None``
        for the app's own endpoints. It may be nested (``"parent.child"``);
        see :attr:`blueprints`.
        """
        endpoint = self.endpoint
        if endpoint is None or "." not in endpoint:
            return None
        return endpoint.rpartition(".")[0]

    @property
    def blueprints(self) -> list[str]:
        """The names of the current blueprint and of each parent, innermost
        first, as the registries key them: ``["parent.child", "parent"]``. Empty
        outside a blueprint.

        .. versionadded:: 2.0.1
        """
        name = self.blueprint
        if name is None:
            return []
        return split_blueprint_path(name)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        # In debug mode, turn "no such file" into an explanation of the missing
        # multipart enctype, the usual cause.
        ctx = _cv_app.get(None)
        if (
            ctx is not None
            and t.cast(t.Any, ctx.app).debug
            and self.mimetype != "multipart/form-data"
            and not self.files
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
            ctx = _cv_app.get(None)
            if ctx is not None and t.cast(t.Any, ctx.app).debug:
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

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """The largest cookie ``set_cookie`` accepts without a warning: the app's
        ``MAX_COOKIE_SIZE``, or werkzeug's default without an app; ``0`` disables
        the check.
        """
        value = _config_value("MAX_COOKIE_SIZE")
        if value is _NO_APP:
            return super().max_cookie_size
        return value  # type: ignore[no-any-return]
