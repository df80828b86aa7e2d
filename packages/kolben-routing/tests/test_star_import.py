"""``from kolben.routing import *`` binds the package's public names."""

from __future__ import annotations

import typing as t

import kolben.routing


def test_star_import_binds_every_public_name_lazy_ones_included() -> None:
    namespace: dict[str, t.Any] = {}
    exec("from kolben.routing import *", namespace)
    bound = set(namespace) - {"__builtins__"}
    assert bound == set(kolben.routing.__all__)
    # Names imported on first access are bound too, as the same objects.
    lazy = set(kolben.routing._LAZY)
    assert lazy <= bound
    assert "LazyImport" in bound
    for name in bound:
        assert namespace[name] is getattr(kolben.routing, name)
    # Submodules and helper imports are not part of it.
    assert not {"t", "importlib", "annotations"} & bound
