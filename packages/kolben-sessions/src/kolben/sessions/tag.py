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

import collections.abc as cabc
import dataclasses
import json
import operator
import sys
import typing as t
from base64 import b64decode
from base64 import b64encode
from datetime import date
from datetime import datetime

from markupsafe import Markup
from werkzeug.http import http_date
from werkzeug.http import parse_date

if t.TYPE_CHECKING:
    from uuid import UUID

    from .protocols import SessionJSON


def _is_loaded_instance(value: t.Any, module: str, name: str) -> bool:
    """Whether ``value`` is an instance of the class ``name`` of ``module``,
    looked up in :data:`sys.modules` instead of imported.

    An instance can only exist once its class's module is imported, so the
    answer is the same as importing it, minus the import: ``uuid`` and
    ``decimal`` cost every process that loads the sessions a few milliseconds
    at start-up (``uuid`` probes the platform), for types few sessions hold.
    """
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None)
    return isinstance(kind, type) and isinstance(value, kind)


class JSONTag:
    """The contract every tag of a :class:`TaggedJSONSerializer` fulfils.

    A tag recognises one kind of value (:meth:`check`), turns it into plain
    JSON (:meth:`to_json`) and rebuilds it on the way back
    (:meth:`to_python`). The serializer creates one instance of each
    registered tag class and passes itself in, so a tag can reach
    :attr:`serializer` to handle values nested inside the one it converts.

    :param serializer: the serializer creating this tag.
    """

    __slots__ = ("serializer",)

    #: The object key that marks this tag's output, for example ``" t"``.
    #: Left empty by tags that only rewrite a container's contents and never
    #: show up in the output themselves, such as :class:`PassList`.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        #: The owning :class:`TaggedJSONSerializer`.
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Decide whether this tag is the one to convert ``value``.

        Subclasses must override this.

        :param value: a value on its way to JSON.
        """
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Produce the JSON-compatible form of ``value``.

        Subclasses must override this.

        :param value: a value this tag's :meth:`check` accepted.
        """
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the original value from its JSON form.

        Subclasses that write a :attr:`key` must override this.

        :param value: the JSON form found under :attr:`key`, whose own nested
            values have been restored already.
        """
        raise NotImplementedError

    def tag(self, value: t.Any) -> t.Any:
        """Convert ``value`` and mark it: the result is a one-item dict
        mapping :attr:`key` to the output of :meth:`to_json`.

        :param value: a value this tag's :meth:`check` accepted.
        """
        return {self.key: self.to_json(value)}


class _TypedTag(JSONTag):
    """A tag that claims every instance of :attr:`kind`."""

    __slots__ = ()

    #: The type (or types, as for :func:`isinstance`) this tag converts.
    kind: t.ClassVar[type[t.Any] | tuple[type[t.Any], ...]]

    def check(self, value: t.Any) -> bool:
        return isinstance(value, self.kind)


class _Passthrough(JSONTag):
    """Mixin for a keyless tag: its output is emitted without a marker."""

    __slots__ = ()

    def tag(self, value: t.Any) -> t.Any:
        return self.to_json(value)


class _ItemsTag(_TypedTag):
    """Converts a sequence into a JSON array of converted items."""

    __slots__ = ()

    def to_json(self, value: t.Any) -> t.Any:
        convert = self.serializer.tag
        return [convert(item) for item in value]


class _Codec(t.NamedTuple):
    """The two conversions of a leaf tag: to JSON and back."""

    dump: cabc.Callable[[t.Any], t.Any]
    load: cabc.Callable[[t.Any], t.Any]


class _CodecTag(_TypedTag):
    """A leaf tag whose conversions are one :attr:`codec` table row.

    Bytes, UUIDs, datetimes and safe strings differ only in a type and two
    plain functions, so each of their classes just fills in the row.
    """

    __slots__ = ()

    #: The functions converting this tag's values to JSON and back.
    codec: t.ClassVar[_Codec]

    def to_json(self, value: t.Any) -> t.Any:
        return self.codec.dump(value)

    def to_python(self, value: t.Any) -> t.Any:
        return self.codec.load(value)


def _base64_text(data: bytes) -> str:
    return b64encode(data).decode("ascii")


def _html_text(value: t.Any) -> str:
    return str(value.__html__())


class TagDict(JSONTag):
    """Guards a single-item dict whose only key collides with a tag key.

    ``{" t": [1]}`` written as is would come back as the tuple ``(1,)``.
    This tag renames the key with a trailing ``"__"`` and removes it again
    when loading, so the dict survives as a dict.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        if not isinstance(value, dict) or len(value) != 1:
            return False
        return next(iter(value)) in self.serializer.tags

    def to_json(self, value: t.Any) -> t.Any:
        [(name, item)] = value.items()
        return {name + "__": self.serializer.tag(item)}

    def to_python(self, value: t.Any) -> t.Any:
        [(name, item)] = value.items()
        return {name[:-2]: item}


