"""Tagged JSON: lossless JSON for the types a session commonly holds.

JSON knows objects, arrays, strings, numbers, booleans and null. A session
also wants tuples, bytes, HTML-safe strings, UUIDs and datetimes back as
exactly those types. :class:`TaggedJSONSerializer` writes such a value as a
one-key object whose key is a *tag* (``{" t": [1, 2]}`` for ``(1, 2)``) and
turns tagged objects back into the original type when loading. The format is
the one Flask's ``flask.json.tag`` writes, so data passes between the two.

The built-in tags, in the order they are tried:

=================  =======  ===========================================
class              key      handles
=================  =======  ===========================================
:class:`TagDict`   ``" di"``  a one-key dict whose key is itself a tag key
:class:`PassDict`  \\-       other dicts: tags each value
:class:`TagTuple`  ``" t"``   tuples
:class:`PassList`  \\-       lists: tags each item
:class:`TagBytes`  ``" b"``   bytes, as base64
:class:`TagMarkup` ``" m"``   objects with ``__html__``, loaded as ``Markup``
:class:`TagUUID`   ``" u"``   :class:`uuid.UUID`, as hex
:class:`TagDateTime` ``" d"`` :class:`datetime.datetime`, as an HTTP date
=================  =======  ===========================================

A custom type gets a :class:`JSONTag` subclass, registered with
:meth:`TaggedJSONSerializer.register`::

    class TagOrderedDict(JSONTag):
        __slots__ = ()
        key = " od"

        def check(self, value):
            return isinstance(value, OrderedDict)

        def to_json(self, value):
            return [[k, self.serializer.tag(v)] for k, v in value.items()]

        def to_python(self, value):
            return OrderedDict(value)

    serializer.register(TagOrderedDict, index=0)
"""

from __future__ import annotations

import dataclasses
import decimal
import json
import typing as t
from base64 import b64decode
from base64 import b64encode
from datetime import date
from datetime import datetime
from uuid import UUID

from markupsafe import Markup
from werkzeug.http import http_date
from werkzeug.http import parse_date


