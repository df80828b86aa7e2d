"""The itsdangerous serializer session cookies are signed with, made cheap.

A session cookie is an itsdangerous URL-safe timed token. Built generically,
verifying one costs a new ``TimestampSigner``, two pure-Python HMACs (one of
them re-deriving the signing key from the secret key, which never changes)
and a dozen small helpers, and writing one costs the same again.
:class:`CookieSerializer` is a :class:`~itsdangerous.URLSafeTimedSerializer`
that derives its keys once and then performs the same steps inline, so that
its tokens are byte for byte those of the generic code and it accepts exactly
what the generic code accepts. Whenever its configuration is not the one the
inline steps reproduce (another signer class, fallback signers, an unknown
digest, a patched ``TimestampSigner.get_timestamp``), it defers to the
inherited methods.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
import typing as t
import zlib
from binascii import a2b_base64
from binascii import b2a_base64

from itsdangerous import URLSafeTimedSerializer
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.timed import TimestampSigner


def sha1(data: bytes = b"") -> t.Any:
    """The default digest for cookie signatures."""
    # Looked up on each call rather than at import: a FIPS build of Python may
    # lack SHA-1, and an app that configures another digest must still import.
    return hashlib.sha1(data)


# The translations of base64.urlsafe_b64encode and urlsafe_b64decode, applied
# around binascii directly as itsdangerous' base64_encode/base64_decode do
# through the base64 module.
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
_INT64 = struct.Struct(">Q")
_stock_get_timestamp = TimestampSigner.get_timestamp
_SIGNER_OPTIONS = frozenset({"key_derivation", "digest_method"})
_INVALID: t.Any = object()
#: The last timestamp :meth:`TimestampSigner.timestamp_to_datetime` converts.
_LAST_DATETIME = 253_402_300_799


# HMAC's key paddings (RFC 2104), as the hmac module applies them.
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class _Key(t.NamedTuple):
    """A derived signing key, with the digest states it starts HMACs from."""

    key: bytes
    #: The hash of the inner and outer padded key, copied for each message,
    #: or ``None`` for a digest only itsdangerous' algorithm knows how to
    #: call.
    pads: tuple[t.Any, t.Any] | None


class _Plan(t.NamedTuple):
    """What the inline steps need, computed once per serializer."""

    #: The keys that verify a signature, newest first.
    verify_keys: tuple[_Key, ...]
    #: The key that signs: the newest.
    sign_key: _Key
    algorithm: HMACAlgorithm


def _digest_name(method: t.Any) -> str | None:
    """The :mod:`hashlib` name of a digest constructor that is provably that
    hash (our lazy SHA-1 or a :mod:`hashlib` constructor), else ``None``."""
    if method is sha1:
        return "sha1"
    for name in sorted(hashlib.algorithms_guaranteed):
        if getattr(hashlib, name, None) is method:
            return name
    return None


def _pads(key: bytes, method: t.Any) -> tuple[t.Any, t.Any] | None:
    """The inner and outer HMAC states for ``key``, set up as
    :class:`hmac.HMAC` sets up its pure-Python states, if ``method`` is a
    :mod:`hashlib` hash and the result agrees with :func:`hmac.new`."""
    name = _digest_name(method)
    if name is None:
        return None
    try:
        make = getattr(hashlib, name)
        inner = make()
        outer = make()
        size = inner.block_size
        if size < 16:
            return None
        padded = (make(key).digest() if len(key) > size else key).ljust(size, b"\x00")
        inner.update(padded.translate(_IPAD))
        outer.update(padded.translate(_OPAD))
        pads = (inner, outer)
        probe = _mac(_Key(key, pads), b"probe", HMACAlgorithm(method))
        if probe != hmac.new(key, b"probe", method).digest():
            return None
    except Exception:
        # An OpenSSL without the algorithm, for one: itsdangerous' own path
        # then works or fails as it would have.
        return None
    return pads


def _mac(key: _Key, value: bytes, algorithm: HMACAlgorithm) -> bytes:
    """HMAC of ``value`` under ``key``: what ``algorithm.get_signature``
    returns."""
    pads = key.pads
    if pads is None:
        return algorithm.get_signature(key.key, value)
    inner = pads[0].copy()
    inner.update(value)
    outer = pads[1].copy()
    outer.update(inner.digest())
    return outer.digest()  # type: ignore[no-any-return]


class CookieSerializer(URLSafeTimedSerializer):
    """The :class:`~itsdangerous.URLSafeTimedSerializer` of session cookies.

    :meth:`dumps` and :meth:`loads` return what the inherited methods return
    for the same input, and :meth:`loads` raises what they raise; only the
    work in between is shorter.
    """

    #: Computed at first use; ``False`` when the inline steps do not apply.
    _plan: _Plan | t.Literal[False] | None = None

    def _prepare(self) -> _Plan | t.Literal[False]:
        """Derive the keys and check that the inline steps apply."""
        plan: _Plan | t.Literal[False] = False
        if (
            self.signer is TimestampSigner
            and not self.fallback_signers
            and not self.serializer_kwargs
            and _SIGNER_OPTIONS.issuperset(self.signer_kwargs)
        ):
            try:
                signer = self.make_signer()
                keys = [signer.derive_key(key) for key in signer.secret_keys]
            except Exception:
                # The generic code raises the same error when it is used.
                pass
            else:
                algorithm = signer.algorithm
                if keys and type(algorithm) is HMACAlgorithm and signer.sep == b".":
                    method = algorithm.digest_method
                    prepared = [_Key(key, _pads(key, method)) for key in keys]
                    plan = _Plan(tuple(reversed(prepared)), prepared[-1], algorithm)
        self._plan = plan
        return plan

    def dumps(self, obj: t.Any, salt: str | bytes | None = None) -> str:
        """Serialize, compress when shorter, timestamp and sign ``obj``, as
        :meth:`itsdangerous.URLSafeTimedSerializer.dumps` does.

        :param obj: the value to serialize.
        :param salt: a salt other than the serializer's own.
        """
        plan = self._plan
        if plan is None:
            plan = self._prepare()
        if (
            plan is False
            or salt is not None
            or TimestampSigner.get_timestamp is not _stock_get_timestamp
        ):
            return super().dumps(obj, salt)

        # dump_payload: the serializer's text as UTF-8, zlib-compressed when
        # that saves more than the one byte of the "." marking it.
        serializer: t.Any = self.serializer
        text = serializer.dumps(obj)
        data: bytes = text.encode() if isinstance(text, str) else text
        packed = zlib.compress(data)
        if len(packed) < len(data) - 1:
            payload = b"." + b2a_base64(packed, newline=False).translate(
                _TO_URLSAFE
            ).rstrip(b"=")
        else:
            payload = (
                b2a_base64(data, newline=False).translate(_TO_URLSAFE).rstrip(b"=")
            )
        # TimestampSigner.sign: payload.timestamp.signature
        stamp = _INT64.pack(int(time.time())).lstrip(b"\x00")
        value = (
            payload
            + b"."
            + b2a_base64(stamp, newline=False).translate(_TO_URLSAFE).rstrip(b"=")
        )
        mac = _mac(plan.sign_key, value, plan.algorithm)
        token = (
            value
            + b"."
            + b2a_base64(mac, newline=False).translate(_TO_URLSAFE).rstrip(b"=")
        )
        if self.is_text_serializer:
            return token.decode("utf-8")
        return token  # type: ignore[return-value]

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """Verify and deserialize a token, as
        :meth:`itsdangerous.URLSafeTimedSerializer.loads` does.

        :param s: the token.
        :param max_age: the oldest a signature may be, in seconds.
        :param return_timestamp: return ``(value, signed_at)``.
        :param salt: a salt other than the serializer's own.
        """
        if max_age is not None and not return_timestamp and salt is None:
            plan = self._plan
            if plan is None:
                plan = self._prepare()
            if (
                plan is not False
                and TimestampSigner.get_timestamp is _stock_get_timestamp
            ):
                rv = self._open(s, max_age, plan)
                if rv is not _INVALID:
                    return rv
        # Also for every token the inline steps reject: the generic code then
        # raises the precise error.
        return super().loads(
            s, max_age=max_age, return_timestamp=return_timestamp, salt=salt
        )

    def _open(self, s: str | bytes, max_age: int, plan: _Plan) -> t.Any:
        """The value of a valid token, or ``_INVALID`` where the generic code
        would raise :exc:`~itsdangerous.BadData`."""
        signed = s.encode() if isinstance(s, str) else s
        # Signer.unsign: split off and check the signature, trying the keys
        # newest first.
        value, dot, sig = signed.rpartition(b".")
        if not dot:
            return _INVALID
        try:
            mac = a2b_base64((sig + b"=" * (-len(sig) % 4)).translate(_FROM_URLSAFE))
        except Exception:
            return _INVALID
        algorithm = plan.algorithm
        for key in plan.verify_keys:
            if hmac.compare_digest(mac, _mac(key, value, algorithm)):
                break
        else:
            return _INVALID
        # TimestampSigner.unsign: split off and check the timestamp. The
        # generic code also converts it to a datetime, which fails only past
        # the year 9999.
        payload, dot, stamp = value.rpartition(b".")
        if not dot:
            return _INVALID
        try:
            signed_at = _INT64.unpack(
                a2b_base64(
                    (stamp + b"=" * (-len(stamp) % 4)).translate(_FROM_URLSAFE)
                ).rjust(8, b"\x00")
            )[0]
        except Exception:
            return _INVALID
        age = int(time.time()) - signed_at
        if age > max_age or age < 0 or signed_at > _LAST_DATETIME:
            return _INVALID
        # URLSafeSerializerMixin.load_payload, then Serializer.load_payload.
        compressed = payload[:1] == b"."
        if compressed:
            payload = payload[1:]
        try:
            data = a2b_base64(
                (payload + b"=" * (-len(payload) % 4)).translate(_FROM_URLSAFE)
            )
            if compressed:
                data = zlib.decompress(data)
            serializer: t.Any = self.serializer
            if self.is_text_serializer:
                return serializer.loads(data.decode("utf-8"))
            return serializer.loads(data)
        except Exception:
            return _INVALID
