"""``tools/isolation.py`` knows a fresh wheel from anything else installed."""

from __future__ import annotations

import base64
import hashlib
import importlib
import pathlib
import types
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def isolation(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/isolation.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("isolation")


def digest(data: bytes) -> str:
    """Return a RECORD-style hash."""
    raw = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def write_wheel(path: pathlib.Path, files: dict[str, bytes]) -> None:
    """Write a wheel-shaped zip with a RECORD for ``files``."""
    info = "kolben_base-0.1.0.dist-info"
    record = "".join(f"{n},{digest(d)},{len(d)}\n" for n, d in files.items())
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
        wheel.writestr(f"{info}/RECORD", record + f"{info}/RECORD,,\n")


def install(site: pathlib.Path, files: dict[str, bytes], version: str) -> None:
    """Record ``files`` as installed in ``site``, the way an installer does."""
    info = site / f"kolben_base-{version}.dist-info"
    info.mkdir(parents=True)
    record = "".join(f"{n},{digest(d)},{len(d)}\n" for n, d in files.items())
    (info / "RECORD").write_text(record + f"{info.name}/INSTALLER,,\n")


@pytest.fixture
def dists(isolation: types.ModuleType, tmp_path: pathlib.Path) -> dict[str, object]:
    """A workspace with one distribution, ``kolben-base``."""
    package = tmp_path / "packages" / "kolben-base"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text(
        '[project]\nname = "kolben-base"\nversion = "0.1.0"\n'
    )
    workspace = importlib.import_module("_workspace")
    result: dict[str, object] = workspace.distributions(tmp_path)
    return result


FRESH = {"kolben/base/__init__.py": b"VALUE = 1\n"}


def test_the_fresh_wheel_is_accepted(
    isolation: types.ModuleType, dists: dict[str, object], tmp_path: pathlib.Path
) -> None:
    wheel = tmp_path / "kolben_base-0.1.0-py3-none-any.whl"
    write_wheel(wheel, FRESH)
    install(tmp_path / "site", FRESH, "0.1.0")
    wheels = {"kolben-base": wheel}
    assert isolation.verify_provenance(tmp_path / "site", dists, wheels) == []


def test_a_same_named_release_from_elsewhere_is_refused(
    isolation: types.ModuleType, dists: dict[str, object], tmp_path: pathlib.Path
) -> None:
    wheel = tmp_path / "kolben_base-0.1.0-py3-none-any.whl"
    write_wheel(wheel, FRESH)
    # Same name and version, different code: e.g. from the package index.
    install(tmp_path / "site", {"kolben/base/__init__.py": b"VALUE = 2\n"}, "0.1.0")
    wheels = {"kolben-base": wheel}
    assert isolation.verify_provenance(tmp_path / "site", dists, wheels) == [
        "kolben-base 0.1.0: kolben/base/__init__.py is not from the new wheel"
    ]


@pytest.mark.parametrize(
    ("output", "summary"),
    [
        ("x\n============ 12 passed in 0.31s ============\n", "12 passed"),
        (
            "===== 1 failed, 3 passed, 2 skipped in 1.20s (0:00:01) =====",
            "1 failed, 3 passed, 2 skipped",
        ),
        ("ImportError while loading conftest\n", "no summary"),
    ],
)
def test_summary_is_pytests_closing_line(
    isolation: types.ModuleType, output: str, summary: str
) -> None:
    assert isolation.summarize(output) == summary
