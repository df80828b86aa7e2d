"""Registries that know when they changed.

The hook registries of an app (``before_request_funcs``, ``error_handler_spec``,
...) are public dicts that extensions mutate directly, yet the per-request
lookups derived from them are cached. Every registry of one owner shares a
:class:`Stamp`; each mutating method of the dicts and lists below bumps it, and
a cache remembers the stamp value it was computed at. Plain lists and dicts
stored into a registry are converted on the way in so that later mutations
through the registry are seen as well.
"""

from __future__ import annotations

import collections.abc as cabc
import typing as t

_K = t.TypeVar("_K")
_V = t.TypeVar("_V")
_T = t.TypeVar("_T")
_R = t.TypeVar("_R")

_Convert = cabc.Callable[["Stamp", t.Any], t.Any]


class Stamp:
    """A counter shared by the registries of one owner; bumped on every change."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        """Record that something changed."""
        self.value += 1


class HookList(list[_T]):
    """A list that bumps its :class:`Stamp` whenever it is modified."""

    __slots__ = ("_stamp",)

    def __init__(self, stamp: Stamp, items: cabc.Iterable[_T] = ()) -> None:
        super().__init__(items)
        self._stamp = stamp

    def append(self, item: _T) -> None:
        super().append(item)
        self._stamp.value += 1

    def extend(self, items: cabc.Iterable[_T]) -> None:
        super().extend(items)
        self._stamp.value += 1

    def insert(self, index: t.SupportsIndex, item: _T) -> None:
        super().insert(index, item)
        self._stamp.value += 1

    def remove(self, item: _T) -> None:
        super().remove(item)
        self._stamp.value += 1

    def pop(self, index: t.SupportsIndex = -1) -> _T:
        item = super().pop(index)
        self._stamp.value += 1
        return item

    def clear(self) -> None:
        super().clear()
        self._stamp.value += 1

    def sort(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().sort(*args, **kwargs)
        self._stamp.value += 1

    def reverse(self) -> None:
        super().reverse()
        self._stamp.value += 1

    def __setitem__(self, index: t.Any, value: t.Any) -> None:
        super().__setitem__(index, value)
        self._stamp.value += 1

    def __delitem__(self, index: t.Any) -> None:
        super().__delitem__(index)
        self._stamp.value += 1

    def __iadd__(self, items: cabc.Iterable[_T]) -> HookList[_T]:  # type: ignore[override,misc]
        super().__iadd__(items)
        self._stamp.value += 1
        return self

    def __imul__(self, count: t.SupportsIndex) -> HookList[_T]:
        super().__imul__(count)
        self._stamp.value += 1
        return self

    def __reduce__(self) -> t.Any:
        # Copies and pickles are plain lists: they belong to no owner's stamp.
        return (list, (list(self),))


class HookDict(dict[_K, _V]):
    """A dict that bumps its :class:`Stamp` whenever it is modified.

    Values stored into it pass through ``convert`` (so a plain list becomes a
    :class:`HookList` on the same stamp); reading a missing key creates a value
    with ``factory`` like :class:`collections.defaultdict`, when one is given.
    """

    __slots__ = ("_stamp", "_convert", "_factory")

    def __init__(
        self,
        stamp: Stamp,
        convert: _Convert,
        factory: cabc.Callable[[Stamp], _V] | None = None,
        items: cabc.Mapping[_K, t.Any] | None = None,
    ) -> None:
        super().__init__()
        self._stamp = stamp
        self._convert = convert
        self._factory = factory
        if items:
            for key, value in items.items():
                super().__setitem__(key, convert(stamp, value))

    def __missing__(self, key: _K) -> _V:
        if self._factory is None:
            raise KeyError(key)
        value = self._factory(self._stamp)
        super().__setitem__(key, value)
        self._stamp.value += 1
        return value

    def __setitem__(self, key: _K, value: _V) -> None:
        super().__setitem__(key, self._convert(self._stamp, value))
        self._stamp.value += 1

    def __delitem__(self, key: _K) -> None:
        super().__delitem__(key)
        self._stamp.value += 1

    def setdefault(self, key: _K, default: t.Any = None) -> _V:
        if key in self:
            return self[key]
        self[key] = default
        return self[key]

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: t.Any) -> HookDict[_K, _V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def pop(self, key: _K, *default: t.Any) -> t.Any:
        value = super().pop(key, *default)
        self._stamp.value += 1
        return value

    def popitem(self) -> tuple[_K, _V]:
        item = super().popitem()
        self._stamp.value += 1
        return item

    def clear(self) -> None:
        super().clear()
        self._stamp.value += 1

    def __reduce__(self) -> t.Any:
        # Copies and pickles are plain dicts: they belong to no owner's stamp.
        return (dict, (dict(self),))


def _keep(stamp: Stamp, value: t.Any) -> t.Any:
    return value


def _as_hook_list(stamp: Stamp, value: t.Any) -> HookList[t.Any]:
    if isinstance(value, HookList) and value._stamp is stamp:
        return value
    return HookList(stamp, value)


def _new_hook_list(stamp: Stamp) -> HookList[t.Any]:
    return HookList(stamp)


def _as_handler_map(stamp: Stamp, value: t.Any) -> HookDict[t.Any, t.Any]:
    if isinstance(value, HookDict) and value._stamp is stamp:
        return value
    return HookDict(stamp, _keep, None, value)


def _new_handler_map(stamp: Stamp) -> HookDict[t.Any, t.Any]:
    return HookDict(stamp, _keep)


def _as_code_map(stamp: Stamp, value: t.Any) -> HookDict[t.Any, t.Any]:
    if isinstance(value, HookDict) and value._stamp is stamp:
        return value
    return HookDict(stamp, _as_handler_map, _new_handler_map, value)


def _new_code_map(stamp: Stamp) -> HookDict[t.Any, t.Any]:
    return HookDict(stamp, _as_handler_map, _new_handler_map)


def hook_registry(stamp: Stamp, source: t.Any = None) -> t.Any:
    """Make a ``{blueprint name or None: [functions]}`` registry on ``stamp``."""
    return HookDict(stamp, _as_hook_list, _new_hook_list, source)


def error_registry(stamp: Stamp, source: t.Any = None) -> t.Any:
    """Make a ``{blueprint name or None: {code or None: {class: handler}}}``
    registry on ``stamp``.
    """
    return HookDict(stamp, _as_code_map, _new_code_map, source)


def stamp_of(owner: t.Any) -> Stamp:
    """Return the stamp shared by ``owner``'s registries, creating it if needed."""
    stamp: Stamp | None = owner.__dict__.get("_registry_stamp")
    if stamp is None:
        stamp = owner.__dict__["_registry_stamp"] = Stamp()
    return stamp


class registry(t.Generic[_R]):
    """Descriptor for one registry attribute of a scaffold.

    The registry is created on first access; assigning a whole new mapping
    converts it and bumps the owner's stamp, so caches notice the swap.
    """

    def __init__(self, make: cabc.Callable[[Stamp, t.Any], t.Any], doc: str) -> None:
        self.make = make
        self.name = ""
        self.__doc__ = doc

    def __set_name__(self, owner: type[t.Any], name: str) -> None:
        self.name = name

    @t.overload
    def __get__(self, obj: None, owner: type[t.Any] | None = None) -> registry[_R]: ...

    @t.overload
    def __get__(self, obj: object, owner: type[t.Any] | None = None) -> _R: ...

    def __get__(self, obj: object | None, owner: type[t.Any] | None = None) -> t.Any:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            value = obj.__dict__[self.name] = self.make(stamp_of(obj), None)
            return value

    def __set__(self, obj: object, value: _R) -> None:
        stamp = stamp_of(obj)
        obj.__dict__[self.name] = self.make(stamp, value)
        stamp.bump()
