"""Flask's request and response classes.

They are werkzeug's, with the settings an application controls read from the
active app's configuration, the routing results of the request, and the
application's JSON provider for ``get_json()`` and ``Response.json``.
"""

from __future__ import annotations

import collections.abc as cabc
import itertools
import typing as t

from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import Headers
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest as BadRequest
from werkzeug.exceptions import HTTPException as HTTPException
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.http import parse_cookie
from werkzeug.utils import cached_property
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request as RequestBase
from werkzeug.wrappers import Response as ResponseBase
from werkzeug.wsgi import get_content_length
from werkzeug.wsgi import LimitedStream

from kolben.contexts import _cv_app
from kolben.contexts import current_app as current_app
from kolben.routing import split_blueprint_path

from . import json as json
from .helpers import _split_blueprint_path as _split_blueprint_path

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment
    from werkzeug.routing import Rule


def _in_debug_app() -> bool:
    ctx: t.Any = _cv_app.get(None)
    return ctx is not None and bool(ctx.app.debug)


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
        if self.settable:
            own = obj.__dict__.get(self.name)
            if own is not None:
                return own
        # A form's parsing reads four of these: no helper call.
        ctx: t.Any = _cv_app.get(None)
        if ctx is None:
            return getattr(super(self.owner, obj), self.name)
        return ctx.app.config[self.key]

    def __set__(self, obj: object, value: int | None) -> None:
        if not self.settable:
            raise AttributeError(f"{self.name!r} is read-only; set {self.key}")
        obj.__dict__[self.name] = value


#: The environ keys of a ``Cookie`` header: "HTTP_" then "cookie" in any
#: case, every one werkzeug's case-insensitive ``getlist("Cookie")`` reads.
_COOKIE_KEYS = frozenset(
    "HTTP_" + "".join(letters)
    for letters in itertools.product(*zip("cookie", "COOKIE", strict=True))
)

