"""Rehearse the publish: upload to a real local package index and install from it.

This is the maintainers' path end to end, against ``pypiserver`` on
127.0.0.1 (nothing is uploaded anywhere else):

1. build every distribution's wheel (found under ``packages/``);
2. start ``pypiserver`` on a free port with uploads allowed, and upload the
   wheels with ``twine upload --repository-url``;
3. fill the rest of the index the way a mirror would: the third-party
   requirements (``pip download`` from the package index), upstream Flask
   3.1.3 and one real extension, Flask-Login, each with ``--no-deps``;
4. in fresh virtualenvs that install from that index alone
   (``pip --index-url``), check that

   - ``pip install flask`` gets our ``flask`` (``3.1.3+kolben.N`` sorts above
     upstream's ``3.1.3``, which the index also holds), every part, and an
     app that answers a request;
   - ``pip install Flask-Login`` on top keeps our ``flask`` and brings no
     other Flask;
   - ``pip install kolben-sessions`` alone brings no other kolben
     distribution;

5. with a stand-in for a future upstream ``flask`` 3.1.4 on the index too,
   follow RELEASING.md (the pin in a constraints file): ``pip install
   flask``, ``pip install -U flask``, a forced reinstall, Flask-Login and
   Flask-SQLAlchemy on top, ``uv pip install`` with the same file, and a
   hatch project depending on ``flask`` all keep our ``flask``;
6. (run before step 5) on a copy of ``packages/``, release
   ``kolben-sessions`` alone (minor) with ``release.py``, check that it
   says ``flask`` needs a release too, upload it, see ``pip install flask``
   keep the old part, release ``flask``, upload it, and check
   ``pip install flask kolben-sessions==<new>`` resolves and the app works.

Run it through hatch::

    hatch run rehearse            # prints each step and exits non-zero on failure
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.request
import zipfile

from _workspace import check_run
from _workspace import clean_env
from _workspace import distributions
from _workspace import META
from _workspace import require_tool
from _workspace import ROOT
from _workspace import WorkspaceError
from isolation import build_wheels

#: Upstream Flask, which the index holds next to ours, as PyPI's mirror would.
UPSTREAM = "flask==3.1.3"

#: A real extension installed on top of our flask from the same index.
EXTENSION = "flask-login"

#: Another extension, with a compiled dependency of its own.
SQLALCHEMY = "flask-sqlalchemy"

#: The version of the stand-in for a future upstream Flask release.
STAND_IN = "3.1.4"

#: A user's hatch project, written as RELEASING.md tells users to.
HATCH_PROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "userapp"
version = "0"
dependencies = ["flask=={ours}"]
"""

