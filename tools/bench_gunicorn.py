"""End-to-end WSGI figures for ``hatch run bench --e2e``: gunicorn + wrk.

What it proves: how many requests per second a scenario's app serves under a
real server, gunicorn with 2 sync workers, loaded by ``wrk`` over loopback
(one connection per worker, so no request waits in a queue), for:

- ours: the scenario's app on our ``flask`` (the workspace interpreter);
- upstream: the same app on Flask 3.1.3 (the bench's upstream virtualenv);
- floor: the scenario answered with werkzeug alone (``bench_scenarios``);
- bare: for ``hello`` only, a bare WSGI callable sending the same status,
  headers and body as the others (:func:`bench_scenarios.bare_hello`).

bare/upstream is the ceiling of ours/upstream: what is left when the
framework costs nothing, only the server, the kernel and ``wrk``. Every
target's server runs at once, each warmed by a ``wrk`` run that is not
counted; then ``repeats`` rounds each load every target for the same
``seconds``, the order rotating from round to round, so a change in machine
load lands on all of them. Ratios are taken within a round and reported as
their median and lowest. With ``pin``, ``wrk`` runs on the last CPU and the
servers on the others (the same for every target).

Run it through ``tools/bench.py``::

    hatch run bench --e2e --e2e-only -s hello
"""

from __future__ import annotations

import json
import os
import pathlib
import pstats
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.request

import _processes

TOOLS = pathlib.Path(__file__).resolve().parent

#: target -> (which interpreter, ``bench_scenarios.e2e_app`` target)
TARGETS: dict[str, tuple[str, str]] = {
    "ours": ("ours", "flask"),
    "upstream": ("upstream", "flask"),
    "floor": ("ours", "floor"),
    "bare": ("ours", "bare"),
}

#: scenario -> the targets that serve it.
SCENARIOS: dict[str, list[str]] = {
    "hello": ["ours", "upstream", "floor", "bare"],
    "session": ["ours", "upstream", "floor"],
}

