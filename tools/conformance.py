"""Run Flask 3.1.3's own test suite against our ``flask``, with upstream as baseline.

Flask's test suite is the specification of the meta-package. This tool
downloads the Flask 3.1.3 sdist from the package index into
``.cache/conformance/`` (checking its sha256 against the index), extracts only
its ``tests/`` folder (never its source) and runs those tests with pytest:

- against our ``flask`` in the current (workspace) environment, after
  proving that ``flask`` resolves to ``packages/flask``;
- in the same run, against upstream Flask 3.1.3 installed in a throwaway
  virtualenv with the same versions of pytest, werkzeug and the other
  libraries as ours, as the baseline.

Per-test outcomes come from pytest's JUnit XML. It prints ``ours: P passed,
F failed`` and ``upstream: P passed, F failed``, then every test that
upstream passes and we do not, and fails if there is any.

It also checks the API surface: for every Flask module path (``flask``,
``flask.app``, ... ``flask.typing``), every public name of upstream's module
(its ``dir()`` in the throwaway virtualenv, without ``_`` names, and without
the standard-library modules it happens to import) must exist on ours. And
for every module of the sdist's ``src/flask/`` (``flask.sansio.*`` included),
every name its top level binds, imports included, must exist on ours too,
unless ``tools/conformance_omissions.json`` leaves it out with a reason
(``tools/_upstream_names.py`` lists the names from the source's AST, in
memory). Missing names are printed, grouped as public, private and
re-exported, and an unexplained one fails the run.

Results go to ``.cache/conformance/results.json``; the baseline of a full run
is kept in ``.cache/conformance/baseline.json`` for ``--only-ours``.

Run it through hatch::

    hatch run conformance                        # both runs and the API check
    hatch run conformance --only-ours            # skip the baseline run
    hatch run conformance -k test_basic -- -x    # pytest arguments pass through
    hatch run conformance --legacy --only-ours   # ours with kolben.legacy installed

``--legacy`` runs our side with ``kolben.legacy.install()`` in effect (through
its pytest plugin), showing that the seed-era shims break nothing Flask 3.1
code relies on.

Nothing from the sdist is ever committed: ``.cache/`` is ignored by git.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import html.parser
import importlib.metadata
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import typing as t
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import _upstream_names
from _workspace import check_run
from _workspace import clean_env
from _workspace import find_tool
from _workspace import ROOT
from _workspace import WorkspaceError

#: The Flask release whose tests are the specification.
FLASK_VERSION = "3.1.3"

#: Where downloads, the extracted tests and the results are kept.
CACHE = ROOT / ".cache" / "conformance"

#: Every Flask module path whose public names ours must have.
MODULES = (
    "flask",
    "flask.app",
    "flask.blueprints",
    "flask.cli",
    "flask.config",
    "flask.ctx",
    "flask.globals",
    "flask.helpers",
    "flask.json",
    "flask.json.provider",
    "flask.json.tag",
    "flask.logging",
    "flask.sessions",
    "flask.signals",
    "flask.templating",
    "flask.testing",
    "flask.views",
    "flask.wrappers",
    "flask.debughelpers",
    "flask.typing",
)

#: Distributions the baseline gets in the same version as the workspace has.
SHARED = (
    "pytest",
    "pluggy",
    "iniconfig",
    "werkzeug",
    "jinja2",
    "markupsafe",
    "itsdangerous",
    "click",
    "blinker",
    "asgiref",
    "python-dotenv",
)

#: One test run gets this long before it counts as hung.
RUN_TIMEOUT = 30 * 60

#: The pytest configuration both runs share (Flask runs its suite like this).
PYTEST_INI = """\
[pytest]
testpaths = tests
filterwarnings =
    error
"""

#: Lists the public names of the given modules (run by each interpreter).
NAMES_PROBE = """\
import __future__, importlib, json, sys, types, warnings
warnings.simplefilter("ignore")
names, errors = {}, {}
modules = {}
for name in sys.argv[1:]:
    try:
        modules[name] = importlib.import_module(name)
    except Exception as error:
        errors[name] = f"{type(error).__name__}: {error}"
for name, module in modules.items():
    public = []
    for attr in dir(module):
        if attr.startswith("_"):
            continue
        value = getattr(module, attr, None)
        if isinstance(value, types.ModuleType) and not (
            value.__name__ == "flask" or value.__name__.startswith("flask.")
        ):
            continue
        if isinstance(value, __future__._Feature):
            continue
        public.append(attr)
    names[name] = public
