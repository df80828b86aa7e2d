"""Prove every distribution works on its own, installed from its built wheel.

For each distribution under ``packages/`` this builds the wheel with
``hatch build -t wheel``, makes a fresh virtualenv, installs that wheel alone
with its declared dependencies (siblings only from the wheels just built, the
rest from the package index) and its ``test`` dependency group, runs
``pip check``, and then runs the distribution's own ``tests/`` with the
repository's root ``conftest.py`` loaded, from a folder outside the checkout.
``KOLBEN_IMPORT_ROOT`` points the root conftest's guard at the virtualenv's
site-packages, so a run that passes has provably tested the installed wheel
and not the source tree. The meta-package ``flask`` is checked with all seven
wheels installed (and its ``async`` and ``dotenv`` extras); a part with
optional backends is checked with their extras (``kolben-sessions[redis]``).

A distribution whose tests folder holds no test fails ("no tests"): a package
that is not tested is not proven to be separate.

Run it through hatch::

    hatch run isolation                     # every distribution
    hatch run isolation kolben-sessions     # just these
    hatch run isolation --jobs 1 --keep     # one at a time, keep the venvs

It prints one line per distribution and exits non-zero when any fails,
showing that distribution's output.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import dataclasses
import io
import os
import pathlib
import re
import sys
import time
import typing as t
import zipfile

from _workspace import add_selection_arguments
from _workspace import check_run
from _workspace import clean_env
from _workspace import Distribution
from _workspace import find_tool
from _workspace import is_addon
from _workspace import META
from _workspace import normalize
from _workspace import require_tool
from _workspace import ROOT
from _workspace import run
from _workspace import scratch_folder
from _workspace import select
from _workspace import WorkspaceError

#: The extras the meta-package is checked with.
META_EXTRAS = ("async", "dotenv")

#: The extras a part is checked with, so its tests of optional backends run
#: (kolben-sessions' Redis store against a real redis-server).
PART_EXTRAS: dict[str, tuple[str, ...]] = {"kolben-sessions": ("redis",)}

#: A package's tests get this long before they count as hung.
TEST_TIMEOUT = 30 * 60


@dataclasses.dataclass
class Outcome:
    """How one distribution's isolated check went."""

    name: str
    passed: bool
    summary: str
    seconds: float
    output: str = ""


class Installer:
    """Makes virtualenvs and installs into them, with uv when hatch brought it."""

    def __init__(self, python: str, force_pip: bool = False) -> None:
        self.python = python
        self.uv = None if force_pip else find_tool("uv")

    @property
    def name(self) -> str:
        """``uv`` or ``pip``, for the report."""
        return "uv" if self.uv else "pip"

    def create(self, venv: pathlib.Path) -> pathlib.Path:
        """Create a virtualenv and return its Python."""
        if self.uv:
            check_run(
                [self.uv, "venv", "--quiet", "--python", self.python, venv],
                env=clean_env(),
            )
        else:
            check_run([self.python, "-m", "venv", venv], env=clean_env())
        return venv / "bin" / "python"

    def install(
        self,
        python: pathlib.Path,
        requirements: list[str],
        links: pathlib.Path,
        options: t.Sequence[str] = (),
    ) -> str:
        """Install requirements, resolving siblings from the wheels in ``links``.

        :param options: Extra installer options, e.g. uv's
            ``--resolution lowest-direct``.
        """
        if self.uv:
            command = [self.uv, "pip", "install", "--python", str(python), *options]
        else:
            command = [str(python), "-m", "pip", "install", "--quiet", *options]
        return check_run(
            [*command, "--find-links", str(links), *requirements], env=clean_env()
        )

    def check(self, python: pathlib.Path) -> str:
        """Run ``pip check`` on the environment; raise when it is not consistent."""
        if self.uv:
            command = [self.uv, "pip", "check", "--python", str(python)]
        else:
            command = [str(python), "-m", "pip", "check"]
        return check_run(command, env=clean_env())


def wheel_name(dist: Distribution) -> str:
    """Return the file-name prefix of ``dist``'s wheel (``kolben_routing-0.1.0``)."""
    return f"{dist.name.replace('-', '_')}-{dist.version}"


def build_wheels(
    dists: t.Iterable[Distribution], out: pathlib.Path
) -> dict[str, pathlib.Path]:
    """Build each distribution's wheel into ``out`` and return them by name."""
    hatch = require_tool("hatch")
    wheels = {}
    for dist in dists:
        check_run([hatch, "build", "-t", "wheel", out], cwd=dist.path, env=clean_env())
        found = sorted(out.glob(f"{wheel_name(dist)}-*.whl"))
        if len(found) != 1:
            raise WorkspaceError(f"expected one wheel for {dist.name}, got {found}")
        wheels[dist.name] = found[0]
    return wheels


def _record(text: str) -> dict[str, str]:
    return {row[0]: row[1] for row in csv.reader(io.StringIO(text)) if len(row) > 1}


def site_packages(python: str | pathlib.Path) -> pathlib.Path:
    """Return the ``site-packages`` folder of the interpreter *python*."""
    out = check_run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    )
    return pathlib.Path(out.strip()).resolve()