#: ratio name -> (numerator, denominator), each taken within one round.
RATIOS = {
    "ours/upstream": ("ours", "upstream"),
    "bare/upstream": ("bare", "upstream"),
    "floor/upstream": ("floor", "upstream"),
    "ours/floor": ("ours", "floor"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpus(pin: bool) -> tuple[list[str], list[str]]:
    """The ``taskset`` prefixes for ``wrk`` and for the servers."""
    available = sorted(os.sched_getaffinity(0))
    if not pin or len(available) < 2 or shutil.which("taskset") is None:
        return [], []
    servers = ",".join(str(cpu) for cpu in available[:-1])
    return ["taskset", "-c", str(available[-1])], ["taskset", "-c", servers]


#: A gunicorn config file for profiling: each worker profiles itself once
#: its app is loaded and, as it exits, writes its stats and how many
#: requests it served (gunicorn's own count) next to this file.
PROFILE_CONFIG = """\
import cProfile, json, os

def post_worker_init(worker):
    worker.kolben_served = worker.nr
    worker.kolben_profile = cProfile.Profile()
    worker.kolben_profile.enable()

def worker_exit(server, worker):
    profile = getattr(worker, "kolben_profile", None)
    if profile is None:
        return
    profile.disable()
    stem = os.path.join(os.path.dirname(__file__), f"worker-{os.getpid()}")
    profile.dump_stats(stem + ".pstats")
    with open(stem + ".json", "w") as f:
        json.dump({"requests": worker.nr - worker.kolben_served}, f)
"""


class Server:
    """One gunicorn (2 sync workers) serving one target's app on a free port."""

    def __init__(
        self,
        python: str,
        target: str,
        scenario: str,
        prefix: list[str],
        profile: bool = False,
    ) -> None:
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="kolben-e2e-")
        config: list[str] = []
        if profile:
            path = pathlib.Path(self.folder, "gunicorn_profile.py")
            path.write_text(PROFILE_CONFIG)
            config = ["-c", str(path)]
        pathlib.Path(self.folder, "bench_e2e.py").write_text(
            "import sys\n"
            f"sys.path.insert(0, {str(TOOLS)!r})\n"
            "from bench_scenarios import e2e_app\n"
            f"app = e2e_app({target!r}, {scenario!r})\n"
        )
        # Its own process group, so stop() reaches the workers too.
        self.process = _processes.start(
            [*prefix, python, "-m", "gunicorn", "-w", "2", "-k", "sync"]
            + ["-b", f"127.0.0.1:{self.port}", "--chdir", self.folder]
            + [*config, "bench_e2e:app"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        #: The session cookie of a first visit, if the app sets one.
        self.cookie: str | None = None

    def wait(self) -> None:
        """Return once both workers answer (the port opens before they can),
        having checked the answer and kept the first visit's cookie."""
        url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                for _ in range(20):
                    with urllib.request.urlopen(url, timeout=1) as response:
                        response.read()
                        cookie = response.headers.get("Set-Cookie")
                        if cookie and self.cookie is None:
                            self.cookie = cookie.split(";")[0]
                return
            except OSError as e:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    message = f"gunicorn on port {self.port} never answered"
                    raise RuntimeError(message) from e
                time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """User plus system CPU seconds the server's workers have used so far."""
        master = self.process.pid
        try:
            with open(f"/proc/{master}/task/{master}/children") as f:
                workers = f.read().split()
        except OSError:
            return float("nan")
        total = 0
        for pid in workers:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                return float("nan")
            # utime and stime, fields 14 and 15 of proc(5), in clock ticks.
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop gunicorn and its workers: a graceful shutdown (the profiled
        workers write their stats on exit), by force after 10 s."""
        _processes.stop(self.process)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def calls_per_request(self) -> float:
        """After :meth:`stop` of a profiled server: the function calls its
        workers made per request (cProfile's count, gunicorn's own work
        included), from their stats files."""
        calls = requests = 0
        for stats in pathlib.Path(self.folder).glob("worker-*.pstats"):
            calls += pstats.Stats(str(stats)).total_calls  # type: ignore[attr-defined]
            data = json.loads(stats.with_suffix(".json").read_text())
            requests += data["requests"]
        return calls / requests if requests else float("nan")


def load(
    wrk: str, server: Server, seconds: float, prefix: list[str]
) -> dict[str, float]:
    """Load ``server`` with wrk for ``seconds``; requests/s and p99 latency.

    Every answer must be a 2xx: an app that fails fast must not look fast.
    """
    # A returning visitor: the session is loaded, changed and saved.
    headers = ["-H", f"Cookie: {server.cookie}"] if server.cookie else []
    # wrk takes whole seconds only.
    duration = f"-d{max(1, round(seconds))}s"
    cmd = [*prefix, wrk, "-t2", "-c2", duration, "--latency", *headers]
    cpu_before = server.cpu_seconds()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [*cmd, f"http://127.0.0.1:{server.port}/"], capture_output=True, text=True
    )
    cpu = server.cpu_seconds() - cpu_before
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (wrk_after.ru_utime - wrk_before.ru_utime) + (
        wrk_after.ru_stime - wrk_before.ru_stime
    )
    out = result.stdout
    if result.returncode != 0 or "Non-2xx" in out:
        sys.exit(f"wrk failed or got errors:\n{out}\n{result.stderr}")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None:
        sys.exit(f"no Requests/sec in wrk's output:\n{out}")
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    done = re.search(r"(\d+) requests in", out)
    requests = int(done.group(1)) if done else 0
    # The workers' CPU time per request: the framework's share of the work,
    # far less sensitive to other load on the machine than requests/s.
    # wrk's, the other side of each connection, is the same for every target.
    per_request = 1e6 / requests if requests else float("nan")
    return {
        "rps": float(rps.group(1)),
        "p99_ms": latency,
        "cpu_us": cpu * per_request,
        "wrk_cpu_us": wrk_cpu * per_request,
    }


def run_scenario(
    pythons: dict[str, str],
    scenario: str,
    seconds: float,
    repeats: int,
    warmup: float = 1.0,
    pin: bool = False,
) -> dict[str, t.Any]:
    """Serve ``scenario`` with every target at once and load them in turn.

    Returns, per target, its samples and their medians, and per ratio
    (:data:`RATIOS`) the value of each round, its median and its lowest.
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("--e2e needs wrk (apt-get install -y wrk)")
    wrk_cpu, server_cpus = cpus(pin)
    names = SCENARIOS[scenario]
    servers: dict[str, Server] = {}
    try:
        for name in names:
            python, target = TARGETS[name]
            servers[name] = Server(pythons[python], target, scenario, server_cpus)
        for name in names:
            servers[name].wait()
            load(wrk, servers[name], warmup, wrk_cpu)
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for round_ in range(repeats):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(load(wrk, servers[name], seconds, wrk_cpu))
    finally:
        for server in servers.values():
            server.stop()
            server.remove()
    targets: dict[str, dict[str, t.Any]] = {
        name: {
            "rps": statistics.median(s["rps"] for s in runs),
            "p99_ms": statistics.median(s["p99_ms"] for s in runs),
            "cpu_us": statistics.median(s["cpu_us"] for s in runs),
            "wrk_cpu_us": statistics.median(s["wrk_cpu_us"] for s in runs),
            "samples": runs,
        }
        for name, runs in samples.items()
    }
    ratios: dict[str, dict[str, t.Any]] = {}
    for ratio, (top, bottom) in RATIOS.items():
        if top in samples and bottom in samples:
            pairs = zip(samples[top], samples[bottom], strict=True)
            rounds = [a["rps"] / b["rps"] for a, b in pairs]
            ratios[ratio] = {
                "median": statistics.median(rounds),
                "lowest": min(rounds),
                "rounds": rounds,
            }
    # The same ratios from CPU time per request (the workers' and wrk's, as
    # both run on the same cores): what requests/s would show were the
    # machine's CPUs spent on this benchmark alone, so far steadier than
    # requests/s while other jobs load the machine.
    cost = {n: row["cpu_us"] + row["wrk_cpu_us"] for n, row in targets.items()}
    by_cpu = {
        ratio: cost[bottom] / cost[top]
        for ratio, (top, bottom) in RATIOS.items()
        if top in cost and bottom in cost
    }
    return {"targets": targets, "ratios": ratios, "ratios_by_cpu": by_cpu}


def profile(
    pythons: dict[str, str], scenario: str, seconds: float, keep: pathlib.Path | None
) -> dict[str, float]:
    """Function calls per request inside gunicorn's sync workers, per target
    of ``scenario``: each server profiled alone under the same ``wrk`` load.
    ``keep``, if given, receives each target's worker stats files (for
    ``python -m pstats``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("--e2e needs wrk (apt-get install -y wrk)")
    calls: dict[str, float] = {}
    for name in SCENARIOS[scenario]:
        python, target = TARGETS[name]
        server = Server(pythons[python], target, scenario, [], profile=True)
        try:
            server.wait()
            load(wrk, server, seconds, [])
        finally:
            server.stop()
        calls[name] = server.calls_per_request()
        if keep is not None:
            for stats in pathlib.Path(server.folder).glob("worker-*.pstats"):
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(stats, keep / f"{scenario}-{name}-{stats.name}")
        server.remove()
    return calls


def run(
    pythons: dict[str, str],
    scenarios: list[str],
    seconds: float,
    repeats: int,
    pin: bool = False,
) -> dict[str, t.Any]:
    """:func:`run_scenario` for each of ``scenarios`` (those it knows)."""
    return {
        name: run_scenario(pythons, name, seconds, repeats, pin=pin)
        for name in scenarios
        if name in SCENARIOS
    }


def table(results: dict[str, t.Any], settings: dict[str, t.Any]) -> str:
    """The Markdown tables: median req/s and ratios as "median (lowest)" over
    the rounds; then the workers' CPU time per request (and, if profiled,
    their function calls per request) and wrk's."""

    def cell(row: dict[str, t.Any], name: str, key: str, form: str) -> str:
        target = row["targets"].get(name)
        return format(target[key], form) if target else "-"

    def ratio(row: dict[str, t.Any], name: str) -> str:
        r = row["ratios"].get(name)
        return f"{r['median']:.2f} ({r['lowest']:.2f})" if r else "-"

    def cpu(row: dict[str, t.Any], name: str) -> str:
        text = cell(row, name, "cpu_us", ".0f")
        calls = row.get("calls", {}).get(name)
        return f"{text} ({calls:.0f} calls)" if calls else text

    pinned = ", wrk pinned to its own CPU" if settings.get("pin") else ""
    rounds = settings["repeats"]
    lines = [
        f"| end to end: gunicorn (2 sync workers) + wrk, {rounds}"
        f" round{'s' if rounds != 1 else ''} x {settings['seconds']:g} s{pinned}"
        " | ours req/s | upstream req/s"
        " | werkzeug floor req/s | bare WSGI req/s | ours/upstream"
        " | bare/upstream (ceiling) | ours/floor | ours p99 ms | upstream p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {cell(row, 'ours', 'rps', ',.0f')}"
            f" | {cell(row, 'upstream', 'rps', ',.0f')}"
            f" | {cell(row, 'floor', 'rps', ',.0f')}"
            f" | {cell(row, 'bare', 'rps', ',.0f')}"
            f" | {ratio(row, 'ours/upstream')} | {ratio(row, 'bare/upstream')}"
            f" | {ratio(row, 'ours/floor')} | {cell(row, 'ours', 'p99_ms', '.1f')}"
            f" | {cell(row, 'upstream', 'p99_ms', '.1f')} |"
        )

    def by_cpu(row: dict[str, t.Any], name: str) -> str:
        r = row.get("ratios_by_cpu", {}).get(name)
        return f"{r:.2f}" if r else "-"

    lines += [
        "",
        "| CPU µs per request (median): gunicorn workers | ours | upstream"
        " | werkzeug floor | bare WSGI | wrk, loading ours | ours/upstream by CPU"
        " | bare/upstream by CPU | floor/upstream by CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(
            f"| {name} | {cpu(row, 'ours')} | {cpu(row, 'upstream')}"
            f" | {cpu(row, 'floor')} | {cpu(row, 'bare')}"
            f" | {cell(row, 'ours', 'wrk_cpu_us', '.0f')}"
            f" | {by_cpu(row, 'ours/upstream')} | {by_cpu(row, 'bare/upstream')}"
            f" | {by_cpu(row, 'floor/upstream')} |"
        )
    lines.append(
        "\nBy CPU: the ratio of (workers' + wrk's CPU time per request), what"
        " req/s would show with the CPUs to this benchmark alone."
    )
    return "\n".join(lines)