print(json.dumps({"names": names, "errors": errors}))
"""

#: Reports which of the given names each module lacks (run in our environment).
MISSING_PROBE = """\
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
expected = json.loads(sys.stdin.read())
missing = {}
for name, wanted in expected.items():
    try:
        module = importlib.import_module(name)
    except Exception as error:
        problem = f"{type(error).__name__}: {error}"
        missing[name] = [f"<module cannot be imported: {problem}>"]
        continue
    lacking = [attr for attr in wanted if not hasattr(module, attr)]
    if lacking:
        missing[name] = lacking
print(json.dumps(missing))
"""


@dataclasses.dataclass
class RunResult:
    """The outcome of one pytest run over the suite."""

    label: str
    exit_code: int
    tests: dict[str, str]
    seconds: float
    log: pathlib.Path

    def count(self, outcome: str) -> int:
        """How many tests ended with ``outcome``."""
        return sum(1 for value in self.tests.values() if value == outcome)


def index_url() -> str:
    """The package index to download from (uv's or pip's setting, else PyPI)."""
    for key in ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"):
        if os.environ.get(key):
            return os.environ[key].rstrip("/")
    return "https://pypi.org/simple"


#: The pytest arguments that run a session with ``kolben.legacy.install()``.
LEGACY_PLUGIN = ["-p", "kolben.legacy.pytest_plugin"]


def sha256(path: pathlib.Path) -> str:
    """Return a file's sha256 hex digest."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _LinkCollector(html.parser.HTMLParser):
    """Collects the file links of a PEP 503 (HTML) simple-index page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.files: list[dict[str, t.Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag != "a" or not href:
            return
        url, _, fragment = urllib.parse.urljoin(self.base, href).partition("#")
        name = urllib.parse.unquote(url.rsplit("/", 1)[-1])
        algorithm, _, digest = fragment.partition("=")
        hashes = {algorithm: digest} if digest else {}
        self.files.append({"filename": name, "url": url, "hashes": hashes})


def index_entry(project: str, filename: str) -> dict[str, t.Any]:
    """Find ``filename`` on the index's page for ``project``.

    Indexes answer in PEP 691 JSON or, like many mirrors and proxies, only in
    PEP 503 HTML; both are understood.
    """
    page = f"{index_url()}/{project}/"
    request = urllib.request.Request(
        page,
        headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.5"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        kind = response.headers.get("Content-Type", "")
    if "json" in kind:
        files: list[dict[str, t.Any]] = json.loads(body)["files"]
    else:
        collector = _LinkCollector(page)
        collector.feed(body.decode("utf-8", "replace"))
        files = collector.files
    entry = next((f for f in files if f["filename"] == filename), None)
    if entry is None:
        raise WorkspaceError(f"the package index at {page} has no {filename}")
    return entry


def download_sdist() -> pathlib.Path:
    """Return the cached Flask sdist, downloading and verifying it if needed."""
    filename = f"flask-{FLASK_VERSION}.tar.gz"
    target = CACHE / filename
    stamp = CACHE / f"{filename}.sha256"
    if target.is_file() and stamp.is_file() and sha256(target) == stamp.read_text():
        return target
    entry = index_entry("flask", filename)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with urllib.request.urlopen(entry["url"], timeout=120) as response:
        partial.write_bytes(response.read())
    expected = entry.get("hashes", {}).get("sha256")
    if expected and sha256(partial) != expected:
        partial.unlink()
        raise WorkspaceError(f"{filename} does not match the index's sha256")
    partial.replace(target)
    stamp.write_text(sha256(target))
    return target


def extract_tests(sdist: pathlib.Path) -> pathlib.Path:
    """Extract only the sdist's ``tests/`` into a fresh folder; return that folder.

    The folder also gets the pytest configuration both runs use; it holds no
    ``flask`` package, so nothing but the environment's ``flask`` is imported.
    """
    suite = CACHE / f"flask-{FLASK_VERSION}"
    shutil.rmtree(suite, ignore_errors=True)
    suite.mkdir(parents=True)
    prefix = f"flask-{FLASK_VERSION}/tests/"
    with tarfile.open(sdist) as tar:
        members = []
        for member in tar.getmembers():
            if not member.name.startswith(prefix) or not (
                member.isfile() or member.isdir()
            ):
                continue
            member.name = member.name.removeprefix(f"flask-{FLASK_VERSION}/")
            members.append(member)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(suite, members=members, filter="data")
        else:  # pragma: no cover - Pythons before the extraction filters
            tar.extractall(suite, members=members)  # noqa: S202
    if not (suite / "tests" / "conftest.py").is_file():
        raise WorkspaceError(f"{sdist.name} has no tests/conftest.py")
    (suite / "pytest.ini").write_text(PYTEST_INI)
    return suite


def shared_versions() -> dict[str, str]:
    """Return the workspace's versions of what the baseline must match."""
    versions = {}
    for name in SHARED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def make_baseline_env(folder: pathlib.Path, versions: dict[str, str]) -> pathlib.Path:
    """Create a virtualenv with upstream Flask; return its Python."""
    wanted = [f"flask=={FLASK_VERSION}"]
    wanted += [f"{name}=={version}" for name, version in versions.items()]
    for name in ("pytest", "asgiref", "python-dotenv"):
        if name not in versions:
            wanted.append(name if name != "pytest" else "pytest>=8.4,<9")
    uv = find_tool("uv")
    python = folder / "bin" / "python"
    if uv:
        check_run([uv, "venv", "--quiet", "--python", sys.executable, folder])
        check_run([uv, "pip", "install", "--quiet", "--python", python, *wanted])
    else:
        check_run([sys.executable, "-m", "venv", folder])
        check_run([python, "-m", "pip", "install", "--quiet", *wanted])
    return python


