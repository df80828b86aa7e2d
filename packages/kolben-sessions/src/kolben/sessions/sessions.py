"""Session objects and the interfaces that load and store them.

A *session* is a dict-like object holding one client's data between
requests. A *session interface* opens it from a request and saves it to a
response. :class:`SecureCookieSessionInterface` keeps the whole session in a
cookie signed with itsdangerous: the client can read the data but not change
it, and the server keeps no state. Its cookies are the ones Flask writes.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import typing as t
from datetime import datetime
from datetime import timezone

from itsdangerous import BadData
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import Headers
from werkzeug.sansio.response import Response as _SansIOResponse

from ._signing import CookieSerializer
from ._signing import sha1 as _sha1
from .tag import TaggedJSONSerializer

if t.TYPE_CHECKING:
    from werkzeug.sansio.request import Request
    from werkzeug.sansio.response import Response

    from .protocols import SessionApp

#: The session cookie's attributes, as ``set_cookie`` names them, in the
#: order :meth:`SessionInterface._cookie_settings` gives them.
_COOKIE_ATTRIBUTES = ("path", "domain", "secure", "httponly", "samesite", "partitioned")


class SessionMixin(cabc.MutableMapping[str, t.Any]):
    """The attributes every session has, on top of the mapping interface.

    A session class is a mutable mapping that also inherits this mixin; the
    simplest one is ``class Session(dict, SessionMixin): pass``. The flags
    default to the safe values for an implementation that cannot track
    changes: always save, always send ``Vary: Cookie``.
    """

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session, stored under the
        ``"_permanent"`` key.

        A permanent session's cookie expires after the app's
        ``permanent_session_lifetime``; any other session cookie is deleted
        when the browser closes.
        """
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    #: Whether the session was newly created rather than loaded. Not every
    #: implementation can tell, so this is ``False`` unless it can.
    new = False

    #: Whether the session changed and must be saved. An implementation that
    #: cannot detect changes leaves this ``True``.
    modified = True

    #: Whether the session was read or written, which makes the response
    #: depend on the cookie (``Vary: Cookie``). An implementation that cannot
    #: detect access leaves this ``True``.
    accessed = True


class SecureCookieSession(dict[str, t.Any], SessionMixin):
    """A dict that records reads in :attr:`accessed` and changes in
    :attr:`modified`.

    Every read of a key, of the keys, the values, the length or membership
    sets :attr:`accessed`; every write through the session's own methods
    sets both :attr:`modified` and :attr:`accessed`.

    Changes *inside* a stored mutable value are invisible to the session:
    after ``session["cart"].append(item)`` the session is not marked
    modified, and the change is not saved unless you set
    ``session.modified = True`` yourself (or assign the value again).

    :param initial: the session's initial data.
    """

    #: Set when a write went through this session, so it must be saved.
    modified = False

    #: Set when the session was read or written during this request.
    accessed = False

    def __init__(
        self,
        initial: cabc.Mapping[str, t.Any]
        | cabc.Iterable[tuple[str, t.Any]]
        | None = None,
    ) -> None:
        if initial is None:
            super().__init__()
        else:
            super().__init__(initial)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"

    # Reads.

    def __getitem__(self, key: str) -> t.Any:
        self.accessed = True
        return super().__getitem__(key)

    def get(self, key: str, default: t.Any = None) -> t.Any:
        self.accessed = True
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.accessed = True
        return super().__contains__(key)

    def __len__(self) -> int:
        self.accessed = True
        return super().__len__()

    def __iter__(self) -> cabc.Iterator[str]:
        self.accessed = True
        return super().__iter__()

    def keys(self) -> t.Any:
        self.accessed = True
        return super().keys()

    def values(self) -> t.Any:
        self.accessed = True
        return super().values()

    def items(self) -> t.Any:
        self.accessed = True
        return super().items()

    def copy(self) -> dict[str, t.Any]:
        self.accessed = True
        return super().copy()

    # Writes.

    def __setitem__(self, key: str, value: t.Any) -> None:
        super().__setitem__(key, value)
        self.modified = self.accessed = True

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.modified = self.accessed = True

    def clear(self) -> None:
        super().clear()
        self.modified = self.accessed = True

    def pop(self, key: str, *default: t.Any) -> t.Any:
        self.accessed = True
        present = dict.__contains__(self, key)
        rv = super().pop(key, *default)

        if present:
            self.modified = True

        return rv

    def popitem(self) -> tuple[str, t.Any]:
        self.accessed = True
        rv = super().popitem()
        self.modified = True
        return rv

    def setdefault(self, key: str, default: t.Any = None) -> t.Any:
        self.accessed = True

        if not dict.__contains__(self, key):
            self.modified = True

        return super().setdefault(key, default)

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().update(*args, **kwargs)
        self.modified = self.accessed = True

    def __ior__(self, other: t.Any) -> SecureCookieSession:  # type: ignore[override,misc]
        self.update(other)
        return self


