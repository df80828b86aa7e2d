"""A 1 GiB upload through ``kolben.asgi`` keeps the server's memory bounded.

What it proves: a Flask app served by real uvicorn (one worker process) reads
a 1 GiB request body through ``request.stream``, and saves a 1 GiB file from
``request.files``, while the worker's peak resident memory (``VmHWM`` from
``/proc``, the kernel's high-water mark for the whole process) stays under
64 MB. The body is sent over loopback with a ``Content-Length`` and checked
on arrival (its SHA-256 and size), so nothing is dropped or truncated.

Too slow for the test suite (each upload moves 1 GiB through the ASGI
channel); run it through hatch::

    hatch run asgi-upload            # 1 GiB each way, exits 1 over the bound
    hatch run asgi-upload --mib 64   # a quicker look
"""

from __future__ import annotations

import argparse
import hashlib
import pathlib
import socket
import subprocess
import sys
import tempfile
import textwrap
import time

import _processes

LIMIT_MB = 64
BLOCK = bytes(range(256)) * 4096  # 1 MiB

APP = textwrap.dedent(
    """
    import hashlib, os, sys, tempfile
    import flask

    app = flask.Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024**3

    @app.post("/stream")
    def stream():
        digest, size = hashlib.sha256(), 0
        while chunk := flask.request.stream.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
        return f"{size} {digest.hexdigest()}"

    @app.post("/files")
    def files():
        upload = flask.request.files["blob"]
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "blob")
            upload.save(path)
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                while chunk := f.read(1024 * 1024):
                    digest.update(chunk)
            return f"{os.path.getsize(path)} {digest.hexdigest()}"

    asgi = app.asgi_app
    """
)

CHILD = textwrap.dedent(
    """
    import socket, sys, uvicorn
    sys.path.insert(0, sys.argv[2])
    class Server(uvicorn.Server):
        async def startup(self, sockets=None):
            await super().startup(sockets)
            print("ready", flush=True)
    sock = socket.socket(fileno=int(sys.argv[1]))
    Server(uvicorn.Config("upload_app:asgi", log_level="warning")).run(sockets=[sock])
    """
)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far, in MB (10**6 bytes)."""
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmHWM in /proc (Linux only)")


def post(port: int, path: str, blocks: int, multipart: bool) -> tuple[str, float]:
    """Send ``blocks`` MiB as the body (or as one file field); return the answer."""
    boundary = "kolbenboundary"
    head = tail = b""
    content_type = "application/octet-stream"
    if multipart:
        content_type = f"multipart/form-data; boundary={boundary}"
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=blob;"
            f' filename="blob.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + blocks * len(BLOCK) + len(tail)
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=300) as conn:
        conn.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}"
            f"\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n".encode()
            + head
        )
        for _ in range(blocks):
            conn.sendall(BLOCK)
        conn.sendall(tail)
        answer = b""
        while data := conn.recv(65536):
            answer += data
    elapsed = time.perf_counter() - start
    status, _, rest = answer.partition(b"\r\n")
    if b" 200 " not in status:
        raise SystemExit(f"{path}: {answer[:500]!r}")
    return rest.partition(b"\r\n\r\n")[2].decode(), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024, help="upload size")
    args = parser.parse_args()
    expected = hashlib.sha256()
    for _ in range(args.mib):
        expected.update(BLOCK)
    want = f"{args.mib * len(BLOCK)} {expected.hexdigest()}"

    with tempfile.TemporaryDirectory() as folder:
        pathlib.Path(folder, "upload_app.py").write_text(APP)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        port = sock.getsockname()[1]
        server = _processes.start(
            [sys.executable, "-c", CHILD, str(sock.fileno()), folder],
            pass_fds=[sock.fileno()],
            stdout=subprocess.PIPE,
            text=True,
        )
        failed = False
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise SystemExit("uvicorn did not start")
            baseline = peak_rss_mb(server.pid)
            print(f"uvicorn worker after startup: peak RSS {baseline:.1f} MB")
            for path, multipart in (("/stream", False), ("/files", True)):
                got, elapsed = post(port, path, args.mib, multipart)
                peak = peak_rss_mb(server.pid)
                ok = got == want and peak < LIMIT_MB
                failed |= not ok
                print(
                    f"{path}: {args.mib} MiB in {elapsed:.1f} s"
                    f" ({args.mib / elapsed:.0f} MiB/s), body intact: {got == want},"
                    f" worker peak RSS {peak:.1f} MB (bound {LIMIT_MB} MB)"
                    f" {'ok' if ok else 'FAILED'}"
                )
        finally:
            _processes.stop(server, grace=15)
            sock.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
