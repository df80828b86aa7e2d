"""The session cookie serializer, which keeps one signer and its derived keys,
against itsdangerous' plain serializer: the same tokens written, the same
tokens accepted, the same errors."""

from __future__ import annotations

import hashlib
import json
import pickle
import typing as t
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from kolben.sessions import session_json_serializer
from kolben.sessions._signing import CookieSerializer
from kolben.sessions._signing import sha1 as lazy_sha1


def python_sha256(data: bytes = b"") -> t.Any:
    """A digest only itsdangerous' algorithm knows how to call."""
    return hashlib.sha256(data)


def pair(
    keys: list[str],
    salt: str = "cookie-session",
    digest: t.Any = lazy_sha1,
    derivation: str = "hmac",
    serializer: t.Any = session_json_serializer,
    **options: t.Any,
) -> tuple[CookieSerializer, URLSafeTimedSerializer]:
    settings: dict[str, t.Any] = {
        "salt": salt,
        "serializer": serializer,
        "signer_kwargs": {"key_derivation": derivation, "digest_method": digest},
        **options,
    }
    return CookieSerializer(keys, **settings), URLSafeTimedSerializer(keys, **settings)


def outcome(call: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any) -> t.Any:
    try:
        return "value", call(*args, **kwargs)
    except Exception as e:
        return "error", type(e)


def at(now: float) -> t.Any:
    """Run with ``time.time()`` returning ``now``, as both sides read it."""
    return mock.patch("time.time", return_value=now)


keys = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3)
configs = st.fixed_dictionaries(
    {
        "keys": keys,
        "salt": st.sampled_from(["cookie-session", "other", ""]),
        "digest": st.sampled_from(
            [lazy_sha1, hashlib.sha1, hashlib.sha256, hashlib.md5, python_sha256]
        ),
        "derivation": st.sampled_from(["hmac", "concat", "django-concat", "none"]),
    }
)
data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=16,
)
sessions = st.dictionaries(st.text(max_size=8), data, max_size=5)
LAST_DATETIME = 253_402_300_799  # 9999-12-31 23:59:59 UTC
moments = st.integers(min_value=0, max_value=LAST_DATETIME + 200) | st.sampled_from(
    [0, 1_700_000_000, LAST_DATETIME - 1, LAST_DATETIME, LAST_DATETIME + 1]
)


@given(configs, sessions, st.integers(0, LAST_DATETIME))
def test_writes_the_generic_token(
    config: dict[str, t.Any], session: dict[str, t.Any], now: int
) -> None:
    fast, generic = pair(**config)
    with at(now + 0.5):
        assert fast.dumps(session) == generic.dumps(session)


@st.composite
def tokens(draw: st.DrawFn) -> tuple[dict[str, t.Any], str, int, int]:
    """A config, a token (valid, signed with one of the keys or another key,
    or damaged), and when and how strictly it is checked."""
    config = draw(configs)
    signed_at = draw(moments)
    signer_keys = draw(st.sampled_from([[k] for k in config["keys"]] + [["stranger"]]))
    _, writer = pair(**{**config, "keys": signer_keys})
    with at(signed_at):
        token = writer.dumps(draw(sessions))
    damage = draw(
        st.sampled_from(["none", "none", "none", "replace", "cut", "extend", "random"])
    )
    if damage == "replace":
        index = draw(st.integers(0, len(token) - 1))
        token = token[:index] + draw(st.characters()) + token[index + 1 :]
    elif damage == "cut":
        token = token[: draw(st.integers(0, len(token)))]
    elif damage == "extend":
        token += draw(st.text(max_size=4))
    elif damage == "random":
        token = draw(st.text())
    max_age = draw(st.integers(-1, 100))
    age = draw(st.sampled_from([-1, 0, max_age, max_age + 1]) | st.integers(-5, 100))
    return config, token, signed_at + age, max_age


@given(tokens())
def test_accepts_exactly_the_tokens_itsdangerous_accepts(
    case: tuple[dict[str, t.Any], str, int, int],
) -> None:
    config, token, checked_at, max_age = case
    fast, generic = pair(**config)
    with at(checked_at + 0.5):
        expected = outcome(generic.loads, token, max_age=max_age)
        # Twice: the second check runs on the keys kept from the first.
        assert outcome(fast.loads, token, max_age=max_age) == expected
        assert outcome(fast.loads, token, max_age=max_age) == expected


