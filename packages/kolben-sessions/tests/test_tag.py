"""The tagged JSON serializer: Flask's wire format, tag registration, and
lossless round trips."""

from __future__ import annotations

import dataclasses
import decimal
import json
import sys
import typing as t
from datetime import date
from datetime import datetime
from datetime import timezone
from uuid import UUID
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from kolben.sessions.tag import JSONTag
from kolben.sessions.tag import PassDict
from kolben.sessions.tag import PassList
from kolben.sessions.tag import TagBytes
from kolben.sessions.tag import TagDateTime
from kolben.sessions.tag import TagDict
from kolben.sessions.tag import TaggedJSONSerializer
from kolben.sessions.tag import TagMarkup
from kolben.sessions.tag import TagTuple
from kolben.sessions.tag import TagUUID


def same(a: t.Any, b: t.Any) -> bool:
    """Equal and of the same types all the way down (a tuple is not a list)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same, a, b))
    return bool(a == b)


@pytest.mark.parametrize(
    "value",
    [
        {" t": (1, 2, 3)},
        {" t__": b"a"},
        {" di": " di"},
        {"x": (1, 2, 3), "y": 4},
        (1, 2, 3),
        [(1, 2, 3)],
        b"\xff",
        Markup("<html>"),
        uuid4(),
        datetime.now(tz=timezone.utc).replace(microsecond=0),
    ],
)
def test_values_load_back_unchanged(value: t.Any) -> None:
    s = TaggedJSONSerializer()
    assert same(s.loads(s.dumps(value)), value)


def test_writes_flasks_wire_format() -> None:
    # Flask 3.1.3 wrote exactly this text for the same session data.
    value = {
        "a": [1, {"q": (3,)}],
        "b": b"\xff",
        "d": datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        "di": {" t": "x"},
        "m": Markup("<b>"),
        "t": (1, 2),
        "u": UUID(int=5),
        "z": 1,
    }
    expected = (
        '{"a":[1,{"q":{" t":[3]}}],"b":{" b":"/w=="},'
        '"d":{" d":"Thu, 02 Jan 2020 03:04:05 GMT"},"di":{" di":{" t__":"x"}},'
        '"m":{" m":"<b>"},"t":{" t":[1,2]},'
        '"u":{" u":"00000000000000000000000000000005"},"z":1}'
    )
    s = TaggedJSONSerializer()
    assert s.dumps(value) == expected
    assert same(s.loads(expected), value)


def test_a_dict_that_looks_tagged_is_protected() -> None:
    s = TaggedJSONSerializer()
    assert s.dumps({" t": "not a tuple"}) == '{" di":{" t__":"not a tuple"}}'
    assert s.loads('{" t": [1]}') == (1,)
    assert s.loads('{" di": {" t__": [1]}}') == {" t": [1]}


def test_untagged_objects_pass_through() -> None:
    s = TaggedJSONSerializer()
    assert s.loads('{" nope": 1}') == {" nope": 1}
    assert s.loads('{" t": 1, "x": 2}') == {" t": 1, "x": 2}
    assert s.untag({"a": 1, "b": 2}) == {"a": 1, "b": 2}


def test_datetimes_are_utc_to_the_second() -> None:
    s = TaggedJSONSerializer()
    naive = datetime(2024, 5, 6, 7, 8, 9, 123456)
    loaded = s.loads(s.dumps(naive))
    assert loaded == datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


def test_objects_with_html_load_as_markup() -> None:
    class Safe:
        def __html__(self) -> str:
            return "<i>safe</i>"

    s = TaggedJSONSerializer()
    loaded = s.loads(s.dumps({"html": Safe()}))
    assert type(loaded["html"]) is Markup
    assert loaded["html"] == "<i>safe</i>"


def test_json_extras_are_written_like_flask() -> None:
    @dataclasses.dataclass
    class Point:
        x: int
        y: int

    s = TaggedJSONSerializer()
    text = s.dumps(
        {"d": date(2024, 1, 2), "n": decimal.Decimal("1.50"), "p": Point(1, 2)}
    )
    assert s.loads(text) == {
        "d": "Tue, 02 Jan 2024 00:00:00 GMT",
        "n": "1.50",
        "p": {"x": 1, "y": 2},
    }

    with pytest.raises(TypeError, match="not JSON serializable"):
        s.dumps({"x": object()})


def test_default_tags_and_their_order() -> None:
    s = TaggedJSONSerializer()
    assert [type(tag) for tag in s.order] == [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]
    assert sorted(s.tags) == [" b", " d", " di", " m", " t", " u"]


def test_base_tag_methods_must_be_implemented() -> None:
    tag = JSONTag(None)  # type: ignore[arg-type]
    for method in (tag.check, tag.to_json, tag.to_python):
        with pytest.raises(NotImplementedError):
            method(None)


def test_registering_a_taken_key_needs_force() -> None:
    class OtherDict(JSONTag):
        key = " d"

    s = TaggedJSONSerializer()

    with pytest.raises(KeyError, match="already registered"):
        s.register(OtherDict)

    s.register(OtherDict, force=True, index=0)
    assert isinstance(s.tags[" d"], OtherDict)
    assert isinstance(s.order[0], OtherDict)


def test_register_index_places_the_tag() -> None:
    class First(JSONTag):
        key = " 1"

    class Second(JSONTag):
        key = " 2"

    s = TaggedJSONSerializer()
    s.register(First, index=-1)
    assert isinstance(s.order[-2], First)
    s.register(Second, index=None)
    assert isinstance(s.order[-1], Second)


class Temperature:
    def __init__(self, celsius: float) -> None:
        self.celsius = celsius


class TagTemperature(JSONTag):
    __slots__ = ()
    key = " temp"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, Temperature)

    def to_json(self, value: t.Any) -> t.Any:
        return self.serializer.tag(value.celsius)

    def to_python(self, value: t.Any) -> t.Any:
        return Temperature(value)


def test_custom_tag_round_trips() -> None:
    s = TaggedJSONSerializer()
    s.register(TagTemperature)
    text = s.dumps({"today": Temperature(21.5)})
    assert text == '{"today":{" temp":21.5}}'
    assert s.loads(text)["today"].celsius == 21.5


def test_registration_is_per_serializer() -> None:
    s = TaggedJSONSerializer()
    s.register(TagTemperature)
    assert " temp" not in TaggedJSONSerializer().tags


def test_a_builtin_tag_can_be_subclassed_and_swapped_in() -> None:
    class TagPreciseDateTime(TagDateTime):
        __slots__ = ()

        def to_json(self, value: t.Any) -> t.Any:
            return value.isoformat()

        def to_python(self, value: t.Any) -> t.Any:
            return datetime.fromisoformat(value)

    class PassSortedList(PassList):
        __slots__ = ()

        def to_json(self, value: t.Any) -> t.Any:
            return sorted(super().to_json(value))

    s = TaggedJSONSerializer()
    s.register(TagPreciseDateTime, force=True, index=0)
    s.register(PassSortedList, index=0)
    moment = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)

    assert s.dumps([3, 1, 2]) == "[1,2,3]"
    assert s.loads(s.dumps({"at": moment})) == {"at": moment}


def test_tagging_a_plain_value_returns_it_unchanged() -> None:
    s = TaggedJSONSerializer()
    assert s.tag("text") == "text"
    assert s.tag(None) is None


tag_like_keys = st.sampled_from([" t", " b", " m", " u", " d", " di", " t__", "x"])
datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)
).map(lambda d: d.replace(microsecond=0, tzinfo=timezone.utc))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary()
    | st.uuids()
    | st.text().map(Markup)
    | datetimes
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text() | tag_like_keys, children, max_size=4)
    ),
    max_leaves=20,
)


@given(values)
def test_any_taggable_value_round_trips(value: t.Any) -> None:
    s = TaggedJSONSerializer()
    assert same(s.loads(s.dumps(value)), value)


@given(st.dictionaries(st.text() | tag_like_keys, values, max_size=6))
def test_output_is_deterministic_compact_ascii(value: dict[str, t.Any]) -> None:
    s = TaggedJSONSerializer()
    text = s.dumps(value)
    assert text.isascii()
    assert text == s.dumps(dict(reversed(value.items())))


# The fast path for values that need no tags


class NeverTag(JSONTag):
    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return False


class GenericPath(TaggedJSONSerializer):
    """A serializer that always walks its tags: a tag added to the built-in
    ones (one that never applies) and an overridden untag() turn the
    plain-value shortcuts off, without adding stack frames to tag()."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()
        self.register(NeverTag)

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        return super().untag(value)