#: Cookie headers recently parsed, and what :attr:`Request.cookies` made of
#: them (immutable, so shared by the requests that sent the same header).
_parsed_cookies: dict[str, ImmutableMultiDict[str, str]] = {}


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

    @cached_property
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The cookies the client sent, parsed from its ``Cookie`` headers.

        The same as werkzeug's: it reads the environ's ``HTTP_COOKIE``
        entries directly rather than through every header.
        """
        headers = self.headers
        if type(headers) is not EnvironHeaders or headers.environ is not self.environ:
            return super().cookies
        environ = self.environ
        # The keys werkzeug's getlist("Cookie") matches, found by a set
        # operation rather than a Python loop over the environ; several are
        # joined in the environ's order, as werkzeug does.
        found = _COOKIE_KEYS.intersection(environ)
        if not found:
            sent = ""
        elif len(found) == 1:
            [key] = found
            sent = ";".join([environ[key]])
        else:
            sent = ";".join([value for key, value in environ.items() if key in found])
        cls = self.dict_storage_class
        if cls is not ImmutableMultiDict:
            return parse_cookie(sent, cls=cls)  # type: ignore[return-value]
        # A client sends the same header with each request: parsed once, the
        # immutable result is shared.
        parsed = _parsed_cookies.get(sent)
        if parsed is None:
            if len(_parsed_cookies) >= 256:
                _parsed_cookies.clear()
            made: t.Any = parse_cookie(sent, cls=cls)  # type: ignore[arg-type]
            parsed = _parsed_cookies[sent] = made
        return parsed

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
        if rule is None:
            return None
        endpoint: str = rule.endpoint
        return endpoint

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

    def close(self) -> None:
        """Close the files of the request's parsed form, as werkzeug's
        ``close`` does; the request context calls it when it is popped.
        """
        # Most requests parse no files: nothing to close, nothing to loop over.
        if self.__dict__.get("files"):
            super().close()

    def _load_form_data(self) -> None:
        super()._load_form_data()
        # In debug mode, turn "no such file" into an explanation of the missing
        # multipart enctype, the usual cause.
        # Debug mode first, as Flask does: the cheapest test, false in
        # production.
        if (
            _in_debug_app()
            and self.mimetype != "multipart/form-data"
            and not self.files
        ):
            from .debughelpers import attach_enctype_error_multidict

            attach_enctype_error_multidict(self)

    @cached_property
    def stream(self) -> t.IO[bytes]:
        """The body as a stream, limited to :attr:`max_content_length`.

        As werkzeug's, except for a body without ``Content-Length`` (chunked)
        that the server terminates: reading past the limit fails with 413
        instead of ending silently at the limit, so a view never sees a
        truncated body.
        """
        environ = self.environ
        # Cheapest test first: most bodies are not server-terminated streams.
        if environ.get("wsgi.input_terminated") and not self.shallow:
            limit = self.max_content_length
            if limit is not None and get_content_length(environ) is None:
                return _MaxLimitedStream(environ["wsgi.input"], limit, is_max=True)  # type: ignore[return-value]
        return _werkzeug_stream(self)

    @cached_property
    def url(self) -> str:
        """The full URL of the request; a malformed host or forwarded header
        (see :class:`~werkzeug.middleware.proxy_fix.ProxyFix`) fails with 400.
        """
        return _client_url(lambda: super(Request, self).url)

    @cached_property
    def base_url(self) -> str:
        """:attr:`url` without the query string; 400 when malformed."""
        return _client_url(lambda: super(Request, self).base_url)

    @cached_property
    def root_url(self) -> str:
        """The scheme, host and root path; 400 when malformed."""
        return _client_url(lambda: super(Request, self).root_url)

    @cached_property
    def host_url(self) -> str:
        """The scheme and host only; 400 when malformed."""
        return _client_url(lambda: super(Request, self).host_url)

    def get_json(
        self, force: bool = False, silent: bool = False, cache: bool = True
    ) -> t.Any:
        """Parse the body as JSON, as werkzeug's ``get_json`` does.

        A body nested too deeply for the parser is a client error like any
        other undecodable body: :meth:`on_json_loading_failed` (400), or
        ``None`` when ``silent``.
        """
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("JSON nested too deeply"))

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


# werkzeug's own stream property, called without its caching (ours caches).
_werkzeug_stream: cabc.Callable[[RequestBase], t.IO[bytes]] = vars(RequestBase)[
    "stream"
].fget


def _client_url(build: cabc.Callable[[], str]) -> str:
    # The host and prefix come from the client (or forwarded headers it set);
    # one that cannot form a URL is its error, not the app's.
    try:
        return build()
    except ValueError as e:
        raise BadRequest(
            "The request's host or forwarded headers are malformed."
        ) from e


class _MaxLimitedStream(LimitedStream):
    """A stream whose limit is a maximum, checked by reading one byte past it."""

    def on_exhausted(self) -> None:
        if self._stream.read(1):
            raise RequestEntityTooLarge()

    def readall(self) -> bytes:
        data = super().readall()
        if self.is_exhausted:
            self.on_exhausted()
        return data


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

    #: The largest cookie ``set_cookie`` accepts without warning: the app's
    #: ``MAX_COOKIE_SIZE``, or werkzeug's default outside an app context.
    max_cookie_size = _AppSetting(
        "MAX_COOKIE_SIZE",
        """The largest cookie ``set_cookie`` accepts without warning: the app's
        ``MAX_COOKIE_SIZE``, or werkzeug's default outside an app context.
        ``0`` turns the check off.
        """,
        settable=False,
    )

    def get_wsgi_response(
        self, environ: WSGIEnvironment
    ) -> tuple[cabc.Iterable[bytes], str, list[tuple[str, str]]]:
        """Return the ``(app_iter, status, headers)`` the WSGI server gets.

        The result is werkzeug's. The common case, a buffered body of bytes
        whose headers need no adjusting, skips werkzeug's copy and re-check
        of every header; anything else (``HEAD``, 1xx, 204 and 304 statuses,
        ``Location`` headers, streamed bodies, a subclass overriding
        ``get_wsgi_headers`` or ``get_app_iter``) takes werkzeug's path.
        """
        body = _buffered_body(self, environ)
        if body is None:
            return super().get_wsgi_response(environ)
        return body, self.status, list(self.headers)


_BASE_GET_WSGI_HEADERS = ResponseBase.get_wsgi_headers
_BASE_GET_APP_ITER = ResponseBase.get_app_iter
#: Headers werkzeug rewrites on the way out; their presence means the slow path.
_REWRITTEN = frozenset(("location", "content-location"))


class _BufferedBody(list[bytes]):
    """A response body ready for the WSGI server: a list of bytes whose
    ``close()`` closes the response, as PEP 3333 requires of servers.
    """

    __slots__ = ("close",)

    close: cabc.Callable[[], None]


def _buffered_body(
    response: Response, environ: WSGIEnvironment
) -> _BufferedBody | None:
    """The body of ``response`` for a server when werkzeug's
    ``get_wsgi_headers`` would return the headers unchanged and
    ``get_app_iter`` would iterate the body as is; ``None`` otherwise.
    """
    cls = type(response)
    chunks = response.response
    status = response.status_code
    if (
        type(chunks) is not list
        or status < 200
        or status == 204
        or status == 304
        or response.direct_passthrough
        or environ["REQUEST_METHOD"] == "HEAD"
        or cls.get_wsgi_headers is not _BASE_GET_WSGI_HEADERS
        or cls.get_app_iter is not _BASE_GET_APP_ITER
        or type(response.headers) is not Headers
    ):
        return None
    has_length = False
    for key, _ in response.headers:
        name = key.lower()
        if name in _REWRITTEN:
            return None
        if name == "content-length":
            has_length = True
    if not has_length and response.automatically_set_content_length:
        return None
    for chunk in chunks:
        if type(chunk) is not bytes:
            return None
    body = _BufferedBody(chunks)
    body.close = response.close
    return body


# Per class: the default mimetype seen, and the content type it gives.
_content_types: dict[type[ResponseBase], tuple[object, str | None]] = {}


def default_content_type(response_class: type[ResponseBase]) -> str | None:
    """The ``Content-Type`` werkzeug gives a new ``response_class`` instance
    created without headers, mimetype or content type, computed once per
    class; ``None`` when the class may compute it differently (it overrides
    ``__init__`` or makes ``default_mimetype`` a property), so callers must
    let the class decide.
    """
    mimetype = response_class.default_mimetype
    known = _content_types.get(response_class)
    if known is not None and known[0] is mimetype:
        return known[1]
    content_type = None
    if response_class.__init__ is ResponseBase.__init__ and isinstance(mimetype, str):
        content_type = get_content_type(mimetype, "utf-8")
    if len(_content_types) >= 64:  # classes made on the fly must not pile up
        _content_types.clear()
    _content_types[response_class] = (mimetype, content_type)
    return content_type
