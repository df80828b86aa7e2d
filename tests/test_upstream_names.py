"""``tools/_upstream_names.py`` lists every name a module binds at its top
level, as the conformance step's name comparison needs (issue 24).
"""

from __future__ import annotations

import importlib
import io
import json
import pathlib
import tarfile
import textwrap
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

SOURCE = textwrap.dedent(
    """
    from __future__ import annotations
    import os
    import collections.abc as cabc
    import typing as t
    from werkzeug.routing import Rule
    from .helpers import url_for
    from flask.globals import _cv_app
    if t.TYPE_CHECKING:
        from .wrappers import Response
    try:
        import dotenv
    except ImportError:
        dotenv = None
    F = t.TypeVar("F")
    _sentinel = object()
    a, (b, c) = 1, (2, 3)
    x: int
    y: int = 1
    def helper(): pass
    async def _private(): pass
    class Thing: pass
    """
)


@pytest.fixture
def names_tool(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("_upstream_names")


def test_module_names_groups_every_binding(names_tool: types.ModuleType) -> None:
    assert names_tool.module_names(SOURCE, "flask.example") == {
        "os": "re-exported",
        "cabc": "re-exported",
        "t": "re-exported",
        "Rule": "re-exported",
        "url_for": "public",
        "_cv_app": "private",
        "dotenv": "re-exported",
        "F": "public",
        "_sentinel": "private",
        "a": "public",
        "b": "public",
        "c": "public",
        "y": "public",
        "helper": "public",
        "_private": "private",
        "Thing": "public",
    }


def _sdist(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    path = tmp_path / "flask-9.9.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"flask-9.9/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_sdist_names_cover_every_module_but_main(
    names_tool: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    sdist = _sdist(
        tmp_path,
        {
            "src/flask/__init__.py": "from .app import Flask\n",
            "src/flask/__main__.py": "from .cli import main\nmain()\n",
            "src/flask/cli.py": "import click\n",
            "src/flask/sansio/scaffold.py": "_sentinel = object()\n",
            "tests/test_x.py": "import pytest\n",
        },
    )
    assert names_tool.sdist_names(sdist, "9.9") == {
        "flask": {"Flask": "public"},
        "flask.cli": {"click": "re-exported"},
        "flask.sansio.scaffold": {"_sentinel": "private"},
    }


def test_only_omissions_explain_missing_names(names_tool: types.ModuleType) -> None:
    missing = {"flask.cli": ["click", "_set_app"], "flask.ctx": ["_sentinel"]}
    omissions = {"flask.cli": {"_set_app": "internal callback"}}
    assert names_tool.unexplained(missing, omissions) == {
        "flask.cli": ["click"],
        "flask.ctx": ["_sentinel"],
    }
    upstream = {
        "flask.cli": {"click": "re-exported"},
        "flask.ctx": {"_sentinel": "private"},
    }
    assert names_tool.grouped(names_tool.unexplained(missing, omissions), upstream) == {
        "public": [],
        "private": ["flask.ctx._sentinel"],
        "re-exported": ["flask.cli.click"],
    }


def test_committed_omissions_each_have_a_reason(names_tool: types.ModuleType) -> None:
    omissions = names_tool.load_omissions()
    assert omissions, "the list is read from tools/conformance_omissions.json"
    for module, names in omissions.items():
        assert module.startswith("flask")
        for name, reason in names.items():
            assert name.startswith("_"), f"{module}.{name}: only private names"
            assert len(reason) > 20


def test_an_omission_without_reason_is_refused(
    names_tool: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "omissions.json"
    path.write_text(json.dumps({"flask.cli": {"_set_app": " "}}))
    with pytest.raises(ValueError, match="flask.cli._set_app"):
        names_tool.load_omissions(path)


def test_committed_omissions_are_absent_from_ours() -> None:
    # An omitted name that ours now has should leave the list.
    omissions = json.loads((ROOT / "tools" / "conformance_omissions.json").read_text())
    for module, names in omissions.items():
        present = [n for n in names if hasattr(importlib.import_module(module), n)]
        assert not present, f"{module}: {present} exist; drop them from the list"
