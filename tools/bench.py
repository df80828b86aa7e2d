"""Per-request speed of our ``flask`` against upstream Flask 3.1.3, in one run.

What it proves: how many requests per second the same application code serves
on our ``flask`` and on upstream Flask 3.1.3, scenario by scenario, next to the
werkzeug floor of each scenario (werkzeug, and jinja2 or itsdangerous where the
scenario needs them, doing the same work by hand), as ratios; how many function
calls a request costs on each (cProfile's count, deterministic, so immune to
machine noise); how fast the test client answers ``client.get("/")``; how long
``import flask``, ``flask --help`` and ``flask routes`` on Flaskr and building
an app with 1000 routes take, each in fresh processes, the two commands next
to their floor (:func:`cli_floor`, a process doing only what those commands
cannot avoid on any framework); and how much resident
memory a process serving Flaskr holds. For these startup and memory figures
each framework is installed alone (with python-dotenv) in a throwaway
virtualenv, ours as wheels built from the working tree.

Run it through hatch, so "ours" is the workspace environment::

    hatch run bench                  # full run, prints Markdown tables
    hatch run bench --smoke          # a few milliseconds per scenario (CI)
    hatch run bench --e2e            # also gunicorn + wrk over loopback
                                     # (bench_gunicorn), and the ASGI
                                     # targets under uvicorn (bench_asgi)
    hatch run bench --e2e-only       # only those
    hatch run bench --startup-only   # only the startup and memory figures
    hatch run bench -s hello -s 404  # only some scenarios

Upstream Flask 3.1.3 is installed by the tool into a throwaway virtualenv under
``.cache/bench/`` with the same werkzeug version as ours, together with
Flask-Session 0.8 (and Flask-SQLAlchemy, redis) for the ``session-sqlite`` and
``session-redis`` scenarios and gunicorn for ``--e2e``; the tool starts its own
``redis-server`` on a free port for the latter (skipped when none is
installed). Each repeat runs every target in a fresh process, alternating
targets, and the tables show medians. ``--e2e`` serves the hello and session
scenarios with gunicorn (2 sync workers) under ``wrk`` (Debian's ``wrk``),
next to the werkzeug floor and a bare WSGI callable, the ceiling
(``tools/bench_gunicorn.py`` says how).
Results are also written as JSON (``--json``, default ``.cache/bench/results.json``).
CI runs only the smoke mode and never asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t

import bench_asgi
import bench_gunicorn

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
WORKER = ROOT / "tools" / "bench_scenarios.py"
UPSTREAM_FLASK = "flask==3.1.3"
#: The Flaskr tutorial blog, the application the startup and memory figures use.
FLASKR = ROOT / "docs" / "examples" / "flaskr" / "flaskr"
SCENARIOS = [
    "hello",
    "test-client",
    "routing-1000",
    "url_for",
    "json",
    "template",
    "session",
    "form-post",
    "404",
    "blueprint-hooks",
    "session-sqlite",
    "session-redis",
]

#: What the upstream virtualenv gets besides Flask: Flask-Session 0.8 for the
#: server-side session scenarios (SQLite through its SQLAlchemy store), and
#: the Redis client both sides use; python-dotenv, which the workspace has
#: and both ``flask`` commands import when it is installed, so the CLI
#: startup figures compare like with like.
UPSTREAM_EXTRAS = [
    "Flask-Session==0.8.0",
    "Flask-SQLAlchemy>=3.1",
    "redis>=5",
    "python-dotenv>=1.0",
]

#: What the startup and memory figures' virtualenvs hold besides the
#: framework, on both sides: python-dotenv, which both ``flask`` commands
#: import when it is installed.
STARTUP_EXTRAS = ["python-dotenv>=1.0"]


def run(cmd: list[str], **kwargs: t.Any) -> subprocess.CompletedProcess[str]:
    """Run a command outside the checkout, failing loudly with its output."""
    kwargs.setdefault("cwd", tempfile.gettempdir())
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return result


def version_of(python: str, distribution: str) -> str:
    """The installed version of ``distribution`` in ``python``'s environment."""
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    return run([python, "-c", code]).stdout.strip()


