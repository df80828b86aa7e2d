"""The ``flask.commands`` plugin that upstream Flask's ``flask`` command loads.

Registered by ``kolben-cli`` so that, when upstream Flask has replaced
Kolben's ``flask`` while the Kolben parts stay installed, the ``flask``
command says so in one line (see :mod:`_kolben_flask_guard` for the exact
condition). Kolben's own command group skips this entry point, so under
Kolben's ``flask`` it is never loaded and changes nothing.
"""

from __future__ import annotations

import os
import sys

import click

import _kolben_flask_guard

#: The entry point's value, which Kolben's own command group skips.
ENTRY_POINT = "kolben.cli.swap:command"


def _check_imported_flask() -> None:
    module = sys.modules.get("flask")
    location = getattr(module, "__file__", None)
    if location:
        _kolben_flask_guard.warn(os.path.dirname(location))


@click.command("kolben-check", hidden=True)
def command() -> None:
    """Say whether the ``flask`` package is Kolben's (hidden; a plugin hook).

    .. versionadded:: 0.1.0
    """
    module = sys.modules.get("flask")
    location = getattr(module, "__file__", None) or ""
    line = _kolben_flask_guard.problem(os.path.dirname(location))
    click.echo(line or "flask is Kolben's, or the Kolben parts are not all installed")


_check_imported_flask()
