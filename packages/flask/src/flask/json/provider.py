"""JSON providers: how an application encodes and decodes JSON.

``app.json`` is an instance of the app's ``json_provider_class``, by default
:class:`DefaultJSONProvider`. Everything in Flask that produces or reads JSON
(:func:`~flask.json.jsonify`, :func:`flask.json.dumps`, ``request.get_json()``,
the ``tojson`` template filter, dict and list view return values) goes through
it, so an app can swap in another JSON library by subclassing
:class:`JSONProvider`::

    class OrJSONProvider(JSONProvider):
        def dumps(self, obj, **kwargs):
            return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode()

        def loads(self, s, **kwargs):
            return orjson.loads(s)

    app.json_provider_class = OrJSONProvider
    app.json = OrJSONProvider(app)
"""

from __future__ import annotations

import dataclasses
import json
import sys
import typing as t
import weakref
from datetime import date
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from json.encoder import encode_basestring
from json.encoder import encode_basestring_ascii

from werkzeug.http import http_date
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Response as _BaseResponse

from .._responses import body_response

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.sansio.response import Response


class _ProviderApp(t.Protocol):
    """What a provider reads from its app."""

    debug: bool
    response_class: type[Response]


class JSONProvider:
    """The interface of a JSON provider, and the base to write one.

    Subclasses implement :meth:`dumps` and :meth:`loads`; :meth:`dump`,
    :meth:`load` and :meth:`response` are built on them.

    :param app: the application. The provider keeps a weak reference, so it
        does not keep its app alive.

    .. versionadded:: 2.2
    """

    def __init__(self, app: t.Any) -> None:
        # A weak proxy: the app holds its provider, and a strong reference
        # back would make every app a reference cycle.
        self._app: _ProviderApp = weakref.proxy(app)

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` to a JSON string.

        :param kwargs: passed to the underlying JSON library.
        """
        raise NotImplementedError

    def dump(self, obj: t.Any, fp: t.IO[str], **kwargs: t.Any) -> None:
        """Serialize ``obj`` as JSON into the text file ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Deserialize a JSON string or bytes.

        :param kwargs: passed to the underlying JSON library.
        """
        raise NotImplementedError

    def load(self, fp: t.IO[t.AnyStr], **kwargs: t.Any) -> t.Any:
        """Deserialize the JSON document read from the open file ``fp``."""
        text = fp.read()
        return self.loads(text, **kwargs)

    def _prepare_response_obj(
        self, args: tuple[t.Any, ...], kwargs: dict[str, t.Any]
    ) -> t.Any:
        # ``response(x)`` sends x, ``response(a, b)`` a list, ``response(k=v)``
        # a dict, ``response()`` null. Kept under Flask's name: third-party
        # providers call it from their own ``response``.
        if kwargs:
            if args:
                raise TypeError(
                    "app.json.response() takes either args or kwargs, not both"
                )
            return kwargs
        if len(args) > 1:
            return args
        return args[0] if args else None

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Build an ``application/json`` response from the arguments.

        A single positional argument becomes the body as it is, several become
        a JSON array, keyword arguments a JSON object and no arguments
        ``null``. Passing positional and keyword arguments together is a
        :exc:`TypeError`.
        """
        body = self.dumps(self._prepare_response_obj(args, kwargs))
        return self._app.response_class(body, mimetype="application/json")


_RESPONSE_INIT = _BaseResponse.__init__
# mimetype -> the Content-Type werkzeug's Response gives it.
_content_types: dict[str, str] = {}

#: The separators of compact output.
_COMPACT = (",", ":")

#: Types serialized as their ``str()``, as (module, class name).
_STRINGIFIED = (("decimal", "Decimal"), ("uuid", "UUID"))


def _stringified(o: t.Any) -> bool:
    # The classes are looked up where they live instead of imported: an
    # instance exists only once its module is loaded, and an app that never
    # uses them does not pay for importing decimal and uuid at start-up.
    for module, name in _STRINGIFIED:
        kind = getattr(sys.modules.get(module), name, None)
        if isinstance(kind, type) and isinstance(o, kind):
            return True
    return False


def _default(o: t.Any) -> t.Any:
    if _stringified(o):
        return str(o)
    if isinstance(o, date):
        return http_date(o)
    # Dataclass instances only: a dataclass *class* is not data.
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    html = getattr(o, "__html__", None)
    if html is not None:
        return str(html())
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _one_shot(encoder: json.JSONEncoder) -> t.Callable[[t.Any], str]:
    """``encoder.encode``, or the same without its two Python-level steps:
    when ``encode`` would hand ``obj`` to the C encoder in one shot (no
    indent), call the C encoder directly with the arguments ``iterencode``
    would pass it, and a fresh circular-reference table each time, as
    ``iterencode`` makes one.
    """
    if c_make_encoder is None or encoder.indent is not None:
        return encoder.encode
    # The same choices iterencode makes from the encoder's settings.
    args = (
        encoder.default,
        encode_basestring_ascii if encoder.ensure_ascii else encode_basestring,
        None,
        encoder.key_separator,
        encoder.item_separator,
        encoder.sort_keys,
        encoder.skipkeys,
        encoder.allow_nan,
    )
    make = c_make_encoder
    check_circular = encoder.check_circular

    def encode(obj: t.Any) -> str:
        markers: dict[int, t.Any] | None = {} if check_circular else None
        return "".join(make(markers, *args)(obj, 0))

    return encode


class DefaultJSONProvider(JSONProvider):
    """The standard library's :mod:`json`, with Flask's defaults.

    Besides the JSON types it serializes :class:`~datetime.date` and
    :class:`~datetime.datetime` (as HTTP date strings), :class:`~decimal.Decimal`
    and :class:`~uuid.UUID` (as strings), dataclasses (as dicts) and objects
    with an ``__html__`` method (as their HTML string). Set :attr:`default` to
    extend that. Its options are attributes, set on the class or on
    ``app.json``::

        app.json.sort_keys = False
        app.json.compact = True
    """

    #: Called for objects the :mod:`json` module cannot serialize; returns a
    #: serializable value or raises :exc:`TypeError`.
    default: t.Callable[[t.Any], t.Any] = staticmethod(_default)

    #: Escape non-ASCII characters. Safer when the output is embedded in HTML.
    ensure_ascii = True

    #: Sort the keys of dicts. Keeps output (and caches keyed on it) stable;
    #: every key must then be a string.
    sort_keys = True

    #: Whether :meth:`response` omits whitespace: ``True`` always, ``False``
    #: never (indented output), ``None`` when the app is not in debug mode.
    compact: bool | None = None

    #: The mimetype of :meth:`response`.
    mimetype = "application/json"

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj`` with :func:`json.dumps`, applying :attr:`default`,
        :attr:`ensure_ascii` and :attr:`sort_keys` unless ``kwargs`` say otherwise.
        """
        if not kwargs:
            return self._encoder(None, None)(obj)
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return json.dumps(obj, **kwargs)

    def _encoder(
        self, indent: int | None, separators: tuple[str, str] | None
    ) -> t.Callable[[t.Any], str]:
        # What json.dumps would do for these options, prepared once per
        # combination of the provider's settings instead of per call (the
        # settings are attributes users may change at any time).
        key = (self.default, self.ensure_ascii, self.sort_keys, indent, separators)
        cached: dict[tuple[t.Any, ...], t.Callable[[t.Any], str]] | None
        cached = self.__dict__.get("_encoders")
        if cached is None:
            cached = self.__dict__["_encoders"] = {}
        encode = cached.get(key)
        if encode is None:
            if len(cached) >= 8:  # settings changed over and over: start afresh
                cached.clear()
            encode = cached[key] = _one_shot(
                json.JSONEncoder(
                    ensure_ascii=self.ensure_ascii,
                    indent=indent,
                    separators=separators,
                    default=self.default,
                    sort_keys=self.sort_keys,
                )
            )
        return encode

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Deserialize with :func:`json.loads`."""
        return json.loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        """Return a JSON response (see :meth:`JSONProvider.response`), ending
        with a newline, indented or compact according to :attr:`compact`, with
        :attr:`mimetype`.
        """
        obj = self._prepare_response_obj(args, kwargs)
        app = self._app
        compact = self.compact
        indent: int | None = None
        separators: tuple[str, str] | None = _COMPACT
        if not (compact or (compact is None and not app.debug)):
            indent, separators = 2, None
        if type(self).dumps is DefaultJSONProvider.dumps:
            # What dumps would return for this layout, without its keyword
            # handling and json.dumps' per-call encoder.
            text = self._encoder(indent, separators)(obj)
        elif indent is None:
            # A subclass's own dumps decides, as it always has.
            text = self.dumps(obj, separators=separators)
        else:
            text = self.dumps(obj, indent=indent)
        response_class = app.response_class
        if response_class.__init__ is _RESPONSE_INIT:  # type: ignore[comparison-overlap]
            # The content type werkzeug's constructor derives from the
            # mimetype, worked out once per mimetype instead of per response.
            mimetype = self.mimetype
            content_type = _content_types.get(mimetype)
            if content_type is None:
                if len(_content_types) >= 16:
                    _content_types.clear()
                content_type = get_content_type(mimetype, "utf-8")
                _content_types[mimetype] = content_type
            wsgi_class: type[_BaseResponse] = response_class  # type: ignore[assignment]
            return body_response(wsgi_class, f"{text}\n", content_type)
        return response_class(f"{text}\n", mimetype=self.mimetype)


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, ``decimal`` and ``uuid`` included (see ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module binds the decimal and uuid modules at its top level;
    # they are imported when first read here (see _stringified).
    if name in ("decimal", "uuid"):
        import importlib

        return importlib.import_module(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "decimal", "uuid"})