#: A small app: one route, answered through the test client.
APP = """
import flask
app = flask.Flask("rehearsal")
@app.get("/")
def index():
    return {"kolben": True}
assert app.test_client().get("/").json == {"kolben": True}
import importlib.metadata as m
print("flask", m.version("flask"), "answered")
"""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def index_server(folder: pathlib.Path) -> t.Iterator[str]:
    """Run ``pypiserver`` on 127.0.0.1 over ``folder``; yield its URL."""
    port = free_port()
    command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1"]
    command += ["-p", str(port), "-a", ".", "-P", ".", "--disable-fallback"]
    server = subprocess.Popen(
        [*command, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/simple/", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise WorkspaceError("pypiserver did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def venv(work: pathlib.Path, name: str) -> pathlib.Path:
    """Make a fresh virtualenv with pip; return its Python."""
    path = work / name
    check_run([sys.executable, "-m", "venv", path], env=clean_env())
    return path / "bin" / "python"


def pip(
    python: pathlib.Path, url: str, *args: str, env: dict[str, str] | None = None
) -> str:
    """Run pip in a virtualenv against the local index alone."""
    command = [str(python), "-m", "pip", "--disable-pip-version-check"]
    command += [*args, "--index-url", f"{url}/simple/"]
    return check_run(command, env=clean_env(PIP_CONFIG_FILE="/dev/null", **(env or {})))


def installed(python: pathlib.Path) -> dict[str, str]:
    """Return ``{normalized name: version}`` of what a virtualenv holds."""
    code = (
        "import importlib.metadata as m\n"
        "for d in m.distributions():\n"
        "    print(d.metadata['Name'].lower().replace('_', '-'), d.version)\n"
    )
    pairs = (line.split() for line in check_run([python, "-c", code]).splitlines())
    return dict((name, version) for name, version in pairs)


def expect(condition: bool, message: str) -> None:
    """Fail the rehearsal with ``message`` unless ``condition`` holds."""
    if not condition:
        raise WorkspaceError(message)
    print(f"  ok: {message}", flush=True)


def rehearse(work: pathlib.Path) -> None:
    """Run every step; raise :class:`WorkspaceError` at the first failure."""
    dists = distributions()
    wheels = build_wheels(dists.values(), work / "wheels")
    ours = dists[META].version
    folder = work / "index"
    folder.mkdir()
    with index_server(folder) as url:
        print(f"index: pypiserver at {url}", flush=True)
        twine = require_tool("twine")
        check_run(
            [twine, "upload", "--non-interactive", "--repository-url", url]
            + ["-u", "rehearsal", "-p", "rehearsal", *wheels.values()],
            env=clean_env(),
        )
        print(f"uploaded {len(wheels)} wheels with twine", flush=True)
        tools = venv(work, "venv-tools")
        download: list[str | os.PathLike[str]] = [tools, "-m", "pip", "download"]
        download += ["--quiet", "-d", folder]
        check_run(
            [*download, "--find-links", work / "wheels", f"{META}=={ours}"],
            env=clean_env(),
        )
        check_run([*download, "--no-deps", UPSTREAM, EXTENSION], env=clean_env())
        check_run([*download, "sqlalchemy>=2.0.16"], env=clean_env())
        check_run([*download, "--no-deps", SQLALCHEMY], env=clean_env())
        check_run([*download, "hatchling", "editables"], env=clean_env())
        print("mirrored the requirements, upstream Flask 3.1.3 and Flask-Login")

        print("pip install flask", flush=True)
        app = venv(work, "venv-app")
        pip(app, url, "install", "--quiet", "flask")
        have = installed(app)
        expect(have.get("flask") == ours, f"flask {have.get('flask')} is ours, {ours}")
        missing = sorted(set(dists) - set(have))
        expect(not missing, f"every part is installed (missing: {missing})")
        print("  " + check_run([app, "-c", APP]).strip())

        print(f"pip install {EXTENSION} on top", flush=True)
        pip(app, url, "install", "--quiet", EXTENSION)
        have = installed(app)
        expect(have.get("flask") == ours, f"flask is still ours ({have.get('flask')})")
        check_run([app, "-c", "import flask_login, flask; flask.Flask('x')"])
        check_run([app, "-m", "pip", "check"])

        print("pip install kolben-sessions alone", flush=True)
        alone = venv(work, "venv-sessions")
        pip(alone, url, "install", "--quiet", "kolben-sessions")
        others = sorted(n for n in installed(alone) if n in dists)
        expect(others == ["kolben-sessions"], f"only kolben-sessions: {others}")

        # Before the stand-in upstream 3.1.4 exists: an unpinned install of
        # flask would take it (RELEASING.md says why users pin).
        bump_one_part(work, url)
        keep_ours(work, url, folder, ours)


def stand_in_wheel(out: pathlib.Path, version: str) -> pathlib.Path:
    """Write a wheel named ``flask`` at ``version``: a future upstream release.

    It ships a ``flask`` import package that is plainly not ours, so a swap
    shows up as ``flask.STAND_IN``.
    """
    name = f"flask-{version}"
    files = {
        "flask/__init__.py": f'"""Stand-in for upstream Flask {version}."""\n'
        "STAND_IN = True\n",
        f"{name}.dist-info/METADATA": "Metadata-Version: 2.1\nName: flask\n"
        f"Version: {version}\nRequires-Dist: werkzeug>=3.1\n",
        f"{name}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: rehearse\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    lines = []
    for path, text in files.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        lines.append(f"{path},sha256={encoded},{len(text.encode())}")
    lines.append(f"{name}.dist-info/RECORD,,")
    files[f"{name}.dist-info/RECORD"] = "\n".join(lines) + "\n"
    wheel = out / f"{name}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def keep_ours(work: pathlib.Path, url: str, folder: pathlib.Path, ours: str) -> None:
    """With a newer upstream on the index, follow RELEASING.md and keep ours."""
    stand_in = stand_in_wheel(work, STAND_IN)
    shutil.copy2(stand_in, folder / stand_in.name)
    constraints = work / "constraints.txt"
    constraints.write_text(f"flask=={ours}\n")
    print(f"upstream {STAND_IN} on the index; users pin as RELEASING.md says")
    check = "import flask, importlib.metadata as m; print(m.version('flask'))"

    app = venv(work, "venv-pinned")
    env = {"PIP_CONSTRAINT": str(constraints)}
    for command in (
        ["install", "flask"],
        ["install", "-U", "flask"],
        ["install", "-U", "--force-reinstall", "--no-deps", "flask"],
        ["install", EXTENSION, SQLALCHEMY],
    ):
        pip(app, url, *command, "--quiet", env=env)
        got = check_run([app, "-c", check]).strip()
        expect(got == ours, f"pip {' '.join(command)}: flask {got}")
    check_run([app, "-c", "import flask_sqlalchemy, flask_login"])
    check_run([app, "-c", APP])

    uv = require_tool("uv")
    fast = work / "venv-uv"
    check_run([uv, "venv", "--quiet", "--python", sys.executable, fast])
    for command in (["flask"], ["-U", "flask", EXTENSION, SQLALCHEMY]):
        install = [uv, "pip", "install", "--python", str(fast / "bin" / "python")]
        install += ["--index-url", f"{url}/simple/", "--constraint", str(constraints)]
        check_run([*install, *command], env=clean_env(UV_NO_CONFIG="1"))
        got = check_run([fast / "bin" / "python", "-c", check]).strip()
        expect(got == ours, f"uv pip install {' '.join(command)}: flask {got}")

    project = work / "hatch-project"
    (project / "src" / "userapp").mkdir(parents=True)
    (project / "src" / "userapp" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(HATCH_PROJECT.format(ours=ours))
    hatch_env = clean_env(
        HATCH_DATA_DIR=str(work / "hatch-data"),
        HATCH_CACHE_DIR=str(work / "hatch-cache"),
        PIP_INDEX_URL=f"{url}/simple/",
        UV_INDEX_URL=f"{url}/simple/",
        UV_CONSTRAINT=str(constraints),
        PIP_CONSTRAINT=str(constraints),
        PIP_CONFIG_FILE="/dev/null",
        UV_NO_CONFIG="1",
    )
    hatch = require_tool("hatch")
    got = check_run(
        [hatch, "run", "python", "-c", check], cwd=project, env=hatch_env
    ).splitlines()[-1]
    expect(got == ours, f"a hatch project depending on flask: flask {got}")


def release_in(copy: pathlib.Path, name: str, part: str, out: pathlib.Path) -> str:
    """Release ``name`` in a copy of the workspace; return the tool's words."""
    import release

    version, changes = release.plan(copy, name, part, dt.date.today())
    release.write(copy, changes)
    build_wheels([distributions(copy)[name]], out)
    widened = release.widened_siblings(changes, name)
    return f"{name} {version}; needs a release too: {', '.join(widened) or 'none'}"


def bump_one_part(work: pathlib.Path, url: str) -> None:
    """Release kolben-sessions alone (minor), then flask, and install both."""
    copy = work / "copy"
    ignore = shutil.ignore_patterns("__pycache__", "dist", ".*cache")
    shutil.copytree(ROOT / "packages", copy / "packages", ignore=ignore)
    twine = require_tool("twine")
    upload = [twine, "upload", "--non-interactive", "--repository-url", url]
    upload += ["-u", "rehearsal", "-p", "rehearsal"]

    print("release kolben-sessions alone (minor)", flush=True)
    said = release_in(copy, "kolben-sessions", "minor", work / "sessions")
    print(f"  release: {said}")
    expect("needs a release too: flask" in said, "the tool says flask needs one")
    check_run([*upload, *sorted((work / "sessions").glob("*.whl"))], env=clean_env())
    new = distributions(copy)["kolben-sessions"].version
    before = venv(work, "venv-before")
    pip(before, url, "install", "--quiet", "flask")
    have = installed(before)
    old = distributions()["kolben-sessions"].version
    expect(
        have.get("kolben-sessions") == old,
        f"until flask is released, pip install flask keeps kolben-sessions"
        f" {have.get('kolben-sessions')}",
    )

    print("release flask with the widened range", flush=True)
    print(f"  release: {release_in(copy, META, 'patch', work / 'meta')}")
    check_run([*upload, *sorted((work / "meta").glob("*.whl"))], env=clean_env())
    after = venv(work, "venv-after")
    pip(after, url, "install", "--quiet", "flask", f"kolben-sessions=={new}")
    have = installed(after)
    meta = distributions(copy)[META].version
    expect(
        have.get("flask") == meta and have.get("kolben-sessions") == new,
        f"pip install flask kolben-sessions=={new} resolves to flask {meta}",
    )
    print("  " + check_run([after, "-c", APP]).strip())


def main() -> int:
    """Run the rehearsal; return the exit status."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="kolben-rehearse-"))
    start = time.monotonic()
    try:
        rehearse(work)
    except (WorkspaceError, subprocess.SubprocessError) as error:
        print(f"rehearse: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"rehearse: publish rehearsal passed in {time.monotonic() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
