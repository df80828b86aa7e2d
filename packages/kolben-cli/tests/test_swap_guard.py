"""The swap guard: one line when upstream Flask replaced Kolben's ``flask``.

Each case runs a fresh interpreter (``-S``: no site-packages) over a folder
laid out like a site-packages: the guard module, a ``flask`` package and the
dist-info of the Kolben parts a real installation would hold. The rehearsal
(``hatch run rehearse``) proves the same with real wheels and the ``.pth``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import _kolben_flask_guard as guard

#: What the ``.pth`` file runs at interpreter start, then what a user runs.
IMPORT = "import _kolben_flask_guard as g; g.install(); import flask; import flask"


def site(tmp_path: pathlib.Path, *, parts: tuple[str, ...], ours: bool) -> str:
    """Lay out a ``flask`` package (upstream's or ours) and the given parts."""
    shutil.copy(guard.__file__, tmp_path)
    package = tmp_path / "flask"
    package.mkdir()
    (package / "__init__.py").write_text("WHOSE = 'upstream'\n")
    if ours:
        (package / guard.MARKER).write_text("")
    for name, version in [("flask", "3.1.4"), *((p, "0.1.0") for p in parts)]:
        info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
    return str(tmp_path)


def run(path: str, code: str = IMPORT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != guard.SAID}
    env["PYTHONPATH"] = path
    return subprocess.run(
        [sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True
    )


def test_swapped_flask_with_every_part_says_one_line(tmp_path: pathlib.Path) -> None:
    result = run(site(tmp_path, parts=guard.PARTS, ours=False))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kolben: the installed flask 3.1.4 is not Kolben's")
    assert "pip install --force-reinstall" in lines[0]


def test_said_once_per_process_tree(tmp_path: pathlib.Path) -> None:
    # A child started after the line (the reloader, say) does not repeat it.
    code = (
        f"{IMPORT}; import subprocess, sys;"
        f" subprocess.run([sys.executable, '-c', {IMPORT!r}], check=True)"
    )
    result = run(site(tmp_path, parts=guard.PARTS, ours=False), code)
    assert result.returncode == 0, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_kolbens_flask_is_left_alone(tmp_path: pathlib.Path) -> None:
    result = run(site(tmp_path, parts=guard.PARTS, ours=True))
    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.parametrize("missing", ["kolben-sessions", "kolben-asgi"])
def test_parts_used_alone_next_to_upstream_flask_stay_quiet(
    tmp_path: pathlib.Path, missing: str
) -> None:
    parts = tuple(p for p in guard.PARTS if p != missing)
    result = run(site(tmp_path, parts=parts, ours=False))
    assert result.returncode == 0
    assert result.stderr == ""


def test_nothing_is_imported_at_start_up_but_the_finder(tmp_path: pathlib.Path) -> None:
    code = (
        # site, which runs .pth files, has imported os already.
        "import os, sys; before = set(sys.modules);"
        " import _kolben_flask_guard as g; g.install();"
        " print(sorted(set(sys.modules) - before - {'_kolben_flask_guard'}))"
    )
    result = run(site(tmp_path, parts=guard.PARTS, ours=False), code)
    assert set(eval(result.stdout)) <= {"__future__"}, result.stdout


def test_a_flask_module_instead_of_a_package_is_left_alone(
    tmp_path: pathlib.Path,
) -> None:
    site(tmp_path, parts=guard.PARTS, ours=False)
    (tmp_path / "flask" / "__init__.py").unlink()
    (tmp_path / "flask").rmdir()
    (tmp_path / "flask.py").write_text("WHOSE = 'a module'\n")
    code = IMPORT + "; print(flask.WHOSE)"
    result = run(str(tmp_path), code)
    assert (result.returncode, result.stdout, result.stderr) == (0, "a module\n", "")


def test_the_pth_file_runs_the_guard() -> None:
    pth = pathlib.Path(__file__).parent.parent / "src" / "kolben_cli_flask_guard.pth"
    assert pth.read_text() == (
        "import _kolben_flask_guard; _kolben_flask_guard.install()\n"
    )
