"""Rehearse the publish: upload to a real local package index and install from it.

This is the maintainers' path end to end, against ``pypiserver`` on
127.0.0.1 (nothing is uploaded anywhere else), with the maintainers' own
commands:

1. start ``pypiserver`` on a free port with uploads allowed and publish every
   distribution under ``packages/`` at its current version with
   ``tools/publish.py URL`` (``hatch run publish``: build, ``twine check``,
   ``twine upload``);
2. fill the rest of the index the way a mirror would: the third-party
   requirements (``pip download``), upstream Flask 3.1.3 and two real
   extensions, Flask-Login and Flask-SQLAlchemy, each with ``--no-deps``;
3. in fresh virtualenvs that install from that index alone
   (``pip --index-url``), check that

   - (a) ``pip install flask`` gets our ``flask`` (``3.1.3+kolben.N`` sorts
     above upstream's ``3.1.3``, which the index also holds), every part it
     requires, and an app that answers a request; ``kolben-legacy`` installs
     on top and keeps it;
   - (d) ``pip install Flask-Login`` on top keeps our ``flask`` and brings no
     other Flask;
   - the reverse: with a part uninstalled, ``import flask`` fails naming the
     part and the fix in one line;
   - (c) ``pip install kolben-sessions`` alone brings no other kolben
     distribution;

4. (b) in a git copy of ``packages/`` and ``tools/``, release
   ``kolben-sessions`` alone (minor) with ``tools/release.py ... --apply
   --publish-to URL``, check it says ``flask`` needs a release too, see
   ``pip install flask`` keep the old part, release ``flask`` the same way,
   and check ``pip install flask kolben-sessions==<new>`` resolves and the
   app works;
5. put a stand-in for a future upstream ``flask`` 3.1.4 on the index
   (upstream's 3.1.3 wheel, renamed) and check that

   - following RELEASING.md (the pin in a constraints file), ``pip install
     flask``, ``pip install -U flask``, a forced reinstall, Flask-Login and
     Flask-SQLAlchemy on top, ``uv pip install`` with the same file, and a
     hatch project depending on ``flask`` all keep our ``flask``, and
     neither ``import flask`` nor ``flask --version`` says anything;
   - without the pin, ``pip install -U flask`` does swap upstream's in
     (whose files alone are then in ``flask/``), and ``python -c "import
     flask"`` and ``flask --version`` each say so in exactly one line
     (kolben-cli's ``.pth`` guard), and upstream's ``flask`` command loads
     kolben-cli's ``flask.commands`` plugin.

Run it through hatch::

    hatch run rehearse            # prints each step and exits non-zero on failure
"""

from __future__ import annotations

import base64
import contextlib
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

