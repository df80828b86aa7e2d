"""``Config`` loaders and ``ConfigAttribute``."""

from __future__ import annotations

import json
import os
import pathlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

import flask
from flask.config import Config
from flask.config import ConfigAttribute

upper_keys = st.text(alphabet=string.ascii_uppercase + "_", min_size=1).filter(
    lambda k: k.isupper() and "__" not in k and not k.startswith("_")
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)


@given(key=upper_keys, value=json_values)
def test_prefixed_env_values_are_json_decoded(key: str, value: object) -> None:
    config = Config(".")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "environ", {f"FLASK_{key}": json.dumps(value)})
        config.from_prefixed_env()
    assert config[key] == value


@given(key=upper_keys, raw=st.text().filter(lambda s: "\x00" not in s))
def test_prefixed_env_keeps_undecodable_values_as_text(key: str, raw: str) -> None:
    try:
        expected = json.loads(raw)
    except ValueError:
        expected = raw
    config = Config(".")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "environ", {f"FLASK_{key}": raw})
        config.from_prefixed_env()
    # Compared as JSON: "NaN" decodes to a float that is unequal to itself.
    assert json.dumps(config[key]) == json.dumps(expected)


def test_prefixed_env_double_underscore_sets_nested_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        os,
        "environ",
        {"APP_DB__HOST": "db", "APP_DB__PORT": "5432", "APP_DB__OPTS__X": "true"},
    )
    config = Config(".", {"DB": {"HOST": "localhost", "USER": "me"}})
    assert config.from_prefixed_env("APP")
    assert config["DB"] == {
        "HOST": "db",
        "USER": "me",
        "PORT": 5432,
        "OPTS": {"X": True},
    }


def test_loaders_keep_only_upper_case_keys(tmp_path: pathlib.Path) -> None:
    (tmp_path / "settings.py").write_text(
        "import os\nDEBUG = True\nhelper = 1\nNAME = 'app'\n"
    )
    (tmp_path / "settings.json").write_text('{"PORT": 80, "lower": 1}')
    config = Config(tmp_path)
    assert config.from_pyfile("settings.py")
    assert config.from_file("settings.json", load=json.load)
    assert config.from_mapping({"TIMEOUT": 3, "skip": 1}, EXTRA=True, other=False)
    assert config == {
        "DEBUG": True,
        "NAME": "app",
        "PORT": 80,
        "TIMEOUT": 3,
        "EXTRA": True,
    }


def test_missing_files_fail_unless_silent(tmp_path: pathlib.Path) -> None:
    config = Config(tmp_path)
    with pytest.raises(OSError, match="Unable to load configuration file"):
        config.from_pyfile("missing.py")
    assert config.from_pyfile("missing.py", silent=True) is False
    assert config.from_file("missing.json", json.load, silent=True) is False
    with pytest.raises(RuntimeError, match="'NO_SUCH_VAR' is not set"):
        config.from_envvar("NO_SUCH_VAR")


def test_a_found_file_loads_even_when_it_holds_null(tmp_path: pathlib.Path) -> None:
    # "Nothing in it" is not "no such file": the silent flag must not hide it.
    (tmp_path / "empty.json").write_text("null")
    (tmp_path / "folder").mkdir()
    config = Config(tmp_path)
    assert config.from_file("empty.json", load=json.load, silent=True) is True
    assert config.from_file("folder", load=json.load, silent=True) is False
    assert config == {}


def test_get_namespace() -> None:
    config = Config(".", {"DB_HOST": "h", "DB_PORT": 1, "OTHER": 2})
    assert config.get_namespace("DB_") == {"host": "h", "port": 1}
    assert config.get_namespace("DB_", lowercase=False, trim_namespace=False) == {
        "DB_HOST": "h",
        "DB_PORT": 1,
    }


def test_config_attribute_reads_and_writes_the_key() -> None:
    class Owner:
        def __init__(self) -> None:
            self.config = Config(".", {"SECONDS": 3})

        seconds = ConfigAttribute[int]("SECONDS")
        doubled = ConfigAttribute[int]("SECONDS", get_converter=lambda v: v * 2)

    owner = Owner()
    assert owner.seconds == 3
    assert owner.doubled == 6
    owner.seconds = 5
    assert owner.config["SECONDS"] == 5
    assert isinstance(Owner.seconds, ConfigAttribute)


def test_app_config_has_every_flask_3_1_setting() -> None:
    app = flask.Flask(__name__)
    assert set(app.config) == set(flask.Flask.default_config)
    assert {
        "SECRET_KEY_FALLBACKS",
        "TRUSTED_HOSTS",
        "MAX_FORM_MEMORY_SIZE",
        "MAX_FORM_PARTS",
        "SESSION_COOKIE_PARTITIONED",
        "PROVIDE_AUTOMATIC_OPTIONS",
    } <= set(app.config)


def test_debug_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert flask.Flask(__name__).debug is True
    monkeypatch.setenv("FLASK_DEBUG", "false")
    assert flask.Flask(__name__).debug is False


def test_instance_relative_config(tmp_path: pathlib.Path) -> None:
    app = flask.Flask(
        __name__, instance_path=str(tmp_path), instance_relative_config=True
    )
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'from instance'\n")
    app.config.from_pyfile("settings.py")
    assert app.secret_key == "from instance"
    with app.open_instance_resource("notes.txt", "w") as f:
        f.write("written")
    assert (tmp_path / "notes.txt").read_text() == "written"
