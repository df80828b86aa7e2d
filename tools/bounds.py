"""Test every distribution at both ends of the dependency ranges it declares.

For each distribution under ``packages/`` (discovered, never listed by name)
this builds the wheels once, then for each resolution:

- ``lowest``: a fresh virtualenv gets the wheel together with its declared
  requirements (those of every extra too) written out as direct requirements
  and resolved with ``uv pip install --resolution lowest-direct``, so every
  lower bound it declares is what gets installed;
- ``highest``: the same with the newest versions the index has;

then every module of its import package is imported there (a module that
needs something undeclared fails here), its ``test`` dependency group is
added (without upgrading anything that is already there) and its own
``tests/`` run against the installed wheel, as :mod:`isolation` does.
Extras are installed because an extra is a promise too: ``kolben-cli[dotenv]``
must work with the oldest python-dotenv it admits.

Run it through hatch::

    hatch run bounds                          # every distribution, both ends
    hatch run bounds kolben-cli               # just this one
    hatch run bounds --resolution lowest      # one end only

It prints one line per distribution and resolution, with the versions the
lowest end installed, and exits non-zero when any run fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import os
import pathlib
import sys
import time

from _workspace import add_selection_arguments
from _workspace import check_run
from _workspace import clean_env
from _workspace import Distribution
from _workspace import META
from _workspace import require_tool
from _workspace import ROOT
from _workspace import run
from _workspace import scratch_folder
from _workspace import select
from _workspace import WorkspaceError
from isolation import build_wheels
from isolation import site_packages
from isolation import summarize
from isolation import TEST_TIMEOUT
from isolation import verify_provenance

#: The resolutions checked, and the uv option that asks for each.
RESOLUTIONS = {"lowest": "lowest-direct", "highest": "highest"}


@dataclasses.dataclass
class Outcome:
    """How one distribution did at one end of its ranges."""

    name: str
    resolution: str
    passed: bool
    summary: str
    seconds: float
    versions: str = ""
    output: str = ""


def direct_requirements(
    dist: Distribution, dists: dict[str, Distribution], wheels: dict[str, pathlib.Path]
) -> list[str]:
    """Return the wheel(s) to install and every requirement they declare.

    The requirements are spelled out so that ``lowest-direct`` applies to
    them; a sibling requirement keeps its range and is satisfied from the
    freshly built wheels. The meta-package brings every part's wheel.
    """
    chosen = list(dists.values()) if dist.name == META else [dist]
    wanted: list[str] = []
    for each in chosen:
        extras = ",".join(each.extras)
        wanted.append(
            f"{wheels[each.name]}[{extras}]" if extras else str(wheels[each.name])
        )
        wanted.extend(
            str(r.name)
            + ("[" + ",".join(r.extras) + "]" if r.extras else "")
            + r.specifier
            + (f"; {r.marker}" if r.marker else "")
            for r in each.all_requirements()
            if r.name not in dists
        )
    return list(dict.fromkeys(wanted))


#: Imports every module of a package from the environment, nothing else.
_IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
found = pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")
names = [m.name for m in found if not m.name.endswith(".__main__")]
for name in names:
    importlib.import_module(name)
print(f"imported {sys.argv[1]} and its {len(names)} modules")
"""


def installed_versions(python: pathlib.Path, names: list[str]) -> str:
    """Return ``name==version`` for the given distributions in an environment."""
    code = (
        "import importlib.metadata as m, sys\n"
        "for n in sys.argv[1:]:\n"
        "    try: print(f'{n}=={m.version(n)}')\n"
        "    except m.PackageNotFoundError: pass\n"
    )
    return " ".join(check_run([python, "-c", code, *names]).split())


