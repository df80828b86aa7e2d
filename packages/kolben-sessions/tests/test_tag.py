"""The tagged JSON serializer: Flask's wire format, tag registration, and
lossless round trips."""

from __future__ import annotations

import dataclasses
import decimal
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