import _processes
from _workspace import check_run
from _workspace import clean_env
from _workspace import Distribution
from _workspace import distributions
from _workspace import is_addon
from _workspace import META
from _workspace import require_tool
from _workspace import ROOT
from _workspace import run
from _workspace import WorkspaceError

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
    server = _processes.start(
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
        _processes.stop(server)


#: The one virtualenv with pip in it (under the rehearsal's folder); the
#: others are made without pip and installed into with ``pip --python``,
#: which spares CI an ``ensurepip`` per environment.
TOOLS = "venv-tools"


def venv(work: pathlib.Path, name: str) -> pathlib.Path:
    """Make a fresh virtualenv (with pip only for :data:`TOOLS`); return its Python."""
    path = work / name
    bare = [] if name == TOOLS else ["--without-pip"]
    check_run([sys.executable, "-m", "venv", *bare, path], env=clean_env())
    return path / "bin" / "python"


def pip_in(python: pathlib.Path) -> list[str | os.PathLike[str]]:
    """Return the command that runs pip for the virtualenv of ``python``."""
    host = python.parents[2] / TOOLS / "bin" / "python"
    return [host, "-m", "pip", "--disable-pip-version-check", "--python", python]


def pip(
    python: pathlib.Path, url: str, *args: str, env: dict[str, str] | None = None
) -> str:
    """Run pip for a virtualenv against the local index alone."""
    command = [*pip_in(python), *args, "--no-compile", "--index-url", f"{url}/simple/"]
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


def tool(work: pathlib.Path, root: pathlib.Path, script: str, *args: str) -> str:
    """Run one of the maintainers' tools of ``root`` as they would; return its output.

    twine's credentials come from the environment, as in a maintainer's shell
    (the local index takes any).
    """
    env = clean_env(TWINE_USERNAME="rehearsal", TWINE_PASSWORD="rehearsal")
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "Kolben rehearsal"
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "rehearsal@127.0.0.1"
    env["HATCH_DATA_DIR"] = str(work / "hatch-data")
    command = [sys.executable, str(root / "tools" / script), *args]
    return check_run(command, cwd=root, env=env)


def parts_of_flask(dists: dict[str, Distribution]) -> set[str]:
    """The kolben distributions our ``flask`` requires (not the add-ons)."""
    return {r.name for r in dists[META].dependencies if r.name in dists}


def rehearse(work: pathlib.Path) -> None:
    """Run every step; raise :class:`WorkspaceError` at the first failure."""
    dists = distributions()
    ours = dists[META].version
    folder = work / "index"
    folder.mkdir()
    with index_server(folder) as url:
        print(f"index: pypiserver at {url}", flush=True)
        said = tool(work, ROOT, "publish.py", url)
        print(f"  {said.strip().splitlines()[-1]} (tools/publish.py, twine)")
        tools = venv(work, TOOLS)
        download: list[str | os.PathLike[str]] = [tools, "-m", "pip", "download"]
        download += ["--quiet", "-d", folder]
        local = ["--extra-index-url", f"{url}/simple/"]
        check_run([*download, *local, f"{META}=={ours}"], env=clean_env())
        check_run([*download, "--no-deps", UPSTREAM, EXTENSION], env=clean_env())
        check_run([*download, "sqlalchemy>=2.0.16"], env=clean_env())
        check_run([*download, "--no-deps", SQLALCHEMY], env=clean_env())
        check_run([*download, "hatchling", "editables"], env=clean_env())
        print("mirrored the requirements, upstream Flask 3.1.3 and two extensions")

        print("(a) pip install flask", flush=True)
        app = venv(work, "venv-app")
        pip(app, url, "install", "--quiet", "flask")
        have = installed(app)
        expect(have.get("flask") == ours, f"flask {have.get('flask')} is ours, {ours}")
        missing = sorted(parts_of_flask(dists) - set(have))
        expect(not missing, f"every part flask requires is installed ({missing=})")
        print("  " + check_run([app, "-c", APP]).strip())
        addons = sorted(name for name in dists if is_addon(dists[name]))
        pip(app, url, "install", "--quiet", *addons)
        have = installed(app)
        expect(
            have.get("flask") == ours and all(a in have for a in addons),
            f"the add-ons {addons} install on top and keep flask {have.get('flask')}",
        )
        check_run([app, "-c", "import kolben.legacy, flask; kolben.legacy.install()"])

        print(f"(d) pip install {EXTENSION} on top", flush=True)
        pip(app, url, "install", "--quiet", EXTENSION)
        have = installed(app)
        expect(have.get("flask") == ours, f"flask is still ours ({have.get('flask')})")
        check_run([app, "-c", "import flask_login, flask; flask.Flask('x')"])
        check_run([*pip_in(app), "check"])

        print("the reverse: our flask with a part uninstalled", flush=True)
        check_run([*pip_in(app), "uninstall", "--quiet", "--yes", "kolben-routing"])
        failed = run([app, "-c", IMPORT_FLASK], env=clean_env())
        last = failed.stdout.strip().splitlines()[-1]
        expect(
            failed.returncode == 1
            and last.startswith("ImportError: Kolben's flask")
            and "kolben-routing is not installed. Fix: pip install" in last,
            f"import flask names the missing part and the fix: {last[:60]}...",
        )

        print("(c) pip install kolben-sessions alone", flush=True)
        alone = venv(work, "venv-sessions")
        pip(alone, url, "install", "--quiet", "kolben-sessions")
        others = sorted(n for n in installed(alone) if n in dists)
        expect(others == ["kolben-sessions"], f"only kolben-sessions: {others}")

        # Before the stand-in upstream 3.1.4 exists: an unpinned install of
        # flask would take it (RELEASING.md says why users pin).
        bump_one_part(work, url)
        stand_in = stand_in_wheel(folder, work, STAND_IN)
        shutil.copy2(stand_in, folder / stand_in.name)
        print(f"a stand-in for upstream flask {STAND_IN} is on the index")
        keep_ours(work, url, ours)
        swap_says_so(work, url, stand_in)


def stand_in_wheel(
    folder: pathlib.Path, out: pathlib.Path, version: str
) -> pathlib.Path:
    """Write upstream Flask 3.1.3's wheel (from ``folder``) again as ``version``.

    The stand-in is upstream's real code, command line and entry points
    included, so a swap to it behaves as a future upstream release would.
    """
    (source,) = folder.glob("flask-3.1.3-*.whl")
    old, new = "flask-3.1.3.dist-info/", f"flask-{version}.dist-info/"
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as wheel:
        for info in wheel.infolist():
            data = wheel.read(info)
            name = info.filename.replace(old, new)
            if name == f"{new}METADATA":
                data = data.replace(
                    b"\nVersion: 3.1.3\n", f"\nVersion: {version}\n".encode()
                )
            files[name] = data
    lines = []
    for path, data in files.items():
        if path == f"{new}RECORD":
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        lines.append(f"{path},sha256={digest.decode()},{len(data)}")
    lines.append(f"{new}RECORD,,")
    files[f"{new}RECORD"] = ("\n".join(lines) + "\n").encode()
    wheel_path = out / f"flask-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel_path


#: What a user runs to import flask in a fresh interpreter.
IMPORT_FLASK = "import flask"


def stderr_lines(command: t.Sequence[str | os.PathLike[str]]) -> list[str]:
    """Run a command; return its stderr lines (it must succeed)."""
    result = subprocess.run(
        [os.fspath(c) for c in command],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )
    if result.returncode != 0:
        raise WorkspaceError(f"{command} failed:\n{result.stdout}{result.stderr}")
    return result.stderr.splitlines()


def keep_ours(work: pathlib.Path, url: str, ours: str) -> None:
    """With a newer upstream on the index, follow RELEASING.md and keep ours."""
    constraints = work / "constraints.txt"
    constraints.write_text(f"flask=={ours}\n")
    print("users pin as RELEASING.md says", flush=True)
    # Ours is what is imported: its names are the parts' own objects.
    check = (
        "import flask, kolben.sessions, importlib.metadata as m;"
        " assert flask.sessions.SessionInterface is kolben.sessions.SessionInterface;"
        " print(m.version('flask'))"
    )

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
    said = stderr_lines([app, "-c", IMPORT_FLASK])
    said += stderr_lines([app.parent / "flask", "--version"])
    expect(said == [], f"under ours, import flask and flask --version are quiet {said}")

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


def swap_says_so(work: pathlib.Path, url: str, stand_in: pathlib.Path) -> None:
    """Without the pin, ``pip install -U flask`` swaps; check that it says so."""
    print("without the pin: pip install flask, then pip install -U flask", flush=True)
    app = venv(work, "venv-unpinned")
    # The newest flask is now the stand-in: users who skip the pin ask for ours
    # by its version first, as their requirements file did before 3.1.4.
    pip(app, url, "install", "--quiet", f"flask=={distributions()[META].version}")
    pip(app, url, "install", "--quiet", "-U", "flask")
    have = installed(app)
    expect(have.get("flask") == STAND_IN, f"the swap happens: flask {have['flask']}")
    with zipfile.ZipFile(stand_in) as wheel:
        shipped = {n for n in wheel.namelist() if n.startswith("flask/")}
    site = next((work / "venv-unpinned" / "lib").glob("python*/site-packages"))
    present = {
        p.relative_to(site).as_posix()
        for p in (site / "flask").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    expect(present == shipped, "flask/ holds upstream's files only (none of ours)")
    commands: list[tuple[list[str | os.PathLike[str]], str]] = [
        ([app, "-c", IMPORT_FLASK], f'python -c "{IMPORT_FLASK}"'),
        ([app.parent / "flask", "--version"], "flask --version"),
    ]
    for command, shown in commands:
        said = stderr_lines(command)
        first = f"kolben: the installed flask {STAND_IN} is not Kolben's"
        expect(
            len(said) == 1 and said[0].startswith(first),
            f"{shown} says so in one line ({len(said)} line(s) on stderr)",
        )
    print(f"  {said[0]}")
    plugin = check_run(
        [app.parent / "flask", "kolben-check"],
        env=clean_env(KOLBEN_FLASK_SWAP_SAID="1"),
    )
    expect(
        plugin.startswith("kolben: the installed flask"),
        "upstream's flask command loads kolben-cli's flask.commands plugin",
    )


def bump_one_part(work: pathlib.Path, url: str) -> None:
    """Release kolben-sessions alone (minor), then flask, and install both."""
    copy = work / "copy"
    ignore = shutil.ignore_patterns("__pycache__", "dist", ".*cache")
    for folder in ("packages", "tools"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    git: list[str | os.PathLike[str]] = ["git", "-C", copy]
    check_run([*git, "init", "--quiet"])
    check_run([*git, "add", "."])
    check_run(
        [*git, "-c", "user.name=Kolben rehearsal", "-c", "user.email=r@127.0.0.1"]
        + ["commit", "--quiet", "-m", "the workspace before the releases"]
    )

    print("(b) release kolben-sessions alone (minor), --publish-to the index")
    said = tool(
        work,
        copy,
        "release.py",
        "kolben-sessions",
        "minor",
        "--apply",
        "--publish-to",
        url,
    )
    print("  release: " + next(line for line in said.splitlines() if "->" in line))
    expect(
        "flask needs a release too" in said,
        "the tool says plainly that flask needs a release too",
    )
    new = distributions(copy)["kolben-sessions"].version
    expect(
        f"uploaded kolben_sessions-{new}-py3-none-any.whl" in said,
        f"it uploaded kolben-sessions {new}",
    )
    before = venv(work, "venv-before")
    pip(before, url, "install", "--quiet", "flask")
    have = installed(before)
    old = distributions()["kolben-sessions"].version
    expect(
        have.get("kolben-sessions") == old,
        f"until flask is released, pip install flask keeps kolben-sessions"
        f" {have.get('kolben-sessions')}",
    )

    print("release flask with the widened range, --publish-to the index")
    said = tool(work, copy, "release.py", META, "patch", "--apply", "--publish-to", url)
    print("  release: " + next(line for line in said.splitlines() if "->" in line))
    meta = distributions(copy)[META].version
    after = venv(work, "venv-after")
    pip(after, url, "install", "--quiet", "flask", f"kolben-sessions=={new}")
    have = installed(after)
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