def check(
    dist: Distribution,
    resolution: str,
    dists: dict[str, Distribution],
    wheels: dict[str, pathlib.Path],
    work: pathlib.Path,
) -> Outcome:
    """Install ``dist`` at one end of its ranges and run its own tests."""
    start = time.monotonic()
    log: list[str] = []

    def outcome(passed: bool, summary: str, versions: str = "") -> Outcome:
        seconds = time.monotonic() - start
        return Outcome(
            dist.name, resolution, passed, summary, seconds, versions, "\n".join(log)
        )

    uv = require_tool("uv")
    venv = work / f"venv-{dist.name}-{resolution}"
    python = venv / "bin" / "python"
    links: list[str | os.PathLike[str]] = ["--find-links"]
    links.append(next(iter(wheels.values())).parent)
    requirements = direct_requirements(dist, dists, wheels)
    try:
        check_run([uv, "venv", "--quiet", "--python", sys.executable, venv])
        log.append(
            check_run(
                [uv, "pip", "install", "--python", python, *links]
                + ["--resolution", RESOLUTIONS[resolution], *requirements],
                env=clean_env(),
            )
        )
        log.append(check_run([python, "-c", _IMPORT_ALL, dist.import_name]))
        # The test tools at their usual versions; nothing installed is upgraded.
        log.append(
            check_run(
                [uv, "pip", "install", "--python", python, *links]
                + list(dist.groups.get("test", ())),
                env=clean_env(),
            )
        )
        site = site_packages(python)
        problems = verify_provenance(site, dists, wheels)
        if problems:
            log.extend(problems)
            return outcome(False, "installed a sibling that is not the fresh wheel")
        log.append(check_run([uv, "pip", "check", "--python", python]))
        third_party = sorted(
            {r.name for d in dists.values() for r in d.all_requirements()} - set(dists)
        )
        versions = installed_versions(python, third_party)
    except WorkspaceError as error:
        log.append(str(error))
        return outcome(False, "install failed")
    cwd = work / f"run-{dist.name}-{resolution}"
    cwd.mkdir()
    env = clean_env(
        KOLBEN_IMPORT_ROOT=str(site),
        PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    command: list[str | os.PathLike[str]] = [python, "-m", "pytest"]
    command += ["-c", ROOT / "pyproject.toml"]
    command += ["--rootdir", ROOT, "-p", "no:cacheprovider", dist.path / "tests"]
    result = run(command, cwd=cwd, env=env, timeout=TEST_TIMEOUT)
    log.append(result.stdout)
    summary = summarize(result.stdout)
    passed = result.returncode == 0
    return outcome(passed, summary if result.returncode != 5 else "no tests", versions)


def main(argv: list[str] | None = None) -> int:
    """Run the bounds matrix; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_selection_arguments(parser, "runs at the same time")
    parser.add_argument(
        "--resolution",
        choices=[*RESOLUTIONS, "both"],
        default="both",
        help="which end of the ranges to test (default both)",
    )
    args = parser.parse_args(argv)

    dists, chosen = select(parser, args.dist)
    ends = list(RESOLUTIONS) if args.resolution == "both" else [args.resolution]

    with scratch_folder("kolben-bounds-", args.keep) as work:
        start = time.monotonic()
        try:
            wheels = build_wheels(dists.values(), work / "wheels")
        except WorkspaceError as error:
            print(f"FAIL building wheels\n{error}", file=sys.stderr)
            return 1
        print(f"built {len(wheels)} wheels in {time.monotonic() - start:.1f}s")
        outcomes = []
        width = max(len(d.name) for d in chosen)
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futures = [
                pool.submit(check, d, end, dists, wheels, work)
                for end in ends
                for d in chosen
            ]
            for future in futures:
                done = future.result()
                outcomes.append(done)
                word = "PASS" if done.passed else "FAIL"
                print(
                    f"{word} {done.resolution:<7} {done.name:<{width}}  {done.summary}"
                    f"  ({done.seconds:.1f}s)",
                    flush=True,
                )
                if done.resolution == "lowest" and done.versions:
                    print(f"     with {done.versions}", flush=True)
        failed = [o for o in outcomes if not o.passed]
        for done in failed:
            print(f"\n{'=' * 20} {done.name} ({done.resolution}) {'=' * 20}")
            print(done.output)
        if failed:
            names = ", ".join(f"{o.name} ({o.resolution})" for o in failed)
            print(f"\nbounds: {len(failed)} of {len(outcomes)} failed: {names}")
            return 1
        print(
            f"\nbounds: all {len(outcomes)} runs pass; {time.monotonic() - start:.0f}s"
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())
