"""What the tools in this folder share: the workspace layout and its packages.

Standard library only: the tools run in the hatch environment, but nothing
here may depend on what that environment happens to contain.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import typing as t

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the hatch environments run 3.11 or later
    import tomli as tomllib  # type: ignore[import-not-found]

#: The repository checkout this file belongs to.
ROOT = pathlib.Path(__file__).resolve().parent.parent

#: The folder that holds one folder per distribution.
PACKAGES = ROOT / "packages"

#: The name of the meta-package distribution.
META = "flask"

#: A PEP 508 requirement, as far as our pyproject files use the grammar.
REQUIREMENT = re.compile(
    r"""^\s*
    (?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*
    (?P<extras>\[[^\]]*\])?\s*
    (?:@\s*(?P<url>[^\s;]+))?\s*
    (?P<specifier>[^;]*?)\s*
    (?P<marker>;.*)?$""",
    re.VERBOSE,
)


class WorkspaceError(Exception):
    """A tool cannot do its job; the message says why, for a person to read."""


def normalize(name: str) -> str:
    """Return a distribution name in PEP 503 normal form (``Foo_Bar`` -> ``foo-bar``).

    :param name: A distribution name as written anywhere.
    """
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclasses.dataclass(frozen=True)
class Requirement:
    """A dependency string split into the parts the tools look at.

    Only what PEP 508 allows in our own pyproject files is understood; that is
    enough for checking sibling ranges and mapping names to modules.
    """

    #: The distribution name, normalized.
    name: str
    #: The extras asked for, in the order written.
    extras: tuple[str, ...]
    #: The version specifier, e.g. ``>=0.1,<0.2``; empty when there is none.
    specifier: str
    #: A direct URL (``name @ url``), or ``None``.
    url: str | None
    #: The environment marker without its ``;``, or ``None``.
    marker: str | None

    @classmethod
    def parse(cls, text: str) -> Requirement:
        """Split one requirement string.

        :param text: A PEP 508 requirement such as ``"kolben-contexts>=0.1,<0.2"``.
        :raises WorkspaceError: When the string is not a requirement.
        """
        match = REQUIREMENT.match(text)
        if match is None:
            raise WorkspaceError(f"cannot read the requirement {text!r}")
        extras = match["extras"] or "[]"
        marker = match["marker"]
        return cls(
            name=normalize(match["name"]),
            extras=tuple(e.strip() for e in extras[1:-1].split(",") if e.strip()),
            specifier=re.sub(r"\s+", "", match["specifier"]),
            url=match["url"],
            marker=marker[1:].strip() if marker else None,
        )

    def clauses(self) -> list[tuple[str, str]]:
        """Return the specifier as ``(operator, version)`` pairs."""
        pairs = []
        for clause in filter(None, self.specifier.split(",")):
            match = re.fullmatch(r"(===|==|!=|~=|>=|<=|>|<)(.+)", clause)
            if match is None:
                raise WorkspaceError(f"cannot read the version clause {clause!r}")
            pairs.append((match[1], match[2]))
        return pairs


def version_tuple(version: str) -> tuple[int, ...]:
    """Return the numeric release part of a version (``"0.10.2"`` -> ``(0, 10, 2)``).

    :param version: A plain release version; pre-release and local parts are
        not used in this repository and are refused.
    :raises WorkspaceError: For anything but dot-separated numbers.
    """
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        raise WorkspaceError(f"{version!r} is not a plain release version")
    return tuple(int(part) for part in version.split("."))


def _padded(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    width = max(len(a), len(b))
    return a + (0,) * (width - len(a)), b + (0,) * (width - len(b))


def admits(requirement: Requirement, version: str) -> bool:
    """Tell whether a requirement's specifier allows a release version.

    A local label (the meta-package's ``3.1.3+kolben.2``) is ignored unless
    the clause names one, as PEP 440 says: ``flask>=3.1,<4`` admits it.

    :param requirement: The requirement to test.
    :param version: A release version such as ``"0.2.0"``, possibly with a
        local label.
    """
    have = version_tuple(version.partition("+")[0])
    for operator, bound in requirement.clauses():
        if operator == "===":
            if version != bound:
                return False
            continue
        if "+" in bound:
            if operator not in ("==", "!="):
                raise WorkspaceError(f"{operator}{bound}: a local label needs ==")
            if (operator == "==") != (version == bound):
                return False
            continue
        if bound.endswith(".*"):
            prefix = version_tuple(bound[:-2])
            equal = have[: len(prefix)] == prefix
            if (operator == "==") != equal:
                return False
            continue
        mine, theirs = _padded(have, version_tuple(bound))
        if operator == "~=":
            upper = version_tuple(bound)[:-1]
            ok = mine >= theirs and have[: len(upper)] == upper
        else:
            ok = {
                "==": mine == theirs,
                "!=": mine != theirs,
                ">=": mine >= theirs,
                "<=": mine <= theirs,
                ">": mine > theirs,
                "<": mine < theirs,
            }[operator]
        if not ok:
            return False
    return True


@dataclasses.dataclass(frozen=True)
class Distribution:
    """One distribution of the workspace, as its ``pyproject.toml`` declares it."""

    #: The normalized distribution name, which is also its folder's name.
    name: str
    #: Its folder, ``packages/<name>``.
    path: pathlib.Path
    #: The static ``project.version``.
    version: str
    #: ``project.dependencies``, parsed.
    dependencies: tuple[Requirement, ...]
    #: ``project.optional-dependencies``, parsed, by extra.
    extras: dict[str, tuple[Requirement, ...]]
    #: ``dependency-groups`` with ``include-group`` entries expanded.
    groups: dict[str, tuple[str, ...]]
    #: The whole ``pyproject.toml``, as read.
    data: dict[str, t.Any] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def pyproject(self) -> pathlib.Path:
        """The distribution's ``pyproject.toml``."""
        return self.path / "pyproject.toml"

    @property
    def changes(self) -> pathlib.Path:
        """The distribution's ``CHANGES.md``."""
        return self.path / "CHANGES.md"

    @property
    def import_name(self) -> str:
        """The import package it ships: ``kolben-routing`` -> ``kolben.routing``."""
        if self.name.startswith("kolben-"):
            return "kolben." + self.name.removeprefix("kolben-").replace("-", "_")
        return self.name.replace("-", "_")

    @property
    def source(self) -> pathlib.Path:
        """The folder of its import package under ``src/``."""
        return self.path / "src" / pathlib.Path(*self.import_name.split("."))

    def all_requirements(self) -> list[Requirement]:
        """Every requirement in ``dependencies`` and in every extra."""
        found = list(self.dependencies)
        for requirements in self.extras.values():
            found.extend(requirements)
        return found


def _expand_groups(raw: dict[str, list[t.Any]]) -> dict[str, tuple[str, ...]]:
    def expand(name: str, seen: tuple[str, ...]) -> list[str]:
        if name in seen:
            raise WorkspaceError(f"dependency group {name!r} includes itself")
        out: list[str] = []
        for entry in raw.get(name, []):
            if isinstance(entry, dict):
                out.extend(expand(entry["include-group"], (*seen, name)))
            else:
                out.append(str(entry))
        return out

    return {name: tuple(expand(name, ())) for name in raw}


def load_distribution(path: pathlib.Path) -> Distribution:
    """Read one distribution from its folder.

    :param path: A folder holding a ``pyproject.toml``.
    """
    with (path / "pyproject.toml").open("rb") as f:
        data = tomllib.load(f)
    project = data["project"]
    if "version" not in project:
        raise WorkspaceError(f"{path.name}: project.version must be static")
    optional = project.get("optional-dependencies", {})
    return Distribution(
        name=normalize(project["name"]),
        path=path,
        version=project["version"],
        dependencies=tuple(map(Requirement.parse, project.get("dependencies", []))),
        extras={k: tuple(map(Requirement.parse, v)) for k, v in optional.items()},
        groups=_expand_groups(data.get("dependency-groups", {})),
        data=data,
    )


def distributions(root: pathlib.Path = ROOT) -> dict[str, Distribution]:
    """Return every distribution under ``root/packages``: the parts first, then
    ``flask``, then the add-ons that depend on ``flask`` (see :func:`is_addon`).

    :param root: A checkout of this repository (or a copy of one).
    """
    found = {}
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        dist = load_distribution(pyproject.parent)
        found[dist.name] = dist

    def tier(name: str) -> tuple[int, str]:
        return (2 if is_addon(found[name]) else int(name == META), name)

    return {name: found[name] for name in sorted(found, key=tier)}


def is_addon(dist: Distribution) -> bool:
    """Tell whether ``dist`` sits above the meta-package (depends on ``flask``),
    like ``kolben-legacy``; DESIGN.md allows only such add-ons to import it.
    """
    return any(r.name == META for r in dist.dependencies)


def sibling_requirements(
    dist: Distribution, names: t.Iterable[str]
) -> list[Requirement]:
    """Return ``dist``'s requirements (extras included) on the given siblings."""
    wanted = set(names)
    return [r for r in dist.all_requirements() if r.name in wanted]


def find_tool(name: str) -> str | None:
    """Find a command-line tool that comes with hatch (``hatch`` or ``uv``).

    Inside ``hatch run`` the hatch environment's ``bin`` is first on ``PATH``,
    but hatch itself is not necessarily on it; ``HATCH_UV`` points into the
    folder hatch was installed in, so look there and next to this Python too.
    """
    places = []
    if os.environ.get("HATCH_UV"):
        places.append(pathlib.Path(os.environ["HATCH_UV"]).parent / name)
    places.append(ROOT / ".hatch-venv" / "bin" / name)
    places.append(pathlib.Path(sys.executable).parent / name)
    if name == "uv" and os.environ.get("HATCH_UV"):
        places.insert(0, pathlib.Path(os.environ["HATCH_UV"]))
    found = shutil.which(name)
    if found:
        return found
    for place in places:
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    return None


def require_tool(name: str) -> str:
    """Like :func:`find_tool`, but fail with a message saying how to get it."""
    found = find_tool(name)
    if found is None:
        raise WorkspaceError(
            f"cannot find {name!r}: install hatch (`python -m pip install hatch`)"
            " and run this through `hatch run`"
        )
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """Return this process's environment without what would leak into a child.

    The active virtualenv, ``PYTHONPATH``, hatch's markers and any ``FLASK_*``
    setting would make a child process see the workspace instead of what it
    is meant to test.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
        and not key.startswith(("HATCH_ENV_", "FLASK_", "PYTEST_"))
    }
    env.update(extra)
    return env


def run(
    command: t.Sequence[str | os.PathLike[str]],
    *,
    cwd: pathlib.Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output (stdout and stderr together)."""
    return subprocess.run(
        [os.fspath(part) for part in command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=timeout,
        check=False,
    )


def check_run(
    command: t.Sequence[str | os.PathLike[str]],
    *,
    cwd: pathlib.Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> str:
    """Run a command and return its output, or raise with that output on failure."""
    result = run(command, cwd=cwd, env=env, timeout=timeout)
    if result.returncode != 0:
        shown = " ".join(os.fspath(part) for part in command)
        raise WorkspaceError(
            f"`{shown}` failed with exit code {result.returncode}:\n{result.stdout}"
        )
    return result.stdout


def add_selection_arguments(parser: argparse.ArgumentParser, jobs_help: str) -> None:
    """Give a tool that checks distributions one by one its common arguments.

    ``dist ...`` (which distributions, default all), ``-j/--jobs`` (how many
    at the same time, at most two by default: CI has two cores) and
    ``--keep`` (keep the scratch folder for a post-mortem).
    """
    parser.add_argument("dist", nargs="*", help="distributions to check (default all)")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help=jobs_help,
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")


def select(
    parser: argparse.ArgumentParser, names: list[str]
) -> tuple[dict[str, Distribution], list[Distribution]]:
    """Return every distribution and the ones *names* chose (all when empty).

    An unknown name is a usage error that lists the known ones.
    """
    dists = distributions()
    unknown = [name for name in names if normalize(name) not in dists]
    if unknown:
        parser.error(f"unknown distribution(s) {unknown}; choose from {list(dists)}")
    return dists, [dists[normalize(name)] for name in names] or list(dists.values())


@contextlib.contextmanager
def scratch_folder(prefix: str, keep: bool) -> t.Iterator[pathlib.Path]:
    """A temporary folder for a tool's run, removed afterwards unless *keep*."""
    work = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
