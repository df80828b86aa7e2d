"""The in-memory store behind the views."""

from __future__ import annotations

import threading

from jsonapi.store import Todo
from jsonapi.store import TodoStore


def test_add_get_update_remove() -> None:
    store = TodoStore()
    added = store.add("a")
    assert added == Todo(1, "a", False)
    assert store.get(1) == added
    assert store.update(1, {"done": True}) == Todo(1, "a", True)
    assert store.remove(1)
    assert not store.remove(1)
    assert store.get(1) is None
    assert store.update(1, {"done": False}) is None


def test_callers_get_copies() -> None:
    store = TodoStore()
    store.add("a").title = "changed outside"
    store.list()[0].done = True
    assert store.get(1) == Todo(1, "a", False)


def test_concurrent_adds_get_distinct_ids() -> None:
    store = TodoStore()

    def add_many() -> None:
        for _ in range(200):
            store.add("x")

    threads = [threading.Thread(target=add_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ids = [todo.id for todo in store.list()]
    assert sorted(ids) == list(range(1, 1601))