def make_venv(venv: pathlib.Path, requirements: list[str]) -> str:
    """Create the virtualenv ``venv`` afresh with ``requirements`` installed
    (with uv when it is on PATH, else venv and pip); return its python."""
    python = venv / "bin" / "python"
    shutil.rmtree(venv, ignore_errors=True)
    uv = shutil.which("uv")
    if uv:
        run([uv, "venv", "-q", "-p", sys.executable, str(venv)])
        run([uv, "pip", "install", "-q", "-p", str(python), *requirements])
    else:
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(python), "-m", "pip", "install", "-q", *requirements])
    return str(python)


def upstream_python(extra: list[str], name: str = "upstream-venv") -> str:
    """Create (once) the throwaway virtualenv ``name`` with upstream Flask and
    ``extra``; return its python."""
    venv = CACHE / name
    python = venv / "bin" / "python"
    werkzeug = version_of(sys.executable, "werkzeug")
    wanted = [UPSTREAM_FLASK, f"werkzeug=={werkzeug}", *extra]
    stamp = venv / "kolben-requirements.txt"
    fresh = stamp.exists() and stamp.read_text() == "\n".join(wanted)
    if not (python.exists() and fresh):
        make_venv(venv, wanted)
        stamp.write_text("\n".join(wanted))
    return str(python)


def installed_ours_python() -> str:
    """Install this checkout's ``flask`` and its parts, as wheels built from
    the working tree, into a fresh throwaway virtualenv; return its python.

    The startup and memory figures compare installed frameworks in like
    environments: both virtualenvs hold the framework, its dependencies
    (werkzeug at the workspace's version) and :data:`STARTUP_EXTRAS`, and
    nothing else. The workspace environment would not do: it has some 100
    distributions (Sphinx, Playwright, mypy, ...), every one of which the
    ``flask`` command's plugin lookup reads, and its editable installs add
    a ``sys.path`` entry per part, which every failed import searches.
    """
    werkzeug = version_of(sys.executable, "werkzeug")
    # The parts flask is made of; kolben-legacy is an add-on above it.
    packages = sorted((ROOT / "packages").glob("kolben-*/pyproject.toml"))
    parts = [str(p.parent) for p in packages if p.parent.name != "kolben-legacy"]
    requirements = [*parts, str(ROOT / "packages" / "flask")]
    requirements += [f"werkzeug=={werkzeug}", *STARTUP_EXTRAS]
    python = make_venv(CACHE / "ours-venv", requirements)
    if "kolben" not in version_of(python, "flask"):
        sys.exit(f"{python} does not import this checkout's flask")
    return python


def check_ours(python: str) -> None:
    """Refuse to measure if "ours" is not the workspace's flask."""
    code = "import flask, pathlib; print(pathlib.Path(flask.__file__).resolve())"
    location = run([python, "-c", code]).stdout.strip()
    if not location.startswith(str(ROOT / "packages" / "flask")):
        sys.exit(
            f"'ours' imports flask from {location}; run this with `hatch run bench`"
        )