class PassDict(_Passthrough, _TypedTag):
    """Leaves a dict a dict, converting the values inside it."""

    __slots__ = ()
    kind = dict

    def to_json(self, value: t.Any) -> t.Any:
        # Object keys are always strings in JSON; only the values vary.
        convert = self.serializer.tag
        return {name: convert(item) for name, item in value.items()}


class TagTuple(_ItemsTag):
    """Writes a tuple as an array of converted items, read back as a tuple."""

    __slots__ = ()
    key = " t"
    kind = tuple

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(_Passthrough, _ItemsTag):
    """Leaves a list a list, converting the items inside it."""

    __slots__ = ()
    kind = list


class TagBytes(_CodecTag):
    """Writes :class:`bytes` as base64 text."""

    __slots__ = ()
    key = " b"
    kind = bytes
    codec = _Codec(_base64_text, b64decode)


class TagMarkup(_CodecTag):
    """Writes anything with an ``__html__`` method as that HTML; reads it
    back as :class:`markupsafe.Markup`.

    The ``__html__`` protocol is what is checked, not the ``Markup`` type,
    so another library's safe-string class is stored too (and comes back
    as ``Markup``).
    """

    __slots__ = ()
    key = " m"
    kind = Markup
    codec = _Codec(_html_text, Markup)

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))


def _uuid_from_hex(value: str) -> UUID:
    from uuid import UUID

    return UUID(value)


class TagUUID(_CodecTag):
    """Writes a :class:`uuid.UUID` as its 32 hex digits."""

    __slots__ = ()
    key = " u"
    codec = _Codec(operator.attrgetter("hex"), _uuid_from_hex)

    def check(self, value: t.Any) -> bool:
        return _is_loaded_instance(value, "uuid", "UUID")


class TagDateTime(_CodecTag):
    """Writes a :class:`datetime.datetime` in HTTP date format.

    That format is UTC with one-second resolution, so what loads back is an
    aware UTC datetime with the microseconds dropped; a naive datetime is
    read as if it were UTC.
    """

    __slots__ = ()
    key = " d"
    kind = datetime
    codec = _Codec(http_date, parse_date)


#: Structure first: the look-alike guard, then the containers whose
#: contents must be converted before any leaf tag sees them.
_CONTAINER_TAGS: tuple[type[JSONTag], ...] = (TagDict, PassDict, TagTuple, PassList)
#: Single values with no JSON type of their own.
_LEAF_TAGS: tuple[type[JSONTag], ...] = (TagBytes, TagMarkup, TagUUID, TagDateTime)
_BUILTIN_ORDER = [*_CONTAINER_TAGS, *_LEAF_TAGS]


def _default(value: t.Any) -> t.Any:
    """Encode the untagged values Flask's JSON encoding also accepts."""
    # Flask encodes session data with its JSON provider, whose fallback turns
    # these types into plain JSON (lossy, they are not tagged); kept so that
    # data Flask can store in a session can be stored here too.
    if isinstance(value, date):
        return http_date(value)
    if _is_loaded_instance(value, "decimal", "Decimal") or _is_loaded_instance(
        value, "uuid", "UUID"
    ):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Sorted keys and ASCII output, as Flask's JSON provider writes session
