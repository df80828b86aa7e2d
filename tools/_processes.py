"""Start the servers the tools measure in process groups of their own, and
stop each with every process of its group.

gunicorn and ``uvicorn --workers`` are a master with worker processes:
signalling or killing only the master can leave its workers running (a
master killed because its shutdown was slow orphans them). A server started
with :func:`start` leads a new session, so one signal reaches its workers
too, and a terminal's Ctrl-C reaches only the tool, whose ``finally`` calls
:func:`stop`. Used by ``bench_gunicorn.py``, ``bench_asgi.py``,
``asgi_upload.py``, ``rehearse.py`` and the tests' ``process_groups``
fixture; not a command of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import typing as t


def start(command: list[str], **options: t.Any) -> subprocess.Popen[t.Any]:
    """Start ``command`` as the leader of a new process group.

    :param command: the program and its arguments.
    :param options: passed to :class:`subprocess.Popen`.
    """
    return subprocess.Popen(command, start_new_session=True, **options)


def stop(
    process: subprocess.Popen[t.Any],
    quit_signal: int = signal.SIGTERM,
    grace: float = 10,
) -> None:
    """Ask a server :func:`start` started to quit, then kill what is left of
    its group.

    ``quit_signal`` goes to the leader, which shuts its workers down its own
    way; after ``grace`` seconds, or as soon as the leader is gone, every
    process still in the group is killed and the leader is waited for, also
    when the wait was interrupted.

    :param process: the server's leading process.
    :param quit_signal: the server's own clean shutdown.
    :param grace: how long that shutdown may take, in seconds.
    """
    try:
        if not _exited(process):
            process.send_signal(quit_signal)
        deadline = time.monotonic() + grace
        while not _exited(process) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        # The leader is not reaped yet (_exited only looks), so its process
        # group ID cannot have passed to another process.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _exited(process: subprocess.Popen[t.Any]) -> bool:
    """Whether ``process`` has ended, without reaping it."""
    if process.returncode is not None:
        return True
    try:
        found = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return found is not None
