"""The tagged JSON serializer of the session cookie, from
:mod:`kolben.sessions.tag`.

It round-trips types plain JSON cannot (tuples, bytes, ``Markup``, UUIDs,
datetimes); register a :class:`JSONTag` subclass to add more::

    from flask.json.tag import JSONTag

    class TagOrderedDict(JSONTag):
        __slots__ = ("serializer",)
        key = " od"

        def check(self, value):
            return isinstance(value, OrderedDict)

        def to_json(self, value):
            return [[k, self.serializer.tag(v)] for k, v in value.items()]

        def to_python(self, value):
            return OrderedDict(value)

    app.session_interface.serializer.register(TagOrderedDict, index=0)
"""

from __future__ import annotations

import typing as t
from base64 import b64decode as b64decode
from base64 import b64encode as b64encode
from datetime import datetime as datetime

from markupsafe import Markup as Markup
from werkzeug.http import http_date as http_date
from werkzeug.http import parse_date as parse_date

from kolben.sessions.tag import JSONTag as JSONTag
from kolben.sessions.tag import PassDict as PassDict
from kolben.sessions.tag import PassList as PassList
from kolben.sessions.tag import TagBytes as TagBytes
from kolben.sessions.tag import TagDateTime as TagDateTime
from kolben.sessions.tag import TagDict as TagDict
from kolben.sessions.tag import TaggedJSONSerializer as TaggedJSONSerializer
from kolben.sessions.tag import TagMarkup as TagMarkup
from kolben.sessions.tag import TagTuple as TagTuple
from kolben.sessions.tag import TagUUID as TagUUID

from . import dumps as dumps
from . import loads as loads

if t.TYPE_CHECKING:
    from uuid import UUID as UUID


def __getattr__(name: str) -> t.Any:
    if name == "__all__":
        # Flask's module has no ``__all__``: its star import binds every
        # public global, ``UUID`` included (see ``flask.app``).
        return [name for name in __dir__() if not name.startswith("_")]
    # Flask's module imports UUID; it is imported when first read here, so
    # that the session machinery does not load uuid at start-up.
    if name == "UUID":
        from uuid import UUID

        return UUID
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "UUID"})