class JSONTag:
    """Base class for a tag understood by :class:`TaggedJSONSerializer`.

    A subclass sets :attr:`key` and implements :meth:`check`,
    :meth:`to_json` and :meth:`to_python`. Tags are instantiated by the
    serializer they are registered with, which they can reach as
    :attr:`serializer` to tag or untag nested values.

    :param serializer: the serializer this tag belongs to.
    """

    __slots__ = ("serializer",)

    #: The key marking a tagged value in the JSON output. An empty key means
    #: the tag never appears in the output: it only transforms the value
    #: (:class:`PassDict` and :class:`PassList` tag their contents this way).
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        #: The :class:`TaggedJSONSerializer` this tag is registered with.
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Return whether this tag handles ``value``.

        :param value: the value about to be serialized.
        """
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Convert ``value`` to something JSON can represent; the result is
        stored under :attr:`key`.

        :param value: a value that :meth:`check` accepted.
        """
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Convert the JSON stored under :attr:`key` back to the Python value.

        :param value: what :meth:`to_json` produced, with its nested values
            already untagged.
        """
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` converted and wrapped as ``{key: to_json(value)}``.

        :param value: a value that :meth:`check` accepted.
        """
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """Protects a one-key dict whose key is a registered tag key.

    Without this, ``{" t": [1]}`` would load as the tuple ``(1,)``. The key
    is written with a ``"__"`` suffix, which is stripped again on load.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: t.Any) -> t.Any:
        ((name, item),) = value.items()
        return {f"{name}__": self.serializer.tag(item)}

    def to_python(self, value: t.Any) -> t.Any:
        ((name, item),) = value.items()
        return {name[:-2]: item}


class PassDict(JSONTag):
    """Passes dicts through, tagging each of their values."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        # JSON object keys are strings, so only values can need tagging.
        tag = self.serializer.tag
        return {name: tag(item) for name, item in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """Stores a tuple as a list of tagged items."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """Passes lists through, tagging each of their items."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Stores bytes as a base64 string."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Stores an object that has an ``__html__`` method as its HTML string;
    loads it as :class:`markupsafe.Markup`.

    Any object following the ``__html__`` convention is accepted, not only
    ``Markup``, so a template framework's own safe-string type round-trips
    as ``Markup``.
    """

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


class TagUUID(JSONTag):
    """Stores a :class:`uuid.UUID` as its hex string."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, UUID)

    def to_json(self, value: t.Any) -> t.Any:
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        return UUID(value)


class TagDateTime(JSONTag):
    """Stores a :class:`datetime.datetime` as an HTTP date.

    HTTP dates have whole seconds and are in UTC: a datetime loads back as
    an aware UTC datetime without microseconds, and a naive one is taken to
    be UTC already.
    """

    __slots__ = ()
    key = " d"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


def _default(value: t.Any) -> t.Any:
    """Encode the untagged values Flask's JSON encoding also accepts."""
    # Flask encodes session data with its JSON provider, whose fallback turns
    # these types into plain JSON (lossy, they are not tagged); kept so that
    # data Flask can store in a session can be stored here too.
    if isinstance(value, date):
        return http_date(value)
    if isinstance(value, (decimal.Decimal, UUID)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class TaggedJSONSerializer:
    """Serializer that tags non-JSON values so they load back as themselves.

    It has the ``dumps``/``loads`` interface itsdangerous expects, which is
    how :class:`~kolben.sessions.SecureCookieSessionInterface` uses it::

        serializer = TaggedJSONSerializer()
        text = serializer.dumps({"ids": (1, 2), "raw": b"\\xff"})
        assert serializer.loads(text) == {"ids": (1, 2), "raw": b"\\xff"}

    Each instance has its own registry: registering a tag on one serializer
    does not change another.
    """

    __slots__ = ("tags", "order")

    #: The tag classes every new serializer registers, in order.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        #: The registered tags by key, consulted when loading.
        self.tags: dict[str, JSONTag] = {}
        #: The registered tags in the order :meth:`tag` tries them.
        self.order: list[JSONTag] = []

        for cls in self.default_tags:
            self.register(cls)

    def register(
        self,
        tag_class: type[JSONTag],
        force: bool = False,
        index: int | None = None,
    ) -> None:
        """Register a new tag with this serializer.

        :param tag_class: the :class:`JSONTag` subclass to instantiate and add.
        :param force: replace a tag already registered under the same key,
            instead of raising :exc:`KeyError`. The replaced tag stays in
            :attr:`order`, behind a new tag inserted ahead of it.
        :param index: where to insert the tag in :attr:`order`, as for
            :meth:`list.insert`; ``None`` appends it, making it the last tried.
        :raises KeyError: if the key is already registered and ``force`` is
            false.
        """
        tag = tag_class(self)
        key = tag.key

        if key:
            if not force and key in self.tags:
                raise KeyError(f"Tag '{key}' is already registered.")

            self.tags[key] = tag

        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

    def tag(self, value: t.Any) -> t.Any:
        """Return ``value`` converted by the first tag that accepts it, or
        unchanged if none does.

        :param value: the value to convert.
        """
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)

        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Convert a tagged JSON object back to its Python value; any other
        object is returned unchanged. Nested values are not untagged.

        :param value: a JSON object as loaded.
        """
        if len(value) != 1:
            return value

        key = next(iter(value))
        tag = self.tags.get(key)

        if tag is None:
            return value

        return tag.to_python(value[key])

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialize it to compact JSON text.

        :param value: the value to serialize.
        """
        # Sorted keys and ASCII output, as Flask's JSON provider writes
        # session cookies, so the same data signs to the same cookie.
        return json.dumps(
            self.tag(value), separators=(",", ":"), sort_keys=True, default=_default
        )

    def loads(self, value: str | bytes) -> t.Any:
        """Deserialize JSON text and untag the result.

        :param value: JSON text, as produced by :meth:`dumps`.
        """
        # The decoder calls the hook on each object after its contents, so
        # every tag's to_python receives already untagged values.
        return json.loads(value, object_hook=self.untag)
