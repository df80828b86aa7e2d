"""Responses with a buffered body, made from a prototype instead of built.

Most responses the pipeline makes are alike: a ``str`` or ``bytes`` body, a
content type worked out in advance (or the class's default), and the class's
default status (a view's string, a JSON response) or a fixed one (an error
page). werkzeug's constructor validates and sets each header and parses the
status for every one of them. Here werkzeug's constructor builds one
prototype per class, content type and status, and each response is a copy
of it with its own body, headers and close callbacks: the instance is the
one the constructor would give, attribute for attribute.

A class whose construction could differ (its own ``__new__``, ``__init__``
or ``set_data``) is built by its constructor, as is every class on a
werkzeug whose responses are laid out differently. A prototype is made
again when its class's default status, content-length setting or default
mimetype changes.
"""

from __future__ import annotations

import typing as t

from werkzeug.datastructures import Headers
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Response as ResponseBase

_R = t.TypeVar("_R", bound=ResponseBase)

_INIT = ResponseBase.__init__
_SET_DATA = ResponseBase.set_data
#: The attributes werkzeug's constructor sets, and all that a copy replaces
#: besides the plain values it shares with the prototype.
_LAYOUT = frozenset(
    (
        "headers",
        "_status",
        "_status_code",
        "direct_passthrough",
        "_on_close",
        "response",
    )
)

_Key = tuple[type, "str | None", "int | None"]
#: The class's default status, content-length setting and default mimetype
#: the entry was made under; the content type; the prototype's attributes
#: (``None`` when the class must be constructed).
_Entry = tuple[t.Any, t.Any, t.Any, t.Any, "dict[str, t.Any] | None"]
#: (class, content type or ``None`` for the class's default, status) -> entry.
_prototypes: dict[_Key, _Entry] = {}
# Content types and statuses are an open set: bounded.
_MAX_PROTOTYPES = 64


def _prototype(
    cls: type[ResponseBase], content_type: str | None, status: int | None
) -> _Entry:
    mimetype = cls.default_mimetype
    settings = (cls.default_status, cls.automatically_set_content_length, mimetype)
    if content_type is None and isinstance(mimetype, str):
        # What the constructor derives from the class's default mimetype.
        content_type = get_content_type(mimetype, "utf-8")
    if (
        content_type is None
        or cls.__init__ is not _INIT
        or cls.set_data is not _SET_DATA
        # Copies are made with cls.__new__(cls), without the arguments.
        or cls.__new__ is not object.__new__
    ):
        return (*settings, content_type, None)
    built = cls(b"", status=status, content_type=content_type)
    attrs = dict(vars(built))
    expected_headers = [("Content-Type", content_type)]
    if cls.automatically_set_content_length:
        expected_headers.append(("Content-Length", "0"))
    if (
        attrs.keys() != _LAYOUT
        or type(built.headers) is not Headers
        or vars(built.headers).keys() != {"_list"}
        or list(built.headers) != expected_headers
        or built.response != [b""]
        or built._on_close
    ):
        return (*settings, content_type, None)
    return (*settings, content_type, attrs)


def body_response(
    cls: type[_R],
    body: str | bytes,
    content_type: str | None = None,
    status: int | None = None,
) -> _R:
    """Return ``cls(body, status=status, content_type=content_type)``.

    :param cls: a werkzeug response class.
    :param body: the whole body; ``str`` is encoded as UTF-8, as werkzeug does.
    :param content_type: the ``Content-Type`` header, used as given; the
        one the class derives from its ``default_mimetype`` when ``None``.
    :param status: the status code; the class's default when ``None``.
    """
    key = (cls, content_type, status)
    entry = _prototypes.get(key)
    if (
        entry is None
        or entry[0] is not cls.default_status
        or entry[1] is not cls.automatically_set_content_length
        or entry[2] is not cls.default_mimetype
    ):
        # New, or made before the class's settings changed.
        if len(_prototypes) >= _MAX_PROTOTYPES:
            _prototypes.clear()
        entry = _prototypes[key] = _prototype(cls, content_type, status)
    attrs = entry[4]
    if attrs is None or cls.__init__ is not _INIT or cls.set_data is not _SET_DATA:
        return cls(body, status=status, content_type=content_type)
    data = body.encode() if type(body) is str else body
    response = cls.__new__(cls)
    own = response.__dict__
    own.update(attrs)
    headers = Headers.__new__(Headers)
    if entry[1]:
        headers._list = [
            ("Content-Type", entry[3]),
            ("Content-Length", str(len(data))),
        ]
    else:
        headers._list = [("Content-Type", entry[3])]
    own["headers"] = headers
    own["_on_close"] = []
    own["response"] = [data]
    return response