class NullSession(SecureCookieSession):
    """The session used when no real one could be opened, normally because
    no secret key is set.

    It can be read (it is always empty) but every write raises a
    :exc:`RuntimeError` that says what is missing.
    """

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        raise RuntimeError(
            "The session is unavailable because no secret key was set. Set the"
            " secret_key on the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = _fail
    setdefault = update = __ior__ = _fail


class SessionInterface:
    """The interface an application uses to open and save sessions.

    Subclass it to store sessions elsewhere (a database, a cache), and
    implement :meth:`open_session` and :meth:`save_session`; the other
    methods read the cookie settings and the refresh policy from the app's
    configuration (see :class:`~kolben.sessions.protocols.SessionApp`) and
    can be overridden one by one.

    :meth:`open_session` may return ``None`` to say the session cannot be
    opened; the caller then uses :meth:`make_null_session`, and a session
    for which :meth:`is_null_session` is true is never saved.
    """

    #: The class :meth:`make_null_session` instantiates.
    null_session_class: type[SessionMixin] = NullSession

    #: Whether the session data is pickled. Informational: nothing in this
    #: package reads it.
    pickle_based = False

    def make_null_session(self, app: SessionApp) -> SessionMixin:
        """Return a stand-in session for a request whose session could not be
        opened, so that reading it still works and writing explains why not.

        :param app: the application.
        """
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Return whether ``obj`` is a null session, which must not be saved.

        :param obj: the session to check.
        """
        cls = self.null_session_class
        if cls is NullSession and type(obj) is SecureCookieSession:
            # Answered without the abc machinery: NullSession subclasses
            # SecureCookieSession and has no __subclasshook__, and abc refuses
            # to register a class (or any base of it) as a virtual subclass of
            # its own subclass, so such an object is never a NullSession.
            return False
        return isinstance(obj, cls)

    def get_cookie_name(self, app: SessionApp) -> str:
        """The session cookie's name: ``SESSION_COOKIE_NAME``.

        :param app: the application.
        """
        name: str = app.config.get("SESSION_COOKIE_NAME", "session")
        return name

    def get_cookie_domain(self, app: SessionApp) -> str | None:
        """The session cookie's ``Domain``: ``SESSION_COOKIE_DOMAIN``, or
        ``None`` to leave the attribute out and limit the cookie to the exact
        host.

        :param app: the application.
        """
        domain: str | None = app.config.get("SESSION_COOKIE_DOMAIN")
        return domain

    def get_cookie_path(self, app: SessionApp) -> str:
        """The session cookie's ``Path``: ``SESSION_COOKIE_PATH``, or
        ``APPLICATION_ROOT`` when that is unset.

        :param app: the application.
        """
        config = app.config
        path: str = config.get("SESSION_COOKIE_PATH") or config.get(
            "APPLICATION_ROOT", "/"
        )
        return path

    def get_cookie_httponly(self, app: SessionApp) -> bool:
        """Whether the cookie is hidden from JavaScript:
        ``SESSION_COOKIE_HTTPONLY``.

        :param app: the application.
        """
        return bool(app.config.get("SESSION_COOKIE_HTTPONLY", True))

    def get_cookie_secure(self, app: SessionApp) -> bool:
        """Whether the cookie is only sent over HTTPS: ``SESSION_COOKIE_SECURE``.

        :param app: the application.
        """
        return bool(app.config.get("SESSION_COOKIE_SECURE", False))

    def get_cookie_samesite(self, app: SessionApp) -> str | None:
        """The cookie's ``SameSite`` policy (``"Strict"``, ``"Lax"`` or
        ``"None"``): ``SESSION_COOKIE_SAMESITE``; ``None`` leaves it out.

        :param app: the application.
        """
        samesite: str | None = app.config.get("SESSION_COOKIE_SAMESITE")
        return samesite

    def get_cookie_partitioned(self, app: SessionApp) -> bool:
        """Whether the cookie is partitioned (CHIPS): ``SESSION_COOKIE_PARTITIONED``.

        :param app: the application.
        """
        return bool(app.config.get("SESSION_COOKIE_PARTITIONED", False))

    def _cookie_settings(self, app: SessionApp) -> tuple[str, tuple[t.Any, ...]]:
        """The cookie's name, and its attributes in the order of
        :data:`_COOKIE_ATTRIBUTES`, from the ``get_cookie_*`` methods."""
        cls = type(self)
        if (
            cls.get_cookie_name is SessionInterface.get_cookie_name
            and cls.get_cookie_path is SessionInterface.get_cookie_path
            and cls.get_cookie_domain is SessionInterface.get_cookie_domain
            and cls.get_cookie_secure is SessionInterface.get_cookie_secure
            and cls.get_cookie_httponly is SessionInterface.get_cookie_httponly
            and cls.get_cookie_samesite is SessionInterface.get_cookie_samesite
            and cls.get_cookie_partitioned is SessionInterface.get_cookie_partitioned
        ):
            # What the getters above return, read from the config in one
            # pass rather than seven calls (the tests compare the two).
            get = app.config.get
            return get("SESSION_COOKIE_NAME", "session"), (
                get("SESSION_COOKIE_PATH") or get("APPLICATION_ROOT", "/"),
                get("SESSION_COOKIE_DOMAIN"),
                bool(get("SESSION_COOKIE_SECURE", False)),
                bool(get("SESSION_COOKIE_HTTPONLY", True)),
                get("SESSION_COOKIE_SAMESITE"),
                bool(get("SESSION_COOKIE_PARTITIONED", False)),
            )
        return self.get_cookie_name(app), (
            self.get_cookie_path(app),
            self.get_cookie_domain(app),
            self.get_cookie_secure(app),
            self.get_cookie_httponly(app),
            self.get_cookie_samesite(app),
            self.get_cookie_partitioned(app),
        )

    def _cookie_attributes(self, app: SessionApp) -> dict[str, t.Any]:
        """The attributes the session cookie is set and deleted with, as
        ``set_cookie``'s keyword arguments."""
        return dict(zip(_COOKIE_ATTRIBUTES, self._cookie_settings(app)[1], strict=True))

    def get_expiration_time(
        self, app: SessionApp, session: SessionMixin
    ) -> datetime | None:
        """When the session cookie expires: now plus the app's
        ``permanent_session_lifetime`` for a permanent session, ``None`` (when
        the browser closes) otherwise.

        :param app: the application.
        :param session: the session being saved.
        """
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime

        return None

    def should_set_cookie(self, app: SessionApp, session: SessionMixin) -> bool:
        """Whether :meth:`save_session` writes the cookie: when the session
        was modified, or when it is permanent and ``SESSION_REFRESH_EACH_REQUEST``
        is true (to push its expiry forward).

        :param app: the application.
        :param session: the session being saved.
        """
        return session.modified or (
            session.permanent
            and bool(app.config.get("SESSION_REFRESH_EACH_REQUEST", True))
        )

    def should_open_to_refresh(self, app: SessionApp, request: Request) -> bool:
        """Whether a session the request never touched must still be opened,
        so that :meth:`save_session` can refresh its cookie.

        Callers that open sessions lazily ask this at the end of a request.
        It is true when ``SESSION_REFRESH_EACH_REQUEST`` is true and the
        request carries a session cookie (which may hold a permanent session).
        Not part of Flask's interface.

        :param app: the application.
        :param request: the request being answered.
        """
        # Checked before request.cookies, which would parse (and fail on) a
        # missing header: most requests that never touch the session have none.
        headers = request.headers
        if type(headers) is EnvironHeaders:
            # The key werkzeug's view looks up for "Cookie", asked directly:
            # its own lookup raises and catches a KeyError when it is absent.
            if "HTTP_COOKIE" not in headers.environ:
                return False
        elif "Cookie" not in headers:
            return False
        return bool(app.config.get("SESSION_REFRESH_EACH_REQUEST", True)) and bool(
            request.cookies.get(self.get_cookie_name(app))
        )

    def open_session(self, app: SessionApp, request: Request) -> SessionMixin | None:
        """Load the session for ``request``, or return ``None`` when sessions
        are unavailable (the caller then uses :meth:`make_null_session`).

        It may be called before the request is matched to a URL rule.

        :param app: the application.
        :param request: the request being handled.
        """
        raise NotImplementedError

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: Response
    ) -> None:
        """Store ``session`` on ``response``, for example by setting a cookie.
        Not called for a null session.

        :param app: the application.
        :param session: the session to save.
        :param response: the response about to be sent.
        """
        raise NotImplementedError


