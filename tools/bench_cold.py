"""The cache-cold cost of one request, in-process: what a real server pays.

What it proves: how much CPU time one request of a ``bench_scenarios``
scenario costs when the CPU caches hold none of the framework's code and
data, as in a gunicorn worker, where the server's own parsing and writing
evict them between two requests. Before every measured request the script
writes one byte per 64-byte line over ``--thrash-mb`` megabytes (8 by
default, more than this machine's last-level cache), then times that one
request with the thread's CPU clock (the thrashing is not counted). The
targets run interleaved, ``--rounds`` rounds of ``--requests`` requests
each; it prints each target's lowest and median round (microseconds per
request) and the ratio of the lowest rounds to the first target's.

A tight loop (``tools/bench.py``) keeps everything cached and so shows the
warm cost; this shows the cold one, which is what moves ``--e2e``.

``--phases`` splits an ours request into its steps (making the request
context, push, dispatch, the response's WSGI call, its body, pop) to show
where the cold time goes.

Run it in the workspace environment (``flask`` is ours, ``floor`` is
werkzeug alone)::

    hatch run python tools/bench_cold.py -s hello flask floor
    hatch run python tools/bench_cold.py -s hello --phases

Given the upstream virtualenv's interpreter (``.cache/bench/upstream``, made
by ``hatch run bench``), ``flask`` is Flask 3.1.3 (the rounds then cannot be
interleaved with ours: run both right after each other on an idle machine).
"""

from __future__ import annotations

import argparse
import collections.abc as cabc
import pathlib
import statistics
import sys
import time
import typing as t

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import bench_scenarios  # noqa: E402

#: The bytes between two cache lines written by the thrashing step.
LINE = 64


def thrasher(megabytes: int) -> cabc.Callable[[], None]:
    """A call that writes one byte per cache line over ``megabytes`` MB."""
    buffer = bytearray(megabytes * 1024 * 1024)
    ones = b"\x01" * (len(buffer) // LINE)

    def thrash() -> None:
        buffer[::LINE] = ones

    return thrash


def scenario(target: str, name: str) -> bench_scenarios.Scenario:
    """The scenario ``name`` of ``target`` (``flask`` or ``floor``)."""
    if target == "flask":
        return bench_scenarios.flask_scenarios()[name]
    return bench_scenarios.floor_scenarios()[name]


def cold_rounds(
    targets: list[str], name: str, rounds: int, requests: int, megabytes: int
) -> dict[str, list[float]]:
    """Microseconds of CPU per cold request, per target and round."""
    thrash = thrasher(megabytes)
    clock = time.thread_time_ns
    calls = []
    for target in targets:
        s = scenario(target, name)
        environ, body = bench_scenarios.build_environ(s)
        calls.append((target, s.app, environ, body))
    results: dict[str, list[float]] = {target: [] for target in targets}
    for _ in range(rounds):
        for target, app, environ, body in calls:
            for _ in range(50):  # first-request work, lazy caches
                bench_scenarios.call(app, environ, body)
            total = 0
            for _ in range(requests):
                thrash()
                start = clock()
                bench_scenarios.call(app, environ, body)
                total += clock() - start
            results[target].append(total / requests / 1000)
    return results


def cold_phases(name: str, requests: int, megabytes: int) -> dict[str, float]:
    """Microseconds of CPU per cold request in each step of our pipeline."""
    app: t.Any = scenario("flask", name).app
    environ, _ = bench_scenarios.build_environ(scenario("flask", name))
    thrash = thrasher(megabytes)
    clock = time.thread_time_ns
    steps = ["request_context", "push", "dispatch", "response", "body", "pop"]
    totals = dict.fromkeys(steps, 0)
    for _ in range(requests):
        env = environ.copy()
        thrash()
        t0 = clock()
        ctx = app.request_context(env)
        t1 = clock()
        ctx.push()
        t2 = clock()
        response = app.full_dispatch_request()
        t3 = clock()
        result = response(env, bench_scenarios._start_response)
        t4 = clock()
        for _ in result:
            pass
        result.close()
        t5 = clock()
        ctx.pop(None)
        t6 = clock()
        marks = (t0, t1, t2, t3, t4, t5, t6)
        for step, start, end in zip(steps, marks[:-1], marks[1:], strict=True):
            totals[step] += end - start
    return {step: spent / requests / 1000 for step, spent in totals.items()}


def main(argv: list[str]) -> None:
    """Parse the arguments, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", default=["flask", "floor"])
    parser.add_argument("-s", "--scenario", default="hello")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--thrash-mb", type=int, default=8)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args(argv)
    if args.phases:
        for _ in range(args.rounds):
            spent = cold_phases(args.scenario, args.requests, args.thrash_mb)
            cells = " ".join(f"{step} {us:.1f}" for step, us in spent.items())
            print(f"{cells}  total {sum(spent.values()):.1f} us")
        return
    results = cold_rounds(
        args.targets, args.scenario, args.rounds, args.requests, args.thrash_mb
    )
    first = min(results[args.targets[0]])
    for target, rounds in results.items():
        print(
            f"{args.scenario} {target}: lowest {min(rounds):.1f} us,"
            f" median {statistics.median(rounds):.1f} us,"
            f" time {args.targets[0]}/{target} {first / min(rounds):.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
