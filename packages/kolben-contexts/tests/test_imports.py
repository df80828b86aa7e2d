"""The protocols of kolben.contexts are imported on first access."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_import_does_not_load_the_protocols() -> None:
    code = (
        "import sys, kolben.contexts; print('kolben.contexts.protocols' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("name", ["ContextApp", "SessionOpener"])
def test_protocols_resolve_from_the_package(name: str) -> None:
    import kolben.contexts
    import kolben.contexts.protocols

    assert getattr(kolben.contexts, name) is getattr(kolben.contexts.protocols, name)
    assert name in dir(kolben.contexts)
    # The package's ``globals`` submodule is still the module, not a builtin.
    assert kolben.contexts.globals is sys.modules["kolben.contexts.globals"]


def test_unknown_names_raise_attribute_error() -> None:
    import kolben.contexts

    with pytest.raises(AttributeError, match="no_such_name"):
        kolben.contexts.no_such_name  # noqa: B018
