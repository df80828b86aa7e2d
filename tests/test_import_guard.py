"""The test-run guard refuses to test code imported from the wrong place."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_pytest(
    tmp_path: pathlib.Path, pythonpath: pathlib.Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pytest on a trivial test with our root conftest, ``pythonpath`` first."""
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    (tmp_path / "test_trivial.py").write_text("def test_ok():\n    assert True\n")
    env = {"PATH": "/usr/bin:/bin"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        # Only the trivial file: the folder may hold a link to packages/.
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_trivial.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_guard_rejects_a_foreign_flask(tmp_path: pathlib.Path) -> None:
    # A stand-in for the upstream Flask that the global site-packages holds.
    foreign = tmp_path / "foreign"
    (foreign / "flask").mkdir(parents=True)
    (foreign / "flask" / "__init__.py").write_text("IMPOSTOR = True\n")
    run = tmp_path / "run"
    run.mkdir()
    # The copied conftest expects packages/ beside itself, which here is empty.
    (run / "packages").mkdir()
    result = run_pytest(run, foreign)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Refusing to test the wrong code" in output
    assert str(foreign / "flask" / "__init__.py") in output
    assert "1 passed" not in output


def test_guard_accepts_the_workspace(tmp_path: pathlib.Path) -> None:
    # The same trivial run, with the copied conftest pointed at our packages/.
    run = tmp_path / "run"
    run.mkdir()
    (run / "packages").symlink_to(ROOT / "packages")
    result = run_pytest(run)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "flask",
        "kolben.contexts",
        "kolben.routing",
        "kolben.sessions",
        "kolben.templating",
        "kolben.testing",
        "kolben.cli",
        "kolben.legacy",
    ],
)
def test_workspace_imports_come_from_packages(name: str) -> None:
    module = __import__(name, fromlist=["_"])
    assert pathlib.Path(module.__file__).resolve().is_relative_to(ROOT / "packages")
