"""A class attribute whose value is imported when it is first read.

``import flask`` should not pay for werkzeug's routing package (its matcher,
rule compiler and converters, which bring in ``uuid``, ``difflib`` and
``pprint``): nothing needs it until an application is built. Yet the app
classes expose werkzeug's classes as ordinary class attributes
(``url_map_class``, ``url_rule_class``) and their request methods test
against werkzeug's classes. :class:`LazyImport` is such an attribute: the
first read imports the value and stores it on the class in place of the
descriptor, so every later read, on the class, a subclass or an instance, is a
plain attribute lookup of the real value, exactly as if the class body had
assigned it. Assigning to the attribute on a class or an instance, and
overriding it in a subclass, work as they always did.

It is public so that the ``flask`` meta-package, and an application class of
one's own built on :class:`~kolben.routing.RoutingApp`, can defer their own
imports the same way; import it as ``from kolben.routing import LazyImport``.
"""

from __future__ import annotations

import importlib
import typing as t

T = t.TypeVar("T")


class LazyImport(t.Generic[T]):
    """A class attribute standing for ``module.name`` until first read.

    The first read, on the class, a subclass or an instance, imports
    ``module`` and replaces the attribute on the class that defines it with
    the value, so the import happens once and later reads cost what a plain
    class attribute costs.

    :param module: the absolute name of the module to import.
    :param name: the attribute of that module that is the value; a dotted
        name reads attributes of attributes (``"Map.bind"``).

    ::

        from kolben.routing import LazyImport

        class App:
            url_map_class: type[Map] = LazyImport("werkzeug.routing", "Map")

        App.url_map_class  # imports werkzeug.routing now: its Map class

    .. versionadded:: 0.1.0
    """

    __slots__ = ("module", "name", "owner", "attribute")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self.owner: type | None = None
        self.attribute = name.rpartition(".")[2]

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.owner = owner
        self.attribute = attribute

    def __get__(self, instance: object | None, owner: type) -> T:
        value: t.Any = importlib.import_module(self.module)
        for part in self.name.split("."):
            value = getattr(value, part)
        if self.owner is not None:
            # The class now holds the value itself: later reads never come
            # back here, and assignment and subclassing behave as usual.
            setattr(self.owner, self.attribute, value)
        return value  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<LazyImport {self.module}.{self.name}>"