def flask_location(python: pathlib.Path | str, cwd: pathlib.Path) -> pathlib.Path:
    """Return where ``flask`` is imported from by ``python`` run in ``cwd``."""
    out = check_run(
        [python, "-c", "import flask; print(flask.__file__)"],
        cwd=cwd,
        env=clean_env(),
    )
    return pathlib.Path(out.strip().splitlines()[-1]).resolve()


def node_id(case: ET.Element) -> str:
    """Return pytest's node id for a JUnit (xunit1) test case."""
    name = case.get("name", "")
    file = case.get("file")
    classname = case.get("classname", "")
    if not file:
        return f"{classname}::{name}" if classname else name
    module = file.removesuffix(".py").replace("/", ".")
    inner = classname.removeprefix(module).strip(".")
    parts = [file, *filter(None, inner.split(".")), name]
    return "::".join(parts)


def read_junit(path: pathlib.Path) -> dict[str, str]:
    """Return ``{node id: passed|failed|skipped}`` from a JUnit XML report."""
    if not path.is_file():
        return {}
    try:
        tree = ET.parse(path)
    except ET.ParseError:
        return {}
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    tests: dict[str, str] = {}
    for case in tree.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        key = node_id(case)
        if rank[outcome] >= rank[tests.get(key, "passed")]:
            tests[key] = outcome
    return tests


