"""``send_file``/``send_from_directory`` with Flask 1.x arguments, and
``ScriptInfo``-taking factories.
"""

from __future__ import annotations

import io
import pathlib

import pytest
from click.testing import CliRunner

import flask
from flask import Flask
from flask.cli import FlaskGroup
from flask.cli import ScriptInfo
from kolben.legacy import KolbenLegacyWarning


@pytest.fixture
def app(legacy: None, tmp_path: pathlib.Path) -> Flask:
    (tmp_path / "report.txt").write_text("numbers")
    return Flask(__name__, root_path=str(tmp_path))


def test_send_file_old_arguments(app: Flask) -> None:
    with app.test_request_context():
        with pytest.warns(KolbenLegacyWarning) as record:
            response = flask.send_file(
                io.BytesIO(b"data"),
                mimetype="text/plain",
                as_attachment=True,
                attachment_filename="old.txt",
                cache_timeout=60,
                add_etags=False,
            )
        assert {str(w.message).split(" ")[0] for w in record} == {
            "send_file(attachment_filename=...)",
            "send_file(cache_timeout=...)",
            "send_file(add_etags=...)",
        }
        assert response.headers["Content-Disposition"] == "attachment; filename=old.txt"
        assert response.cache_control.max_age == 60
        assert "ETag" not in response.headers
        response.close()


def test_send_file_both_names_is_an_error(app: Flask) -> None:
    with app.test_request_context(), pytest.raises(TypeError, match="download_name"):
        flask.send_file(io.BytesIO(b""), attachment_filename="a", download_name="b")


def test_send_from_directory_old_arguments(app: Flask) -> None:
    with app.test_request_context():
        with pytest.warns(KolbenLegacyWarning) as record:
            response = flask.send_from_directory(
                app.root_path, filename="report.txt", cache_timeout=5
            )
        assert len(record) == 2
        assert "send_from_directory(max_age=...)" in str(record[1].message)
        try:
            assert b"".join(response.response) == b"numbers"
            assert response.cache_control.max_age == 5
        finally:
            response.close()


def test_modern_arguments_do_not_warn(app: Flask) -> None:
    with app.test_request_context():
        response = flask.send_file(io.BytesIO(b"x"), download_name="a.txt")
        response.close()


def test_factory_taking_script_info(legacy: None) -> None:
    seen: list[object] = []

    def create_app(script_info: object) -> Flask:
        seen.append(script_info)
        app = Flask("legacy_cli")

        @app.cli.command()
        def hello() -> None:
            print("hello from 1.0")

        return app

    cli = FlaskGroup(create_app=create_app)
    with pytest.warns(KolbenLegacyWarning, match="without arguments"):
        result = CliRunner().invoke(cli, ["hello"])
    assert result.output == "hello from 1.0\n", result.output
    assert isinstance(seen[0], ScriptInfo)


def test_factory_with_positional_info(legacy: None) -> None:
    info = ScriptInfo(create_app=lambda info: Flask("positional"))
    with pytest.warns(KolbenLegacyWarning):
        assert info.load_app().name == "positional"
    assert info.load_app().name == "positional"


def test_modern_factory_does_not_warn(legacy: None) -> None:
    info = ScriptInfo(create_app=lambda: Flask("modern"))
    assert info.load_app().name == "modern"
