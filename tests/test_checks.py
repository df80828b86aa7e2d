"""``tools/checks.py`` catches each repository rule being broken, and only that."""

from __future__ import annotations

import datetime as dt
import importlib
import pathlib
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def tools(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """The ``checks`` and ``release`` tool modules."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return types.SimpleNamespace(
        checks=importlib.import_module("checks"),
        release=importlib.import_module("release"),
    )


def make_part(
    root: pathlib.Path,
    part: str,
    dependencies: tuple[str, ...] = (),
    version: str = "0.1.0",
) -> pathlib.Path:
    """Write a well-formed ``kolben-<part>`` distribution under ``root/packages``."""
    path = root / "packages" / f"kolben-{part}"
    source = path / "src" / "kolben" / part
    source.mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "py.typed").write_text("")
    listed = "".join(f'"{d}", ' for d in dependencies)
    (path / "pyproject.toml").write_text(
        f'[project]\nname = "kolben-{part}"\nversion = "{version}"\n'
        f"dependencies = [{listed}]\n\n"
        '[tool.hatch.build.targets.wheel]\npackages = ["src/kolben"]\n'
    )
    (path / "CHANGES.md").write_text(
        f"## Version {version}\n\nUnreleased\n\n-   First release.\n"
    )
    return path


@pytest.fixture
def repo(tmp_path: pathlib.Path) -> pathlib.Path:
    """Two parts that follow every rule, one depending on the other."""
    make_part(tmp_path, "base", ("werkzeug>=3.1",))
    make_part(tmp_path, "user", ("kolben-base>=0.1,<0.2",))
    return tmp_path


def test_a_repository_that_follows_the_rules_passes(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    assert tools.checks.problems(repo) == []


def test_this_repository_is_readable_by_the_checks(
    tools: types.SimpleNamespace,
) -> None:
    # The real layout parses; whether it passes is `hatch run checks`' verdict.
    assert isinstance(tools.checks.problems(ROOT), list)


def test_changelog_heading_must_match_the_version(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    changes = repo / "packages/kolben-user/CHANGES.md"
    changes.write_text("## Version 0.2.0\n\nUnreleased\n\n-   Next.\n")
    assert tools.checks.problems(repo) == [
        "kolben-user: CHANGES.md's top heading is Version 0.2.0 but pyproject.toml"
        " says 0.1.0"
    ]
    changes.write_text("## Version 0.1.0\n\nSoon\n\n-   Next.\n")
    [problem] = tools.checks.problems(repo)
    assert "must be followed by 'Unreleased' or 'Released YYYY-MM-DD'" in problem
    changes.write_text("# Changelog\n")
    [problem] = tools.checks.problems(repo)
    assert "does not start with a '## Version X.Y.Z' heading" in problem


def test_the_kolben_namespace_holds_no_file(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    (repo / "packages/kolben-base/src/kolben/__init__.py").write_text("")
    [problem] = tools.checks.problems(repo)
    assert problem.startswith("kolben-base: src/kolben/__init__.py must not exist")


def test_every_part_is_typed(tools: types.SimpleNamespace, repo: pathlib.Path) -> None:
    (repo / "packages/kolben-base/src/kolben/base/py.typed").unlink()
    assert tools.checks.problems(repo) == ["kolben-base: kolben.base has no py.typed"]


def test_the_wheel_target_names_the_namespace(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    pyproject = repo / "packages/kolben-base/pyproject.toml"
    pyproject.write_text(pyproject.read_text().split("[tool.hatch")[0])
    [problem] = tools.checks.problems(repo)
    assert "packages = ['src/kolben']" in problem


@pytest.mark.parametrize(
    ("requirement", "word"),
    [
        ("kolben-base==0.1.0", "pinned"),
        ("kolben-base===0.1.0", "pinned"),
        ("kolben-base", "unbounded"),
        ("kolben-base>=0.1", "unbounded"),
        ("kolben-base<0.2", "unbounded"),
    ],
)
def test_sibling_requirements_are_bounded_ranges(
    tools: types.SimpleNamespace, tmp_path: pathlib.Path, requirement: str, word: str
) -> None:
    make_part(tmp_path, "base")
    make_part(tmp_path, "user", (requirement, "werkzeug>=3.1"))
    [problem] = tools.checks.problems(tmp_path)
    assert problem.startswith("kolben-user: kolben-base")
    assert word in problem


def test_compatible_release_clause_is_a_bounded_range(
    tools: types.SimpleNamespace, tmp_path: pathlib.Path
) -> None:
    make_part(tmp_path, "base")
    make_part(tmp_path, "user", ("kolben-base~=0.1.0",))
    assert tools.checks.problems(tmp_path) == []


def test_a_release_leaves_the_repository_passing(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    base = repo / "packages/kolben-base"
    # The first release, then releases prepared the way contributors do: a new
    # Unreleased stanza and the matching pyproject version.
    for part, prepared in [("minor", None), ("patch", "0.2.1"), ("major", "1.0.0")]:
        if prepared:
            pyproject = base / "pyproject.toml"
            current = tools.release.distributions(repo)["kolben-base"].version
            pyproject.write_text(pyproject.read_text().replace(current, prepared))
            changes = base / "CHANGES.md"
            changes.write_text(
                f"## Version {prepared}\n\nUnreleased\n\n-   More.\n\n\n"
                + changes.read_text()
            )
            assert tools.checks.problems(repo) == []
        version, planned = tools.release.plan(
            repo, "kolben-base", part, dt.date(2025, 5, 1)
        )
        assert version == prepared or version == "0.2.0"
        tools.release.write(repo, planned)
        assert tools.checks.problems(repo) == []
    user = tools.release.distributions(repo)["kolben-user"]
    assert [r.specifier for r in user.dependencies] == [">=1.0,<2"]


def test_every_runtime_import_is_declared(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    # The hatchling 1.32.1 failure: a module importing a sibling (or a
    # third-party package) its metadata does not declare.
    base = repo / "packages/kolben-base/src/kolben/base/__init__.py"
    base.write_text("from __future__ import annotations\nimport os\nimport werkzeug\n")
    user = repo / "packages/kolben-user/src/kolben/user/__init__.py"
    user.write_text("import kolben.base\nfrom kolben.user import x\n")
    assert tools.checks.problems(repo) == []
    user.write_text("def f():\n    import jinja2.sandbox\n")
    assert tools.checks.problems(repo) == [
        "kolben-user: src/kolben/user/__init__.py imports jinja2.sandbox but jinja2"
        " is not declared"
    ]
    user.write_text("")
    base.write_text("from kolben.user import x\n")
    [problem] = tools.checks.problems(repo)
    assert problem.endswith("imports kolben.user but kolben-user is not declared")


def test_type_only_and_probed_imports_need_no_declaration(
    tools: types.SimpleNamespace, repo: pathlib.Path
) -> None:
    (repo / "packages/kolben-base/src/kolben/base/__init__.py").write_text(
        "import typing as t\n"
        "if t.TYPE_CHECKING:\n    import jinja2\n"
        "try:\n    import cryptography\nexcept ImportError:\n    cryptography = None\n"
    )
    assert tools.checks.problems(repo) == []
