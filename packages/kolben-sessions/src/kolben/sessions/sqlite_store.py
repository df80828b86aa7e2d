"""Server-side sessions in one SQLite file: the embedded default.

The file is opened in WAL mode, so readers never wait for the writer; every
save is one short ``BEGIN IMMEDIATE`` transaction whose ``UPDATE ... WHERE
version = ?`` is the compare-and-set; a ``busy_timeout`` of several seconds
lets concurrent writers (threads, or gunicorn workers sharing the file) queue
instead of failing. Expired records are found through an index on the expiry
column, by :meth:`SQLiteStore.purge_expired` and by an opportunistic purge.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import logging
import os
import sqlite3
import time
import typing as t

from .store import PurgeClock
from .store import Record
from .store import SessionStoreError

_log = logging.getLogger("kolben.sessions")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kolben_sessions ("
    " id TEXT PRIMARY KEY,"
    " version INTEGER NOT NULL,"
    " expires REAL NOT NULL,"
    " data BLOB NOT NULL"
    ") WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS kolben_sessions_expires ON kolben_sessions (expires)",
)

#: How many connections a store keeps open for reuse.
_IDLE_CONNECTIONS = 16

#: How many expired records one opportunistic purge deletes at most, so the
#: request that happens to run it stays short.
_PURGE_BATCH = 500


class SQLiteStore:
    """Sessions in a SQLite database file, safe across threads and across
    processes that share the file.

    Connections are pooled per process: each operation borrows one, so no
    two threads use a connection at once, and a forked worker opens its own.

    :param path: the database file; its folder is created if missing.
    :param timeout: seconds a write waits for the file's lock before the
        request fails with :exc:`~kolben.sessions.SessionStoreError` (503).
    :param purge_interval: seconds between opportunistic purges of expired
        records, run by a save; ``0`` turns them off.

    .. versionadded:: 0.1.0
    """

    name = "sqlite"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 5.0,
        purge_interval: float = 300.0,
    ) -> None:
        #: The database file.
        self.path = os.fspath(path)
        #: Seconds a write waits for the lock.
        self.timeout = timeout
        # list.pop and list.append are atomic, so the pool needs no lock.
        self._idle: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._purge = PurgeClock(purge_interval)

    def _open(self) -> sqlite3.Connection:
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        # Autocommit (isolation_level=None): transactions are begun
        # explicitly, as BEGIN IMMEDIATE, so a save takes the write lock
        # before it reads the version rather than failing on upgrade. A
        # connection is used by one thread at a time, handed over by the pool.
        conn = sqlite3.connect(
            self.path,
            timeout=self.timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            for statement in _SCHEMA:
                conn.execute(statement)
        except BaseException:
            conn.close()
            raise
        return conn

    @contextlib.contextmanager
    def _connection(self) -> cabc.Iterator[sqlite3.Connection]:
        """Lend an idle connection of this process, or a new one."""
        if self._pid != os.getpid():
            # Forked: the parent's connections must not be used (nor closed)
            # here.
            self._idle, self._pid = [], os.getpid()
        try:
            conn = self._idle.pop()
        except IndexError:
            conn = self._open()
        try:
            yield conn
        finally:
            if len(self._idle) < _IDLE_CONNECTIONS:
                self._idle.append(conn)
            else:
                conn.close()

    def close(self) -> None:
        """Close the idle connections; a later call opens new ones."""
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _fail(self, error: Exception, action: str) -> SessionStoreError:
        _log.error("SQLite session store %s: %s failed: %s", self.path, action, error)
        return SessionStoreError(self.name, f"{action} on {self.path}: {error}")

    def load(self, sid: str) -> Record | None:
        """Return the live record of ``sid``."""
        try:
            with self._connection() as conn:
                row = conn.execute(
                    "SELECT data, version, expires FROM kolben_sessions"
                    " WHERE id = ? AND expires > ?",
                    (sid, time.time()),
                ).fetchone()
        except sqlite3.Error as e:
            raise self._fail(e, "load") from e
        if row is None:
            return None
        return Record(bytes(row[0]), row[1], row[2])

    def save(self, sid: str, data: bytes, expires: float, version: int) -> int | None:
        """Compare-and-set the record of ``sid`` on ``version``."""
        now = time.time()
        try:
            with self._connection() as conn:
                saved = self._save(conn, sid, data, expires, version, now)
                if self._purge.due(now):
                    self._purge_batch(conn, now)
        except sqlite3.Error as e:
            raise self._fail(e, "save") from e
        return version + 1 if saved else None

    def _save(
        self,
        conn: sqlite3.Connection,
        sid: str,
        data: bytes,
        expires: float,
        version: int,
        now: float,
    ) -> bool:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version == 0:
                # A new id; an expired record under it (never a live one) may
                # be replaced.
                cursor = conn.execute(
                    "INSERT INTO kolben_sessions (id, version, expires, data)"
                    " VALUES (?, 1, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " version = 1, expires = excluded.expires,"
                    " data = excluded.data WHERE kolben_sessions.expires <= ?",
                    (sid, expires, data, now),
                )
            else:
                cursor = conn.execute(
                    "UPDATE kolben_sessions SET version = version + 1,"
                    " expires = ?, data = ?"
                    " WHERE id = ? AND version = ? AND expires > ?",
                    (expires, data, sid, version, now),
                )
            saved = cursor.rowcount == 1
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return saved

    def _purge_batch(self, conn: sqlite3.Connection, now: float) -> None:
        conn.execute(
            "DELETE FROM kolben_sessions WHERE id IN (SELECT id FROM"
            " kolben_sessions WHERE expires <= ? LIMIT ?)",
            (now, _PURGE_BATCH),
        )

    def delete(self, sid: str) -> None:
        """Remove the record of ``sid``."""
        try:
            with self._connection() as conn:
                conn.execute("DELETE FROM kolben_sessions WHERE id = ?", (sid,))
        except sqlite3.Error as e:
            raise self._fail(e, "delete") from e

    def touch(self, sid: str, expires: float) -> None:
        """Move the expiry of ``sid``'s record, leaving its data alone."""
        try:
            with self._connection() as conn:
                conn.execute(
                    "UPDATE kolben_sessions SET expires = ? WHERE id = ?",
                    (expires, sid),
                )
        except sqlite3.Error as e:
            raise self._fail(e, "touch") from e

    def purge_expired(self) -> int:
        """Delete every expired record; returns how many."""
        try:
            with self._connection() as conn:
                cursor = conn.execute(
                    "DELETE FROM kolben_sessions WHERE expires <= ?", (time.time(),)
                )
        except sqlite3.Error as e:
            raise self._fail(e, "purge") from e
        return int(cursor.rowcount)

    def count(self) -> int:
        """How many records the file holds, expired ones included."""
        with self._connection() as conn:
            row: t.Any = conn.execute("SELECT count(*) FROM kolben_sessions").fetchone()
        return int(row[0])