# cookies, so the same data signs to the same cookie. ``json.dumps`` with
# these arguments builds this very encoder on every call.
_encoder = json.JSONEncoder(separators=(",", ":"), sort_keys=True, default=_default)

# What ``_encoder.encode`` builds on every call (a C encoder when the
# accelerator is there), made once for the values :func:`_plain` accepts:
# JSON types only, acyclic and at most _PLAIN_DEPTH deep, so the encoder
# needs no circular-reference markers, never calls ``default`` and cannot
# stop halfway. ``None`` without the accelerator.
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_plain_encoder: t.Callable[[t.Any, int], cabc.Iterable[str]] | None = (
    None
    if _make_encoder is None
    else _make_encoder(
        None,
        _default,
        json.encoder.encode_basestring_ascii,
        None,
        ":",
        ",",
        True,
        False,
        True,
    )
)

#: Decodes what :meth:`TaggedJSONSerializer.loads` reads, as ``json.loads``.
_decoder = json.JSONDecoder()

# What _decoder.raw_decode calls, called directly (one frame less a load).
_scan_once: t.Any = _decoder.scan_once  # type: ignore[attr-defined]

#: The types JSON writes as themselves and no built-in tag claims (exactly
#: these: a subclass may have an ``__html__`` or be claimed by a custom tag).
_SCALARS = frozenset({str, int, float, bool, type(None)})

#: How deep :func:`_plain` looks. Deeper values take the generic path, which
#: then fails or succeeds (recursion limits) on its own terms.
_PLAIN_DEPTH = 16


