"""The to-do items, kept in memory."""

from __future__ import annotations

import collections.abc as cabc
import dataclasses
import itertools
import threading


@dataclasses.dataclass
class Todo:
    """One thing to do."""

    #: Assigned by the store, never reused.
    id: int
    #: What to do; never blank.
    title: str
    #: Whether it has been done.
    done: bool = False


class TodoStore:
    """A thread-safe, in-memory collection of :class:`Todo` items.

    Everything is lost when the process ends, and each process has its own
    list: run a single worker process (threads are fine). A real application
    would keep the items in a database instead; the views would not change.
    """

    def __init__(self) -> None:
        self._items: dict[int, Todo] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def list(self) -> list[Todo]:
        """Return copies of every item, oldest first."""
        with self._lock:
            return [dataclasses.replace(item) for item in self._items.values()]

    def add(self, title: str, done: bool = False) -> Todo:
        """Store a new item and return a copy of it."""
        with self._lock:
            item = Todo(next(self._ids), title, done)
            self._items[item.id] = item
            return dataclasses.replace(item)

    def get(self, todo_id: int) -> Todo | None:
        """Return a copy of the item, or ``None`` if there is none with that id."""
        with self._lock:
            item = self._items.get(todo_id)
            return None if item is None else dataclasses.replace(item)

    def update(self, todo_id: int, changes: cabc.Mapping[str, object]) -> Todo | None:
        """Apply ``changes`` (field name to new value) and return the new item.

        :param changes: already validated values for ``title`` and ``done``.
        :return: a copy of the updated item, or ``None`` if there is none.
        """
        with self._lock:
            item = self._items.get(todo_id)
            if item is None:
                return None
            updated = dataclasses.replace(item, **changes)  # type: ignore[arg-type]
            self._items[todo_id] = updated
            return dataclasses.replace(updated)

    def remove(self, todo_id: int) -> bool:
        """Delete the item; return whether there was one."""
        with self._lock:
            return self._items.pop(todo_id, None) is not None