def start_redis() -> subprocess.Popen[bytes] | None:
    """Start a ``redis-server`` on a free port for the ``session-redis``
    scenario, without persistence, and tell the workers its URL; ``None``
    (and no Redis scenario) when it is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        print("bench: no redis-server, skipping session-redis", file=sys.stderr)
        return None
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                break
        except OSError:
            time.sleep(0.02)
    os.environ["KOLBEN_BENCH_REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    return process


def measure(
    python: str, target: str, seconds: float, names: list[str]
) -> dict[str, t.Any]:
    """Run the scenario worker once in a fresh process."""
    out = run([python, str(WORKER), target, str(seconds), *names]).stdout
    return t.cast("dict[str, t.Any]", json.loads(out))


def byte_compile(python: str) -> None:
    """Byte-compile ``python``'s site-packages and the workspace sources on
    its ``sys.path``, so ``import flask`` is timed from bytecode.

    Both targets get this, so they are compared alike: a ``pip install``
    writes bytecode, while an environment installed by uv, or used with
    ``PYTHONDONTWRITEBYTECODE``, would otherwise compile every module from
    source on each import. The ``__pycache__`` folders are gitignored.
    """
    where = (
        "import sys, sysconfig; paths = sysconfig.get_paths();"
        " print('\\n'.join([paths['purelib'], paths['platlib'], *sys.path]))"
    )
    site_packages, platlib, *path = run([python, "-c", where]).stdout.splitlines()
    workspace = [entry for entry in path if entry.startswith(str(ROOT / "packages"))]
    sources = sorted({site_packages, platlib, *workspace})
    run([python, "-m", "compileall", "-q", "-j", "0", *sources])


def flaskr_environment(folder: pathlib.Path) -> dict[str, str]:
    """Copy Flaskr into ``folder`` (its instance folder lands there too, not
    in the checkout) and return the environment that finds and configures it."""
    shutil.copytree(FLASKR, folder / "flaskr")
    return {
        **os.environ,
        "PYTHONPATH": str(folder),
        "FLASKR_DATABASE": str(folder / "flaskr.sqlite"),
        "FLASKR_SECRET_KEY": "bench secret",
    }


def timed(cmd: list[str], env: dict[str, str], cwd: pathlib.Path) -> float:
    """Wall seconds of one command, which must succeed."""
    start = time.perf_counter()
    run(cmd, env=env, cwd=cwd)
    return time.perf_counter() - start


#: The measures :func:`startup_times` takes.
STARTUP_MEASURES = ("import flask", "flask --help", "flask routes", "build 1000 routes")

#: The measures that have a floor (:func:`cli_floor`).
FLOORED_MEASURES = ("flask --help", "flask routes")

#: Flaskr's own imports besides ``flask``, module by module (``factory``,
#: ``auth``, ``blog``, ``db``: what ``--app flaskr`` imports).
FLASKR_IMPORTS = (
    "datetime",
    "functools",
    "os",
    "sqlite3",
    "typing",
    "werkzeug.security",
)


def cli_floor() -> str:
    """The code of the floor of ``flask --help`` and ``flask routes`` on
    Flaskr: one process that imports exactly what those commands need and
    neither framework can avoid, and does nothing else. Each item, and why
    it is unavoidable:

    - ``werkzeug``: both frameworks are built on it, and importing the
      package loads what its ``__init__`` does (``werkzeug.serving``,
      ``werkzeug.test``, the wrappers), whichever names the framework uses.
    - ``werkzeug.routing``: Flaskr's routes go into a werkzeug ``Map`` when
      the app is created, which both commands do (``--help`` lists the app's
      own commands, so it loads the app; ``routes`` lists the map).
    - ``click``: the ``flask`` command is a click group and ``--help`` is
      click's help (Flaskr's ``init-db`` is a click command too).
    - :data:`FLASKR_IMPORTS`: what Flaskr's modules import besides ``flask``.
    - ``importlib.metadata`` and ``entry_points(group="flask.commands")``:
      installed packages register commands there; ``--help`` lists them, and
      one may replace a built-in command (``routes`` among them), so both
      commands must look them up before running anything.

    Not in it, because a framework can avoid it: ``flask`` itself beyond
    these, python-dotenv (needed only when a ``.env`` or ``.flaskenv`` file
    exists, and Flaskr's folder has none), Jinja (no template is rendered),
    creating the app (werkzeug compiles each rule as it is added; a framework
    may defer that), and any start-up hook of an installed package.

    :func:`startup_times` runs it with upstream's interpreter environment:
    the same werkzeug, click and python-dotenv as ours, the smaller set of
    installed distributions for the entry point lookup to read, and none of
    kolben-cli's start-up hook (its ``.pth`` file).
    """
    imports = ["werkzeug", "werkzeug.routing", "click", *FLASKR_IMPORTS]
    return (
        f"import {', '.join(imports)}; import importlib.metadata;"
        " importlib.metadata.entry_points(group='flask.commands')"
    )


def startup_times(
    pythons: dict[str, str], repeats: int, folder: pathlib.Path
) -> dict[str, dict[str, float]]:
    """Median seconds, per measure and target, each sample a fresh process:
    ``import flask`` (timed inside the process), ``flask --help`` and
    ``flask routes`` on Flaskr (wall time of the ``flask`` command), and
    building an app with 1000 routes up to its first match. The two commands
    also get a ``floor`` target: the wall time of :func:`cli_floor`'s
    process, run by ``pythons["upstream"]`` once per repeat.

    The targets alternate, so a change in machine load lands on all of them.
    """
    env = flaskr_environment(folder)
    code = (
        "import time; s = time.perf_counter(); import flask;"
        " print(time.perf_counter() - s)"
    )
    for python in pythons.values():
        byte_compile(python)
        run([python, "-m", "compileall", "-q", str(folder)])
    samples: dict[str, dict[str, list[float]]] = {
        m: {name: [] for name in pythons} for m in STARTUP_MEASURES
    }
    floor = [pythons["upstream"], "-c", cli_floor()]
    for _ in range(repeats):
        seconds = timed(floor, env, folder)
        for measure in FLOORED_MEASURES:
            samples[measure].setdefault("floor", []).append(seconds)
        for name, python in pythons.items():
            command = str(pathlib.Path(python).parent / "flask")
            sample = samples["import flask"][name]
            sample.append(float(run([python, "-c", code]).stdout))
            for measure, args in (
                ("flask --help", ["--help"]),
                ("flask routes", ["routes"]),
            ):
                cmd = [command, "--app", "flaskr", *args]
                samples[measure][name].append(timed(cmd, env, folder))
            out = run([python, str(WORKER), "build-routes"]).stdout
            samples["build 1000 routes"][name].append(float(out))
    return {
        m: {name: statistics.median(values) for name, values in by_target.items()}
        for m, by_target in samples.items()
    }


def memory(
    pythons: dict[str, str], requests: int, repeats: int, folder: pathlib.Path
) -> dict[str, float]:
    """Median resident bytes of a fresh process after serving Flaskr
    ``requests`` times, per target."""
    samples: dict[str, list[float]] = {name: [] for name in pythons}
    for i in range(repeats):
        for name, python in pythons.items():
            env = flaskr_environment(folder / f"memory-{name}-{i}")
            out = run([python, str(WORKER), "memory", str(requests)], env=env).stdout
            samples[name].append(float(out))
    return {name: statistics.median(values) for name, values in samples.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def table(results: dict[str, t.Any]) -> str:
    """The Markdown tables of medians and ratios."""
    lines: list[str] = []
    if results["scenarios"]:
        lines += in_process_table(results)
    if results.get("startup"):
        lines += ["", *startup_table(results)]
    if results.get("e2e"):
        lines += ["", bench_gunicorn.table(results["e2e"], results["e2e_settings"])]
    return "\n".join(lines).strip("\n")


def in_process_table(results: dict[str, t.Any]) -> list[str]:
    """The in-process table."""
    lines = [
        "| scenario | ours req/s | upstream req/s | werkzeug floor req/s"
        " | ours/upstream | ours/floor | calls ours | calls upstream | calls floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in results["scenarios"].items():
        lines.append(
            f"| {name} | {row['ours']:,.0f} | {row['upstream']:,.0f}"
            f" | {row['floor']:,.0f}"
            f" | {row['ours'] / row['upstream']:.2f} | {row['ours'] / row['floor']:.2f}"
            f" | {row['calls_ours']:.0f} | {row['calls_upstream']:.0f}"
            f" | {row['calls_floor']:.0f} |"
        )
    return lines


def startup_table(results: dict[str, t.Any]) -> list[str]:
    """The startup and memory table; the floor columns are filled for the
    measures that have one (:data:`FLOORED_MEASURES`)."""
    lines = [
        "| startup and memory | ours | upstream | floor | ours/upstream"
        " | floor/upstream |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for measure, row in results["startup"].items():
        ours, upstream, floor = row["ours"], row["upstream"], row.get("floor")
        floor_ms, floor_ratio = (
            ("-", "-")
            if floor is None
            else (f"{floor * 1e3:.1f}", f"{floor / upstream:.2f}")
        )
        lines.append(
            f"| {measure} (ms) | {ours * 1e3:.1f} | {upstream * 1e3:.1f}"
            f" | {floor_ms} | {ours / upstream:.2f} | {floor_ratio} |"
        )
    rss, requests = results["memory"], results["memory_requests"]
    lines.append(
        f"| Flaskr RSS after {requests:,} requests (MiB) | {rss['ours'] / 2**20:.1f}"
        f" | {rss['upstream'] / 2**20:.1f} | - | {rss['ours'] / rss['upstream']:.2f}"
        " | - |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run for CI")
    parser.add_argument(
        "--seconds", type=float, default=1.0, help="per scenario and repeat"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("-s", "--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--e2e", action="store_true", help="also gunicorn + wrk")
    parser.add_argument(
        "--e2e-only",
        action="store_true",
        help="only the end-to-end figures: no in-process, startup or memory ones",
    )
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="only the startup and memory figures",
    )
    parser.add_argument(
        "--startup-repeats",
        type=int,
        default=11,
        help="fresh processes per startup measure and target",
    )
    parser.add_argument("--e2e-seconds", type=int, default=5)
    parser.add_argument(
        "--e2e-repeats", type=int, default=3, help="interleaved gunicorn rounds"
    )
    parser.add_argument(
        "--e2e-pin", action="store_true", help="wrk on one CPU, gunicorn on the rest"
    )
    parser.add_argument(
        "--e2e-profile",
        type=pathlib.Path,
        metavar="DIR",
        help="also profile each gunicorn target's workers, stats files into DIR",
    )
    parser.add_argument("--json", type=pathlib.Path, default=CACHE / "results.json")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.repeats, args.startup_repeats = 0.02, 1, 1
    args.e2e = args.e2e or args.e2e_only or args.e2e_profile is not None
    if args.startup_only and args.e2e:
        parser.error("--startup-only excludes the end-to-end figures")
    names = args.scenario or []

    CACHE.mkdir(parents=True, exist_ok=True)
    ours = sys.executable
    check_ours(ours)
    e2e_extras = ["gunicorn", *bench_asgi.ASGI_EXTRAS] if args.e2e else []
    upstream = upstream_python([*UPSTREAM_EXTRAS, *e2e_extras])
    in_process = not (args.e2e_only or args.startup_only)
    redis = start_redis() if in_process else None
    targets = {
        "ours": (ours, "flask"),
        "upstream": (upstream, "flask"),
        "floor": (ours, "floor"),
    }

    runs: dict[str, list[dict[str, t.Any]]] = {name: [] for name in targets}
    try:
        for _ in range(args.repeats if in_process else 0):
            for name, (python, target) in targets.items():
                runs[name].append(measure(python, target, args.seconds, names))
    finally:
        if redis is not None:
            redis.kill()
            redis.wait()
            # Later processes (the --e2e servers) must not expect it.
            os.environ.pop("KOLBEN_BENCH_REDIS_URL", None)

    def median(target: str, scenario: str, key: str) -> float:
        values: list[float] = [r["scenarios"][scenario][key] for r in runs[target]]
        return statistics.median(values)

    results: dict[str, t.Any] = {
        "scenarios": {},
        "versions": {
            "flask (ours)": version_of(ours, "flask"),
            "flask (upstream)": version_of(upstream, "flask"),
            "werkzeug": version_of(ours, "werkzeug"),
        },
    }
    for scenario in runs["ours"][0]["scenarios"] if runs["ours"] else []:
        results["scenarios"][scenario] = {
            "ours": median("ours", scenario, "rps"),
            "upstream": median("upstream", scenario, "rps"),
            "floor": median("floor", scenario, "rps"),
            "calls_ours": median("ours", scenario, "calls"),
            "calls_upstream": median("upstream", scenario, "calls"),
            "calls_floor": median("floor", scenario, "calls"),
        }
    pythons = {"ours": ours, "upstream": upstream}
    if not args.e2e_only:
        # Like for like: each framework installed alone in its own virtualenv.
        alone = {
            "ours": installed_ours_python(),
            "upstream": upstream_python(STARTUP_EXTRAS, "upstream-startup-venv"),
        }
        with tempfile.TemporaryDirectory(prefix="kolben-bench-") as folder:
            where = pathlib.Path(folder)
            startup = startup_times(alone, args.startup_repeats, where)
            requests = 200 if args.smoke else 5000
            rss = memory(alone, requests, 1 if args.smoke else 3, where)
        results["startup"] = startup
        results["memory"] = rss
        results["memory_requests"] = requests
    if args.e2e:
        e2e_names = names or list(bench_gunicorn.SCENARIOS)
        results["e2e_settings"] = {
            "seconds": args.e2e_seconds,
            "repeats": args.e2e_repeats,
            "pin": args.e2e_pin,
        }
        results["e2e"] = bench_gunicorn.run(
            pythons, e2e_names, args.e2e_seconds, args.e2e_repeats, pin=args.e2e_pin
        )
        if args.e2e_profile is not None:
            for name, row in results["e2e"].items():
                row["calls"] = bench_gunicorn.profile(
                    pythons, name, args.e2e_seconds, args.e2e_profile
                )
        results["asgi"] = bench_asgi.run(pythons, args.e2e_seconds)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print(table(results))
    if results.get("asgi"):
        print()
        print(bench_asgi.table(results["asgi"]))
    print(f"\nversions: {results['versions']}; JSON written to {args.json}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