_stock_vary = _SansIOResponse.vary


def _vary_on_cookie(response: Response) -> None:
    """Add ``Cookie`` to the response's ``Vary`` header, as
    ``response.vary.add("Cookie")`` does."""
    headers = response.headers
    # The vary property parses the header into a set and writes it back on
    # every change. For werkzeug's own property and headers the two cases
    # that matter have a direct answer: with no Vary header the result is the
    # single value, and when the (first) header is already just "Cookie"
    # nothing changes.
    if type(response).vary is _stock_vary and type(headers) is Headers:
        present = headers.getlist("Vary")
        if not present:
            headers.add("Vary", "Cookie")
            return
        if present[0] == "Cookie":
            return
    response.vary.add("Cookie")


def _make_serializer(
    keys: tuple[str | bytes, ...],
    salt: str,
    digest_method: t.Any,
    key_derivation: str,
    serializer: t.Any,
) -> URLSafeTimedSerializer:
    # Strings and bytes may mix; itsdangerous turns each into bytes.
    secret_keys: t.Any = list(keys)
    return CookieSerializer(
        secret_keys,
        salt=salt,
        serializer=serializer,
        signer_kwargs={
            "key_derivation": key_derivation,
            "digest_method": digest_method,
        },
    )


# Keyed by everything the serializer is built from, so a key rotation or a
# subclass with another salt gets its own entry and no request builds one.
_cached_serializer = functools.lru_cache(maxsize=64)(_make_serializer)

