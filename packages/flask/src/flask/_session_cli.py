"""``flask sessions``: maintenance of server-side sessions.

Added to every app's ``app.cli`` by the meta-package, the one distribution
that knows both the command line (:mod:`kolben.cli`) and the sessions
(:mod:`kolben.sessions`).
"""

from __future__ import annotations

import click

from kolben.cli import with_appcontext
from kolben.contexts import current_app


# Hidden from the command list: every app's ``flask --help`` stays as it is
# (most keep their sessions in cookies); the READMEs document the command.
@click.group("sessions", hidden=True)
def sessions_command() -> None:
    """Maintain the app's server-side sessions (SESSION_TYPE)."""


@sessions_command.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete expired session records from the app's session store.

    Stores purge on their own from time to time as well; run this from cron
    to keep a SQLite file small. Redis expires records itself.
    """
    store = getattr(current_app.session_interface, "store", None)
    if store is None:
        raise click.UsageError(
            "The app keeps its sessions in cookies (SESSION_TYPE is"
            f" {current_app.config.get('SESSION_TYPE', 'cookie')!r}): there is"
            " no session store to purge."
        )
    count = store.purge_expired()
    click.echo(f"Deleted {count} expired session(s) from the {store.name} store.")
