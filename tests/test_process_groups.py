"""Servers the tests start leave no process behind: not a master, not a worker,
whether the server became ready or not and however the run ended.
"""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time
import types
import typing as t

import pytest

HERE = pathlib.Path(__file__).resolve().parent

#: A server that never answers, as stubborn as one can be short of SIGKILL:
#: a master and a forked worker that both ignore SIGTERM and SIGINT. It
#: prints both pids, and appends them to the file named by its argument.
STUBBORN = textwrap.dedent(
    """
    import os, signal, sys, time
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_IGN)
    worker = os.fork()
    if worker == 0:
        while True:
            time.sleep(1)
    pids = f"{os.getpid()} {worker}"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "a") as f:
            f.write(pids + "\\n")
    print(pids, flush=True)
    while True:
        time.sleep(1)
    """
)


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie has ended: it only waits
    for its parent, or init, to collect its exit status).
    """
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def start_stubborn(
    groups: t.Any, grace: float = 0.1
) -> tuple[subprocess.Popen[str], list[int]]:
    process = groups.start(
        [sys.executable, "-c", STUBBORN],
        quit_signal=signal.SIGINT,
        grace=grace,
        stdout=subprocess.PIPE,
        text=True,
    )
    pids = [int(pid) for pid in process.stdout.readline().split()]
    assert all(running(pid) for pid in pids)
    return process, pids


def gone(pids: list[int], within: float = 5) -> bool:
    """Whether every pid has ended, waiting a little for the kernel to finish
    killing them (a SIGKILLed process is not gone the instant kill returns).
    """
    deadline = time.monotonic() + within
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_stop_ends_the_master_and_its_workers(process_groups: t.Any) -> None:
    process, pids = start_stubborn(process_groups)
    process_groups.stop(process)
    assert process.returncode == -signal.SIGKILL
    assert gone(pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_interrupted_stop_still_kills_the_group(process_groups: t.Any) -> None:
    process, pids = start_stubborn(process_groups, grace=30)

    def interrupt(number: int, frame: types.FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        # Ctrl-C while the stop waits out the server's grace period.
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            process_groups.stop(process)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert process.returncode == -signal.SIGKILL
    assert gone(pids)


#: A test session of its own, using the ``process_groups`` fixture of
#: ``tests/conftest.py``: one fixture whose server never becomes ready, one
#: test that fails, and one that is still running when the session is
#: interrupted.
INNER_CONFTEST = textwrap.dedent(
    """
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("shared", {conftest!r})
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    process_groups = shared.process_groups
    """
)
INNER_TESTS = textwrap.dedent(
    """
    import pathlib, subprocess, sys, time
    import pytest

    STUBBORN = {stubborn!r}
    PIDS = {pids!r}

    def start(groups):
        process = groups.start([sys.executable, "-c", STUBBORN, PIDS],
                               grace=0.1, stdout=subprocess.PIPE, text=True)
        process.stdout.readline()
        return process

    @pytest.fixture
    def never_ready(process_groups):
        start(process_groups)
        raise TimeoutError("the server did not answer in time")

    def test_never_ready(never_ready):
        pass

    def test_fails(process_groups):
        start(process_groups)
        assert False

    def test_interrupted(process_groups):
        start(process_groups)
        pathlib.Path(PIDS + ".waiting").touch()
        time.sleep(60)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_run_interrupted_after_failures_leaves_no_process(
    tmp_path: pathlib.Path,
) -> None:
    pids_file = tmp_path / "pids"
    (tmp_path / "conftest.py").write_text(
        INNER_CONFTEST.format(conftest=str(HERE / "conftest.py"))
    )
    (tmp_path / "test_inner.py").write_text(
        INNER_TESTS.format(stubborn=STUBBORN, pids=str(pids_file))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    inner = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"]
        + ["-q", "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not pids_file.with_suffix(".waiting").exists():
            assert inner.poll() is None, inner.communicate()[0]
            assert time.monotonic() < deadline, "the inner run did not get going"
            time.sleep(0.02)
        # What a terminal's Ctrl-C does to pytest (the servers, in groups of
        # their own, do not get it).
        inner.send_signal(signal.SIGINT)
        output = inner.communicate(timeout=60)[0]
    finally:
        if inner.poll() is None:
            inner.kill()
            inner.wait()
    assert "KeyboardInterrupt" in output, output
    assert "1 failed" in output and "1 error" in output, output
    pids = [int(pid) for pid in pids_file.read_text().split()]
    assert len(pids) == 6
    assert gone(pids)
