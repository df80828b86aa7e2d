"""Release one distribution: bump, changelog, sibling ranges, build, metadata check.

Given a distribution and a part of its version to bump, this:

1. bumps the last released version (from ``CHANGES.md``; the pyproject
   version if there is none yet) and writes it to ``project.version`` in its
   ``pyproject.toml``; a version already prepared there is kept when the bump
   reaches it, and refused when the bump falls short of it;
2. turns the ``Unreleased`` stanza on top of its ``CHANGES.md`` into the new
   version's, dated today (``## Version 0.2.0`` / ``Released 2025-05-01``);
3. widens every sibling's requirement on it whose range no longer admits the
   new version to the next breaking release (``>=0.2,<0.3`` before 1.0,
   ``>=1.0,<2`` after), noting that in the sibling's unreleased changes;
4. builds the sdist and wheel with ``hatch build`` into ``dist/<name>/``;
5. checks their metadata with ``twine check --strict``.

It is a dry run unless ``--apply`` is given: everything happens on a temporary
copy of ``packages/``, the diff, the artifacts and the twine result are
printed, and nothing in the checkout changes. With ``--apply`` the same
changes are written to the checkout, the artifacts are copied to
``dist/<name>/``, the changed files are committed and the tag
``<distribution>-v<version>`` is created. ``--publish-to URL`` (only with
``--apply``) then uploads the two artifacts with ``twine`` to that index
(see ``tools/publish.py``; the meta-package is never uploaded to PyPI).

Run it through hatch::

    hatch run release kolben-sessions minor            # dry run
    hatch run release kolben-sessions minor --apply    # commit and tag
    hatch run release flask patch --apply --publish-to https://kolben.example/
    hatch run release kolben-sessions patch --no-build # just show the diff
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import publish
from _workspace import admits
from _workspace import check_run
from _workspace import clean_env
from _workspace import Distribution
from _workspace import distributions
from _workspace import normalize
from _workspace import require_tool
from _workspace import REQUIREMENT
from _workspace import Requirement
from _workspace import ROOT
from _workspace import run
from _workspace import version_tuple
from _workspace import WorkspaceError

#: The parts of a version that can be bumped.
PARTS = ("major", "minor", "patch")

_HEADING = re.compile(r"^## Version (?P<version>\S+)[ \t]*$", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Change:
    """A new text for one file, relative to the repository root."""

    path: pathlib.Path
    before: str
    after: str


#: The local label of the meta-package's versions: ``3.1.3+kolben.2`` is
#: Kolben's second build of the Flask 3.1.3 API (see RELEASING.md).
LOCAL = "kolben"


def split_local(version: str) -> tuple[str, int | None]:
    """Split ``3.1.3+kolben.2`` into ``("3.1.3", 2)``; a plain version has ``None``.

    :param version: A release version, with or without Kolben's local label.
    :raises WorkspaceError: For a local label other than ``+kolben.N``.
    """
    base, plus, local = version.partition("+")
    if not plus:
        return version, None
    match = re.fullmatch(rf"{LOCAL}\.(\d+)", local)
    if match is None:
        raise WorkspaceError(f"{version!r}: the only local label is +{LOCAL}.N")
    return base, int(match[1])


def order(version: str) -> tuple[int, ...]:
    """Return a sort key that puts ``3.1.3+kolben.2`` above ``3.1.3+kolben.1``."""
    base, build = split_local(version)
    return (*version_tuple(base), -1 if build is None else build)


def bump(version: str, part: str) -> str:
    """Return ``version`` with one part bumped and the parts after it reset.

    The meta-package's ``X.Y.Z+kolben.N`` keeps ``X.Y.Z``, the Flask API it
    provides, whatever the part: a new release of it is the next build
    ``N + 1`` (changing the API level is a deliberate edit, not a bump).

    :param version: The current ``X.Y.Z`` (or ``X.Y.Z+kolben.N``) version.
    :param part: ``"major"``, ``"minor"`` or ``"patch"``.
    """
    base, build = split_local(version)
    if build is not None:
        return f"{base}+{LOCAL}.{build + 1}"
    numbers = list(version_tuple(version))
    if len(numbers) > 3:
        raise WorkspaceError(f"{version!r} is not an X.Y.Z version")
    numbers += [0] * (3 - len(numbers))
    index = PARTS.index(part)
    numbers[index] += 1
    numbers[index + 1 :] = [0] * (2 - index)
    return ".".join(map(str, numbers))


def compatible_range(version: str) -> str:
    """Return the range that admits ``version`` up to its next breaking release.

    Before 1.0 a minor release may break, after it only a major one may.

    :param version: The version a dependent must accept.
    """
    major, minor, *_ = version_tuple(version) + (0,)
    if major == 0:
        return f">=0.{minor},<0.{minor + 1}"
    return f">={major}.{minor},<{major + 1}"


def set_version(pyproject: str, version: str) -> str:
    """Return the ``pyproject.toml`` text with ``project.version`` replaced."""
    table = re.search(
        r"^\[project\][ \t]*$(?P<body>.*?)(?=^\[|\Z)", pyproject, re.M | re.S
    )
    if table is None:
        raise WorkspaceError("pyproject.toml has no [project] table")
    body, count = re.subn(
        r'^(version\s*=\s*)"[^"]*"',
        lambda m: f'{m[1]}"{version}"',
        table["body"],
        count=1,
        flags=re.M,
    )
    if count != 1:
        raise WorkspaceError("pyproject.toml has no static project.version")
    return pyproject[: table.start("body")] + body + pyproject[table.end("body") :]


def _top_stanza(changes: str) -> tuple[re.Match[str], int]:
    heading = _HEADING.search(changes)
    if heading is None:
        raise WorkspaceError("CHANGES.md has no '## Version' heading")
    following = _HEADING.search(changes, heading.end())
    return heading, following.start() if following else len(changes)


def last_released(changes: str) -> str | None:
    """Return the version of the newest released stanza of a changelog, if any."""
    for heading in _HEADING.finditer(changes):
        if re.match(r"\s*\nReleased ", changes[heading.end() :]):
            return heading["version"]
    return None


def release_changes(changes: str, version: str, today: dt.date) -> str:
    """Move the ``Unreleased`` stanza of a Pallets-format changelog under ``version``.

    :param changes: The ``CHANGES.md`` text, newest stanza first.
    :param version: The version being released.
    :param today: The release date.
    :raises WorkspaceError: When the top stanza is not unreleased, or lists no
        change: there is nothing to release then.
    """
    heading, end = _top_stanza(changes)
    body = changes[heading.end() : end]
    status = re.match(r"\s*\n(?P<status>[^\n]*)\n", body)
    if status is None or status["status"].strip() != "Unreleased":
        raise WorkspaceError(
            f"the top stanza of CHANGES.md (Version {heading['version']}) is not"
            " 'Unreleased': there is nothing to release"
        )
    if not re.search(r"^\s*[-*] ", body[status.end() :], re.M):
        raise WorkspaceError("the Unreleased stanza of CHANGES.md lists no change")
    released = (
        f"## Version {version}"
        + body[: status.start("status")]
        + f"Released {today.isoformat()}"
        + body[status.end("status") :]
    )
    return changes[: heading.start()] + released + changes[end:]


def note_unreleased(changes: str, bullet: str) -> str:
    """Add a bullet at the end of the top stanza if it is unreleased.

    A released top stanza is left alone: opening a new one would change the
    package's version, which is that package's own release decision.
    """
    heading, end = _top_stanza(changes)
    if not re.match(r"\s*\nUnreleased[ \t]*\n", changes[heading.end() : end]):
        return changes
    section = changes[heading.start() : end]
    kept = section.rstrip("\n")
    gap = "\n\n" if kept.endswith("Unreleased") else "\n"
    trailing = section[len(kept) :] or "\n"
    return (
        changes[: heading.start()]
        + kept
        + f"{gap}-   {bullet}"
        + trailing
        + changes[end:]
    )


def widen_requirements(
    pyproject: str, name: str, version: str
) -> tuple[str, list[tuple[str, str]]]:
    """Update every requirement on ``name`` in a pyproject that refuses ``version``.

    :param pyproject: The dependent's ``pyproject.toml`` text.
    :param name: The released distribution.
    :param version: Its new version.
    :returns: The new text and the ``(old, new)`` requirement strings replaced.
    """
    replaced: list[tuple[str, str]] = []

    def update(quoted: re.Match[str]) -> str:
        text = quoted[1]
        match = REQUIREMENT.match(text)
        if match is None or normalize(match["name"]) != name or not match["specifier"]:
            return quoted[0]
        if admits(Requirement.parse(text), version):
            return quoted[0]
        new = (
            text[: match.start("specifier")]
            + compatible_range(version)
            + text[match.end("specifier") :]
        )
        replaced.append((text, new))
        return f'"{new}"'

    return re.sub(r'"([^"\n]*)"', update, pyproject), replaced


def plan(
    root: pathlib.Path, name: str, part: str, today: dt.date
) -> tuple[str, list[Change]]:
    """Work out a release without writing anything.

    :param root: A checkout (or a copy of one) with a ``packages/`` folder.
    :param name: The distribution to release.
    :param part: What to bump: ``"major"``, ``"minor"`` or ``"patch"``.
    :param today: The release date.
    :returns: The new version and the file changes it takes.
    """
    dists = distributions(root)
    if normalize(name) not in dists:
        raise WorkspaceError(
            f"unknown distribution {name!r}; choose from {list(dists)}"
        )
    dist = dists[normalize(name)]
    changelog = dist.changes.read_text()
    released = last_released(changelog)
    version = bump(released or dist.version, part)
    if order(version) < order(dist.version):
        raise WorkspaceError(
            f"{dist.name} is being prepared as {dist.version}; a {part} release"
            f" after {released} would be {version}: choose a bigger part"
        )
    changes = []

    def change(path: pathlib.Path, after: str) -> None:
        before = path.read_text()
        if after != before:
            changes.append(Change(path.relative_to(root), before, after))

    change(dist.pyproject, set_version(dist.pyproject.read_text(), version))
    change(dist.changes, release_changes(changelog, version, today))
    for sibling in dists.values():
        if sibling.name == dist.name:
            continue
        text, replaced = widen_requirements(
            sibling.pyproject.read_text(), dist.name, version
        )
        if not replaced:
            continue
        change(sibling.pyproject, text)
        ranges = ", ".join(f"`{new}`" for _, new in replaced)
        change(
            sibling.changes,
            note_unreleased(sibling.changes.read_text(), f"Require {ranges}."),
        )
    return version, changes


def widened_siblings(changes: list[Change], name: str) -> list[str]:
    """Return the siblings whose ``pyproject.toml`` a release plan changes.

    :param changes: The plan :func:`plan` returned.
    :param name: The distribution being released, which is left out.
    """
    return [
        item.path.parent.name
        for item in changes
        if item.path.name == "pyproject.toml" and item.path.parent.name != name
    ]


def write(root: pathlib.Path, changes: list[Change]) -> None:
    """Write planned changes under ``root``."""
    for item in changes:
        (root / item.path).write_text(item.after)


def render_diff(changes: list[Change]) -> str:
    """Return the planned changes as one unified diff."""
    lines: list[str] = []
    for item in changes:
        lines.extend(
            difflib.unified_diff(
                item.before.splitlines(keepends=True),
                item.after.splitlines(keepends=True),
                f"a/{item.path.as_posix()}",
                f"b/{item.path.as_posix()}",
            )
        )
    return "".join(lines)


def build(
    dist: Distribution, out: pathlib.Path, data: pathlib.Path
) -> list[pathlib.Path]:
    """Build ``dist``'s sdist and wheel into ``out``; return the artifacts.

    :param data: hatch's data folder for this build, so the build environment
        of a temporary copy does not outlive it.
    """
    hatch = require_tool("hatch")
    check_run(
        [hatch, "build", out], cwd=dist.path, env=clean_env(HATCH_DATA_DIR=str(data))
    )
    stem = f"{dist.name.replace('-', '_')}-"
    return sorted(p for p in out.iterdir() if p.name.startswith(stem))


def twine_check(artifacts: list[pathlib.Path]) -> subprocess.CompletedProcess[str]:
    """Run ``twine check --strict`` on the artifacts."""
    return run(
        [sys.executable, "-m", "twine", "--no-color", "check", "--strict", *artifacts],
        env=clean_env(COLUMNS="200", NO_COLOR="1"),
    )


def tag_name(name: str, version: str) -> str:
    """Return the git tag of a release: ``<distribution>-v<version>``."""
    return f"{normalize(name)}-v{version}"


def _git(root: pathlib.Path, *args: str) -> str:
    return check_run(["git", *args], cwd=root)


def preflight(root: pathlib.Path, changes: list[Change], tag: str) -> None:
    """Refuse to apply over uncommitted edits of the same files or an existing tag."""
    paths = [item.path.as_posix() for item in changes]
    dirty = _git(root, "status", "--porcelain", "--", *paths).strip()
    if dirty:
        raise WorkspaceError(f"commit or discard these edits first:\n{dirty}")
    if (
        run(
            ["git", "rev-parse", "-q", "--verify", f"refs/tags/{tag}"], cwd=root
        ).returncode
        == 0
    ):
        raise WorkspaceError(f"the tag {tag} exists already")


def main(argv: list[str] | None = None, root: pathlib.Path = ROOT) -> int:
    """Run the release tool; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", help="the distribution to release")
    parser.add_argument("part", choices=PARTS, help="the part of the version to bump")
    parser.add_argument("--apply", action="store_true", help="commit and tag for real")
    parser.add_argument(
        "--no-build", action="store_true", help="only show the changes (no --apply)"
    )
    parser.add_argument(
        "--publish-to",
        metavar="URL",
        help="after --apply, upload the artifacts with twine to this index",
    )
    args = parser.parse_args(argv)
    if args.apply and args.no_build:
        parser.error("--apply always builds and checks the artifacts")
    if args.publish_to and not args.apply:
        parser.error("--publish-to uploads a release: it needs --apply")

    try:
        dist = distributions(root)[normalize(args.dist)]
    except KeyError:
        parser.error(f"unknown distribution {args.dist!r}")
    try:
        version, changes = plan(root, dist.name, args.part, dt.date.today())
        tag = tag_name(dist.name, version)
        if args.apply:
            preflight(root, changes, tag)
        if args.publish_to:
            publish.refuse_public_meta([dist.name], args.publish_to)
    except WorkspaceError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1

    mode = "applying" if args.apply else "dry run"
    print(f"{dist.name} {dist.version} -> {version} ({args.part}), {mode}\n")
    print(render_diff(changes))
    for name in widened_siblings(changes, dist.name):
        print(
            f"{name} needs a release too: its range on {dist.name} was widened"
            f" to admit {version}, and until {name} is released with it, users"
            f" cannot install {dist.name} {version} next to it.\n"
        )
    if args.no_build:
        print(f"tag: {tag} (not created: dry run)")
        return 0

    with tempfile.TemporaryDirectory(prefix="kolben-release-") as temp:
        copy = pathlib.Path(temp) / "repo"
        shutil.copytree(
            root / "packages",
            copy / "packages",
            ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", "dist", "build"
            ),
        )
        write(copy, changes)
        copied = distributions(copy)[dist.name]
        out = copy / "dist" / dist.name
        try:
            artifacts = build(copied, out, pathlib.Path(temp) / "hatch-data")
        except WorkspaceError as error:
            print(f"release: build failed: {error}", file=sys.stderr)
            return 1
        print(f"artifacts (dist/{dist.name}/):")
        for artifact in artifacts:
            print(f"  {artifact.name}  {artifact.stat().st_size / 1024:.1f} KiB")
        stale = [a.name for a in artifacts if f"-{version}" not in a.name]
        if stale or len(artifacts) != 2:
            print(
                f"release: expected an sdist and a wheel of {version}", file=sys.stderr
            )
            return 1
        checked = twine_check(artifacts)
        print(f"\ntwine check --strict:\n{checked.stdout.rstrip()}\n")
        if checked.returncode != 0:
            print("release: the metadata check failed", file=sys.stderr)
            return 1
        if not args.apply:
            print(f"tag: {tag} (not created: dry run; rerun with --apply)")
            return 0

        write(root, changes)
        final = root / "dist" / dist.name
        final.mkdir(parents=True, exist_ok=True)
        for artifact in artifacts:
            shutil.copy2(artifact, final / artifact.name)
    paths = [item.path.as_posix() for item in changes]
    try:
        _git(root, "commit", "-m", f"Release {dist.name} {version}", "--", *paths)
        _git(root, "tag", "-a", tag, "-m", f"{dist.name} {version}")
    except WorkspaceError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    print(f"committed and tagged {tag}; artifacts in dist/{dist.name}/")
    if args.publish_to:
        uploaded = [final / artifact.name for artifact in artifacts]
        try:
            publish.upload(uploaded, args.publish_to, [dist.name])
        except WorkspaceError as error:
            print(f"release: the upload failed: {error}", file=sys.stderr)
            return 1
        for artifact in uploaded:
            print(f"uploaded {artifact.name} to {args.publish_to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