#: The tagged JSON serializer session cookies are written with.
session_json_serializer = TaggedJSONSerializer()


class SecureCookieSessionInterface(SessionInterface):
    """Keeps the session in a cookie signed with itsdangerous.

    The cookie holds the session data as tagged JSON (see
    :mod:`kolben.sessions.tag`), compressed when that is shorter, base64
    encoded, with a timestamp and an HMAC signature. It is signed with the
    app's ``secret_key``; cookies signed with a key in ``SECRET_KEY_FALLBACKS``
    are still accepted and are re-signed with the current key when next saved.
    A cookie whose signature does not verify, has expired or does not decode
    yields a new empty session.

    Override the class attributes to change the format; the defaults produce
    the same cookies as Flask.
    """

    #: Salt mixed into the signing key, separating session cookies from
    #: other values signed with the same secret key.
    salt = "cookie-session"

    #: The hash function for the signature: SHA-1.
    digest_method = staticmethod(_sha1)

    #: How itsdangerous derives the signing key from the secret key.
    key_derivation = "hmac"

    #: What turns the session's data into text and back.
    serializer: t.Any = session_json_serializer

    #: The class of the sessions this interface opens.
    session_class: type[SecureCookieSession] = SecureCookieSession

    # (settings, fallbacks, serializer) of the last get_signing_serializer.
    _last_serializer: (
        tuple[tuple[t.Any, ...], tuple[t.Any, ...] | None, URLSafeTimedSerializer]
        | None
    ) = None

    def get_signing_serializer(self, app: SessionApp) -> URLSafeTimedSerializer | None:
        """Return the itsdangerous serializer that signs and verifies session
        cookies, or ``None`` when the app has no secret key.

        Serializers are cached by secret key, fallback keys, :attr:`salt`,
        :attr:`digest_method`, :attr:`key_derivation` and :attr:`serializer`,
        so a request reuses the one built for its key set.

        When the app offers a JSON provider as ``session_json`` (see
        :class:`~kolben.sessions.protocols.SessionApp`) and :attr:`serializer`
        is a :class:`~kolben.sessions.TaggedJSONSerializer`, the data is
        written and read through that provider.

        .. versionchanged:: 0.1.0
            The app's ``session_json`` provider is used.

        :param app: the application.
        """
        secret_key = app.secret_key

        if not secret_key:
            return None

        fallbacks = app.config.get("SECRET_KEY_FALLBACKS")
        serializer = self.serializer
        provider = getattr(app, "session_json", None)
        # Opening and saving a session each ask for the serializer: the last
        # answer stands while nothing it is built from has changed. Fallbacks
        # are compared by value, since a list may be changed in place.
        settings = (
            secret_key,
            provider,
            serializer,
            self.salt,
            self.digest_method,
            self.key_derivation,
        )
        keys = tuple(fallbacks) if fallbacks else None
        last = self._last_serializer
        if last is not None and last[0] == settings and last[1] == keys:
            return last[2]
        built, cached = self._build_serializer(
            secret_key, fallbacks, serializer, provider
        )
        if cached:
            self._last_serializer = (settings, keys, built)
        return built

    def _build_serializer(
        self,
        secret_key: t.Any,
        fallbacks: t.Any,
        serializer: t.Any,
        provider: t.Any,
    ) -> tuple[URLSafeTimedSerializer, bool]:
        # The serializer, and whether it came from the cache: one built from
        # unhashable (mutable) settings is never remembered.
        if provider is not None and isinstance(serializer, TaggedJSONSerializer):
            # The app encodes JSON its own way (Flask: a custom app.json).
            serializer = serializer.with_json(provider)
        # itsdangerous signs with the last key and verifies newest first;
        # Flask lists fallbacks most recent first.
        keys = (*reversed(fallbacks), secret_key) if fallbacks else (secret_key,)
        ident = (
            keys,
            self.salt,
            self.digest_method,
            self.key_derivation,
            serializer,
        )

        try:
            hash(ident)
        except TypeError:
            return _make_serializer(*ident), False

        return _cached_serializer(*ident), True

    def open_session(
        self, app: SessionApp, request: Request
    ) -> SecureCookieSession | None:
        """Load the session from the request's cookie.

        Returns ``None`` without a secret key, and a new empty session when
        there is no cookie or it is invalid: tampered with, truncated,
        expired (older than ``permanent_session_lifetime``), signed with an
        unknown key, or not decodable.

        :param app: the application.
        :param request: the request being handled.
        """
        signer = self.get_signing_serializer(app)

        if signer is None:
            return None

        value = request.cookies.get(self.get_cookie_name(app))

        if not value:
            return self.session_class()

        max_age = int(app.permanent_session_lifetime.total_seconds())

        try:
            data = signer.loads(value, max_age=max_age)
        except (BadData, UnicodeError):
            return self.session_class()

        if not isinstance(data, dict):
            return self.session_class()

        return self.session_class(data)

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: Response
    ) -> None:
        """Set, refresh or delete the session cookie on ``response``.

        - A session that was read or written adds ``Vary: Cookie``.
        - An emptied session (empty and modified) deletes the cookie.
        - Otherwise the cookie is written when :meth:`should_set_cookie`
          says so, expiring at :meth:`get_expiration_time`.

        :param app: the application.
        :param session: the session to save.
        :param response: the response about to be sent.
        """
        accessed = session.accessed

        if accessed:
            _vary_on_cookie(response)

        try:
            self._store(app, session, response, varied=accessed)
        finally:
            # Looking at the session to decide what to store is not the app
            # reading it: keep the flag as the request left it.
            if session.accessed != accessed:
                session.accessed = accessed

    def _store(
        self,
        app: SessionApp,
        session: SessionMixin,
        response: Response,
        varied: bool = False,
    ) -> None:
        # ``varied``: save_session added ``Vary: Cookie`` already; adding it
        # again would change nothing.
        if not session:
            if session.modified:
                response.delete_cookie(
                    self.get_cookie_name(app), **self._cookie_attributes(app)
                )
                if not varied:
                    _vary_on_cookie(response)

            return

        if not self.should_set_cookie(app, session):
            return

        signer = self.get_signing_serializer(app)

        if signer is None:
            raise RuntimeError(
                "The session cannot be saved because the secret key was removed"
                " after it was opened."
            )

        # The built-in class's items are read from its dict storage without
        # going through its access-tracking methods; any other mapping may
        # compute its items in its own methods.
        data = (
            dict(dict.items(session))
            if type(session) is SecureCookieSession
            else dict(session)
        )
        response.set_cookie(
            self.get_cookie_name(app),
            signer.dumps(data),
            expires=self.get_expiration_time(app, session),
            **self._cookie_attributes(app),
        )
        if not varied:
            _vary_on_cookie(response)
