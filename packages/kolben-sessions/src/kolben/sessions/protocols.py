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
