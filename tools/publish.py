"""Publish distributions: build their artifacts and upload them with ``twine``.

``hatch run publish URL [dist ...]`` builds the sdist and wheel of each
named distribution (all of them when none is named) at its current version,
checks them with ``twine check --strict`` and uploads them with ``twine
upload --repository-url URL``. ``hatch run release <dist> <part> --apply
--publish-to URL`` uploads what a release just built the same way
(:func:`upload`). Credentials come from twine's own ``TWINE_USERNAME`` and
``TWINE_PASSWORD`` (or its keyring); nothing here stores them.

The meta-package ``flask`` is never uploaded to PyPI (the name is upstream
Flask's there, and PyPI refuses its ``+kolben.N`` local version anyway): the
tool refuses such an upload before twine runs. ``hatch run rehearse``
proves the whole path against a local ``pypiserver``.

Run it through hatch::

    hatch run publish https://kolben.example/ flask          # Kolben's index
    hatch run publish https://upload.pypi.org/legacy/ kolben-sessions
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import urllib.parse

from _workspace import check_run
from _workspace import clean_env
from _workspace import Distribution
from _workspace import distributions
from _workspace import META
from _workspace import normalize
from _workspace import WorkspaceError

#: Hosts of the public indexes the meta-package must never be uploaded to.
PUBLIC_HOSTS = ("pypi.org", "upload.pypi.org", "test.pypi.org")


def refuse_public_meta(names: list[str], url: str) -> None:
    """Refuse to upload ``flask`` to a public index (PyPI or TestPyPI).

    :param names: The distributions about to be uploaded.
    :param url: The repository URL.
    :raises WorkspaceError: With the reason and where ``flask`` belongs.
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise WorkspaceError(f"{url!r} is not an http(s) repository URL")
    if META in names and parsed.hostname in PUBLIC_HOSTS:
        raise WorkspaceError(
            f"refusing to upload {META} to {parsed.hostname}: the name belongs to"
            " upstream Flask there; publish it to Kolben's own index (RELEASING.md)"
        )


def upload(artifacts: list[pathlib.Path], url: str, names: list[str]) -> str:
    """Upload artifacts with ``twine upload``; return twine's output.

    :param artifacts: The sdists and wheels to upload.
    :param url: The repository (upload) URL, e.g. ``https://kolben.example/``.
    :param names: The distributions the artifacts belong to (for the refusal
        of :func:`refuse_public_meta`).
    :raises WorkspaceError: When there is nothing to upload or twine fails.
    """
    refuse_public_meta(names, url)
    if not artifacts:
        raise WorkspaceError("there are no artifacts to upload")
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive"]
    command += ["--disable-progress-bar", "--repository-url", url]
    return check_run([*command, *artifacts], env=clean_env(NO_COLOR="1"))


def build_and_check(
    dist: Distribution, out: pathlib.Path, data: pathlib.Path
) -> list[pathlib.Path]:
    """Build ``dist``'s sdist and wheel into ``out`` and ``twine check`` them."""
    import release

    artifacts = release.build(dist, out, data)
    stem = f"{dist.name.replace('-', '_')}-{dist.version}"
    built = [a for a in artifacts if a.name.startswith(stem)]
    if len(built) != 2:
        raise WorkspaceError(f"expected an sdist and a wheel of {stem}, got {built}")
    checked = release.twine_check(built)
    if checked.returncode != 0:
        raise WorkspaceError(f"twine check failed:\n{checked.stdout}")
    return built


def main(argv: list[str] | None = None, root: pathlib.Path | None = None) -> int:
    """Run the publish tool; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the repository URL twine uploads to")
    parser.add_argument("dists", nargs="*", help="distributions (default: all)")
    args = parser.parse_args(argv)
    dists = distributions(*(() if root is None else (root,)))
    names = [normalize(n) for n in args.dists] or list(dists)
    unknown = [n for n in names if n not in dists]
    if unknown:
        parser.error(f"unknown distribution(s) {unknown}; choose from {list(dists)}")
    try:
        refuse_public_meta(names, args.url)
        with tempfile.TemporaryDirectory(prefix="kolben-publish-") as temp:
            out = pathlib.Path(temp) / "dist"
            artifacts: list[pathlib.Path] = []
            for name in names:
                artifacts += build_and_check(
                    dists[name], out, pathlib.Path(temp) / "hatch-data"
                )
            upload(artifacts, args.url, names)
    except WorkspaceError as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    for artifact in artifacts:
        print(f"uploaded {artifact.name}")
    print(f"publish: {len(artifacts)} artifacts of {len(names)} distributions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