def nested(depth: int, leaf: t.Any) -> t.Any:
    value = leaf
    for level in range(depth):
        value = {"k": value} if level % 2 else [value, 1]
    return value


class Number(int):
    pass


json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text() | tag_like_keys, children, max_size=4)
    ),
    max_leaves=20,
)
# Values the shortcut must refuse: subclasses of plain types, non-string keys,
# nesting past the depth it checks, as well as every taggable value.
odd_values = (
    st.integers().map(Number)
    | st.text().map(Markup)
    | st.dictionaries(st.integers() | st.text(), json_scalars, max_size=3)
    | st.tuples(st.integers(0, 40), json_values).map(lambda p: nested(*p))
)
dumpable = st.recursive(
    json_scalars | odd_values | values,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text() | tag_like_keys, children, max_size=3)
    ),
    max_leaves=12,
)


def outcome(call: t.Callable[..., t.Any], *args: t.Any) -> tuple[str, t.Any]:
    try:
        return "value", call(*args)
    except Exception as e:
        return "error", type(e)


@given(dumpable | st.floats())
def test_dumps_writes_what_tagging_every_value_writes(value: t.Any) -> None:
    assert outcome(TaggedJSONSerializer().dumps, value) == outcome(
        GenericPath().dumps, value
    )


def test_a_value_too_deep_for_tagging_fails_as_before() -> None:
    # tag() takes several frames per level, so this fails there. Past a few
    # levels the shortcut steps aside instead of succeeding where it did not.
    # (Not a hypothesis test: hypothesis raises the recursion limit.)
    value = nested(sys.getrecursionlimit() // 2, None)
    assert outcome(GenericPath().dumps, value) == ("error", RecursionError)
    assert outcome(TaggedJSONSerializer().dumps, value) == ("error", RecursionError)


@given(dumpable)
def test_loads_reads_what_untagging_every_object_reads(value: t.Any) -> None:
    # Tagged text, and raw JSON in which tag keys appear untagged.
    written = [outcome(GenericPath().dumps, value), outcome(json.dumps, value)]
    for text in (text for kind, text in written if kind == "value"):
        fast = outcome(TaggedJSONSerializer().loads, text)
        generic = outcome(GenericPath().loads, text)
        assert fast[0] == generic[0]
        assert same(fast[1], generic[1]) if fast[0] == "value" else fast == generic


def test_a_registered_tag_for_plain_values_is_used() -> None:
    class TagInt(JSONTag):
        __slots__ = ()
        key = " i"

        def check(self, value: t.Any) -> bool:
            return type(value) is int

        def to_json(self, value: t.Any) -> t.Any:
            return str(value)

        def to_python(self, value: t.Any) -> t.Any:
            return int(value)

    s = TaggedJSONSerializer()
    s.register(TagInt, index=0)
    assert s.dumps({"a": 1}) == '{"a":{" i":"1"}}'
    assert s.loads('{"a":{" i":"1"}}') == {"a": 1}

    inserted = TaggedJSONSerializer()
    inserted.order.insert(0, TagInt(inserted))
    assert inserted.dumps([2]) == '[{" i":"2"}]'


def test_a_tag_keyed_like_plain_data_loads_it() -> None:
    class TagVisits(JSONTag):
        __slots__ = ()
        key = "visits"

        def check(self, value: t.Any) -> bool:
            return False

        def to_python(self, value: t.Any) -> t.Any:
            return ("visits", value)

    s = TaggedJSONSerializer()
    s.register(TagVisits)
    assert s.loads('{"visits":1}') == ("visits", 1)
    assert s.loads('{"visits":1,"other":2}') == {"visits": 1, "other": 2}


def test_uuid_and_decimal_are_not_imported_until_a_value_needs_them() -> None:
    # Importing the sessions loads neither module; values created after the
    # import are still recognised, and a loaded UUID is a real uuid.UUID.
    import subprocess

    code = (
        "import sys\n"
        "from kolben.sessions.tag import TaggedJSONSerializer\n"
        "assert 'uuid' not in sys.modules and 'decimal' not in sys.modules\n"
        "s = TaggedJSONSerializer()\n"
        "import uuid, decimal\n"
        "u = uuid.UUID(int=7)\n"
        "text = s.dumps({'u': u, 'n': decimal.Decimal('1.50')})\n"
        'assert text == \'{"n":"1.50","u":{" u":"%s"}}\' % u.hex, text\n'
        "assert s.loads(text)['u'] == u and type(s.loads(text)['u']) is uuid.UUID\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
