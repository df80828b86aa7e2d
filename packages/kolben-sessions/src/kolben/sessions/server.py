"""Server-side sessions: the data in a store, only a signed id in the cookie.

:class:`ServerSideSessionInterface` keeps each session's data in a
:class:`~kolben.sessions.store.SessionStore` (SQLite, Redis or memory) and
gives the client a cookie that holds nothing but the session id, signed with
the app's secret key. Sessions can be revoked (delete the record), may be
larger than a cookie, and two requests of one session that change different
keys at once both keep their changes.

Configuration, read from the app's ``config`` on every request (the names are
Flask-Session's where it has the same setting):

- ``SESSION_PERMANENT`` (``True``): whether a session whose ``permanent`` was
  never set is permanent (its cookie outlives the browser).
- ``SESSION_USE_SIGNER`` (``True``): sign the id in the cookie, so forged or
  guessed ids are rejected before any store lookup. Turning it off sends the
  bare id (still 256 random bits).
- ``SESSION_ID_LENGTH`` (``32``): random bytes per session id; less than 32
  is raised to 32.
- ``SESSION_NON_PERMANENT_LIFETIME`` (one day, a ``timedelta`` or seconds):
  how long the server keeps a non-permanent session after its last refresh.
  A permanent session's record lasts ``PERMANENT_SESSION_LIFETIME``.
- ``SESSION_REFRESH_FRACTION`` (``0.1``): an unchanged session's expiry is
  extended (when ``SESSION_REFRESH_EACH_REQUEST`` is on) only once this
  fraction of its lifetime has passed since the last extension.
- ``SESSION_MAX_SIZE`` (1 MiB): the largest encoded session, in bytes.
- the ``SESSION_COOKIE_*`` settings and ``SECRET_KEY_FALLBACKS``, as for
  cookie sessions.
"""

from __future__ import annotations

import collections.abc as cabc
import functools
import hashlib
import logging
import random
import re
import secrets
import time
import typing as t
from datetime import timedelta

from itsdangerous import BadSignature
from itsdangerous import Signer
from werkzeug.http import dump_cookie
from werkzeug.http import http_date
from werkzeug.sansio.response import Response as _SansIOResponse

from .sessions import _vary_on_cookie
from .sessions import SecureCookieSession
from .sessions import session_json_serializer
from .sessions import SessionInterface
from .store import SessionStoreError
from .store import SessionTooLargeError

if t.TYPE_CHECKING:
    from werkzeug.sansio.request import Request
    from werkzeug.sansio.response import Response

    from .protocols import SessionApp
    from .sessions import SessionMixin
    from .store import Record
    from .store import SessionStore

_log = logging.getLogger("kolben.sessions")

#: Marks the record format; a later release reads every marker it knows.
FORMAT_MARKER = b"ks1:"

#: How many sessions' refresh times a process remembers at most.
_REMEMBERED = 10_000

#: How often a save that lost a race re-applies its changes and tries again.
SAVE_ATTEMPTS = 64

_SID = re.compile(r"[A-Za-z0-9_-]{43,256}")


