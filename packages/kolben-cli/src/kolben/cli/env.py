"""The environment the command line reads: ``FLASK_DEBUG``, ``FLASK_SKIP_DOTENV``,
and the variables in ``.env`` / ``.flaskenv`` files.
"""

from __future__ import annotations

import os
import typing as t

#: The default files, lowest precedence first.
DOTENV_FILES = (".flaskenv", ".env")

_FALSE = ("0", "false", "no")

_TIP = " * Tip: There are .env files present. Install python-dotenv to use them."


def _dotenv() -> t.Any:
    """The python-dotenv module, or ``None`` when it is not installed."""
    try:
        import dotenv
    except ImportError:
        return None
    return dotenv


def _may_exist(names: t.Iterable[str], everywhere: bool) -> bool:
    """Whether a file of one of ``names`` may be in the current directory or,
    when ``everywhere``, in one of its ancestors, where python-dotenv's
    ``find_dotenv(usecwd=True)`` looks for the default files.

    Errs towards ``True``: anything by that name counts, not only the files
    and FIFOs python-dotenv accepts, and so does an unreadable working
    directory, whose error python-dotenv then reports as before.
    """
    try:
        folder = os.path.abspath(os.getcwd())
    except OSError:
        return True
    while True:
        if any(os.path.lexists(os.path.join(folder, name)) for name in names):
            return True
        parent = os.path.dirname(folder)
        if not everywhere or parent == folder:
            return False
        folder = parent


def get_debug_flag() -> bool:
    """Whether ``FLASK_DEBUG`` asks for debug mode: set, and not ``0``, ``false``
    or ``no``.
    """
    value = os.environ.get("FLASK_DEBUG")
    return bool(value) and t.cast(str, value).lower() not in _FALSE


def get_load_dotenv(default: bool = True) -> bool:
    """Whether the default dotenv files should be loaded.

    ``FLASK_SKIP_DOTENV`` set to anything but ``0``/``false``/``no`` says no;
    unset or empty, ``default`` decides.
    """
    value = os.environ.get("FLASK_SKIP_DOTENV")
    if not value:
        return default
    return value.lower() in _FALSE


def load_dotenv(
    path: str | os.PathLike[str] | None = None, load_defaults: bool = True
) -> bool:
    """Load environment variables from dotenv files into :data:`os.environ`.

    Precedence, highest first: variables already in the environment (never
    overwritten), the file at ``path``, ``.env``, ``.flaskenv``. The default
    files are searched from the current directory upwards; the working directory
    is not changed. Files are read as UTF-8.

    Needs python-dotenv (the ``dotenv`` extra). Without it nothing is loaded,
    and a tip is printed when ``path`` was given or a default file exists.

    :param path: an extra file to load; ignored when it does not exist.
    :param load_defaults: whether to look for ``.env`` and ``.flaskenv``.
    :return: whether at least one variable was read from a file.
    """
    if not (path or _may_exist(DOTENV_FILES, everywhere=load_defaults)):
        # Nothing to read and no tip to give: python-dotenv, a few milliseconds
        # of every command's start, is not even imported.
        return False

    dotenv = _dotenv()
    if dotenv is None:
        if path or any(map(os.path.isfile, DOTENV_FILES)):
            # Imported here: helpers of this module are read at app import time,
            # which should not load the command line's toolkit.
            import click

            click.secho(_TIP, err=True, fg="yellow")
        return False

    sources: list[str | os.PathLike[str]] = []
    if load_defaults:
        # find_dotenv gives "" for a file it cannot find.
        found = (dotenv.find_dotenv(name, usecwd=True) for name in DOTENV_FILES)
        sources.extend(filter(None, found))
    if path is not None and os.path.isfile(path):
        sources.append(path)

    merged: dict[str, str | None] = {}
    for source in sources:
        merged.update(dotenv.dotenv_values(source, encoding="utf-8"))
    for key, value in merged.items():
        if value is not None:
            os.environ.setdefault(key, value)
    return bool(merged)