@given(st.sampled_from(["hmac", "concat", "django-concat", "none"]), st.binary())
def test_kept_keys_sign_as_itsdangerous_does(derivation: str, message: bytes) -> None:
    for digest in (lazy_sha1, hashlib.sha1, hashlib.sha512, python_sha256):
        # Keys around and past the block sizes of SHA-1 (64) and SHA-512 (128).
        secrets = ["k" * n for n in (1, 63, 64, 65, 127, 128, 129)]
        fast, generic = pair(secrets, digest=digest, derivation=derivation)
        for _ in range(2):
            kept, plain = fast.make_signer(), generic.make_signer()
            for secret in [None, *plain.secret_keys]:
                assert kept.derive_key(secret) == plain.derive_key(secret)
            assert kept.get_signature(message) == plain.get_signature(message)


@given(sessions, st.sampled_from(["other", "cookie-session", b"cookie-session"]))
def test_a_salt_given_per_call_is_used(session: dict[str, t.Any], salt: t.Any) -> None:
    fast, generic = pair(["key"])
    with at(1_700_000_000):
        token = fast.dumps(session, salt=salt)
        assert token == generic.dumps(session, salt=salt)
        assert fast.loads(token, max_age=10, salt=salt) == session


@pytest.mark.parametrize("size", range(1, 20))
def test_compression_is_used_exactly_when_itsdangerous_uses_it(size: int) -> None:
    # Around 11 repeated characters, zlib's output is one byte shorter than
    # the JSON, which is not short enough to be used.
    fast, generic = pair(["key"])
    with at(1_700_000_000):
        assert fast.dumps({"k": "a" * size}) == generic.dumps({"k": "a" * size})


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(), max_size=4))
def test_a_binary_serializer_is_handled_as_itsdangerous_does(
    session: dict[str, t.Any],
) -> None:
    fast, generic = pair(["key"], serializer=pickle)
    with at(1_700_000_000):
        token = fast.dumps(session)
        assert isinstance(token, bytes)
        assert token == generic.dumps(session)
        assert fast.loads(token, max_age=10) == session


class IndentedJSON:
    """A serializer that takes options."""

    @staticmethod
    def dumps(obj: t.Any, **options: t.Any) -> str:
        return json.dumps(obj, **options)

    @staticmethod
    def loads(text: str) -> t.Any:
        return json.loads(text)


@pytest.mark.parametrize(
    "options",
    [
        {"fallback_signers": [{"digest_method": hashlib.sha512}]},
        {"serializer_kwargs": {"indent": 1}},
    ],
)
def test_other_configurations_use_the_generic_steps(options: dict[str, t.Any]) -> None:
    fast, generic = pair(["key"], serializer=IndentedJSON, **options)
    with at(1_700_000_000):
        token = fast.dumps({"a": 1})
        assert token == generic.dumps({"a": 1})
        assert fast.loads(token, max_age=10) == {"a": 1}


def test_an_unknown_key_derivation_fails_as_in_itsdangerous() -> None:
    fast, generic = pair(["key"], derivation="bogus")
    assert outcome(fast.dumps, {"a": 1}) == outcome(generic.dumps, {"a": 1})
    assert outcome(fast.dumps, {"a": 1}) == ("error", TypeError)


def test_a_patched_timestamp_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    from itsdangerous.timed import TimestampSigner

    fast, generic = pair(["key"])
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000)
    token = fast.dumps({"a": 1})
    assert token == generic.dumps({"a": 1})
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_020)
    assert outcome(fast.loads, token, max_age=10) == outcome(
        generic.loads, token, max_age=10
    )


@given(tokens(), st.booleans())
def test_loads_without_max_age_or_with_the_timestamp_is_itsdangerous(
    case: tuple[dict[str, t.Any], str, int, int], with_timestamp: bool
) -> None:
    # The direct path only serves a max_age without the timestamp; these
    # calls take itsdangerous' own steps and must answer as they do.
    config, token, checked_at, max_age = case
    fast, generic = pair(**config)
    options: dict[str, t.Any] = (
        {"max_age": max_age, "return_timestamp": True}
        if with_timestamp
        else {"max_age": None}
    )
    with at(checked_at + 0.5):
        assert outcome(fast.loads, token, **options) == outcome(
            generic.loads, token, **options
        )