class ServerSideSession(SecureCookieSession):
    """A session whose data lives in a store, tracking which keys this
    request set or deleted so that a save changes only those.

    Besides the dict interface it has :attr:`sid` and :meth:`regenerate`.
    As with cookie sessions, a change inside a stored mutable value is seen
    only after ``session.modified = True``; the whole session is then written.

    .. versionadded:: 0.1.0
    """

    # What every session sets when it is made, in slots (quicker to set than
    # instance dict entries); the rest are class defaults that few change.
    __slots__ = (
        "sid",
        "version",
        "expires",
        "new",
        "_permanent_default",
        "_loaded_keys",
        "_set",
        "_deleted",
    )

    #: The cookie value the session was opened from, if any.
    cookie_value: str | None = None
    # Whether cookie_value is signed with the current key, so the cookie of
    # an unchanged id can be sent again without signing.
    _cookie_current = False
    _replace = False
    _regenerate = False
    # Whether the response being saved to has Vary: Cookie already.
    _varied = False

    def __init__(
        self,
        initial: cabc.Mapping[str, t.Any] | None = None,
        *,
        sid: str | None = None,
        version: int = 0,
        expires: float = 0.0,
        permanent_default: bool = True,
    ) -> None:
        if initial is not None:
            # What SecureCookieSession.__init__ does, without the two calls.
            dict.update(self, initial)
        #: The session id, ``None`` until the session is first stored.
        self.sid = sid
        #: The version of the record this session was loaded from.
        self.version = version
        #: When the loaded record expires (Unix time).
        self.expires = expires
        self.new = sid is None
        self._permanent_default = permanent_default
        self._loaded_keys = frozenset(dict.keys(self))
        self._set: set[str] = set()
        self._deleted: set[str] = set()

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session; a session that
        never set it follows ``SESSION_PERMANENT``."""
        return bool(dict.get(self, "_permanent", self._permanent_default))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    def regenerate(self) -> None:
        """Give the session a new id when it is saved, and delete the record
        under the old one, keeping the data.

        Call it when the user logs in (or gains privileges), so an id an
        attacker planted or saw before is worthless afterwards (session
        fixation).
        """
        self._regenerate = True
        self.modified = self.accessed = True

    def _mark(self, key: str) -> None:
        self._set.add(key)
        self._deleted.discard(key)

    def _unmark(self, key: str) -> None:
        self._deleted.add(key)
        self._set.discard(key)

    # The common reads of a view, as SecureCookieSession's without super().

    def __getitem__(self, key: str) -> t.Any:
        self.accessed = True
        return dict.__getitem__(self, key)

    def get(self, key: str, default: t.Any = None) -> t.Any:
        self.accessed = True
        return dict.get(self, key, default)

    def __setitem__(self, key: str, value: t.Any) -> None:
        # SecureCookieSession.__setitem__ and _mark, written out: the common
        # write of a view.
        dict.__setitem__(self, key, value)
        self.modified = self.accessed = True
        self._set.add(key)
        self._deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._unmark(key)

    def clear(self) -> None:
        super().clear()
        # Whatever is set from now on replaces the stored data entirely.
        self._replace = True

    def pop(self, key: str, *default: t.Any) -> t.Any:
        present = dict.__contains__(self, key)
        rv = super().pop(key, *default)
        if present:
            self._unmark(key)
        return rv

    def popitem(self) -> tuple[str, t.Any]:
        key, value = super().popitem()
        self._unmark(key)
        return key, value

    def setdefault(self, key: str, default: t.Any = None) -> t.Any:
        if not dict.__contains__(self, key):
            self._mark(key)
        return super().setdefault(key, default)

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value
        self.modified = self.accessed = True

    def _merged_into(self, stored: dict[str, t.Any]) -> dict[str, t.Any]:
        """The data to store: this request's changes applied to ``stored``,
        the record as it is now."""
        current = dict(dict.items(self))
        if self._replace:
            return current
        if self._set or self._deleted:
            changed, deleted = self._set, self._deleted
        else:
            # Marked modified by hand: every key may have changed inside.
            changed = set(current)
            deleted = set(self._loaded_keys - changed)
        for key in deleted:
            stored.pop(key, None)
        for key in changed:
            stored[key] = current[key]
        return stored


@functools.lru_cache(maxsize=32)
def _signer(keys: tuple[str | bytes, ...], salt: str) -> Signer:
    secret_keys: t.Any = list(keys)
    return Signer(secret_keys, salt=salt, digest_method=hashlib.sha256)


@functools.lru_cache(maxsize=4096)
def _unsigned(signer: Signer, value: str) -> bytes | None:
    """What ``signer`` verifies ``value`` to, or ``None``. Remembered, since
    each request of a session sends the same cookie; a signer (its keys)
    that changes is another cache key."""
    try:
        return signer.unsign(value)
    except BadSignature:
        return None


@functools.lru_cache(maxsize=64)
def _http_date(timestamp: int) -> str:
    """The cookie's ``Expires`` text for a Unix second, as werkzeug writes
    it; one per second rather than one per response."""
    return http_date(timestamp)


_stock_set_cookie = _SansIOResponse.set_cookie


@functools.lru_cache(maxsize=256)
def _set_cookie_header(
    name: str,
    value: str,
    expires: int | None,
    path: str | None,
    domain: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
    partitioned: bool,
) -> str:
    """The ``Set-Cookie`` header werkzeug's ``set_cookie`` writes for these
    arguments, ``expires`` a Unix second. Remembered, since each response of
    a session sets the same cookie, its ``Expires`` changing once a second;
    the size check (which warns) is left to the caller, so it is made on
    every response."""
    return dump_cookie(
        name,
        value,
        expires=expires,
        path=path,
        domain=domain,
        secure=secure,
        httponly=httponly,
        max_size=0,
        samesite=samesite,
        partitioned=partitioned,
    )


_ONE_DAY = timedelta(days=1)


def _lifetime(value: t.Any, default: timedelta) -> float:
    if value is None:
        value = default
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


class ServerSideSessionInterface(SessionInterface):
    """Keep sessions in a :class:`~kolben.sessions.store.SessionStore`, with a
    signed session id in the cookie.

    - Ids are ``SESSION_ID_LENGTH`` (at least 32) bytes from :mod:`secrets`.
      The cookie carries the id signed with the app's ``secret_key``
      (itsdangerous, HMAC-SHA256; ``SECRET_KEY_FALLBACKS`` still verify and
      the cookie is re-signed with the current key). An id that is not
      signed correctly, or names no live record, is never looked up or
      adopted: the request gets a new empty session with a fresh id.
    - The data is stored as tagged JSON behind a format marker, never
      pickle; a record that does not decode yields a new empty session.
    - A session that stays empty writes no record and no cookie; a cleared
      one deletes both, and gets a new id if it is filled again in the same
      request (as at a login); :meth:`ServerSideSession.regenerate` asks for
      a new id explicitly.
    - A modified session is saved once per request as a compare-and-set on
      the record's version: when another request saved in between, this
      request's set and deleted keys are applied to the fresh record and the
      save is tried again (up to :data:`SAVE_ATTEMPTS` times).
    - An unchanged session's expiry is only extended (``touch``), once per
      ``SESSION_REFRESH_FRACTION`` of its lifetime.
    - A store failure is logged and raised as
      :exc:`~kolben.sessions.store.SessionStoreError`, a 503 naming the store.

    The session is opened when the request first uses it (see
    :attr:`opens_lazily`).

    :param store: where the sessions are kept.

    .. versionadded:: 0.1.0
    """

    #: The salt of the id's signature, separating it from other signed values.
    salt = "kolben-session-id"

    #: What turns the session data into text and back.
    serializer: t.Any = session_json_serializer

    #: The class of the sessions this interface opens.
    session_class = ServerSideSession

    #: Tells a framework that opens sessions lazily (Kolben's ``flask``)
    #: that this interface needs no opening at the start of every request.
    opens_lazily = True

    def __init__(self, store: SessionStore) -> None:
        #: Where the sessions are kept.
        self.store = store
        # When each session this process saw last becomes due for an expiry
        # refresh, so a request that never uses its session skips the store
        # until then. Only ever an underestimate of the truth: another
        # process refreshing a record just makes that load come sooner.
        self._refresh_due: dict[str, float] = {}
        # Cookie values recently verified with the current secret key (and
        # salt), with the id each names: a session's every request sends the
        # same value, and its signature check has the same answer while the
        # key is the same. A new key replaces the whole map, so a check made
        # under the old key can only ever land in the discarded one.
        self._verified: tuple[tuple[t.Any, str], dict[str, str]] = ((None, ""), {})

    # Configuration.

    def _use_signer(self, app: SessionApp) -> bool:
        return bool(app.config.get("SESSION_USE_SIGNER", True))

    def get_signer(self, app: SessionApp) -> Signer | None:
        """The itsdangerous signer of session ids, or ``None`` without a
        secret key.

        :param app: the application.
        """
        secret_key = app.secret_key
        if not secret_key:
            return None
        fallbacks = app.config.get("SECRET_KEY_FALLBACKS")
        keys = (*reversed(fallbacks), secret_key) if fallbacks else (secret_key,)
        return _signer(tuple(keys), self.salt)

    def generate_sid(self, app: SessionApp) -> str:
        """A new random session id of ``SESSION_ID_LENGTH`` bytes (at least
        32), URL-safe base64.

        :param app: the application.
        """
        length = max(32, int(app.config.get("SESSION_ID_LENGTH", 32)))
        return secrets.token_urlsafe(length)

    # Encoding.

    def _json(self, app: SessionApp) -> t.Any:
        provider = getattr(app, "session_json", None)
        serializer = self.serializer
        if provider is not None and hasattr(serializer, "with_json"):
            return serializer.with_json(provider)
        return serializer

    def encode(self, app: SessionApp, data: dict[str, t.Any]) -> bytes:
        """The stored form of ``data``: the format marker and tagged JSON.

        :param app: the application.
        :param data: the session's data.
        :raises SessionTooLargeError: past ``SESSION_MAX_SIZE``.
        """
        text: str = self._json(app).dumps(data)
        payload = FORMAT_MARKER + text.encode()
        limit = int(app.config.get("SESSION_MAX_SIZE", 1 << 20))
        if len(payload) > limit:
            raise SessionTooLargeError(
                f"The session's data is {len(payload)} bytes encoded, more than"
                f" SESSION_MAX_SIZE ({limit} bytes) allows. Store less in the"
                " session or raise the limit."
            )
        return payload

    def decode(self, app: SessionApp, payload: bytes) -> dict[str, t.Any] | None:
        """The data of a stored record, or ``None`` when it is not a session
        this version can read.

        :param app: the application.
        :param payload: what the store returned.
        """
        if not payload.startswith(FORMAT_MARKER):
            return None
        try:
            text = payload[len(FORMAT_MARKER) :].decode()
            data = self._json(app).loads(text)
        except Exception:
            # Any failure (bad UTF-8 or JSON, a tag whose value does not
            # convert, nesting past the recursion limit) means the record is
            # unreadable, and an unreadable record is an empty session.
            _log.warning("Discarding an undecodable session record.")
            return None
        return data if isinstance(data, dict) else None

    # Opening.

    def _sid_from_cookie(
        self, app: SessionApp, value: str, signed_ids: bool, secret_key: t.Any
    ) -> tuple[str | None, bool]:
        """The id in a cookie value, or ``None``, and whether the value is
        signed with the current key (not a fallback). ``signed_ids`` and
        ``secret_key`` are the app's ``SESSION_USE_SIGNER`` and key, which
        the caller has read already."""
        if not signed_ids:
            return (value, True) if _SID.fullmatch(value) else (None, False)
        if not secret_key:
            return None, False
        signed: bytes | None
        if type(self).get_signer is ServerSideSessionInterface.get_signer:
            verified_for, verified = self._verified
            if verified_for != (secret_key, self.salt):
                verified = {}
                self._verified = ((secret_key, self.salt), verified)
            known = verified.get(value)
            if known is not None:
                return known, True
            signed = _unsigned(_signer((secret_key,), self.salt), value)
            if signed is not None:
                sid = self._valid_sid(signed)
                if sid is not None:
                    if len(verified) >= _REMEMBERED:
                        verified.clear()
                    verified[value] = sid
                return sid, sid is not None
            current = False
            if app.config.get("SECRET_KEY_FALLBACKS"):
                signer = self.get_signer(app)
                signed = None if signer is None else _unsigned(signer, value)
        else:
            # A subclass's own signer alone verifies; a value it would sign
            # differently now is signed again when sent back.
            signer = self.get_signer(app)
            if signer is None:
                return None, False
            signed = _unsigned(signer, value)
            current = signed is not None and signer.sign(signed).decode() == value
        sid = None if signed is None else self._valid_sid(signed)
        return (sid, current) if sid is not None else (None, False)

    @staticmethod
    def _valid_sid(signed: bytes) -> str | None:
        """The session id in a verified cookie value, if it has an id's
        form."""
        try:
            sid = signed.decode("ascii")
        except UnicodeError:
            return None
        return sid if _SID.fullmatch(sid) else None

    def should_open_to_refresh(self, app: SessionApp, request: Request) -> bool:
        """Whether a request that never used its session must still open it
        to extend its expiry: only when the cookie names a session whose
        refresh is due (or not known to this process to be not yet due), or
        that is signed with a fallback key and needs signing again.

        :param app: the application.
        :param request: the request being answered.
        """
        if not super().should_open_to_refresh(app, request):
            return False
        value = request.cookies.get(self.get_cookie_name(app), "")
        sid, current = self._sid_from_cookie(
            app, value, self._use_signer(app), app.secret_key
        )
        if sid is None:
            # Opening would give an empty session, which saves nothing.
            return False
        due = self._refresh_due.get(sid)
        return not current or due is None or time.time() >= due

    def _remember(
        self, app: SessionApp, session: ServerSideSession, lifetime: float
    ) -> None:
        if session.sid is None:
            return
        fraction = float(app.config.get("SESSION_REFRESH_FRACTION", 0.1))
        due = self._refresh_due
        if len(due) >= _REMEMBERED:
            due.clear()
        due[session.sid] = session.expires - lifetime * (1 - fraction)

    def open_session(
        self, app: SessionApp, request: Request
    ) -> ServerSideSession | None:
        """Load the session named by the request's cookie.

        Returns ``None`` (a null session) when ids are signed and the app has
        no secret key; a new empty session when there is no cookie, it does
        not verify, or its record is missing, expired or unreadable.

        :param app: the application.
        :param request: the request being handled.
        :raises SessionStoreError: the store failed.
        """
        config = app.config
        signed = bool(config.get("SESSION_USE_SIGNER", True))
        secret_key = app.secret_key
        if signed and not secret_key:
            return None
        permanent = bool(config.get("SESSION_PERMANENT", True))
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class(permanent_default=permanent)
        sid, current = self._sid_from_cookie(app, value, signed, secret_key)
        if sid is None:
            return self.session_class(permanent_default=permanent)
        record = self.store.load(sid)
        if record is None:
            return self.session_class(permanent_default=permanent)
        data = self.decode(app, record.data)
        if data is None:
            return self.session_class(permanent_default=permanent)
        session = self.session_class(
            data,
            sid=sid,
            version=record.version,
            expires=record.expires,
            permanent_default=permanent,
        )
        session.cookie_value = value
        session._cookie_current = current
        return session

    # Saving.

    def _cookie_value(self, app: SessionApp, sid: str) -> str:
        if not self._use_signer(app):
            return sid
        signer = self.get_signer(app)
        if signer is None:
            raise RuntimeError(
                "The session cannot be saved because the secret key was removed"
                " after it was opened."
            )
        return signer.sign(sid).decode("ascii")

    def _set_cookie(
        self,
        app: SessionApp,
        session: ServerSideSession,
        response: Response,
        until: float | None = None,
        permanent: bool | None = None,
    ) -> None:
        """Set the cookie naming the session; a permanent one lasts until
        ``until`` (Unix time) when given, else the app's permanent session
        lifetime from now. ``permanent`` is ``session.permanent`` when the
        caller has read it already."""
        sid = session.sid
        assert sid is not None
        second = None
        if session.permanent if permanent is None else permanent:
            if until is None:
                until = time.time() + app.permanent_session_lifetime.total_seconds()
            second = int(until)
        name, attributes = self._cookie_settings(app)
        # The value the request sent when the id is unchanged and signed with
        # the current key, else the id newly signed.
        value = session.cookie_value
        if not (
            session._cookie_current
            and value is not None
            and len(value) > len(sid)
            and value[len(sid)] == "."
            and value.startswith(sid)
            and self._use_signer(app)
        ):
            value = self._cookie_value(app, sid)
        if type(response).set_cookie is _stock_set_cookie:
            header = _set_cookie_header(name, value, second, *attributes)
            limit = response.max_cookie_size
            if not limit or len(header) <= limit:
                # Exactly what set_cookie adds, without building it again.
                response.headers.add("Set-Cookie", header)
                if not session._varied:
                    _vary_on_cookie(response)
                return
        expires = None if second is None else _http_date(second)
        response.set_cookie(
            name, value, expires=expires, **self._cookie_attributes(app)
        )
        if not session._varied:
            _vary_on_cookie(response)

    def _delete_cookie(self, app: SessionApp, response: Response) -> None:
        response.delete_cookie(
            self.get_cookie_name(app), **self._cookie_attributes(app)
        )
        _vary_on_cookie(response)

    def save_session(
        self, app: SessionApp, session: SessionMixin, response: Response
    ) -> None:
        """Store the session's changes, extend it, or delete it, and set the
        cookie to match.

        :param app: the application.
        :param session: the session opened by :meth:`open_session`.
        :param response: the response about to be sent.
        :raises SessionStoreError: the store failed.
        :raises SessionTooLargeError: the data is past ``SESSION_MAX_SIZE``.
        """
        if not isinstance(session, ServerSideSession):
            raise TypeError(
                f"{type(self).__name__} saves ServerSideSession objects, not"
                f" {type(session).__name__}."
            )
        accessed = session.accessed
        if accessed:
            _vary_on_cookie(response)
            session._varied = True
        try:
            self._save(app, session, response)
        finally:
            session._varied = False
            if session.accessed != accessed:
                session.accessed = accessed

    def _save(
        self, app: SessionApp, session: ServerSideSession, response: Response
    ) -> None:
        store = self.store
        if (session._regenerate or session._replace) and session.sid is not None:
            # A cleared session that is filled again (the usual login:
            # clear(), then set the user) gets a new id too, so an id known
            # before the login is worthless after it.
            store.delete(session.sid)
            self._refresh_due.pop(session.sid, None)
            session.sid, session.version, session._replace = None, 0, True
            session._regenerate = False

        if session.sid is None and not session:
            # Never stored, or cleared (its record deleted above): nothing to
            # write, and an emptied session loses its cookie.
            if session.modified:
                self._delete_cookie(app, response)
            return

        permanent = session.permanent
        if permanent:
            lifetime = app.permanent_session_lifetime.total_seconds()
        else:
            lifetime = _lifetime(
                app.config.get("SESSION_NON_PERMANENT_LIFETIME"), _ONE_DAY
            )
        now = time.time()
        if session.modified or session.sid is None:
            if self._write(app, session, now + lifetime):
                self._remember(app, session, lifetime)
                # A permanent record and its cookie last the same lifetime.
                self._set_cookie(app, session, response, session.expires, permanent)
            else:
                self._delete_cookie(app, response)
            return

        refresh = bool(app.config.get("SESSION_REFRESH_EACH_REQUEST", True))
        fraction = float(app.config.get("SESSION_REFRESH_FRACTION", 0.1))
        if refresh and session.expires - now < lifetime * (1 - fraction):
            assert session.sid is not None
            store.touch(session.sid, now + lifetime)
            session.expires = now + lifetime
            self._remember(app, session, lifetime)
            if permanent:
                self._set_cookie(app, session, response, permanent=True)
                return
        else:
            self._remember(app, session, lifetime)
        if session.cookie_value is not None and not session._cookie_current:
            # Signed with a fallback key: re-sign with the current one.
            self._set_cookie(app, session, response)

    def _write(
        self, app: SessionApp, session: ServerSideSession, expires: float
    ) -> bool:
        """Save the session's changes with compare-and-set, merging into the
        fresh record after a lost race. Returns ``False`` when the record was
        deleted by another request meanwhile (the session ended there)."""
        store = self.store
        if session.sid is None:
            session.sid = self.generate_sid(app)
            session.version = 0
        # The first attempt applies the changes to the data as loaded, which
        # for a stored session gives its data as it is now.
        data = (
            dict(dict.items(session)) if session.version else session._merged_into({})
        )
        for attempt in range(SAVE_ATTEMPTS):
            # Even an empty result is stored by compare-and-set rather than
            # deleted, so the keys concurrent requests set are kept.
            payload = self.encode(app, data)
            version = store.save(session.sid, payload, expires, session.version)
            if version is not None:
                session.version = version
                session.expires = expires
                return True
            fresh: Record | None = store.load(session.sid)
            if fresh is None:
                if not session._replace:
                    _log.info(
                        "Session ended by a concurrent request; its changes"
                        " in this request are not stored."
                    )
                    session.sid = None
                    return False
                session.sid, session.version = self.generate_sid(app), 0
                data = session._merged_into({})
                continue
            session.version = fresh.version
            data = session._merged_into(self.decode(app, fresh.data) or {})
            # Spread the retries of many racing requests.
            time.sleep(random.uniform(0, 0.001 * min(attempt + 1, 20)))
        raise SessionStoreError(
            getattr(store, "name", type(store).__name__),
            f"could not save a session after {SAVE_ATTEMPTS} concurrent attempts",
        )


def interface_from_config(app: SessionApp) -> ServerSideSessionInterface:
    """Build the server-side session interface an app's ``SESSION_TYPE``
    asks for.

    - ``"sqlite"``: :class:`~kolben.sessions.sqlite_store.SQLiteStore` on
      ``SESSION_SQLITE_PATH``, by default ``sessions.sqlite3`` in the app's
      ``instance_path``; ``SESSION_SQLITE_TIMEOUT`` (5 seconds) is its busy
      timeout; ``SESSION_PURGE_INTERVAL`` (300 seconds) spaces its
      opportunistic purges.
    - ``"redis"``: :class:`~kolben.sessions.redis_store.RedisStore` on
      ``SESSION_REDIS`` (a redis-py client or a URL; by default
      ``redis://127.0.0.1:6379/0``) with ``SESSION_KEY_PREFIX``
      (``"session:"``).
    - ``"memory"``: :class:`~kolben.sessions.store.MemoryStore`.

    :param app: the application; besides :class:`SessionApp` it may have an
        ``instance_path``.
    :raises ValueError: for any other ``SESSION_TYPE``.
    """
    config = app.config
    kind = config.get("SESSION_TYPE", "cookie")
    store: SessionStore
    if kind == "sqlite":
        import os

        from .sqlite_store import SQLiteStore

        path = config.get("SESSION_SQLITE_PATH")
        if path is None:
            folder = getattr(app, "instance_path", None) or os.getcwd()
            path = os.path.join(folder, "sessions.sqlite3")
        store = SQLiteStore(
            path,
            timeout=float(config.get("SESSION_SQLITE_TIMEOUT", 5.0)),
            purge_interval=float(config.get("SESSION_PURGE_INTERVAL", 300.0)),
        )
    elif kind == "redis":
        from .redis_store import RedisStore

        store = RedisStore(
            config.get("SESSION_REDIS"),
            key_prefix=config.get("SESSION_KEY_PREFIX", "session:"),
        )
    elif kind == "memory":
        from .store import MemoryStore

        store = MemoryStore()
    else:
        raise ValueError(
            f"Unknown SESSION_TYPE {kind!r}: use 'cookie', 'sqlite', 'redis'"
            " or 'memory'."
        )
    return ServerSideSessionInterface(store)