def _plain(value: t.Any, tags: cabc.Container[t.Any], depth: int) -> bool:
    """Whether the built-in tags leave ``value`` as it is: it is made only of
    JSON scalars, lists and string-keyed dicts, with no one-item dict whose
    key is in ``tags`` (which :class:`TagDict` would guard when dumping, and
    :meth:`TaggedJSONSerializer.untag` would convert when loading).
    """
    kind = type(value)
    items: cabc.Iterable[t.Any]
    if kind is dict:
        for key in value:
            if type(key) is not str or (key in tags and len(value) == 1):
                return False
        items = value.values()
    elif kind is list:
        items = value
    else:
        return kind in _SCALARS
    if not depth:
        return False
    for item in items:
        kind = type(item)
        if kind is dict or kind is list:
            if not _plain(item, tags, depth - 1):
                return False
        elif kind not in _SCALARS:
            return False
    return True


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

    __slots__ = ("tags", "order", "_builtin_order")

    #: The tag classes a new serializer registers, in this order: the
    #: container rules, then the leaf types.
    default_tags: t.ClassVar[list[type[JSONTag]]] = [*_CONTAINER_TAGS, *_LEAF_TAGS]

    def __init__(self) -> None:
        #: The registered tags in the order :meth:`tag` tries them.
        self.order: list[JSONTag] = []
        #: The registered tags by key, consulted when loading.
        self.tags: dict[str, JSONTag] = {}

        for tag_class in self.default_tags:
            self.register(tag_class)

        # The tags as registered, if they are the built-in ones: while
        # ``order`` still holds exactly these, a plain value needs no tagging.
        self._builtin_order: list[JSONTag] | None = (
            list(self.order) if list(map(type, self.order)) == _BUILTIN_ORDER else None
        )

    def register(
        self, tag_class: type[JSONTag], force: bool = False, index: int | None = None
    ) -> None:
        """Add a tag class to this serializer.

        The class is instantiated with this serializer. A tag with a
        :attr:`~JSONTag.key` becomes known for loading under that key; every
        tag joins :attr:`order`, the sequence :meth:`tag` tries.

        :param tag_class: the :class:`JSONTag` subclass to add.
        :param force: allow taking over a key another tag already has. The
            tag that had it is no longer used for loading but keeps its place
            in :attr:`order`.
        :param index: the position in :attr:`order`, with :meth:`list.insert`
            semantics; by default the tag goes last.
        :raises KeyError: when the key is taken and ``force`` is not set.
        """
        new_tag = tag_class(self)
        key = new_tag.key

        if key:
            if key in self.tags and not force:
                raise KeyError(f"Tag '{key}' is already registered.")
            self.tags[key] = new_tag

        self.order.insert(len(self.order) if index is None else index, new_tag)

    def tag(self, value: t.Any) -> t.Any:
        """Convert ``value`` with the first tag in :attr:`order` whose
        :meth:`~JSONTag.check` accepts it; a value no tag wants is returned
        as it is.

        :param value: the value to convert.
        """
        for candidate in self.order:
            if candidate.check(value):
                return candidate.tag(value)
        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Rebuild the Python value of one tagged JSON object.

        An object that is not exactly one item under a registered key is
        returned untouched. Only this level is handled: :meth:`loads` relies
        on the JSON decoder to call it for nested objects first.

        :param value: a decoded JSON object.
        """
        if len(value) == 1:
            [(key, inner)] = value.items()
            owner = self.tags.get(key)

            if owner is not None:
                return owner.to_python(inner)

        return value

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialize it to compact JSON text.

        :param value: the value to serialize.
        """
        if (
            self.order == self._builtin_order
            and type(self).tag is TaggedJSONSerializer.tag
            and _plain(value, self.tags, _PLAIN_DEPTH)
        ):
            # What tag() would return is an equal copy of the value.
            if _plain_encoder is not None:
                return "".join(_plain_encoder(value, 0))
            return _encoder.encode(value)
        return _encoder.encode(self.tag(value))

    def loads(self, value: str | bytes) -> t.Any:
        """Deserialize JSON text and untag the result.

        :param value: JSON text, as produced by :meth:`dumps`.
        """
        if type(self).untag is TaggedJSONSerializer.untag:
            # untag() changes exactly the one-item objects under a tag's key;
            # with none of those, the plain decoding is the answer.
            if type(value) is str:
                # json.loads without its two whitespace scans, for text that
                # is one JSON value and nothing else (what dumps writes);
                # anything else, errors included, goes the general way.
                try:
                    data, end = _scan_once(value, 0)
                except Exception:
                    end = -1
                whole = end == len(value)
            else:
                data, whole = json.loads(value), True
            if whole and _plain(data, self.tags, _PLAIN_DEPTH):
                return data
        # The decoder calls the hook on each object after its contents, so
        # every tag's to_python receives already untagged values.
        return json.loads(value, object_hook=self.untag)

    def with_json(self, provider: SessionJSON) -> ProviderTaggedJSON:
        """Return this serializer writing and reading through ``provider``
        instead of the standard library's encoder.

        The tags still convert the values they know; everything else, and
        the text itself, is the provider's: its fallback for unknown types
        and its key order apply, as they do for Flask's sessions.

        :param provider: an object with ``dumps(obj, **kwargs)`` and
            ``loads(s, **kwargs)``, such as a Flask app's ``app.json``.

        .. versionadded:: 0.1.0
        """
        return ProviderTaggedJSON(self, provider)


@dataclasses.dataclass(frozen=True)
class ProviderTaggedJSON:
    """A :class:`TaggedJSONSerializer` bound to a JSON provider: what
    :meth:`TaggedJSONSerializer.with_json` returns.

    Equal (and hashing equal) for the same serializer and provider, so a
    signing serializer built on it can be cached.

    .. versionadded:: 0.1.0
    """

    #: The serializer whose tags convert the values.
    tagged: TaggedJSONSerializer
    #: The provider that writes and reads the JSON text.
    provider: SessionJSON

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialize it with the provider, compactly.

        :param value: the value to serialize.
        """
        text: str = self.provider.dumps(self.tagged.tag(value), separators=(",", ":"))
        return text

    def loads(self, value: str | bytes) -> t.Any:
        """Deserialize ``value`` with the provider and untag the result.

        :param value: JSON text, as produced by :meth:`dumps`.
        """
        return self.provider.loads(value, object_hook=self.tagged.untag)
