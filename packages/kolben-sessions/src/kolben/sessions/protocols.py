"""What a session interface reads from "the application".

A :class:`~kolben.sessions.SessionInterface` is handed an ``app`` object on
every call. Any object with the members of :class:`SessionApp` will do: the
``flask`` meta-package's ``Flask`` class is one,
:class:`~kolben.sessions.SessionMiddleware` is another, and a test can use a
three-attribute class of its own.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

if t.TYPE_CHECKING:
    from datetime import timedelta


@t.runtime_checkable
class SessionApp(t.Protocol):
    """An application a session interface can open and save sessions for.

    The interface reads these configuration keys from :attr:`config`, with
    Flask's default when a key is missing:

    - ``SECRET_KEY_FALLBACKS`` (``None``): older keys that still verify
      cookies, most recent first.
    - ``SESSION_COOKIE_NAME`` (``"session"``), ``SESSION_COOKIE_DOMAIN``
      (``None``), ``SESSION_COOKIE_PATH`` (``None``, meaning
      ``APPLICATION_ROOT``, itself ``"/"``), ``SESSION_COOKIE_HTTPONLY``
      (``True``), ``SESSION_COOKIE_SECURE`` (``False``),
      ``SESSION_COOKIE_SAMESITE`` (``None``), ``SESSION_COOKIE_PARTITIONED``
      (``False``): the cookie's attributes, one ``get_cookie_*`` method each.
    - ``SESSION_REFRESH_EACH_REQUEST`` (``True``): whether a permanent
      session's cookie is re-sent, with a new expiry, on every request.

    One member is optional and read with :func:`getattr`, so it is not part
    of the protocol's required shape:

    - ``session_json`` (a :class:`SessionJSON` or ``None``): the JSON the
      session data is written and read with, tags applied first. ``None`` or
      missing means the built-in encoding (sorted keys, ASCII, Flask's
      fallback for dates, decimals, UUIDs, dataclasses and HTML), which is
      what Flask writes with its default provider. The ``flask``
      meta-package supplies ``app.json`` here when the app has a provider of
      its own, so its ``default`` and ``sort_keys`` apply as in Flask.

      .. versionadded:: 0.1.0
    """

    @property
    def secret_key(self) -> str | bytes | None:
        """The key that signs new session cookies.

        Read on every open and save by
        :meth:`~kolben.sessions.SecureCookieSessionInterface.get_signing_serializer`;
        when it is empty, sessions cannot be opened and a
        :class:`~kolben.sessions.NullSession` stands in.
        """

    @property
    def config(self) -> cabc.Mapping[str, t.Any]:
        """The settings the session interface reads, by Flask's configuration
        key (see the table above).

        Read on every open and save, so changing a value takes effect on the
        next request.
        """

    @property
    def permanent_session_lifetime(self) -> timedelta:
        """How long a permanent session lasts.

        Sets the ``Expires`` of a permanent session's cookie when it is saved,
        and the maximum age of any cookie's signature when it is opened.
        """


class SessionJSON(t.Protocol):
    """A JSON provider session data can be written and read with: the shape of
    a Flask app's ``app.json``.

    A session interface calls it, when the app offers one as
    ``session_json``, with the already tagged value (see
    :mod:`kolben.sessions.tag`).

    .. versionadded:: 0.1.0
    """

    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        """Serialize ``obj``; called with ``separators=(",", ":")``."""

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        """Deserialize ``s``; called with ``object_hook`` set to the untagging
        function."""
