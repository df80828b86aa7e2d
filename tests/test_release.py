"""The release tool's rewrites: version, changelog, and the siblings' ranges.

Nothing here builds: the build and ``twine check`` steps are hatch's and
twine's, and ``.ci/run`` does not release. These tests run the planning part
on small throwaway repositories and on a copy of this one's pyproject files.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pathlib
import shutil
import textwrap
import types

import pytest
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 5, 1)


@pytest.fixture
def release(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/release.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("release")


def make_package(
    root: pathlib.Path,
    name: str,
    version: str,
    dependencies: list[str],
    changes: str | None = None,
) -> pathlib.Path:
    """Write a minimal distribution folder under ``root/packages``."""
    path = root / "packages" / name
    path.mkdir(parents=True)
    listed = "".join(f'    "{d}",\n' for d in dependencies)
    (path / "pyproject.toml").write_text(
        f'[project]\nname = "{name}"\nversion = "{version}"\n'
        f"dependencies = [\n{listed}]\n\n"
        '[dependency-groups]\ntest = ["pytest"]\n'
    )
    if changes is None:
        changes = f"## Version {version}\n\nUnreleased\n\n-   First release.\n"
    (path / "CHANGES.md").write_text(changes)
    return path


@pytest.fixture
def repo(tmp_path: pathlib.Path) -> pathlib.Path:
    """A repository with a base part, a part on it, and a meta-package on both."""
    make_package(tmp_path, "kolben-base", "0.1.0", ["werkzeug>=3.1"])
    make_package(
        tmp_path,
        "kolben-user",
        "0.3.2",
        ["kolben-base>=0.1,<0.2", "werkzeug>=3.1"],
        "## Version 0.3.2\n\nReleased 2025-01-01\n\n-   Earlier work.\n",
    )
    make_package(
        tmp_path,
        "flask",
        "3.1.3",
        [
            "kolben_base[extra] >= 0.1, < 0.2 ; python_version >= '3.10'",
            "kolben-user>=0.3,<0.4",
        ],
    )
    return tmp_path


@pytest.mark.parametrize(
    ("version", "part", "expected"),
    [
        ("0.1.0", "patch", "0.1.1"),
        ("0.1.7", "minor", "0.2.0"),
        ("0.9.3", "major", "1.0.0"),
        ("1.2.3", "major", "2.0.0"),
        ("3.1", "patch", "3.1.1"),
        # The meta-package keeps the Flask API level; a release is a new build.
        ("3.1.3+kolben.1", "patch", "3.1.3+kolben.2"),
        ("3.1.3+kolben.9", "major", "3.1.3+kolben.10"),
    ],
)
def test_bump(
    release: types.ModuleType, version: str, part: str, expected: str
) -> None:
    assert release.bump(version, part) == expected


def test_only_kolbens_local_label_is_a_version(release: types.ModuleType) -> None:
    with pytest.raises(
        release.WorkspaceError, match=r"only local label is \+kolben\.N"
    ):
        release.bump("3.1.3+ubuntu1", "patch")
    assert release.order("3.1.3+kolben.2") > release.order("3.1.3+kolben.1")
    assert release.order("3.1.3+kolben.1") > release.order("3.1.3")


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.2.0", ">=0.2,<0.3"),
        ("0.10.1", ">=0.10,<0.11"),
        ("1.0.0", ">=1.0,<2"),
        ("2.3.0", ">=2.3,<3"),
    ],
)
def test_compatible_range(
    release: types.ModuleType, version: str, expected: str
) -> None:
    assert release.compatible_range(version) == expected


def test_changelog_moves_unreleased_under_the_new_version(
    release: types.ModuleType,
) -> None:
    changes = textwrap.dedent(
        """\
        ## Version 0.2.0

        Unreleased

        -   New thing.
        -   Fixed thing.


        ## Version 0.1.0

        Released 2025-01-01

        -   First release.
        """
    )
    result = release.release_changes(changes, "0.3.0", TODAY)
    assert result.startswith(
        "## Version 0.3.0\n\nReleased 2025-05-01\n\n-   New thing.\n-   Fixed thing.\n"
    )
    # Older stanzas are untouched.
    assert result.endswith(changes[changes.index("## Version 0.1.0") :])


def test_changelog_refuses_when_nothing_is_unreleased(
    release: types.ModuleType,
) -> None:
    changes = "## Version 0.1.0\n\nReleased 2025-01-01\n\n-   First release.\n"
    with pytest.raises(release.WorkspaceError, match="nothing to release"):
        release.release_changes(changes, "0.2.0", TODAY)
    empty = "## Version 0.2.0\n\nUnreleased\n\n\n## Version 0.1.0\n\nReleased x\n"
    with pytest.raises(release.WorkspaceError, match="lists no change"):
        release.release_changes(empty, "0.2.0", TODAY)


def test_plan_minor_bump_widens_every_dependent(
    release: types.ModuleType, repo: pathlib.Path
) -> None:
    version, changes = release.plan(repo, "kolben-base", "minor", TODAY)
    assert version == "0.2.0"
    by_path = {c.path.as_posix(): c.after for c in changes}
    base = tomllib.loads(by_path["packages/kolben-base/pyproject.toml"])
    assert base["project"]["version"] == "0.2.0"
    assert by_path["packages/kolben-base/CHANGES.md"].startswith(
        "## Version 0.2.0\n\nReleased 2025-05-01\n"
    )
    user = tomllib.loads(by_path["packages/kolben-user/pyproject.toml"])
    assert user["project"]["dependencies"] == [
        "kolben-base>=0.2,<0.3",
        "werkzeug>=3.1",
    ]
    # Extras and markers survive; only the range changes.
    meta = tomllib.loads(by_path["packages/flask/pyproject.toml"])
    assert meta["project"]["dependencies"][0] == (
        "kolben_base[extra] >=0.2,<0.3 ; python_version >= '3.10'"
    )
    # The meta-package's unreleased stanza notes the new range ...
    assert by_path["packages/flask/CHANGES.md"].endswith(
        "-   First release.\n-   Require `kolben_base[extra] >=0.2,<0.3 ;"
        " python_version >= '3.10'`.\n"
    )
    # ... a released one is not reopened behind its maintainers' back.
    assert "packages/kolben-user/CHANGES.md" not in by_path
    # Nothing was written.
    assert (repo / "packages/kolben-base/pyproject.toml").read_text().count("0.1.0")


def test_plan_patch_bump_keeps_ranges_that_still_admit_it(
    release: types.ModuleType, repo: pathlib.Path
) -> None:
    version, changes = release.plan(repo, "kolben-base", "patch", TODAY)
    assert version == "0.1.1"
    assert sorted(c.path.as_posix() for c in changes) == [
        "packages/kolben-base/CHANGES.md",
        "packages/kolben-base/pyproject.toml",
    ]


def test_bump_starts_from_the_last_release(
    release: types.ModuleType, repo: pathlib.Path
) -> None:
    base = repo / "packages/kolben-base"
    (base / "pyproject.toml").write_text(
        (base / "pyproject.toml").read_text().replace("0.1.0", "0.2.0")
    )
    (base / "CHANGES.md").write_text(
        "## Version 0.2.0\n\nUnreleased\n\n-   Next.\n\n\n"
        "## Version 0.1.0\n\nReleased 2025-01-01\n\n-   First release.\n"
    )
    # The prepared version is what a minor release of 0.1.0 gives: kept.
    version, changes = release.plan(repo, "kolben-base", "minor", TODAY)
    assert version == "0.2.0"
    assert [c.path.name for c in changes if "kolben-base" in str(c.path)] == [
        "CHANGES.md"
    ]
    # A patch release would fall short of what the changelog prepares.
    with pytest.raises(release.WorkspaceError, match="choose a bigger part"):
        release.plan(repo, "kolben-base", "patch", TODAY)
    assert release.plan(repo, "kolben-base", "major", TODAY)[0] == "1.0.0"


def test_dry_run_without_build_changes_nothing(
    release: types.ModuleType, repo: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_text() for p in repo.rglob("*") if p.is_file()}
    assert release.main(["kolben-user", "major", "--no-build"], root=repo) == 1
    assert "nothing to release" in capsys.readouterr().err
    assert release.main(["kolben-base", "major", "--no-build"], root=repo) == 0
    out = capsys.readouterr().out
    assert "kolben-base 0.1.0 -> 1.0.0 (major), dry run" in out
    assert '+    "kolben-base>=1.0,<2",' in out
    assert "tag: kolben-base-v1.0.0 (not created" in out
    # Widening a dependent's range is said plainly: it must be released too.
    assert "flask needs a release too: its range on kolben-base was widened" in out
    assert "kolben-user needs a release too" in out
    assert {p: p.read_text() for p in repo.rglob("*") if p.is_file()} == before


def test_release_of_the_real_contexts_package(
    release: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    # The real pyproject files, with a known changelog for the released part.
    for pyproject in (ROOT / "packages").glob("*/pyproject.toml"):
        folder = tmp_path / "packages" / pyproject.parent.name
        folder.mkdir(parents=True)
        shutil.copy(pyproject, folder)
        (folder / "CHANGES.md").write_text(
            "## Version 0.0.0\n\nUnreleased\n\n-   Something.\n"
        )
    current = tomllib.loads(
        (ROOT / "packages/kolben-contexts/pyproject.toml").read_text()
    )
    version, changes = release.plan(tmp_path, "kolben-contexts", "major", TODAY)
    assert version == release.bump(current["project"]["version"], "major")
    wanted = release.compatible_range(version)
    for change in changes:
        if change.path.name != "pyproject.toml":
            continue
        data = tomllib.loads(change.after)
        if data["project"]["name"] == "kolben-contexts":
            assert data["project"]["version"] == version
            continue
        on_contexts = [
            d
            for d in data["project"]["dependencies"]
            if d.startswith("kolben-contexts")
        ]
        assert on_contexts == [f"kolben-contexts{wanted}"]
    changed = {c.path.parent.name for c in changes}
    # Everything the design says depends on kolben-contexts follows it.
    assert {"flask", "kolben-routing", "kolben-templating", "kolben-testing"} <= changed
    assert "kolben-sessions" not in changed


def test_release_of_flask_keeps_an_add_ons_range(
    release: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    # kolben-legacy requires flask>=3.1,<4: the next build 3.1.3+kolben.N+1
    # is inside it (a local label is ignored by a specifier without one).
    make_package(tmp_path, "kolben-base", "0.1.0", ["werkzeug>=3.1"])
    make_package(tmp_path, "flask", "3.1.3+kolben.1", ["kolben-base>=0.1,<0.2"])
    make_package(tmp_path, "kolben-legacy", "0.1.0", ["flask>=3.1,<4"])
    version, changes = release.plan(tmp_path, "flask", "patch", TODAY)
    assert version == "3.1.3+kolben.2"
    assert {c.path.parent.name for c in changes} == {"flask"}
    assert release.widened_siblings(changes, "flask") == []


@pytest.mark.parametrize(
    ("specifier", "admitted"),
    [
        (">=3.1,<4", True),
        ("==3.1.3", True),
        ("==3.1.3+kolben.2", True),
        ("==3.1.3+kolben.1", False),
        ("!=3.1.3+kolben.2", False),
        ("<3.1.3", False),
    ],
)
def test_a_local_label_is_matched_as_pep_440_says(
    release: types.ModuleType, specifier: str, admitted: bool
) -> None:
    requirement = release.Requirement.parse(f"flask{specifier}")
    assert release.admits(requirement, "3.1.3+kolben.2") is admitted


def test_publish_to_needs_apply(
    release: types.ModuleType, repo: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        release.main(["kolben-base", "minor", "--publish-to", "http://127.0.0.1:9/"])
    assert exit.value.code == 2
    assert "--publish-to uploads a release: it needs --apply" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url", ["https://upload.pypi.org/legacy/", "https://test.pypi.org/legacy/"]
)
def test_flask_is_never_uploaded_to_pypi(
    release: types.ModuleType,
    repo: pathlib.Path,
    url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    publish = importlib.import_module("publish")
    # Refused before anything is built or uploaded.
    assert publish.main([url, "flask"], root=repo) == 1
    err = capsys.readouterr().err
    assert "refusing to upload flask to" in err
    assert "Kolben's own index" in err
    publish.refuse_public_meta(["kolben-base"], url)  # parts may go to PyPI


def test_publish_refuses_a_url_that_is_not_http(release: types.ModuleType) -> None:
    publish = importlib.import_module("publish")
    with pytest.raises(release.WorkspaceError, match="is not an http"):
        publish.refuse_public_meta(["kolben-base"], "file:///tmp/index")
