"""The store protocol of server-side sessions, its errors, and the memory store.

A :class:`SessionStore` keeps one record per session id: the encoded session
data, a version that every successful save increments, and the time the
record expires. :class:`~kolben.sessions.ServerSideSessionInterface` does the
rest (ids, signing, encoding, merging concurrent changes); a store only has
to load, compare-and-set, delete, extend and purge records, so a new backend
is a small class.
"""

from __future__ import annotations

import threading
import time
import typing as t

from werkzeug.exceptions import ServiceUnavailable


class Record(t.NamedTuple):
    """One stored session, as :meth:`SessionStore.load` returns it.

    .. versionadded:: 0.1.0
    """

    #: The encoded session data (see
    #: :meth:`~kolben.sessions.ServerSideSessionInterface.encode`).
    data: bytes
    #: Incremented by every save; a save names the version it replaces.
    version: int
    #: When the record expires, as a Unix timestamp.
    expires: float


class SessionStoreError(ServiceUnavailable):
    """A session store could not be reached or did not answer in time.

    It is a werkzeug :exc:`~werkzeug.exceptions.ServiceUnavailable`, so an
    application that does not handle it answers ``503 Service Unavailable``
    naming the store, rather than a 500. The cause stays on the server: it is
    in :attr:`detail` and logged to the ``kolben.sessions`` logger.

    :param store: the store's name, such as ``"sqlite"`` or ``"redis"``.
    :param detail: what went wrong, for the log.

    .. versionadded:: 0.1.0
    """

    def __init__(self, store: str, detail: str) -> None:
        super().__init__(
            f"The session store ({store}) is unavailable. Please try again later."
        )
        #: The name of the store that failed.
        self.store = store
        #: What went wrong, for the server's log.
        self.detail = detail

    def __str__(self) -> str:
        return f"session store {self.store!r} failed: {self.detail}"


class SessionTooLargeError(ValueError):
    """A session's encoded data is larger than ``SESSION_MAX_SIZE`` allows.

    Nothing is stored; the error says how large the data was and the limit.

    .. versionadded:: 0.1.0
    """


@t.runtime_checkable
class SessionStore(t.Protocol):
    """Where server-side sessions are kept.

    Every method is called by
    :class:`~kolben.sessions.ServerSideSessionInterface` while it opens or
    saves a session, possibly from many threads (and, for shared stores,
    processes) at once. A backend failure is raised as
    :exc:`SessionStoreError`.

    .. versionadded:: 0.1.0
    """

    #: A short name for errors and logs (``"sqlite"``, ``"redis"``, ...).
    name: str

    def load(self, sid: str) -> Record | None:
        """Return the live record of ``sid``, or ``None`` when there is none
        or it has expired. Called when a request's session is opened, and
        again to merge after a save lost a race.
        """

    def save(self, sid: str, data: bytes, expires: float, version: int) -> int | None:
        """Store ``data`` under ``sid`` if the record's version is still
        ``version`` (``0``: if there is no record), atomically.

        Returns the new version, or ``None`` when another save got there
        first; the caller then loads the record again and retries.

        :param expires: when the record expires, as a Unix timestamp.
        """

    def delete(self, sid: str) -> None:
        """Remove the record of ``sid``, if any. Called when a session is
        emptied or its id regenerated."""

    def touch(self, sid: str, expires: float) -> None:
        """Move the expiry of ``sid``'s record to ``expires`` without
        rewriting its data. Called for sessions that are used but unchanged,
        at most once per refresh interval."""

    def purge_expired(self) -> int:
        """Delete every expired record and return how many were deleted.
        Stores whose backend expires records itself return ``0``."""


class PurgeClock:
    """Says when a store should purge expired records opportunistically: at
    most once per ``interval`` seconds in this process, so an app that never
    runs ``flask sessions purge`` does not grow without bound.

    :param interval: seconds between purges; ``0`` or less turns purging off.

    .. versionadded:: 0.1.0
    """

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = time.time() + interval

    def due(self, now: float) -> bool:
        """Whether to purge now; a true answer starts the next interval."""
        if self.interval <= 0 or now < self._next:
            return False
        self._next = now + self.interval
        return True


class MemoryStore:
    """Sessions in a dict of this process, for tests and single-process
    development. Records vanish when the process ends and are not shared
    between worker processes.

    :param purge_interval: seconds between opportunistic purges of expired
        records.

    .. versionadded:: 0.1.0
    """

    name = "memory"

    def __init__(self, *, purge_interval: float = 60.0) -> None:
        self._records: dict[str, Record] = {}
        self._lock = threading.Lock()
        self._purge = PurgeClock(purge_interval)

    def __len__(self) -> int:
        return len(self._records)

    def load(self, sid: str) -> Record | None:
        """Return the live record of ``sid``."""
        record = self._records.get(sid)
        if record is None or record.expires <= time.time():
            return None
        return record

    def save(self, sid: str, data: bytes, expires: float, version: int) -> int | None:
        """Compare-and-set the record of ``sid`` on ``version``."""
        now = time.time()
        with self._lock:
            current = self._records.get(sid)
            found = 0 if current is None or current.expires <= now else current.version
            if found != version:
                return None
            self._records[sid] = Record(data, version + 1, expires)
            if self._purge.due(now):
                self._purge_locked(now)
        return version + 1

    def delete(self, sid: str) -> None:
        """Remove the record of ``sid``."""
        with self._lock:
            self._records.pop(sid, None)

    def touch(self, sid: str, expires: float) -> None:
        """Move the expiry of ``sid``'s record."""
        with self._lock:
            record = self._records.get(sid)
            if record is not None:
                self._records[sid] = record._replace(expires=expires)

    def purge_expired(self) -> int:
        """Delete the expired records."""
        with self._lock:
            return self._purge_locked(time.time())

    def close(self) -> None:
        """Nothing to release."""

    def _purge_locked(self, now: float) -> int:
        expired = [sid for sid, rec in self._records.items() if rec.expires <= now]
        for sid in expired:
            del self._records[sid]
        return len(expired)
