"""The environment the command line reads: ``FLASK_DEBUG``, ``FLASK_SKIP_DOTENV``,
and the variables in ``.env`` / ``.flaskenv`` files.
"""

from __future__ import annotations

import os
import typing as t

import click

#: The default files, lowest precedence first.
DOTENV_FILES = (".flaskenv", ".env")

_FALSE = ("0", "false", "no")


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
    try:
        import dotenv
    except ImportError:
        if path or any(os.path.isfile(name) for name in DOTENV_FILES):
            click.secho(
                " * Tip: There are .env files present. Install python-dotenv"
                " to use them.",
                fg="yellow",
                err=True,
            )
        return False

    values: dict[str, str | None] = {}
    if load_defaults:
        for name in DOTENV_FILES:
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values.update(dotenv.dotenv_values(found, encoding="utf-8"))
    if path is not None and os.path.isfile(path):
        values.update(dotenv.dotenv_values(path, encoding="utf-8"))

    for key, value in values.items():
        if value is not None and key not in os.environ:
            os.environ[key] = value
    return bool(values)
