"""``from kolben.contexts import *`` binds the package's public names."""

from __future__ import annotations

import typing as t

import kolben.contexts


def test_star_import_binds_every_public_name_lazy_ones_included() -> None:
    namespace: dict[str, t.Any] = {}
    exec("from kolben.contexts import *", namespace)
    bound = set(namespace) - {"__builtins__"}
    assert bound == set(kolben.contexts.__all__)
    # Names imported on first access are bound too, as the same objects.
    lazy = set(kolben.contexts._LAZY)
    assert lazy <= bound
    for name in bound:
        assert namespace[name] is getattr(kolben.contexts, name)
    # Submodules and helper imports are not part of it.
    assert not {"t", "importlib", "annotations"} & bound