def verify_provenance(
    site: pathlib.Path, dists: dict[str, Distribution], wheels: dict[str, pathlib.Path]
) -> list[str]:
    """List every workspace distribution in ``site`` that is not our fresh wheel.

    Each installed file of ours must carry the hash the freshly built wheel's
    ``RECORD`` gives it; a same-named release from the package index, or a
    stale wheel, does not.
    """
    problems = []
    for info in sorted(site.glob("*.dist-info")):
        match = re.fullmatch(r"(.+?)-([^-]+)\.dist-info", info.name)
        if match is None or normalize(match[1]) not in dists:
            continue
        name = normalize(match[1])
        installed = _record((info / "RECORD").read_text())
        with zipfile.ZipFile(wheels[name]) as wheel:
            record_name = next(n for n in wheel.namelist() if n.endswith("/RECORD"))
            built = _record(wheel.read(record_name).decode())
        for path, digest in built.items():
            if ".dist-info/" in path or not digest:
                continue
            if installed.get(path) != digest:
                problems.append(f"{name} {match[2]}: {path} is not from the new wheel")
                break
    return problems


def summarize(output: str) -> str:
    """Return pytest's closing summary (``12 passed, 1 skipped``) from its output."""
    for line in reversed(output.splitlines()):
        match = re.fullmatch(r"=+ (.+?) in [\d.]+s(?: \([^)]*\))? =+", line.strip())
        if match:
            return match[1]
    return "no summary"


def requirements_for(
    dist: Distribution, dists: dict[str, Distribution], wheels: dict[str, pathlib.Path]
) -> list[str]:
    """Return what to install to check ``dist``: its wheel, and its test group.

    The meta-package and the add-ons above it also get the parts' and the
    meta-package's fresh wheels, so that ``flask`` never resolves to the index's.
    """
    if dist.name == META or is_addon(dist):
        wanted = [
            str(wheels[d.name])
            for d in dists.values()
            if d.name != META and not is_addon(d)
        ]
        wanted.append(f"{wheels[META]}[{','.join(META_EXTRAS)}]")
        if dist.name != META:
            wanted.append(str(wheels[dist.name]))
    else:
        extras = PART_EXTRAS.get(dist.name)
        suffix = f"[{','.join(extras)}]" if extras else ""
        wanted = [f"{wheels[dist.name]}{suffix}"]
    return [*wanted, *dist.groups.get("test", ())]


def check_distribution(
    dist: Distribution,
    dists: dict[str, Distribution],
    wheels: dict[str, pathlib.Path],
    installer: Installer,
    work: pathlib.Path,
) -> Outcome:
    """Install ``dist`` alone into a fresh virtualenv and run its own tests there."""
    start = time.monotonic()
    log: list[str] = []

    def fail(summary: str) -> Outcome:
        seconds = time.monotonic() - start
        return Outcome(dist.name, False, summary, seconds, "\n".join(log))

    tests = dist.path / "tests"
    if not tests.is_dir():
        return fail("no tests folder")
    try:
        python = installer.create(work / f"venv-{dist.name}")
        log.append(
            installer.install(
                python, requirements_for(dist, dists, wheels), wheels[dist.name].parent
            )
        )
        site = site_packages(python)
        problems = verify_provenance(site, dists, wheels)
        if problems:
            log.extend(problems)
            return fail("installed a sibling that is not the fresh wheel")
        log.append(installer.check(python))
    except WorkspaceError as error:
        log.append(str(error))
        return fail("install failed")
    cwd = work / f"run-{dist.name}"
    cwd.mkdir()
    env = clean_env(
        KOLBEN_IMPORT_ROOT=str(site),
        PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    command: list[str | os.PathLike[str]] = [
        python,
        "-m",
        "pytest",
        "-c",
        ROOT / "pyproject.toml",
        "--rootdir",
        ROOT,
        "-p",
        "no:cacheprovider",
        tests,
    ]
    result = run(command, cwd=cwd, env=env, timeout=TEST_TIMEOUT)
    log.append(result.stdout)
    summary = summarize(result.stdout)
    if result.returncode == 5:
        return fail("no tests")
    if result.returncode != 0:
        return fail(summary)
    return Outcome(dist.name, True, summary, time.monotonic() - start, "\n".join(log))


def main(argv: list[str] | None = None) -> int:
    """Run the isolation check; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_selection_arguments(parser, "distributions checked at the same time")
    parser.add_argument("--pip", action="store_true", help="use venv + pip, not uv")
    args = parser.parse_args(argv)

    dists, chosen = select(parser, args.dist)

    installer = Installer(sys.executable, force_pip=args.pip)
    with scratch_folder("kolben-isolation-", args.keep) as work:
        start = time.monotonic()
        try:
            wheels = build_wheels(dists.values(), work / "wheels")
        except WorkspaceError as error:
            print(f"FAIL building wheels\n{error}", file=sys.stderr)
            return 1
        print(
            f"built {len(wheels)} wheels in {time.monotonic() - start:.1f}s;"
            f" installing with {installer.name}",
            flush=True,
        )
        outcomes = []
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futures = [
                pool.submit(check_distribution, d, dists, wheels, installer, work)
                for d in chosen
            ]
            width = max(len(d.name) for d in chosen)
            for future in futures:
                outcome = future.result()
                outcomes.append(outcome)
                word = "PASS" if outcome.passed else "FAIL"
                print(
                    f"{word} {outcome.name:<{width}}  {outcome.summary}"
                    f"  ({outcome.seconds:.1f}s)",
                    flush=True,
                )
        failed = [o for o in outcomes if not o.passed]
        for outcome in failed:
            print(f"\n{'=' * 30} {outcome.name} {'=' * 30}\n{outcome.output}")
        if failed:
            names = ", ".join(o.name for o in failed)
            print(f"\nisolation: {len(failed)} of {len(outcomes)} failed: {names}")
            return 1
        print(f"\nisolation: all {len(outcomes)} distributions pass on their own")
        return 0


if __name__ == "__main__":
    sys.exit(main())
