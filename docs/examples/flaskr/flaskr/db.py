"""The SQLite connection of the current application context.

One connection is opened lazily per application context, kept on
:data:`flask.g`, and closed when the context ends.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import click

from flask import current_app
from flask import Flask
from flask import g
from flask.cli import with_appcontext


def _convert_timestamp(value: bytes) -> dt.datetime:
    # Our own converter: the one sqlite3 registers by default is deprecated
    # since Python 3.12 and would turn into an error under filterwarnings.
    return dt.datetime.fromisoformat(value.decode())


sqlite3.register_converter("timestamp", _convert_timestamp)


def get_db() -> sqlite3.Connection:
    """Return the database connection of the current application context.

    The connection is opened on first use, returns rows as
    :class:`sqlite3.Row` (indexable by column name) and converts
    ``TIMESTAMP`` columns to :class:`datetime.datetime`.
    """
    if "db" not in g:
        connection = sqlite3.connect(
            current_app.config["DATABASE"], detect_types=sqlite3.PARSE_DECLTYPES
        )
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        g.db = connection
    db: sqlite3.Connection = g.db
    return db


def close_db(exc: BaseException | None = None) -> None:
    """Close the connection of the current context, if one was opened.

    :param exc: the exception that ended the context, if any (unused; the
        signature is what :meth:`flask.Flask.teardown_appcontext` passes).
    """
    db: sqlite3.Connection | None = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Drop and recreate every table from ``schema.sql``."""
    with current_app.open_resource("schema.sql", "r", encoding="utf-8") as f:
        get_db().executescript(f.read())


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Clear the existing data and create new tables."""
    init_db()
    click.echo("Initialized the database.")


def init_app(app: Flask) -> None:
    """Register the database teardown and the ``init-db`` command on ``app``."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
