"""The per-context connection, the schema and the ``init-db`` command."""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3

import pytest
from flaskr import create_app
from flaskr.db import get_db

from flask import Flask
from flask.testing import FlaskCliRunner


def test_one_connection_per_context_closed_at_teardown(app: Flask) -> None:
    with app.app_context():
        db = get_db()
        assert get_db() is db

    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_rows_by_column_name_and_timestamps_as_datetimes(app: Flask) -> None:
    with app.app_context():
        post = get_db().execute("SELECT title, created FROM post").fetchone()
    assert post["title"] == "test title"
    assert post["created"] == dt.datetime(2018, 1, 1)


def test_new_posts_get_a_creation_time(app: Flask) -> None:
    with app.app_context():
        db = get_db()
        db.execute("INSERT INTO post (title, body, author_id) VALUES ('t', '', 1)")
        created = db.execute("SELECT created FROM post WHERE title = 't'").fetchone()[0]
    assert isinstance(created, dt.datetime)


def test_posts_need_an_existing_author(app: Flask) -> None:
    with app.app_context(), pytest.raises(sqlite3.IntegrityError):
        get_db().execute(
            "INSERT INTO post (title, body, author_id) VALUES ('t', '', 99)"
        )


def test_init_db_command_creates_empty_tables(
    tmp_path: pathlib.Path,
) -> None:
    database = tmp_path / "fresh.sqlite"
    app = create_app({"TESTING": True, "DATABASE": str(database)})
    result = app.test_cli_runner().invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert result.output == "Initialized the database.\n"
    with app.app_context():
        tables = {
            row["name"]
            for row in get_db().execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        }
        assert {"user", "post"} <= tables
        assert get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] == 0


def test_init_db_command_clears_existing_data(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM post").fetchone()[0] == 0
        assert get_db().execute("SELECT COUNT(*) FROM user").fetchone()[0] == 0


def test_init_db_command_is_in_the_help(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["--help"])
    assert "init-db" in result.output
    assert "Clear the existing data and create new tables." in result.output