def start_run(
    label: str,
    python: pathlib.Path | str,
    suite: pathlib.Path,
    pytest_args: list[str],
    path_first: pathlib.Path,
) -> tuple[subprocess.Popen[bytes], pathlib.Path, pathlib.Path, float]:
    """Start one pytest run of the suite in the background."""
    junit = CACHE / f"{label}.xml"
    log = CACHE / f"{label}.log"
    junit.unlink(missing_ok=True)
    command = [
        os.fspath(python),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-o",
        "junit_family=xunit1",
        f"--junitxml={junit}",
        "--tb=short",
        "-q",
        "--continue-on-collection-errors",
        *pytest_args,
    ]
    env = clean_env(
        PATH=f"{path_first}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=suite,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, junit, log, time.monotonic()


def finish_run(
    label: str,
    started: tuple[subprocess.Popen[bytes], pathlib.Path, pathlib.Path, float],
) -> RunResult:
    """Wait for a run started by :func:`start_run` and read its report."""
    process, junit, log, start = started
    try:
        code = process.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        code = process.wait()
        with log.open("a") as f:
            f.write(f"\nconformance: killed after {RUN_TIMEOUT}s\n")
    return RunResult(label, code, read_junit(junit), time.monotonic() - start, log)


def upstream_names(python: pathlib.Path, cwd: pathlib.Path) -> dict[str, list[str]]:
    """Return the public names of each Flask module path in upstream Flask."""
    out = check_run(
        [python, "-c", NAMES_PROBE, *MODULES], cwd=cwd, env=clean_env(), timeout=300
    )
    data = json.loads(out.strip().splitlines()[-1])
    if data["errors"]:
        raise WorkspaceError(
            f"upstream Flask modules failed to import: {data['errors']}"
        )
    names: dict[str, list[str]] = data["names"]
    return names


def missing_names(
    expected: dict[str, list[str]], cwd: pathlib.Path
) -> dict[str, list[str]]:
    """Return the names of ``expected`` our modules lack, by module."""
    result = subprocess.run(
        [sys.executable, "-c", MISSING_PROBE],
        input=json.dumps(expected),
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        return {"flask": [f"<the API probe failed: {result.stderr.strip()}>"]}
    missing: dict[str, list[str]] = json.loads(result.stdout.strip().splitlines()[-1])
    return missing


def all_expected_names(
    public: dict[str, list[str]], module_names: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """Return, by module, the public names of upstream's ``dir()`` together
    with every name its source binds at the top level.
    """
    wanted: dict[str, list[str]] = {}
    for module in sorted({*public, *module_names}):
        names = {*public.get(module, ()), *module_names.get(module, {})}
        wanted[module] = sorted(names)
    return wanted


def print_api_report(
    wanted: dict[str, list[str]],
    missing: dict[str, list[str]],
    omitted: dict[str, list[str]],
    module_names: dict[str, dict[str, str]],
) -> None:
    """Print the name comparison: totals, deliberate omissions, and the names
    missing without an explanation, grouped as public, private and re-exported.
    """
    total = sum(len(v) for v in wanted.values())
    left_out = sum(len(v) for v in omitted.values())
    count = sum(len(v) for v in missing.values())
    print(
        f"\nAPI surface: {total} module-level names of {len(wanted)} modules;"
        f" {left_out} deliberately omitted (tools/conformance_omissions.json),"
        f" {count} missing without a reason"
    )
    for group, names in _upstream_names.grouped(missing, module_names).items():
        if names:
            print(f"  {group} ({len(names)}): {', '.join(names)}")


def figures(result: RunResult, expected: t.Iterable[str] = ()) -> str:
    """Return ``P passed, F failed``; expected tests never reported count as failed."""
    absent = sum(1 for test in expected if test not in result.tests)
    text = f"{result.count('passed')} passed, {result.count('failed') + absent} failed"
    if result.count("skipped"):
        text += f", {result.count('skipped')} skipped"
    return text


def load_baseline(versions: dict[str, str]) -> dict[str, t.Any] | None:
    """Return the cached baseline if it was made with the same versions."""
    path = CACHE / "baseline.json"
    if not path.is_file():
        return None
    baseline: dict[str, t.Any] = json.loads(path.read_text())
    if (
        baseline.get("versions") != versions
        or baseline.get("python") != platform.python_version()
    ):
        return None
    return baseline


def tail(path: pathlib.Path, lines: int = 40) -> str:
    """Return the last lines of a log file."""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    """Run the conformance check; return the exit status."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Other arguments are passed to pytest.",
    )
    parser.add_argument("-k", dest="keyword", help="pytest -k expression")
    parser.add_argument(
        "--only-ours",
        action="store_true",
        help="skip the upstream run; compare with the cached baseline if any",
    )
    parser.add_argument(
        "--keep-venv", action="store_true", help="keep the baseline virtualenv"
    )
    parser.add_argument(
        "--legacy",
        action="store_true",
        help="run ours with the kolben.legacy shims installed",
    )
    args, pytest_args = parser.parse_known_args(argv)
    if pytest_args[:1] == ["--"]:
        pytest_args = pytest_args[1:]
    if args.keyword:
        pytest_args = ["-k", args.keyword, *pytest_args]
    selected = bool(pytest_args)
    ours_args = [*LEGACY_PLUGIN, *pytest_args] if args.legacy else pytest_args

    versions = shared_versions()
    try:
        sdist = download_sdist()
        suite = extract_tests(sdist)
        module_names = _upstream_names.sdist_names(sdist, FLASK_VERSION)
        omissions = _upstream_names.load_omissions()
        ours_at = flask_location(sys.executable, suite)
    except (WorkspaceError, OSError, ValueError, SyntaxError) as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 1
    home = (ROOT / "packages" / "flask").resolve()
    if not ours_at.is_relative_to(home):
        print(
            f"conformance: `flask` resolves to {ours_at}, not under {home}."
            " Run this through `hatch run conformance`.",
            file=sys.stderr,
        )
        return 1
    print(f"suite: Flask {FLASK_VERSION} tests in {suite.relative_to(ROOT)}")
    print(f"ours: flask from {ours_at.parent.relative_to(ROOT)}")

    venv_dir = pathlib.Path(tempfile.mkdtemp(prefix="kolben-conformance-"))
    try:
        upstream: RunResult | None = None
        expected_names: dict[str, list[str]] | None = None
        baseline = None
        if args.only_ours:
            baseline = load_baseline(versions)
            bin_dir = pathlib.Path(sys.executable).parent
            ours = finish_run(
                "ours", start_run("ours", sys.executable, suite, ours_args, bin_dir)
            )
            if baseline:
                expected_names = baseline["api"]
        else:
            try:
                python = make_baseline_env(venv_dir / "venv", versions)
                theirs_at = flask_location(python, suite)
                expected_names = upstream_names(python, suite)
            except WorkspaceError as error:
                print(f"conformance: the baseline failed: {error}", file=sys.stderr)
                return 1
            if not theirs_at.is_relative_to(venv_dir.resolve()):
                print(f"conformance: upstream flask resolves to {theirs_at}")
                return 1
            print(f"upstream: Flask {FLASK_VERSION} in a throwaway virtualenv")
            pending_ours = start_run(
                "ours",
                sys.executable,
                suite,
                ours_args,
                pathlib.Path(sys.executable).parent,
            )
            pending_theirs = start_run(
                "upstream", python, suite, pytest_args, python.parent
            )
            ours = finish_run("ours", pending_ours)
            upstream = finish_run("upstream", pending_theirs)
            if upstream.exit_code not in (0, 1) or not upstream.tests:
                print(
                    f"conformance: the upstream run broke"
                    f" (exit {upstream.exit_code}):\n{tail(upstream.log)}",
                    file=sys.stderr,
                )
                return 1
            if not selected:
                (CACHE / "baseline.json").write_text(
                    json.dumps(
                        {
                            "versions": versions,
                            "python": platform.python_version(),
                            "tests": upstream.tests,
                            "api": expected_names,
                        },
                        indent=1,
                        sort_keys=True,
                    )
                )
    finally:
        if args.keep_venv:
            print(f"kept {venv_dir}")
        else:
            shutil.rmtree(venv_dir, ignore_errors=True)

    if upstream is not None:
        reference = upstream.tests
    elif baseline is not None:
        reference = baseline["tests"]
        if selected:
            reference = {k: v for k, v in reference.items() if k in ours.tests}
    else:
        reference = {}
    should_pass = sorted(k for k, v in reference.items() if v == "passed")
    regressions = [k for k in should_pass if ours.tests.get(k) != "passed"]

    wanted = all_expected_names(expected_names or {}, module_names)
    missing = missing_names(wanted, suite)
    explained = {
        module: [n for n in names if n in omissions.get(module, {})]
        for module, names in missing.items()
    }
    missing = _upstream_names.unexplained(missing, omissions)

    ok = True
    print(f"\nours: {figures(ours, reference)}  ({ours.seconds:.1f}s)")
    if upstream is not None:
        print(f"upstream: {figures(upstream)}  ({upstream.seconds:.1f}s)")
    elif baseline is not None:
        print(f"upstream: {figures_from(reference)}  (cached baseline)")
    else:
        print("upstream: not run, and no cached baseline to compare with")
    if ours.exit_code not in (0, 1):
        ok = False
        print(
            f"\nconformance: pytest could not run the suite on ours"
            f" (exit {ours.exit_code}); the end of {ours.log.relative_to(ROOT)}:\n"
            + tail(ours.log)
        )
    if regressions:
        ok = False
        print(f"\n{len(regressions)} test(s) upstream passes that ours does not:")
        for test in regressions:
            print(f"  {test}  [{ours.tests.get(test, 'not run')}]")
    if missing:
        ok = False
    print_api_report(wanted, missing, explained, module_names)

    results = {
        "flask": FLASK_VERSION,
        "versions": versions,
        "pytest_args": pytest_args,
        "ours": {"exit_code": ours.exit_code, "tests": ours.tests},
        "upstream": (
            {"exit_code": upstream.exit_code, "tests": upstream.tests}
            if upstream
            else None
        ),
        "regressions": regressions,
        "api_missing": missing,
        "api_omitted": {k: v for k, v in explained.items() if v},
    }
    (CACHE / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    details = [ours.log, CACHE / "results.json"]
    print(f"\ndetails: {', '.join(str(p.relative_to(ROOT)) for p in details)}")
    if ok:
        print(
            "conformance: every test upstream passes passes here; API surface complete"
        )
        return 0
    print("conformance: FAILED")
    return 1


def figures_from(tests: dict[str, str]) -> str:
    """Return ``P passed, F failed`` for a cached outcome table."""
    passed = sum(1 for v in tests.values() if v == "passed")
    failed = sum(1 for v in tests.values() if v == "failed")
    skipped = sum(1 for v in tests.values() if v == "skipped")
    return f"{passed} passed, {failed} failed" + (
        f", {skipped} skipped" if skipped else ""
    )


if __name__ == "__main__":
    sys.exit(main())
