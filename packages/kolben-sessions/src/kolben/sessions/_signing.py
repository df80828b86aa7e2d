"""The itsdangerous serializer session cookies are signed with, made cheap.

Built generically, an itsdangerous serializer creates a new signer for every
token it writes or checks, derives the signing key from the secret key again
each time (an HMAC of its own), and with a digest given as a plain function
(:func:`sha1` below) computes every HMAC in pure Python. The tokens depend on
none of that work: :class:`CookieSerializer` keeps one signer, which keeps
its derived keys, and hands OpenSSL the digest it names. Tokens, accepted
tokens and errors are itsdangerous' own, since itsdangerous makes them.
"""

from __future__ import annotations

import hashlib
import typing as t

from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner


def sha1(data: bytes = b"") -> t.Any:
    """The default digest for cookie signatures."""
    # Looked up on each call rather than at import: a FIPS build of Python may
    # lack SHA-1, and an app that configures another digest must still import.
    return hashlib.sha1(data)


class _KeyKeepingSigner(TimestampSigner):
    """A :class:`~itsdangerous.timed.TimestampSigner` that derives each
    secret key's signing key once.
    """

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        if kwargs.get("digest_method") is sha1:
            # The same digest; as a hashlib constructor, hmac computes it in C.
            kwargs["digest_method"] = hashlib.sha1
        super().__init__(*args, **kwargs)
        self._derived: dict[str | bytes | None, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """Return the signing key for ``secret_key`` (the newest secret key by
        default), derived once and then remembered.
        """
        try:
            return self._derived[secret_key]
        except KeyError:
            key = self._derived[secret_key] = super().derive_key(secret_key)
            return key


class CookieSerializer(URLSafeTimedSerializer):
    """The :class:`~itsdangerous.URLSafeTimedSerializer` of session cookies.

    It signs and verifies with one long-lived signer instead of a new one per
    token, when it is configured with the stock ``TimestampSigner``.
    """

    _kept_signer: TimestampSigner | None = None

    def make_signer(self, salt: str | bytes | None = None) -> TimestampSigner:
        """Return the signer for ``salt``: for the serializer's own salt, the
        one kept for every token; otherwise a new one, as itsdangerous does.
        """
        if (
            salt is not None and salt != self.salt
        ) or self.signer is not TimestampSigner:
            return super().make_signer(salt)  # type: ignore[return-value]
        signer = self._kept_signer
        if signer is None:
            signer = self._kept_signer = _KeyKeepingSigner(
                self.secret_keys, salt=self.salt, **self.signer_kwargs
            )
        return signer

    def loads(  # type: ignore[override]
        self,
        s: str | bytes,
        max_age: int | None = None,
        return_timestamp: bool = False,
        salt: str | bytes | None = None,
    ) -> t.Any:
        """Verify token ``s`` and return its data, as itsdangerous does.

        With a ``max_age``, no fallback signers and the stock signer, the one
        signer itsdangerous would try is asked directly, without the
        generator and the loop over fallback signers.
        """
        if (
            max_age is None
            or return_timestamp
            or self.fallback_signers
            or self.signer is not TimestampSigner
        ):
            return super().loads(s, max_age, return_timestamp, salt)
        signer = self.make_signer(salt)
        # With the timestamp, as itsdangerous asks: turning it into a
        # datetime fails for a time past the year 9999, and so must this.
        value, _ = signer.unsign(s, max_age=max_age, return_timestamp=True)
        return self.load_payload(value)
