"""Fixtures shared by the cross-package tests: the built documentation site,
and servers started in process groups of their own.
"""

from __future__ import annotations

import collections.abc as cabc
import importlib.util
import itertools
import pathlib
import signal
import subprocess
import sys
import types
import typing as t

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _load_tool(name: str) -> types.ModuleType:
    """A module of ``tools/`` (not a package), loaded by its path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: How the tools start and stop servers, shared so tests stop them the same way.
_processes = _load_tool("_processes")
SITE = DOCS / "_build" / "html"

#: What the site is built from; a build older than any of these is rebuilt.
SOURCES = (
    (DOCS, "*.md"),
    (DOCS, "*.py"),
    (DOCS / "examples" / "flaskr", "*"),
    (ROOT / "packages", "*.md"),
    (ROOT / "packages", "*.py"),
)


def _newest_source() -> float:
    files = itertools.chain.from_iterable(
        folder.rglob(pattern) for folder, pattern in SOURCES
    )
    return max(
        path.stat().st_mtime
        for path in files
        if path.is_file() and "_build" not in path.parts
    )


def build_docs() -> pathlib.Path:
    """Build the HTML site as ``hatch run docs`` does, unless it is up to date.

    CI builds the site in a step of its own first (``.ci/run``), so the tests
    reuse it; a local ``hatch test`` builds it here when it is missing or
    older than its sources. Warnings are errors, as in ``hatch run docs``.
    """
    inventory = SITE / "objects.inv"
    if inventory.exists() and inventory.stat().st_mtime >= _newest_source():
        return SITE
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q"]
    result = subprocess.run(
        [*command, "-E", "-b", "html", str(DOCS), str(SITE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        pytest.fail(f"the documentation does not build:\n{result.stderr}")
    return SITE


@pytest.fixture(scope="session")
def docs_site() -> pathlib.Path:
    """The built HTML documentation (``docs/_build/html``)."""
    return build_docs()


class ProcessGroups:
    """Servers a test starts, each leading a process group of its own, and
    stopped with every process of that group however the test ends.

    A server such as gunicorn is a master with worker processes. Signalling
    or killing only the master can leave its workers running: a master
    killed because its shutdown was slow orphans them. Started here, the
    server leads a new session (``start_new_session``), so its workers are
    in its process group and one signal reaches them all; a terminal's
    Ctrl-C reaches only pytest, which stops the server in its teardown.
    """

    def __init__(self) -> None:
        #: The running servers, with their quit signal and grace period.
        self._running: dict[subprocess.Popen[t.Any], tuple[int, float]] = {}

    def start(
        self,
        command: list[str],
        *,
        quit_signal: int = signal.SIGTERM,
        grace: float = 10,
        **options: t.Any,
    ) -> subprocess.Popen[t.Any]:
        """Start ``command`` as the leader of a new process group; it is
        stopped by :meth:`stop`, or when the test ends.

        :param command: the program and its arguments.
        :param quit_signal: what asks the server for its quick, clean
            shutdown.
        :param grace: how many seconds that shutdown may take before the
            group is killed.
        :param options: passed to :class:`subprocess.Popen`.
        """
        process = _processes.start(command, **options)
        self._running[process] = (quit_signal, grace)
        return process

    def stop(self, process: subprocess.Popen[t.Any]) -> None:
        """Ask the server to quit, then kill what is left of its group.

        The quit signal goes to the leader, which shuts its workers down its
        own way; at the end of the grace period, or as soon as the leader is
        gone, every process still in the group is killed, the leader is
        waited for and its pipes are closed. The kill also happens when the
        wait is interrupted.

        :param process: a process :meth:`start` returned; once stopped,
            stopping it again does nothing.
        """
        if process not in self._running:
            return
        quit_signal, grace = self._running.pop(process)
        try:
            _processes.stop(process, quit_signal, grace)
        finally:
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()

    def stop_all(self) -> None:
        """Stop every server still running, the last started first."""
        while self._running:
            self.stop(next(reversed(self._running)))


@pytest.fixture
def process_groups() -> cabc.Iterator[ProcessGroups]:
    """Start servers with ``process_groups.start(command, **popen_options)``;
    every one still running when the test ends is stopped, with its workers,
    whether the test passed, failed, or its setup never saw the server
    become ready.
    """
    groups = ProcessGroups()
    try:
        yield groups
    finally:
        groups.stop_all()
